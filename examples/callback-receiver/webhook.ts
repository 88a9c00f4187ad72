// Verifying one Standard Webhooks message (https://www.standardwebhooks.com) as the enabler sends it:
// the signature is checked over the RAW body bytes, a timestamp outside the tolerance is refused, and
// only a message that passes both may count as seen. Dependency-free: node:crypto only.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Standard Webhooks' default: a message signed more than five minutes ago (or ahead) is refused. */
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

/** Request headers as node:http gives them (lower-case names). */
export type Headers = Readonly<Record<string, string | string[] | undefined>>;

export type Verdict = { readonly ok: true; readonly id: string; readonly timestamp: number } | { readonly ok: false; readonly reason: string };

export interface VerifyOptions {
  /** The key: `secretKey(CALLBACK_SECRET)`. */
  readonly key: Buffer;
  readonly headers: Headers;
  /** The body exactly as received: never a re-serialised JSON.parse result. */
  readonly body: Buffer;
  /** Seconds since the epoch. */
  readonly nowSeconds: number;
  readonly toleranceSeconds?: number;
}

/** The HMAC key of a `whsec_<base64>` secret (the deployment's CALLBACK_SECRET). */
export function secretKey(secret: string): Buffer {
  const base64 = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(base64) ? Buffer.from(base64, 'base64') : Buffer.alloc(0);
  if (key.length === 0) throw new Error('the secret must be whsec_ followed by base64');
  return key;
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`. */
export function signature(key: Buffer, id: string, timestamp: number, body: Buffer): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64')}`;
}

export function verifyWebhook({ key, headers, body, nowSeconds, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS }: VerifyOptions): Verdict {
  const id = single(headers['webhook-id']);
  const timestampText = single(headers['webhook-timestamp']);
  const signatures = single(headers['webhook-signature']);
  if (!id || !timestampText || !signatures) return { ok: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature' };
  if (!/^\d{1,12}$/.test(timestampText)) return { ok: false, reason: 'webhook-timestamp is not a number of seconds' };
  const timestamp = Number(timestampText);
  if (nowSeconds - timestamp > toleranceSeconds) return { ok: false, reason: 'webhook-timestamp is too old' };
  if (timestamp - nowSeconds > toleranceSeconds) return { ok: false, reason: 'webhook-timestamp is too far ahead' };

  const expected = Buffer.from(signature(key, id, timestamp, body));
  // Several signatures may come, space-separated (a sender rotating its secret signs with both);
  // any one v1 signature that matches is enough. Compared in constant time.
  const matches = signatures.split(' ').some((given) => {
    const candidate = Buffer.from(given);
    return given.startsWith('v1,') && candidate.length === expected.length && timingSafeEqual(candidate, expected);
  });
  return matches ? { ok: true, id, timestamp } : { ok: false, reason: 'no matching signature' };
}

// A header sent twice is ambiguous: refused rather than guessed.
function single(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Remembers the webhook-ids already taken, so a redelivered message is acknowledged, not processed again. */
export interface SeenIds {
  /** True the first time an id is offered (and remembers it); false while it is remembered. */
  firstTime(id: string, nowMs: number): boolean;
  readonly size: number;
}

export interface SeenIdsOptions {
  /**
   * How long an id is remembered. The sender repeats an id with a fresh timestamp when it delivers
   * again (a queue redelivery, a retried schedule, a job's final outcome), possibly hours later, so
   * this is longer than the timestamp tolerance. Default 24 hours.
   */
  readonly ttlMs?: number;
  /** At most this many ids (the oldest forgotten first). Default 10,000. */
  readonly maxIds?: number;
}

/**
 * In memory, bounded, with expiry: enough for one process. With more than one replica, or to survive
 * a restart, keep the ids in a shared store instead (an insert-if-absent with an expiry: Redis
 * `SET id 1 NX EX 86400`, a database table with the id as its unique key).
 */
export function createSeenIds({ ttlMs = 24 * 60 * 60 * 1000, maxIds = 10_000 }: SeenIdsOptions = {}): SeenIds {
  // A Map keeps insertion order, and every id lives equally long: the first entry expires first.
  const expiries = new Map<string, number>();
  return {
    firstTime(id, nowMs) {
      for (const [oldest, expiresAt] of expiries) {
        if (expiresAt > nowMs) break;
        expiries.delete(oldest);
      }
      if (expiries.has(id)) return false;
      if (expiries.size >= maxIds) expiries.delete(expiries.keys().next().value as string);
      expiries.set(id, nowMs + ttlMs);
      return true;
    },
    get size() {
      return expiries.size;
    },
  };
}
