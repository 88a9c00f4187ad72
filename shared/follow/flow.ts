// What a tracking message's delivery does: one status check, then either the final callback
// (succeeded or failed, with what Huawei reported and how long the job took) or the next delayed
// tracking message. The final callback's webhook-id derives from the job and the type, so duplicate
// deliveries of a tracking message never produce two different final callbacks for one job.
import type { DeliveryOutcome } from '../callback/index.ts';
import type { Enabler } from '../core/index.ts';
import type { Logger } from '../runtime/index.ts';
import { reportToUrl } from '../callback/index.ts';
import type { JobError, JobResult } from '../result/index.ts';
import { withinDeadline, type Deadline } from '../runtime/index.ts';
import type { Resolve } from '../callback/index.ts';
import { trackingDelaySeconds, type TrackingMessage, type TrackingQueue } from './message.ts';
import { observeJobEnd } from '../metrics/index.ts';

export interface FollowContext {
  readonly enabler: Enabler;
  readonly tracking: TrackingQueue | undefined;
  readonly deadline: Deadline;
  readonly logger: Logger;
  readonly resolve?: Resolve | undefined;
}

export type FollowOutcome =
  | { readonly kind: 'final'; readonly result: JobResult; readonly callback: DeliveryOutcome | undefined }
  | { readonly kind: 'pending'; readonly next: 'sent' | 'failed'; readonly delaySeconds: number }
  | { readonly kind: 'misconfigured'; readonly error: JobError };

// A check is one look, not a wait: a long Retry-After or a slow answer just means "look again later".
const CHECK_BUDGET_MS = 15_000;

export async function followAndReport(message: TrackingMessage, ctx: FollowContext): Promise<FollowOutcome> {
  const logger = ctx.logger.child({ job_id: message.job_id, project_id: message.project_id, instance_id: message.instance_id, check: message.checks + 1 });
  const check = await ctx.enabler.checkJob(message, withinDeadline(ctx.deadline, CHECK_BUDGET_MS), logger);

  if (check.kind === 'misconfigured') {
    logger.error('configuration error: the job cannot be checked; no callback', { error: check.error });
    return check;
  }
  if (check.kind === 'final') {
    const { result } = check;
    logger.info('job finished', { status: result.status, duration_seconds: result.duration_seconds, error: result.error });
    const url = message.callback_url ?? ctx.enabler.config.callbackUrl;
    const callback = url
      ? await reportToUrl(url, result, {
          config: ctx.enabler.config,
          deadline: ctx.deadline,
          dedupeKey: `job:${message.project_id}:${message.instance_id}:${message.started_at}`,
          secrets: ctx.enabler.secrets(),
          logger,
          resolve: ctx.resolve,
        })
      : undefined;
    return observeJobEnd(ctx.enabler.metrics, { kind: 'final', result, callback });
  }

  const next: TrackingMessage = { ...message, checks: message.checks + 1 };
  const delaySeconds = trackingDelaySeconds(next.checks);
  if (!ctx.tracking) {
    logger.error('job still running but no tracking queue to follow it', { reason: check.reason });
    return { kind: 'pending', next: 'failed', delaySeconds };
  }
  try {
    await ctx.tracking.send(next, delaySeconds);
    logger.info('job still running', { reason: check.reason, next_check_seconds: delaySeconds });
    return { kind: 'pending', next: 'sent', delaySeconds };
  } catch (error) {
    logger.error('next tracking message not sent', { error });
    return { kind: 'pending', next: 'failed', delaySeconds };
  }
}
