// Result delivery: one JobResult POSTed as a Standard Webhooks message (https://www.standardwebhooks.com),
// behind the SSRF guard, retried within the caller's deadline.
import { createHash, createHmac } from 'node:crypto';
import { isIP, type LookupFunction } from 'node:net';
import { silentLogger, type Logger } from '../runtime/index.ts';
import { isPublicAddress } from './public-address.ts';
import { quote } from '../runtime/index.ts';
import { FIELD_MAX, redact, redactFields } from '../redact/index.ts';
import { jobResultJson, type JobResult, type JobResultJson, type JobStatus } from '../result/index.ts';
import { backoffDelay, retryAfterMs, sleep, type Deadline } from '../runtime/index.ts';
import { LOOKUP_TIMEOUT, resolveAll, resolveWithin, type CallbackTarget, type Resolve } from './target.ts';

/** smart_connect.enable.accepted | .already_enabled | .succeeded | .failed | .rejected */
export type CallbackType = `smart_connect.enable.${JobStatus}`;

export interface CallbackPayload {
  readonly type: CallbackType;
  readonly timestamp: string;
  readonly data: JobResultJson;
}

export const CALLBACK_URL_REFUSED = 'CALLBACK_URL_REFUSED';
export const CALLBACK_REDIRECT_REFUSED = 'CALLBACK_REDIRECT_REFUSED';
export const CALLBACK_FAILED = 'CALLBACK_FAILED';

const USER_AGENT = 'smart-connect-enabler-callback/1';
// How long a response body may keep the socket open after its status has been read.
const DRAIN_MS = 1_000;

export function callbackPayload(result: JobResult, now: Date): CallbackPayload {
  return { type: `smart_connect.enable.${result.status}`, timestamp: now.toISOString(), data: jobResultJson(result) };
}

/**
 * The same id for every delivery of one result, so receivers can drop duplicates: a redelivered
 * queue message or a retried attempt repeats it, another result type for the same job does not.
 * A job's end is identified by its connector, which every follower of that job knows (one that
 * found the job already running knows no job id); otherwise the job id identifies the work when
 * there is one, and the trigger's delivery key when there is not.
 */
export function webhookId(result: JobResult, dedupeKey: string): string {
  const ended = result.status === 'succeeded' || result.status === 'failed';
  const subject =
    ended && result.connector_id
      ? `connector:${result.connector_id}`
      : result.job_id
        ? `job:${result.job_id}`
        : `key:${dedupeKey}`;
  const parts = [`smart_connect.enable.${result.status}`, result.project_id, result.instance_id, subject];
  return `msg_${createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 27)}`;
}

function secretKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed with the secret's base64-decoded part. */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = secretKey(secret);
  if (key.length === 0) throw new Error('the callback secret must be whsec_ followed by base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}

export interface DeliveryOptions {
  deadline: Deadline;
  secret?: string | undefined;
  /** The runtime's other secrets (SK, security token): kept out of the payload and of errors, as the callback secret is. */
  secrets?: readonly string[];
  /** Identifies the trigger's delivery (SQS message id, API Gateway request id): the webhook id's seed without a job id. */
  dedupeKey: string;
  logger?: Logger;
  /** The socket's own lookup (connect time); default DNS. */
  resolve?: Resolve | undefined;
  now?: () => Date;
  /** Per attempt, connect to response headers; default 5000. */
  attemptTimeoutMs?: number;
  /** Default 5. */
  maxAttempts?: number;
}

export type DeliveryOutcome =
  | { delivered: true; status: number; attempts: number; webhookId: string }
  | { delivered: false; attempts: number; webhookId: string; error: { code: string; message: string }; retryable: boolean };

type Attempt =
  | { kind: 'response'; status: number; retryAfter: string | undefined }
  | { kind: 'refused'; message: string }
  | { kind: 'error'; message: string };

const ADDRESS_REFUSED = 'CALLBACK_ADDRESS_REFUSED';

/**
 * Resolves for the socket, within the time left, and refuses any address that is not global
 * unicast there too (unless the host is allow-listed): the check before sending and the
 * connection each resolve, and a name may answer differently the second time (rebinding).
 */
function guardedLookup(resolve: Resolve, target: CallbackTarget, deadline: Deadline): LookupFunction {
  return (hostname, options, callback) => {
    const wanted = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : (options.family ?? 0);
    const fail = (code: string, message: string) => callback(Object.assign(new Error(message), { code }), '');
    const name = quote(hostname);
    resolveWithin(resolve, hostname, deadline.remainingMs()).then(
      (addresses) => {
        if (!target.allowListed && !addresses.every(isPublicAddress)) {
          return fail(ADDRESS_REFUSED, `callback host ${name} resolved to a private, loopback, link-local or reserved address at connect time`);
        }
        const entries = addresses
          .map((address) => ({ address, family: isIP(address) }))
          .filter((entry) => entry.family !== 0 && (wanted === 0 || entry.family === wanted));
        const first = entries[0];
        if (!first) return fail('ENOTFOUND', `callback host ${name} has no usable address`);
        if (options.all) return callback(null, entries);
        return callback(null, first.address, first.family);
      },
      (error: unknown) => {
        // The resolver's own message repeats the name whole; ours quotes it.
        const code = (error as NodeJS.ErrnoException | undefined)?.code;
        if (code === LOOKUP_TIMEOUT) return fail(code, (error as Error).message);
        fail('ENOTFOUND', `callback host ${name} could not be resolved${code ? ` (${quote(code)})` : ''}`);
      },
    );
  };
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}

/** One POST. Never rejects: every way it can end is an Attempt. */
async function send(url: URL, headers: Record<string, string>, body: string, lookup: LookupFunction, timeoutMs: number): Promise<Attempt> {
  // Loaded on the first callback only (node:https brings TLS): most cold starts never need them.
  const requestFn = url.protocol === 'https:' ? (await import('node:https')).request : (await import('node:http')).request;
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const finish = (attempt: Attempt) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(attempt);
    };
    // node:http(s) never follows redirects; agent:false keeps no pooled socket whose address was
    // checked for an earlier request.
    const req = requestFn(url, { method: 'POST', headers, lookup, agent: false }, (res) => {
      // Only the status matters; drain the body, but do not let a slow one hold the socket.
      const drain = setTimeout(() => res.destroy(), DRAIN_MS).unref();
      res.on('close', () => clearTimeout(drain));
      res.resume();
      const retryAfter = res.headers['retry-after'];
      finish({ kind: 'response', status: res.statusCode ?? 0, retryAfter });
    });
    timer = setTimeout(() => {
      finish({ kind: 'error', message: `no answer within ${timeoutMs} ms` });
      req.destroy();
    }, timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => {
      finish(error.code === ADDRESS_REFUSED ? { kind: 'refused', message: error.message } : { kind: 'error', message: describeError(error) });
    });
    req.end(body);
  });
}

/**
 * POSTs the result to a checked target and says how that ended. Never throws. 2xx is delivered; an
 * address refused at connect time, a redirect and other 4xx are final; 429, 5xx, network errors
 * and timeouts (the socket's lookup included) are retried with full-jitter backoff (or
 * Retry-After) while the deadline and maxAttempts allow, then reported as retryable.
 */
export async function deliverCallback(target: CallbackTarget, result: JobResult, options: DeliveryOptions): Promise<DeliveryOutcome> {
  const message = { id: webhookId(result, options.dedupeKey), type: `smart_connect.enable.${result.status}`, data: jobResultJson(result) };
  return deliverWebhook(target, message, options);
}

/** One webhook message of any type: its id (stable across deliveries), its type and its data. */
export interface WebhookMessage {
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
}

/** Delivers any webhook message as deliverCallback delivers a result: signed, guarded, retried. */
export async function deliverWebhook(target: CallbackTarget, message: WebhookMessage, options: Omit<DeliveryOptions, 'dedupeKey'>): Promise<DeliveryOutcome> {
  const id = message.id;
  const now = options.now ?? (() => new Date());
  const secrets = [...(options.secret ? [options.secret] : []), ...(options.secrets ?? [])];
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 5_000;
  // Only the host is logged: a path or query string may carry the receiver's own token.
  const logger = (options.logger ?? silentLogger).child({ webhook_id: id, callback_host: target.host });
  const fail = (attempts: number, code: string, message: string, retryable: boolean): DeliveryOutcome => ({
    delivered: false,
    attempts,
    webhookId: id,
    error: { code, message: redact(message, secrets) },
    retryable,
  });

  if (options.secret && secretKey(options.secret).length === 0) {
    return fail(0, CALLBACK_FAILED, 'the callback secret is not a Standard Webhooks secret (whsec_ followed by base64)', false);
  }
  const lookup = guardedLookup(options.resolve ?? resolveAll, target, options.deadline);
  // Built once: every attempt carries the same body under the same id. Only the timestamp (and so
  // the signature) is fresh, so a slow retry stays inside receivers' replay tolerance.
  const body = JSON.stringify(redactFields({ type: message.type, timestamp: now().toISOString(), data: message.data }, secrets, { maxLength: FIELD_MAX }));

  let attempts = 0;
  let last = 'the deadline left no time for an attempt';
  while (attempts < maxAttempts) {
    const remaining = options.deadline.remainingMs();
    if (remaining <= 0) break;
    attempts += 1;
    const attempt = await send(target.url, headersFor(id, body, options.secret, now()), body, lookup, Math.min(attemptTimeoutMs, remaining));
    if (attempt.kind === 'refused') {
      logger.warn('callback address refused', { reason: attempt.message });
      return fail(attempts, CALLBACK_URL_REFUSED, attempt.message, false);
    }
    let wait: number;
    if (attempt.kind === 'response') {
      const { status } = attempt;
      if (status >= 200 && status < 300) {
        logger.info('callback answered', { attempt: attempts, status });
        return { delivered: true, status, attempts, webhookId: id };
      }
      if (status >= 300 && status < 400) {
        logger.warn('callback redirected', { attempt: attempts, status });
        return fail(attempts, CALLBACK_REDIRECT_REFUSED, `callback answered ${status}; redirects are not followed`, false);
      }
      if (status !== 429 && status < 500) {
        logger.warn('callback refused the message', { attempt: attempts, status });
        return fail(attempts, CALLBACK_FAILED, `callback answered ${status}`, false);
      }
      last = `answered ${status}`;
      wait = retryAfterMs(attempt.retryAfter) ?? backoffDelay(attempts);
    } else {
      last = attempt.message;
      wait = backoffDelay(attempts);
    }
    logger.warn('callback attempt failed', { attempt: attempts, error: redact(last, secrets), wait_ms: wait });
    // Waiting past the deadline would only end in the same answer, later.
    if (attempts >= maxAttempts || wait >= options.deadline.remainingMs()) break;
    await sleep(wait);
  }
  return fail(attempts, CALLBACK_FAILED, `callback not delivered after ${attempts} attempt(s); last: ${last}`, true);
}

function headersFor(id: string, body: string, secret: string | undefined, at: Date): Record<string, string> {
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
