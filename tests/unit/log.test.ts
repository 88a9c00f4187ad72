// Unit tests of shared/log.ts and shared/redact.ts: secrets (SK, security token, callback secret, Authorization values)
// never reach a log line (DESIGN.md "Semantics").
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createJsonLogger, invocationFields } from '../../shared/runtime/index.ts';
import { redact, redactFields } from '../../shared/redact/index.ts';
import { echoForms, leakFinder } from '../support/leaks.ts';

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
  it.each([
    'authorization',
    'Authorization',
    'sk',
    'SK',
    'security_token',
    'x-security-token',
    'X-Security-Token',
    'callback_secret',
    'x-amz-security-token',
    'cookie',
  ])('masks the key %s', (key) => {
    const out = asRecord(redactFields({ [key]: 'plain-value-xyz', keep: 'visible' }, []));
    expect(out[key]).not.toBe('plain-value-xyz');
    expect(JSON.stringify(out)).not.toContain('plain-value-xyz');
    expect(out.keep).toBe('visible');
  });

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

  it('writes below its level nothing, and at SILENT nothing at all, children included', () => {
    const lines: string[] = [];
    const warnings = createJsonLogger({ level: 'WARN', write: (line) => lines.push(line) });
    warnings.info('dropped');
    warnings.child({ request_id: 'r-1' }).warn('kept');
    const silent = createJsonLogger({ level: 'SILENT', write: (line) => lines.push(line) });
    silent.error('dropped');
    silent.child({ request_id: 'r-2' }).error('dropped');
    expect(lines.map((line) => asRecord(JSON.parse(line)))).toEqual([expect.objectContaining({ level: 'WARN', message: 'kept', request_id: 'r-1' })]);
  });
});

describe('invocationFields', () => {
  it('gives each invocation its request id, and cold_start true for the first of the process only', () => {
    const next = invocationFields();
    expect([next('r-1'), next('r-2'), next('r-3')]).toEqual([
      { request_id: 'r-1', cold_start: true },
      { request_id: 'r-2', cold_start: false },
      { request_id: 'r-3', cold_start: false },
    ]);
    expect(invocationFields()('r-4')).toEqual({ request_id: 'r-4', cold_start: true });
  });
});

// Real STS tokens run past 1 KB of base64: '+', '/' and '=' included, so every encoding differs.
const STS_TOKEN = randomBytes(1_200).toString('base64');
const findToken = leakFinder([{ name: 'the security token', value: STS_TOKEN }]);
const percentEncodedLower = (text: string) => encodeURIComponent(text).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());

describe('redact: any 24-character run of a known secret, in the forms an echo takes', () => {
  // How an upstream, a proxy or a gateway page may echo the X-Security-Token header.
  const echoes: ReadonlyArray<readonly [string, string]> = [
    ['whole', `x-security-token: ${STS_TOKEN}`],
    ['cut short by an upstream at 150 characters', `<html><body>x-security-token: ${STS_TOKEN.slice(0, 150)}</body></html>`],
    ['a 30-character part from the middle', `...${STS_TOKEN.slice(600, 630)}...`],
    ['percent-encoded', `GET /echo?token=${encodeURIComponent(STS_TOKEN)}&x=1`],
    ['percent-encoded in lower case', `GET /echo?token=${percentEncodedLower(STS_TOKEN)}`],
    ['percent-encoded twice', `next=${encodeURIComponent(encodeURIComponent(STS_TOKEN))}`],
    ['base64 of the header line', Buffer.from(`x-security-token: ${STS_TOKEN}`).toString('base64')],
    ['base64 of the header line, one byte later', Buffer.from(`\nx-security-token: ${STS_TOKEN}`).toString('base64')],
    ['base64 of the header line, two bytes later', Buffer.from(`\r\nx-security-token: ${STS_TOKEN}`).toString('base64')],
    ['base64url of the token', `state=${Buffer.from(STS_TOKEN).toString('base64url')}`],
    ['a JSON string with escaped slashes', JSON.stringify({ echoed: STS_TOKEN }).replaceAll('/', '\\/')],
    ['HTML entities for + and /', `<pre>${STS_TOKEN.replaceAll('+', '&#43;').replaceAll('/', '&#x2F;')}</pre>`],
  ];

  it('the leak finder sees each echo (so a clean result means something)', () => {
    for (const [name, text] of echoes) expect(findToken(text), name).not.toEqual([]);
  });

  it.each(echoes)('%s: no run of the token is left', (_name, text) => {
    const out = redact(text, [STS_TOKEN]);
    expect(findToken(out)).toEqual([]);
    expect(out).toContain('[redacted]');
  });

  it('takes out the token as hex, either case', () => {
    const hex = Buffer.from(STS_TOKEN).toString('hex');
    for (const form of [hex, hex.toUpperCase()]) {
      const out = redact(`dump ${form} end`, [STS_TOKEN]);
      expect(leakFinder([{ name: 'hex', value: form }])(out)).toEqual([]);
      expect(out).toMatch(/^dump .*end$/);
    }
  });

  it('keeps what is around a secret, and text that shares less than a run with it', () => {
    const near = STS_TOKEN.slice(100, 123); // 23 characters: not a run
    expect(redact(`before ${STS_TOKEN} after`, [STS_TOKEN])).toBe('before [redacted] after');
    expect(redact(`id ${near} ok`, [STS_TOKEN])).toBe(`id ${near} ok`);
    expect(redact('enable accepted for instance 3f2504e0-4f89-11d3-9a0c-0305e82c3301', [STS_TOKEN])).toBe(
      'enable accepted for instance 3f2504e0-4f89-11d3-9a0c-0305e82c3301',
    );
  });

  it('takes out a secret shorter than a run as a whole value, and not its parts', () => {
    const short = 'Short-SK-0123456789';
    expect(redact(`sk=${short};`, [short])).toBe('sk=[redacted];');
    expect(redact(`sk=${encodeURIComponent(`${short}/`)}`, [short])).not.toContain(short);
    expect(redact('Short-SK-01 is a prefix only', [short])).toBe('Short-SK-01 is a prefix only');
  });

  it('takes out every secret of the list, whichever comes first', () => {
    const out = redact(`${SK} then ${STS_TOKEN.slice(0, 40)} then ${WHSEC}`, [STS_TOKEN, SK, WHSEC]);
    expect(out).toBe('[redacted] then [redacted] then [redacted]');
  });
});

describe('redact: any secret, any part of it, in any form, anywhere', () => {
  // Secrets as issued: base64 tokens, hex or alphanumeric keys, Standard Webhooks secrets.
  const secret = fc.oneof(
    fc.uint8Array({ minLength: 18, maxLength: 1_500 }).map((bytes) => Buffer.from(bytes).toString('base64')),
    fc.stringMatching(/^[A-Za-z0-9]{24,64}$/),
    fc.uint8Array({ minLength: 24, maxLength: 32 }).map((bytes) => `whsec_${Buffer.from(bytes).toString('base64')}`),
  );
  const escaped = (text: string, how: 'json' | 'html' | 'twice') =>
    how === 'twice'
      ? encodeURIComponent(encodeURIComponent(text))
      : text.replace(/[+/=]/g, (c) => (how === 'json' ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : `&#${c.charCodeAt(0)};`));

  it('leaves no 24-character run, whatever surrounds it', () => {
    fc.assert(
      fc.property(
        secret,
        fc.nat(),
        fc.integer({ min: 24, max: 3_000 }),
        fc.oneof(fc.nat({ max: 8 }), fc.constantFrom<'json' | 'html' | 'twice'>('json', 'html', 'twice')),
        fc.string({ maxLength: 30 }),
        fc.string({ maxLength: 30 }),
        (value, start, length, how, before, after) => {
          const from = start % (value.length - 23);
          const piece = value.slice(from, from + length);
          // One of the finder's own forms of the piece, or an escaped one.
          const forms = echoForms(piece);
          const form = typeof how === 'number' ? (forms[how % forms.length]?.[1] ?? piece) : escaped(piece, how);
          const text = `${before}${form}${after}`;
          const find = leakFinder([{ name: 'secret', value }]);
          fc.pre(find(text).length > 0);
          expect(find(redact(text, [value]))).toEqual([]);
        },
      ),
      { numRuns: 400, seed: 20261125 },
    );
  });
});

describe("redact: credential-shaped values, whoever's they are", () => {
  it.each([
    ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl', 'eyJhbGciOiJIUzI1NiJ9'],
    ['authorization=Basic dXNlcjpwYXNzd29yZC0xMjM0NQ==', 'dXNlcjpwYXNzd29yZC0xMjM0NQ'],
    ['X-Security-Token: gQpjbi1ub3J0aC00ilfZj7Q2', 'gQpjbi1ub3J0aC00ilfZj7Q2'],
    ['{"x-security-token":"gQpjbi1ub3J0aC00ilfZj7Q2"}', 'gQpjbi1ub3J0aC00ilfZj7Q2'],
    ['?security_token=gQpjbi1ub3J0aC00ilfZj7Q2&next=1', 'gQpjbi1ub3J0aC00ilfZj7Q2'],
    ['X-Auth-Token: MIIEhwYJKoZIhvcNAQcCoIIEeDCCBHQCAQExDTAL', 'MIIEhwYJKoZIhvcNAQcCoIIEeDCCBHQCAQExDTAL'],
    ['see https://admin:hunter2-password@example.com/', 'hunter2-password'],
    [`expected signature ${'a3f1c2d4e5b6a798'.repeat(4)} for this request`, 'a3f1c2d4e5b6a798a3f1c2d4e5b6a798'],
  ])('%s', (text, value) => {
    const out = redact(text, []);
    expect(out).not.toContain(value);
    expect(out).toContain('[redacted]');
  });

  it('keeps the name of what it took out, and the text after it', () => {
    expect(redact('X-Security-Token: gQpjbi1ub3J0aC00ilfZj7Q2\nX-Request-Id: r-1', [])).toBe('X-Security-Token: [redacted]\nX-Request-Id: r-1');
  });

  it('leaves words that only mention credentials alone, and ids', () => {
    const text = 'Incorrect IAM authentication information: the security token has expired; check the Authorization header';
    expect(redact(text, [])).toBe(text);
    const ids = 'project 0a1b2c3d4e5f60718293a4b5c6d7e8f9, instance 3f2504e0-4f89-11d3-9a0c-0305e82c3301, request 0123456789abcdef0123456789abcdef';
    expect(redact(ids, [])).toBe(ids);
  });
});

describe('redactFields: redact first, then bound', () => {
  it('bounds every string after taking secrets out, keys included', () => {
    const page = `<html>${'x'.repeat(140)} x-security-token: ${STS_TOKEN} ${'y'.repeat(10_000)}</html>`;
    const out = asRecord(redactFields({ error_msg: page, [STS_TOKEN]: 1 }, [STS_TOKEN], { maxLength: 300 }));
    const text = JSON.stringify(out);
    expect(findToken(text)).toEqual([]);
    expect(String(out.error_msg).length).toBeLessThanOrEqual(301);
    expect(String(out.error_msg)).toContain('x-security-token: [redacted]');
    expect(text.length).toBeLessThan(700);
  });

  it('leaves strings whole when no bound is asked for', () => {
    const long = 'z'.repeat(5_000);
    expect(redactFields({ long }, [])).toEqual({ long });
  });
});

describe('createJsonLogger: an upstream page echoing a long token', () => {
  it('writes no run of the token, in any field, however long the page', () => {
    const lines: string[] = [];
    const logger = createJsonLogger({ write: (line) => lines.push(line), secrets: () => [SK, STS_TOKEN] });
    const page = `<html><body><h1>502 Bad Gateway</h1><pre>x-security-token: ${STS_TOKEN}</pre>${'.'.repeat(20_000)}</body></html>`;
    logger.warn('enable call failed', {
      error: { error_code: `HTTP_502 ${STS_TOKEN}`, error_msg: page, request_id: encodeURIComponent(STS_TOKEN) },
      echoed: Buffer.from(`token=${STS_TOKEN}`).toString('base64'),
    });
    expect(lines).toHaveLength(1);
    expect(findToken(lines[0] ?? '')).toEqual([]);
    expect(lines[0]?.length).toBeLessThan(12_000);
  });
});
