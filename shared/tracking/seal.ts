// Tracking messages are the functions' own: each carries an HMAC-SHA256 signature, so a forged or
// altered one (a made-up job, another callback_url) is refused and reported to nobody. The key is
// derived from the Huawei SK, the one secret every deployment already holds, and from the
// deployment's name, so a message sealed by one deployment does not open in another that holds the
// same SK; the derivation keeps the SK itself out of this use. A rotated secret's previous SK is
// tried too, so messages sealed just before a rotation still open after it. A genuine message past
// its expiry (expires_at, signed like every field) is refused too: a replay starts nothing.
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as v from 'valibot';
import type { VersionedCredentials } from '../credentials/index.ts';
import { isJsonObject } from '../runtime/index.ts';
import { trackingMessageSchema, type TrackingMessage } from './message.ts';
import type { SealedTrackingMessage, TrackingQueue, TrackingTransport } from './types.ts';

/** Names the purpose and the version of the key: a new scheme gets a new string. */
export const TRACKING_KEY_CONTEXT = 'smart-connect-enabler/tracking/v2';

/** The deployment of hosts that name no tracking queue (the local stack, tests): one per environment. */
export const UNNAMED_DEPLOYMENT = 'unnamed';

/**
 * The name a deployment's tracking keys are bound to: its tracking queue's URL (TRACKING_QUEUE_URL).
 * In AWS every function of one deployment is given the same one (serverless.yml: the enable queue),
 * and it is the only queue these messages travel on; its URL names the account, the region and the
 * stage's queue, so another deployment, even one sharing the SK, has another. Hosts without a URL
 * (the local stack, tests) hand messages around in one process, where one fixed name serves.
 */
export function deploymentName(trackingQueueUrl: string | undefined): string {
  return trackingQueueUrl || UNNAMED_DEPLOYMENT;
}

// The signed fields in a fixed order (never the schema's object order, which an edit may change).
export const SIGNED_FIELDS = [
  'type',
  'project_id',
  'instance_id',
  'region',
  'job_id',
  'connector_id',
  'callback_url',
  'source',
  'started_at',
  'checks',
  'expires_at',
] as const satisfies ReadonlyArray<keyof TrackingMessage>;

// 32 bytes of HMAC-SHA256 in base64url, no padding.
const signature = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/));
export const sealedTrackingMessageSchema = v.strictObject({ ...trackingMessageSchema.entries, signature });

/** The key messages of `deployment` (deploymentName) are sealed with, derived from the SK. */
export function trackingKey(sk: string, deployment: string = UNNAMED_DEPLOYMENT): Buffer {
  return createHmac('sha256', sk)
    .update(JSON.stringify([TRACKING_KEY_CONTEXT, deployment]))
    .digest();
}

/** Absent optional fields sign as null, so removing one changes the signature as altering it does. */
function canonical(message: TrackingMessage): string {
  return JSON.stringify(SIGNED_FIELDS.map((field) => message[field] ?? null));
}

function signatureOf(message: TrackingMessage, key: Buffer): Buffer {
  return createHmac('sha256', key).update(canonical(message)).digest();
}

/** The message as it travels. Only the schema's fields are signed and sent: nothing else rides along. */
export function sealTrackingMessage(message: TrackingMessage, key: Buffer): SealedTrackingMessage {
  // A message this deployment could not open again is refused here, where the sender still learns of it.
  const checked = v.safeParse(trackingMessageSchema, message);
  if (!checked.success) throw new Error(checked.issues[0].message);
  return { ...checked.output, signature: signatureOf(checked.output, key).toString('base64url') };
}

export interface TrackingKeys {
  /** The key new messages are sealed with. */
  sealing(): Promise<Buffer>;
  /** Keys a message in flight may be sealed with, most likely first, read only as far as needed. */
  accepted(): AsyncIterable<Buffer>;
}

// After a rotation another instance may already seal with the new SK while this one has the old one
// cached: before refusing, look again, at most once a minute (a flood of forgeries reads no more).
const FRESH_MAX_AGE_MS = 60_000;

/** This deployment's keys (`deployment`: deploymentName), from its SK and a rotated secret's previous one. */
export function trackingKeys(credentials: VersionedCredentials, deployment: string = UNNAMED_DEPLOYMENT): TrackingKeys {
  return {
    sealing: async () => trackingKey((await credentials.current()).sk, deployment),
    async *accepted() {
      for (const freshness of [{}, { maxAgeMs: FRESH_MAX_AGE_MS }]) {
        yield trackingKey((await credentials.current(freshness)).sk, deployment);
        const previous = await credentials.previous(freshness);
        if (previous) yield trackingKey(previous.sk, deployment);
      }
    },
  };
}

/** The deployment's TrackingQueue: seals each message, then hands it to the transport. */
export function sealingTrackingQueue(transport: TrackingTransport, keys: TrackingKeys): TrackingQueue {
  return {
    async send(message, delaySeconds) {
      await transport.send(sealTrackingMessage(message, await keys.sealing()), delaySeconds);
    },
  };
}

export type OpenedTrackingMessage =
  | { readonly kind: 'opened'; readonly message: TrackingMessage }
  /** Why it was refused, briefly: no value from the message, no key. */
  | { readonly kind: 'refused'; readonly reason: string };

/**
 * Checks a queue body that says it is a tracking message. Refused: malformed, unsigned, signed with
 * no key this deployment holds, or genuine but past its expiry. Throws the credentials' error when
 * the keys cannot be read.
 */
export async function openTrackingMessage(input: unknown, keys: TrackingKeys, now: number = Date.now()): Promise<OpenedTrackingMessage> {
  if (!isJsonObject(input) || !('signature' in input)) return { kind: 'refused', reason: 'it has no signature' };
  const parsed = v.safeParse(sealedTrackingMessageSchema, input);
  if (!parsed.success) return { kind: 'refused', reason: `it is malformed (${fieldsOf(parsed.issues)})` };
  const { signature: given, ...message } = parsed.output;
  const claimed = Buffer.from(given, 'base64url');
  const tried = new Set<string>();
  for await (const key of keys.accepted()) {
    const id = key.toString('hex');
    if (tried.has(id)) continue;
    tried.add(id);
    const expected = signatureOf(message, key);
    if (expected.length === claimed.length && timingSafeEqual(expected, claimed)) return opened(message, now);
  }
  return { kind: 'refused', reason: 'its signature matches no key of this deployment' };
}

// Only once it is known to be ours is its expiry worth reading (and worth saying).
function opened(message: TrackingMessage, now: number): OpenedTrackingMessage {
  if (now <= message.expires_at) return { kind: 'opened', message };
  return { kind: 'refused', reason: `it expired ${Math.ceil((now - message.expires_at) / 1000)} s ago` };
}

// Field names only, a few, each cut short: an unknown key is the sender's text.
function fieldsOf(issues: readonly v.BaseIssue<unknown>[]): string {
  const names = [...new Set(issues.map((issue) => (v.getDotPath(issue) ?? 'message').slice(0, 40)))];
  return names.length > 5 ? `${names.slice(0, 5).join(', ')}, ...` : names.join(', ');
}
