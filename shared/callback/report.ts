// Reporting: a result written to its callback, and how that went logged the same way by every flow.
import { deliverCallback, type DeliveryOptions, type DeliveryOutcome } from './delivery.ts';
import { webhookId } from './message.ts';
import { checkCallbackDestination, type CallbackDestination } from './destination.ts';
import type { CallbackUrl } from './url.ts';
import { CALLBACK_LOOKUP_FAILED, CALLBACK_URL_REFUSED } from '../errors/index.ts';
import type { JobResult } from '../result/index.ts';
import type { Logger } from '../runtime/index.ts';

export interface ReportOptions extends DeliveryOptions {
  readonly logger: Logger;
  /** CALLBACK_ALLOWED_HOSTS, for a URL this request has not checked yet. */
  readonly allowedHosts: readonly string[];
}

/** Delivers the result to a destination this request has already checked. */
export async function reportResult(destination: CallbackDestination, result: JobResult, options: ReportOptions): Promise<DeliveryOutcome> {
  const outcome = await deliverCallback(destination, result, options);
  logDelivery(options.logger, result.status, outcome);
  return outcome;
}

/**
 * Checks the destination of a URL this request has not checked yet (a rejection's, a tracked job's) and
 * delivers to it; a destination the guard refuses ends as an undelivered outcome, with nothing sent
 * (CALLBACK_LOOKUP_FAILED, retryable, when the lookup only ran out of time).
 */
export async function reportToUrl(url: CallbackUrl, result: JobResult, options: ReportOptions): Promise<DeliveryOutcome> {
  const check = await checkCallbackDestination(url, options);
  if (check.kind === 'passed') return reportResult(check.destination, result, options);
  options.logger.warn('callback URL refused', { reason: check.reason });
  const transient = check.kind === 'lookup_failed';
  const outcome: DeliveryOutcome = {
    kind: 'undelivered',
    attempts: 0,
    webhookId: webhookId(result, options.dedupeKey),
    error: { code: transient ? CALLBACK_LOOKUP_FAILED : CALLBACK_URL_REFUSED, message: check.reason },
    retryable: transient,
  };
  logDelivery(options.logger, result.status, outcome);
  return outcome;
}

/** How a delivery ended, logged alike for every message (`type`: the result's status, or the webhook's type). */
export function logDelivery(logger: Logger, type: string, outcome: DeliveryOutcome): void {
  if (outcome.kind === 'delivered') logger.info('callback delivered', { type, webhook_id: outcome.webhookId, attempts: outcome.attempts });
  else logger.warn('callback not delivered', { type, webhook_id: outcome.webhookId, error: outcome.error, retryable: outcome.retryable });
}
