// Writing one result to its callback, logged the same way by every use case.
import { deliverCallback, type DeliveryOutcome } from './callback.ts';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import type { JobResult } from './result.ts';
import type { Deadline } from './retry.ts';
import type { Resolve } from './ssrf.ts';

export interface ReportTarget {
  readonly config: Config;
  readonly deadline: Deadline;
  /** Seeds the webhook-id when the result has no job id (the trigger's delivery id). */
  readonly dedupeKey: string;
  /** The runtime's secrets, kept out of the callback (Enabler.secrets()). */
  readonly secrets: readonly string[];
  readonly logger: Logger;
  readonly resolve?: Resolve | undefined;
}

export async function reportResult(url: string, result: JobResult, target: ReportTarget): Promise<DeliveryOutcome> {
  const { config, logger } = target;
  const outcome = await deliverCallback(url, result, {
    deadline: target.deadline,
    allowedHosts: config.callbackAllowedHosts,
    secret: config.callbackSecret,
    dedupeKey: target.dedupeKey,
    secrets: target.secrets,
    logger,
    ...(target.resolve ? { resolve: target.resolve } : {}),
  });
  if (outcome.delivered) logger.info('callback delivered', { type: result.status, webhook_id: outcome.webhookId, attempts: outcome.attempts });
  else logger.warn('callback not delivered', { type: result.status, webhook_id: outcome.webhookId, error: outcome.error, retryable: outcome.retryable });
  return outcome;
}
