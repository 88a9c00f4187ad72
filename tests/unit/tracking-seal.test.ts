// Unit tests of shared/tracking/seal.ts: tracking messages sealed with a key derived from the SK,
// opened only with a key this deployment holds (the current SK, or a rotated secret's previous one).
import { describe, expect, it } from 'vitest';
import type { CallbackUrl } from '../../shared/callback/index.ts';
import type { Credentials } from '../../shared/huawei/index.ts';
import { TRIGGERS } from '../../shared/result/index.ts';
import { trackingMessageSchema, type TrackingMessage } from '../../shared/tracking/message.ts';
import { EXPIRY_MARGIN_MS, trackingMessageFor, openTrackingMessage, deploymentName, trackingKeys } from '../../shared/tracking/index.ts';
import { environmentCredentials, type VersionedCredentials } from '../../shared/credentials/index.ts';
import { sealTrackingMessage, SIGNED_FIELDS, trackingKey } from '../../shared/tracking/seal.ts';

const OLD: Credentials = { ak: 'AK-OLD', sk: 'sk-before-rotation-0123456789' };
const NEW: Credentials = { ak: 'AK-NEW', sk: 'sk-after-rotation-0123456789' };

const MESSAGE: TrackingMessage = {
  type: 'smart_connect.tracking',
  project_id: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
  instance_id: '5c1f3a9e-7b2d-4e8a-9f10-2a3b4c5d6e01',
  region: 'cn-north-4',
  job_id: 'job-1',
  connector_id: 'connector-1',
  callback_url: 'https://hooks.example.com/cb' as CallbackUrl,
  source: 'queue',
  // A job accepted a minute ago, its message good for the job's timeout (50 minutes) and an hour.
  started_at: Date.now() - 60_000,
  checks: 2,
  expires_at: Date.now() - 60_000 + 110 * 60_000,
};

/** A secret as the extension reader presents it: what it has cached, and what a fresher read finds. */
function rotatingSecret(options: { cached: Credentials; fresh?: Credentials; previous?: Credentials }) {
  const reads: string[] = [];
  const credentials: VersionedCredentials = {
    async current(freshness = {}) {
      reads.push(freshness.maxAgeMs ? 'current (fresh)' : 'current');
      return freshness.maxAgeMs && options.fresh ? options.fresh : options.cached;
    },
    async previous(freshness = {}) {
      reads.push(freshness.maxAgeMs ? 'previous (fresh)' : 'previous');
      return options.previous;
    },
  };
  return { credentials, reads };
}

const envKeys = (credentials: Credentials) => trackingKeys(environmentCredentials(credentials));

describe('sealTrackingMessage', () => {
  it('signs every field of the schema, and only those', () => {
    expect([...SIGNED_FIELDS].sort()).toEqual(Object.keys(trackingMessageSchema.entries).sort());
  });

  it('adds a 32-byte base64url signature and leaves the fields as they were', () => {
    const sealed = sealTrackingMessage(MESSAGE, trackingKey(OLD.sk));
    expect(sealed).toEqual({ ...MESSAGE, signature: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
  });

  it('derives a key that is neither the SK nor the same for two SKs', () => {
    expect(trackingKey(OLD.sk).toString('utf8')).not.toContain(OLD.sk);
    expect(trackingKey(OLD.sk).equals(trackingKey(NEW.sk))).toBe(false);
    expect(trackingKey(OLD.sk).equals(trackingKey(OLD.sk))).toBe(true);
  });

  it('refuses to seal a message it could not open again (a field beyond its bound)', () => {
    expect(() => sealTrackingMessage({ ...MESSAGE, job_id: 'j'.repeat(257) }, trackingKey(OLD.sk))).toThrow();
    expect(() =>
      sealTrackingMessage({ ...MESSAGE, callback_url: `https://hooks.example.com/${'a'.repeat(2048)}` as CallbackUrl }, trackingKey(OLD.sk)),
    ).toThrow();
  });
});

describe('openTrackingMessage', () => {
  it('opens a message sealed with the current key', async () => {
    const sealed = sealTrackingMessage(MESSAGE, trackingKey(OLD.sk));
    await expect(openTrackingMessage(JSON.parse(JSON.stringify(sealed)), envKeys(OLD))).resolves.toEqual({ kind: 'opened', message: MESSAGE });
  });

  // The triggers are listed once (shared/result): a job started through any of them is tracked, not
  // refused at its first check for a `source` the message's schema was never told of.
  it.each(TRIGGERS)('seals and opens the message of a job a %s request started', async (trigger) => {
    const message = { ...MESSAGE, source: trigger };
    const sealed = sealTrackingMessage(message, trackingKey(OLD.sk));
    await expect(openTrackingMessage(JSON.parse(JSON.stringify(sealed)), envKeys(OLD))).resolves.toEqual({ kind: 'opened', message });
  });

  it.each(SIGNED_FIELDS.filter((field) => field !== 'type'))('refuses the message when %s is altered', async (field) => {
    const sealed = sealTrackingMessage(MESSAGE, trackingKey(OLD.sk));
    const other: Record<string, unknown> = {
      project_id: 'ffffffffffffffffffffffffffffffff',
      instance_id: '00000000-0000-4000-8000-000000000000',
      region: 'eu-west-101',
      job_id: 'job-2',
      connector_id: 'connector-2',
      callback_url: 'https://attacker.example.com/cb',
      source: 'http',
      started_at: 0,
      checks: 3,
      expires_at: MESSAGE.expires_at + 1,
    };
    const opened = await openTrackingMessage({ ...sealed, [field]: other[field] }, envKeys(OLD));
    expect(opened).toEqual({ kind: 'refused', reason: 'its signature matches no key of this deployment' });
  });

  it.each(['job_id', 'connector_id', 'callback_url'] as const)('refuses the message when %s is removed', async (field) => {
    const sealed: Record<string, unknown> = { ...sealTrackingMessage(MESSAGE, trackingKey(OLD.sk)) };
    delete sealed[field];
    await expect(openTrackingMessage(sealed, envKeys(OLD))).resolves.toMatchObject({ kind: 'refused' });
  });

  it.each<[string, unknown, RegExp]>([
    ['no signature', { ...MESSAGE }, /no signature/],
    ['a signature of another length', { ...MESSAGE, signature: 'abc' }, /malformed \(signature\)/],
    ['an unknown field', { ...sealTrackingMessage(MESSAGE, trackingKey(OLD.sk)), extra: 1 }, /malformed \(extra\)/],
    ['not an object', 'smart_connect.tracking', /no signature/],
    ['negative checks', { ...sealTrackingMessage(MESSAGE, trackingKey(OLD.sk)), checks: -1 }, /malformed \(checks\)/],
  ])('refuses %s with a short reason', async (_name, input, reason) => {
    const opened = await openTrackingMessage(input, envKeys(OLD));
    expect(opened.kind).toBe('refused');
    if (opened.kind === 'refused') expect(opened.reason).toMatch(reason);
  });

  it('quotes at most a few unknown field names, each cut short', async () => {
    const junk = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`${'x'.repeat(100)}${i}`, i]));
    const opened = await openTrackingMessage({ ...sealTrackingMessage(MESSAGE, trackingKey(OLD.sk)), ...junk }, envKeys(OLD));
    expect(opened.kind).toBe('refused');
    if (opened.kind === 'refused') expect(opened.reason.length).toBeLessThan(300);
  });

  it('refuses a message sealed with another deployment key', async () => {
    const sealed = sealTrackingMessage(MESSAGE, trackingKey(NEW.sk));
    await expect(openTrackingMessage(sealed, envKeys(OLD))).resolves.toMatchObject({ kind: 'refused' });
  });
});

describe('rotation', () => {
  it('reads no previous version for a message the current key opens', async () => {
    const secret = rotatingSecret({ cached: NEW, previous: OLD });
    await openTrackingMessage(sealTrackingMessage(MESSAGE, trackingKey(NEW.sk)), trackingKeys(secret.credentials));
    expect(secret.reads).toEqual(['current']);
  });

  it('opens a message sealed before the rotation with the previous SK', async () => {
    const secret = rotatingSecret({ cached: NEW, previous: OLD });
    const opened = await openTrackingMessage(sealTrackingMessage(MESSAGE, trackingKey(OLD.sk)), trackingKeys(secret.credentials));
    expect(opened).toEqual({ kind: 'opened', message: MESSAGE });
    expect(secret.reads).toEqual(['current', 'previous']);
  });

  it('opens a message another instance sealed with the new SK while this one still has the old one cached', async () => {
    const secret = rotatingSecret({ cached: OLD, fresh: NEW });
    const opened = await openTrackingMessage(sealTrackingMessage(MESSAGE, trackingKey(NEW.sk)), trackingKeys(secret.credentials));
    expect(opened).toEqual({ kind: 'opened', message: MESSAGE });
    expect(secret.reads).toEqual(['current', 'previous', 'current (fresh)']);
  });

  it('refuses after every cached and fresher key failed', async () => {
    const secret = rotatingSecret({ cached: NEW, previous: OLD });
    const opened = await openTrackingMessage(sealTrackingMessage(MESSAGE, trackingKey('a-third-sk-0123456789')), trackingKeys(secret.credentials));
    expect(opened).toMatchObject({ kind: 'refused' });
    expect(secret.reads).toEqual(['current', 'previous', 'current (fresh)', 'previous (fresh)']);
  });

  it('seals with the current SK', async () => {
    const secret = rotatingSecret({ cached: NEW, previous: OLD });
    const key = await trackingKeys(secret.credentials).sealing();
    expect(key.equals(trackingKey(NEW.sk))).toBe(true);
  });

  it('lets a credentials failure through (the caller parks or retries the record)', async () => {
    const failing: VersionedCredentials = {
      current: async () => {
        throw new Error('extension down');
      },
      previous: async () => undefined,
    };
    await expect(openTrackingMessage(sealTrackingMessage(MESSAGE, trackingKey(OLD.sk)), trackingKeys(failing))).rejects.toThrow('extension down');
  });
});

describe('expiry', () => {
  it('the first message of a job expires the job timeout plus the margin after it started', () => {
    const request = { project_id: MESSAGE.project_id, instance_id: MESSAGE.instance_id, region: 'cn-north-4', node_cnt: '2' } as const;
    const result = {
      status: 'accepted',
      project_id: MESSAGE.project_id,
      instance_id: MESSAGE.instance_id,
      job_id: 'job-1',
      connector_id: 'connector-1',
      source: 'queue',
    } as const;
    const message = trackingMessageFor(request, result, { now: 1_000, jobTimeoutMs: 50 * 60_000 });
    expect(message).toMatchObject({ started_at: 1_000, checks: 0, expires_at: 1_000 + 50 * 60_000 + EXPIRY_MARGIN_MS });
  });

  it('opens a genuine message up to its expiry, and refuses it after, saying so briefly', async () => {
    const sealed = sealTrackingMessage(MESSAGE, trackingKey(OLD.sk));
    await expect(openTrackingMessage(sealed, envKeys(OLD), MESSAGE.expires_at)).resolves.toEqual({ kind: 'opened', message: MESSAGE });
    const late = await openTrackingMessage(sealed, envKeys(OLD), MESSAGE.expires_at + 10_802_000);
    expect(late).toEqual({ kind: 'refused', reason: expect.stringMatching(/^it expired 10802 s ago/) });
    if (late.kind === 'refused') expect(late.reason.length).toBeLessThan(120);
  });

  it('a forged message is refused for its signature, whatever its expiry says', async () => {
    const forged = { ...sealTrackingMessage(MESSAGE, trackingKey('not-this-deployment-sk-0123')), expires_at: 0 };
    await expect(openTrackingMessage(forged, envKeys(OLD))).resolves.toEqual({ kind: 'refused', reason: 'its signature matches no key of this deployment' });
  });
});

describe('the deployment a seal binds', () => {
  const QUEUE_A = 'https://sqs.eu-west-1.amazonaws.com/111122223333/a-enable';
  const QUEUE_B = 'https://sqs.eu-west-1.amazonaws.com/111122223333/b-enable';

  it('is the tracking queue URL, or one fixed name where a host gives none', () => {
    expect(deploymentName(QUEUE_A)).toBe(QUEUE_A);
    expect(deploymentName(undefined)).toBe(deploymentName(''));
  });

  it('another deployment holding the same SK cannot open the message; its own can', async () => {
    const a = trackingKeys(environmentCredentials(OLD), deploymentName(QUEUE_A));
    const b = trackingKeys(environmentCredentials(OLD), deploymentName(QUEUE_B));
    const sealed = sealTrackingMessage(MESSAGE, await a.sealing());
    await expect(openTrackingMessage(sealed, b)).resolves.toEqual({ kind: 'refused', reason: 'its signature matches no key of this deployment' });
    await expect(openTrackingMessage(sealed, a)).resolves.toEqual({ kind: 'opened', message: MESSAGE });
  });
});
