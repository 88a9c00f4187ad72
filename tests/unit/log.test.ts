// Unit tests of shared/log.ts: secrets (SK, security token, callback secret, Authorization values)
// never reach a log line (DESIGN.md "Semantics").
import { describe, expect, it } from 'vitest';
import { createJsonLogger, redact, redactFields } from '../../shared/log.ts';

const SK = 'sk-Very-Secret-Value-0123456789abcdef';
const TOKEN = 'token-Very-Secret-abcdef0123456789';
const WHSEC = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const HEX_SIGNATURE = 'a3f1c2d4e5b6a7980123456789abcdef0123456789abcdef0123456789abcdef';
const AUTHORIZATION = `SDK-HMAC-SHA256 Access=AKEXAMPLE0123, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=${HEX_SIGNATURE}`;

type Json = Record<string, unknown>;

function asRecord(value: unknown): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`not an object: ${String(value)}`);
  return value as Json;
}

describe('redact', () => {
  it('removes given secret values wherever they appear', () => {
    const out = redact(`sk=${SK}; again ${SK}; token ${TOKEN}`, [SK, TOKEN]);
    expect(out).not.toContain(SK);
    expect(out).not.toContain(TOKEN);
    expect(out).toContain('sk=');
    expect(out).toContain('again');
  });

  it('leaves text without secrets alone', () => {
    expect(redact('enable accepted for instance 3f2504e0', [SK])).toBe('enable accepted for instance 3f2504e0');
  });

  it('removes an SDK-HMAC-SHA256 Authorization value, signature included', () => {
    const out = redact(`authorization: ${AUTHORIZATION}\nnext line`);
    expect(out).not.toContain(HEX_SIGNATURE);
    expect(out).not.toMatch(/Signature=[0-9a-f]{8}/);
    expect(out).toContain('SDK-HMAC-SHA256');
    expect(out).toContain('next line');
  });

  it('removes an Authorization value with a security-token header list', () => {
    const value = `SDK-HMAC-SHA256 Access=AK, SignedHeaders=content-type;host;x-sdk-date;x-security-token, Signature=${HEX_SIGNATURE.toUpperCase()}`;
    expect(redact(`"${value}"`)).not.toContain(HEX_SIGNATURE.toUpperCase());
  });

  it('removes a bare Signature=<hex>', () => {
    const out = redact(`signed with Signature=${HEX_SIGNATURE} at 09:55`);
    expect(out).not.toContain(HEX_SIGNATURE);
    expect(out).toContain('signed with Signature=');
    expect(out).toContain('at 09:55');
  });

  it('removes Standard Webhooks secrets', () => {
    const out = redact(`secret is ${WHSEC}, done`);
    expect(out).not.toContain(WHSEC);
    expect(out).not.toContain('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    expect(out).toContain(', done');
  });

  it('removes a whsec_ secret it was not told about', () => {
    const other = 'whsec_c2VjcmV0LWtleS1ieXRlcy0xMjM0NTY3OA==';
    expect(redact(other, [])).not.toContain('c2VjcmV0LWtleS1ieXRlcy0xMjM0NTY3OA');
  });
});

describe('redactFields', () => {
  it.each(['authorization', 'Authorization', 'sk', 'SK', 'security_token', 'x-security-token', 'X-Security-Token', 'callback_secret'])(
    'masks the key %s',
    (key) => {
      const out = asRecord(redactFields({ [key]: 'plain-value-xyz', keep: 'visible' }, []));
      expect(out[key]).not.toBe('plain-value-xyz');
      expect(JSON.stringify(out)).not.toContain('plain-value-xyz');
      expect(out.keep).toBe('visible');
    },
  );

  it('masks secret keys nested in objects and arrays', () => {
    const input = {
      request: {
        headers: { Authorization: 'opaque-auth-value', 'X-Security-Token': 'opaque-token-value', host: 'dms.cn-north-4.myhuaweicloud.com' },
      },
      attempts: [{ sk: 'opaque-sk-value', n: 1 }, [{ callback_secret: 'opaque-cb-value' }]],
    };
    const text = JSON.stringify(redactFields(input, []));
    for (const secret of ['opaque-auth-value', 'opaque-token-value', 'opaque-sk-value', 'opaque-cb-value']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('dms.cn-north-4.myhuaweicloud.com');
    expect(text).toContain('"n":1');
  });

  it('masks secret keys and secret values however deep they are', () => {
    let nested: Json = { sk: 'deep-sk-value', note: `uses ${SK}` };
    for (let i = 0; i < 10; i += 1) nested = { level: nested };
    const text = JSON.stringify(redactFields(nested, [SK]));
    expect(text).not.toContain('deep-sk-value');
    expect(text).not.toContain(SK);
  });

  it('redacts secret values in every string, not only under secret keys', () => {
    const text = JSON.stringify(redactFields({ detail: `failed with ${SK}`, list: [`t=${TOKEN}`], header: AUTHORIZATION }, [SK, TOKEN]));
    expect(text).not.toContain(SK);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(HEX_SIGNATURE);
  });

  it('turns an Error into its name and redacted message', () => {
    const error = new TypeError(`request failed: ${SK}`);
    const out = asRecord(redactFields({ error }, [SK]));
    const serialised = asRecord(out.error);
    expect(serialised.name).toBe('TypeError');
    expect(serialised.message).toContain('request failed');
    expect(JSON.stringify(out)).not.toContain(SK);
  });

  it('keeps numbers, booleans and null as they are', () => {
    expect(redactFields({ a: 1, b: true, c: null }, [])).toEqual({ a: 1, b: true, c: null });
  });

  it('does not change its input', () => {
    const input = { sk: 'opaque-sk-value', nested: { authorization: 'x-auth' } };
    redactFields(input, []);
    expect(input).toEqual({ sk: 'opaque-sk-value', nested: { authorization: 'x-auth' } });
  });
});

describe('createJsonLogger', () => {
  function capture(secrets: readonly string[] = []) {
    const lines: string[] = [];
    const logger = createJsonLogger({
      write: (line) => lines.push(line),
      secrets: () => secrets,
      now: () => new Date('2026-11-24T09:55:55.000Z'),
    });
    return { lines, logger, parsed: () => lines.map((line) => asRecord(JSON.parse(line))) };
  }

  it('writes one JSON object per line with level, time and message', () => {
    const { lines, logger, parsed } = capture();
    logger.info('started');
    logger.warn('slow', { ms: 900 });
    logger.error('failed\nbadly', { code: 'X' });
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).not.toContain('\n');
    expect(parsed()).toEqual([
      { level: 'INFO', time: '2026-11-24T09:55:55.000Z', message: 'started' },
      { level: 'WARN', time: '2026-11-24T09:55:55.000Z', message: 'slow', ms: 900 },
      { level: 'ERROR', time: '2026-11-24T09:55:55.000Z', message: 'failed\nbadly', code: 'X' },
    ]);
  });

  it('adds child fields to every line, nested children included', () => {
    const { logger, parsed } = capture();
    const child = logger.child({ request_id: 'r-1', source: 'queue' });
    child.info('one');
    child.child({ attempt: 2 }).warn('two', { extra: true });
    logger.info('parent');
    const [one, two, parent] = parsed();
    expect(one).toMatchObject({ level: 'INFO', message: 'one', request_id: 'r-1', source: 'queue' });
    expect(two).toMatchObject({ level: 'WARN', message: 'two', request_id: 'r-1', source: 'queue', attempt: 2, extra: true });
    expect(parent).not.toHaveProperty('request_id');
  });

  it('never writes a secret: values, secret-named fields, signatures, webhook secrets', () => {
    const { lines, logger } = capture([SK, TOKEN]);
    const child = logger.child({ sk: 'child-sk-field', note: `child ${TOKEN}` });
    child.error(`call failed with ${SK}`, {
      headers: { authorization: AUTHORIZATION, 'x-security-token': TOKEN },
      callback_secret: WHSEC,
      body: `Signature=${HEX_SIGNATURE}`,
      error: new Error(`boom ${SK}`),
    });
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    for (const secret of [SK, TOKEN, WHSEC, HEX_SIGNATURE, 'child-sk-field']) expect(line).not.toContain(secret);
    const entry = asRecord(JSON.parse(line));
    expect(entry.level).toBe('ERROR');
    expect(String(entry.message)).toContain('call failed with');
  });

  it('never writes a secret from deeply nested fields', () => {
    const { lines, logger } = capture([SK]);
    // Seven levels under the fields, as a wrapped HTTP error's request options can be.
    logger.error('upstream failed', { a: { b: { c: { d: { e: { f: { g: { sk: 'nested-sk-field', note: `uses ${SK}` } } } } } } } });
    expect(lines[0]).not.toContain('nested-sk-field');
    expect(lines[0]).not.toContain(SK);
  });

  it('reads the secrets each time it writes, so later secrets are redacted too', () => {
    const lines: string[] = [];
    const secrets: string[] = [];
    const logger = createJsonLogger({ write: (line) => lines.push(line), secrets: () => secrets });
    secrets.push(SK);
    logger.info(`late ${SK}`);
    expect(lines[0]).not.toContain(SK);
  });
});
