// What a tracking message's delivery does: one status check, then either the final callback
// (succeeded or failed, with what Huawei reported and how long the job took) or the next delayed
// tracking message. The final callback's webhook-id derives from the job and the type, so duplicate
// deliveries of a tracking message never produce two different final callbacks for one job.
import { checkJob } from './check.ts';
import { trackingDelaySeconds, type TrackingMessage } from './message.ts';
import type { TrackingDeployment } from './types.ts';
import { reportToUrl, type DeliveryOutcome, type Resolve } from '../callback/index.ts';
import { observeJobEnd } from '../metrics/index.ts';
import { withoutSecrets, type JobError, type JobResult } from '../result/index.ts';
import { withinDeadline, type Deadline, type Logger } from '../runtime/index.ts';

export interface TrackingFlowContext {
  /** Its tracking queue is where the next tracking message goes while the job runs. */
  readonly deployment: TrackingDeployment;
  /** The delivery's whole budget: the status check takes a share, the final callback the rest. */
  readonly deadline: Deadline;
  readonly logger: Logger;
  /** The final callback's lookups (check and connect time); default DNS. */
  readonly resolve?: Resolve | undefined;
}

export type TrackingFlowOutcome =
  | { readonly kind: 'final'; readonly result: JobResult; readonly callback: DeliveryOutcome | undefined }
  | { readonly kind: 'pending'; readonly next: 'sent' | 'failed'; readonly delaySeconds: number }
  /** The job could not be checked: this deployment is misconfigured (the error's code); nobody is told. */
  | { readonly kind: 'unchecked'; readonly error: JobError };

// A check is one look, not a wait: a long Retry-After or a slow answer just means "look again later".
const CHECK_BUDGET_MS = 15_000;

export async function runTrackingFlow(message: TrackingMessage, ctx: TrackingFlowContext): Promise<TrackingFlowOutcome> {
  const { deployment } = ctx;
  const logger = ctx.logger.child({ job_id: message.job_id, project_id: message.project_id, instance_id: message.instance_id, check: message.checks + 1 });
  const check = await checkJob(message, {
    dms: deployment.dmsIn(message.region),
    deadline: withinDeadline(ctx.deadline, CHECK_BUDGET_MS),
    jobTimeoutMs: deployment.config.jobTimeoutMs,
    logger,
  });

  if (check.kind === 'unchecked') {
    logger.error('configuration error: the job cannot be checked; no callback', { error: check.error });
    return check;
  }
  if (check.kind === 'final') {
    const result = withoutSecrets(check.result, deployment.secrets());
    logger.info('job finished', { status: result.status, duration_seconds: result.duration_seconds, error: result.error });
    const url = message.callback_url ?? deployment.config.callbackUrl;
    const dedupeKey = `job:${message.project_id}:${message.instance_id}:${message.started_at}`;
    const callback = url
      ? await reportToUrl(url, result, deployment.callbackOptions({ deadline: ctx.deadline, dedupeKey, logger, resolve: ctx.resolve }))
      : undefined;
    return observeJobEnd(deployment.metrics, { kind: 'final', result, callback });
  }

  const next: TrackingMessage = { ...message, checks: message.checks + 1 };
  const delaySeconds = trackingDelaySeconds(next.checks);
  if (!deployment.tracking) {
    logger.error('job still running but no tracking queue to follow it', { reason: check.reason });
    return { kind: 'pending', next: 'failed', delaySeconds };
  }
  try {
    await deployment.tracking.send(next, delaySeconds);
    logger.info('job still running', { reason: check.reason, next_check_seconds: delaySeconds });
    return { kind: 'pending', next: 'sent', delaySeconds };
  } catch (error) {
    logger.error('next tracking message not sent', { error });
    return { kind: 'pending', next: 'failed', delaySeconds };
  }
}
