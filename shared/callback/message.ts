// The callback message: a Standard Webhooks message (https://www.standardwebhooks.com), one JobResult's
// or any other type's, its stable id and its signature.
import { createHash, createHmac } from 'node:crypto';
import { jobResultJson, type JobResult, type JobResultJson } from '../result/index.ts';

const USER_AGENT = 'smart-connect-enabler-callback/1';

/** One webhook message of any type: its id (stable across deliveries), its type and its data. */
export interface WebhookMessage<TData = unknown> {
  readonly id: string;
  readonly type: string;
  readonly data: TData;
}

/** A result as its message: smart_connect.enable.<status>, the contract's JSON, its stable id. */
export function resultMessage(result: JobResult, dedupeKey: string): WebhookMessage<JobResultJson> {
  return { id: webhookId(result, dedupeKey), type: `smart_connect.enable.${result.status}`, data: jobResultJson(result) };
}

/** What is POSTed: {type, timestamp, data}. */
export function webhookPayload<TData>(message: WebhookMessage<TData>, now: Date): { type: string; timestamp: string; data: TData } {
  return { type: message.type, timestamp: now.toISOString(), data: message.data };
}

/**
 * The same id for every delivery of one result, so receivers can drop duplicates: a redelivered
 * queue message or a retried attempt repeats it, another result type for the same job does not,
 * except that a job's end has one id whichever way it ended (a late copy of a tracking message that
 * sees the instance deleted says failed after succeeded was sent: the receiver keeps the first).
 * A job's end is identified by its connector, which every tracking message of that job carries (one
 * for a job found already running has no job id); otherwise the job id identifies the work when
 * there is one, and the trigger's delivery key when there is not.
 */
export function webhookId(result: JobResult, dedupeKey: string): string {
  const ended = result.status === 'succeeded' || result.status === 'failed';
  const subject = ended && result.connector_id ? `connector:${result.connector_id}` : result.job_id ? `job:${result.job_id}` : `key:${dedupeKey}`;
  // A job ends once: succeeded and failed are two answers to one question, so they share an id.
  return webhookIdOf([`smart_connect.enable.${ended ? 'end' : result.status}`, result.project_id, result.instance_id, subject]);
}

/** A webhook id derived from what identifies a message (its type first): the same parts, the same id. */
export function webhookIdOf(parts: readonly unknown[]): string {
  return `msg_${createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 27)}`;
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed with the secret's base64-decoded part. */
function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
  if (key.length === 0) throw new Error('the callback secret must be whsec_ followed by base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}

/** The headers one attempt carries: a fresh timestamp (and so signature) under the message's one id. */
export function webhookHeaders(id: string, body: string, at: Date, secret?: string): Record<string, string> {
  const timestamp = Math.floor(at.getTime() / 1000);
  return {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'user-agent': USER_AGENT,
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    // Without a secret the receiver can still deduplicate by id, but cannot authenticate.
    ...(secret ? { 'webhook-signature': signWebhook(secret, id, timestamp, body) } : {}),
  };
}
