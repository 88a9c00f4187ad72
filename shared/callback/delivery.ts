// Delivery: one webhook message (a JobResult's, or a fleet run's summary) POSTed to a checked destination,
// signed, behind the guarded transport, retried within the caller's deadline.
import { resolveAll, type Resolve } from './lookup.ts';
import { resultMessage, webhookHeaders, webhookPayload, type WebhookMessage } from './message.ts';
import type { CallbackDestination } from './destination.ts';
import { guardedTransport, type Attempt } from './transport.ts';
import { CALLBACK_FAILED, CALLBACK_REDIRECT_REFUSED, CALLBACK_REFUSED, CALLBACK_URL_REFUSED } from '../errors/index.ts';
import { OUTPUT_STRING_MAX, redact, redactFields } from '../redact/index.ts';
import type { JobResult } from '../result/index.ts';
import { backoffDelay, retryAfterMs, silentLogger, sleep, type Deadline, type Logger } from '../runtime/index.ts';

export interface DeliveryOptions {
  readonly deadline: Deadline;
  /** CALLBACK_SECRET, as config checked it: signs every message; unset, receivers can deduplicate but not authenticate. */
  readonly secret?: string | undefined;
  /** The deployment's other secrets (SK, security token): kept out of the payload and of errors, as the callback secret is. */
  readonly secrets?: readonly string[];
  /** Identifies the trigger's delivery (SQS message id, API Gateway request id): the webhook id's seed without a job id. */
  readonly dedupeKey: string;
  readonly logger?: Logger | undefined;
  /** The socket's own lookup (connect time); default DNS. */
  readonly resolve?: Resolve | undefined;
  readonly now?: () => Date;
  /** Per attempt, connect to response headers; default 5000. */
  readonly attemptTimeoutMs?: number;
  /** Default 5. */
  readonly maxAttempts?: number;
}

export type DeliveryOutcome =
  | { readonly kind: 'delivered'; readonly status: number; readonly attempts: number; readonly webhookId: string }
  | {
      readonly kind: 'undelivered';
      readonly attempts: number;
      readonly webhookId: string;
      readonly error: { readonly code: string; readonly message: string };
      readonly retryable: boolean;
    };

/** What one attempt means for the delivery. */
type Verdict =
  | { readonly kind: 'delivered'; readonly status: number }
  | { readonly kind: 'final'; readonly code: string; readonly message: string }
  | { readonly kind: 'retry'; readonly last: string; readonly waitMs: number };

interface Undelivered {
  readonly attempts: number;
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
}

/**
 * POSTs the result to a checked destination and says how that ended. Never throws. 2xx is delivered; an
 * address refused at connect time, a redirect and other 4xx are final; 429, 5xx, network errors
 * and timeouts (the socket's lookup included) are retried with full-jitter backoff (or
 * Retry-After) while the deadline and maxAttempts allow, then reported as retryable.
 */
export async function deliverCallback(destination: CallbackDestination, result: JobResult, options: DeliveryOptions): Promise<DeliveryOutcome> {
  return deliverWebhook(destination, resultMessage(result, options.dedupeKey), options);
}

/** Delivers any webhook message as deliverCallback delivers a result: signed, guarded, retried. */
export async function deliverWebhook(
  destination: CallbackDestination,
  message: WebhookMessage,
  options: Omit<DeliveryOptions, 'dedupeKey'>,
): Promise<DeliveryOutcome> {
  const id = message.id;
  const now = options.now ?? (() => new Date());
  const secrets = [...(options.secret ? [options.secret] : []), ...(options.secrets ?? [])];
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 5_000;
  // Only the host is logged: a path or query string may carry the receiver's own token.
  const logger = (options.logger ?? silentLogger).child({ webhook_id: id, callback_host: destination.host });
  const undelivered = ({ attempts, code, message, retryable }: Undelivered): DeliveryOutcome => ({
    kind: 'undelivered',
    attempts,
    webhookId: id,
    error: { code, message: redact(message, secrets) },
    retryable,
  });

  const post = guardedTransport(destination, options.resolve ?? resolveAll, options.deadline);
  // Built once: every attempt carries the same body under the same id. Only the timestamp (and so
  // the signature) is fresh, so a slow retry stays inside receivers' replay tolerance.
  const body = JSON.stringify(redactFields(webhookPayload(message, now()), secrets, { maxLength: OUTPUT_STRING_MAX }));

  let attempts = 0;
  let last = 'the deadline left no time for an attempt';
  while (attempts < maxAttempts) {
    const remaining = options.deadline.remainingMs();
    if (remaining <= 0) break;
    attempts += 1;
    const attempt = await post(webhookHeaders(id, body, now(), options.secret), body, Math.min(attemptTimeoutMs, remaining));
    const verdict = judge(attempt, attempts, logger);
    if (verdict.kind === 'delivered') return { kind: 'delivered', status: verdict.status, attempts, webhookId: id };
    if (verdict.kind === 'final') return undelivered({ attempts, code: verdict.code, message: verdict.message, retryable: false });
    last = verdict.last;
    logger.warn('callback attempt failed', { attempt: attempts, error: redact(last, secrets), wait_ms: verdict.waitMs });
    // Waiting past the deadline would only end in the same answer, later.
    if (attempts >= maxAttempts || verdict.waitMs >= options.deadline.remainingMs()) break;
    await sleep(verdict.waitMs);
  }
  return undelivered({ attempts, code: CALLBACK_FAILED, message: `callback not delivered after ${attempts} attempt(s); last: ${last}`, retryable: true });
}

function judge(attempt: Attempt, attempts: number, logger: Logger): Verdict {
  if (attempt.kind === 'refused') {
    logger.warn('callback address refused', { reason: attempt.message });
    return { kind: 'final', code: CALLBACK_URL_REFUSED, message: attempt.message };
  }
  if (attempt.kind === 'error') return { kind: 'retry', last: attempt.message, waitMs: backoffDelay(attempts) };
  const { status } = attempt;
  if (status >= 200 && status < 300) {
    logger.info('callback answered', { attempt: attempts, status });
    return { kind: 'delivered', status };
  }
  if (status >= 300 && status < 400) {
    logger.warn('callback redirected', { attempt: attempts, status });
    return { kind: 'final', code: CALLBACK_REDIRECT_REFUSED, message: `callback answered ${status}; redirects are not followed` };
  }
  if (status !== 429 && status < 500) {
    logger.warn('callback refused the message', { attempt: attempts, status });
    return { kind: 'final', code: CALLBACK_REFUSED, message: `callback answered ${status}` };
  }
  return { kind: 'retry', last: `answered ${status}`, waitMs: retryAfterMs(attempt.retryAfter) ?? backoffDelay(attempts) };
}
