// Writing one result to its callback, logged the same way by every use case.
import { CALLBACK_URL_REFUSED, deliverCallback, webhookId, type DeliveryOutcome } from './delivery.ts';
import type { Config } from '../config/index.ts';
import type { Logger } from '../runtime/index.ts';
import type { JobResult } from '../result/index.ts';
import type { Deadline } from '../runtime/index.ts';
import { checkCallbackTarget, type CallbackTarget, type Resolve } from './target.ts';

export interface ReportOptions {
  readonly config: Config;
  readonly deadline: Deadline;
  /** Seeds the webhook-id when the result has no job id (the trigger's delivery id). */
  readonly dedupeKey: string;
  /** The runtime's secrets, kept out of the callback (Enabler.secrets()). */
  readonly secrets: readonly string[];
  readonly logger: Logger;
  readonly resolve?: Resolve | undefined;
}

/** Delivers the result to a target this request has already checked. */
export async function reportResult(target: CallbackTarget, result: JobResult, options: ReportOptions): Promise<DeliveryOutcome> {
  const outcome = await deliverCallback(target, result, {
    deadline: options.deadline,
    secret: options.config.callbackSecret,
    dedupeKey: options.dedupeKey,
    secrets: options.secrets,
    logger: options.logger,
    resolve: options.resolve,
  });
  logOutcome(outcome, result, options.logger);
  return outcome;
}

/**
 * Checks a URL this request has not checked yet (a rejection's, a followed job's) and delivers to
 * it; a URL the guard refuses ends as an undelivered outcome (retryable when the lookup only ran
 * out of time), with nothing sent.
 */
export async function reportToUrl(url: string, result: JobResult, options: ReportOptions): Promise<DeliveryOutcome> {
  const check = await checkCallbackTarget(url, { allowedHosts: options.config.callbackAllowedHosts, deadline: options.deadline, resolve: options.resolve });
  if (check.ok) return reportResult(check.target, result, options);
  options.logger.warn('callback URL refused', { reason: check.reason });
  const outcome: DeliveryOutcome = {
    delivered: false,
    attempts: 0,
    webhookId: webhookId(result, options.dedupeKey),
    error: { code: CALLBACK_URL_REFUSED, message: check.reason },
    retryable: check.transient,
  };
  logOutcome(outcome, result, options.logger);
  return outcome;
}

function logOutcome(outcome: DeliveryOutcome, result: JobResult, logger: Logger): void {
  if (outcome.delivered) logger.info('callback delivered', { type: result.status, webhook_id: outcome.webhookId, attempts: outcome.attempts });
  else logger.warn('callback not delivered', { type: result.status, webhook_id: outcome.webhookId, error: outcome.error, retryable: outcome.retryable });
}
