// What every trigger does with one request: validate it, refuse a callback URL the SSRF guard
// refuses (before anything is enabled), ensure Smart Connect is enabled, and write the result to
// the callback. Triggers only decide what the outcome means for their caller.
import type { DeliveryOutcome } from '../callback/index.ts';
import type { Enabler } from '../core/index.ts';
import { isConfigurationError } from '../huawei/index.ts';
import type { Logger } from '../runtime/index.ts';
import { QUOTE_MAX } from '../runtime/index.ts';
import { redactBounded } from '../redact/index.ts';
import { describeIssues, isAcceptableCallbackUrl, type EnableRequest, type RequestIssue } from '../request/index.ts';
import type { JobResult, Source } from '../result/index.ts';
import { withinDeadline, type Deadline } from '../runtime/index.ts';
import { reportResult, reportToUrl, type ReportOptions } from '../callback/index.ts';
import { checkCallbackTarget, type CallbackTarget, type Resolve } from '../callback/index.ts';
import { trackingDelaySeconds, trackingMessageFor, type TrackingQueue } from '../follow/index.ts';
import { countEnable } from '../metrics/index.ts';

export interface ReportContext {
  readonly enabler: Enabler;
  readonly source: Source;
  readonly deadline: Deadline;
  /** Identifies this delivery of the request (SQS message id, API Gateway request id, ...). */
  readonly dedupeKey: string;
  readonly logger: Logger;
  /** Send a rejected callback for invalid input when a callback URL can be told (queue, schedule). */
  readonly reportRejections: boolean;
  readonly resolve?: Resolve | undefined;
  /** Where a started job's tracking message goes; unset: accepted is the last word. */
  readonly tracking?: TrackingQueue | undefined;
  readonly now?: () => number;
}

/** Whether a job is now being followed: started, could not be started, or nothing to follow. */
export type TrackingState = 'started' | 'failed' | 'none';

export type ReportOutcome =
  | {
      readonly kind: 'invalid';
      readonly issues: readonly RequestIssue[];
      readonly result: JobResult;
      readonly callback: DeliveryOutcome | undefined;
    }
  | {
      readonly kind: 'done';
      readonly request: EnableRequest;
      readonly result: JobResult;
      readonly callback: DeliveryOutcome | undefined;
      readonly tracking: TrackingState;
    };

export const INVALID_REQUEST = 'INVALID_REQUEST';
/** The callback host could not be resolved in time: nothing was enabled; asking again may pass. */
export const CALLBACK_LOOKUP_FAILED = 'CALLBACK_LOOKUP_FAILED';
// Kept back from enabling so the callback still has time to go out: 8 s, or less of a short budget.
const CALLBACK_RESERVE_MS = 8_000;
const CALLBACK_RESERVE_SHARE = 0.3;

export async function enableAndReport(input: unknown, ctx: ReportContext): Promise<ReportOutcome> {
  const { enabler, logger } = ctx;
  const config = enabler.config;
  const parsed = enabler.parse(input);
  if (!parsed.success) return reportRejection(input, parsed.issues, ctx);

  const request = parsed.request;
  const url = request.callback_url ?? config.callbackUrl;
  // Checked once, here, before anything is enabled; delivery takes the target as it is.
  let target: CallbackTarget | undefined;
  if (url) {
    const check = await checkCallbackTarget(url, { allowedHosts: config.callbackAllowedHosts, deadline: ctx.deadline, resolve: ctx.resolve });
    if (!check.ok && check.transient) {
      logger.warn('callback host not resolved in time', { reason: check.reason });
      const result = lookupFailed(request, ctx.source, check.reason);
      return countEnable(enabler.metrics, { kind: 'done', request, result, callback: undefined, tracking: 'none' });
    }
    if (!check.ok) {
      // A refused default (CALLBACK_URL) is named as such: the caller did not choose it.
      const field = request.callback_url ? 'callback_url' : 'CALLBACK_URL';
      const issues = [{ field, message: `is refused: ${check.reason}` }];
      logger.warn('callback URL refused', { issues });
      return countEnable(enabler.metrics, { kind: 'invalid', issues, result: rejected(input, ctx, issues), callback: undefined });
    }
    target = check.target;
  }

  const remaining = ctx.deadline.remainingMs();
  const reserve = target ? Math.min(CALLBACK_RESERVE_MS, remaining * CALLBACK_RESERVE_SHARE) : 0;
  const enableBudget = Math.max(0, remaining - reserve);
  const result = await enabler.enable(request, ctx.source, withinDeadline(ctx.deadline, enableBudget), logger);
  logger.info('enable finished', { status: result.status, job_id: result.job_id, error: result.error });
  // A broken deployment is the operator's to fix, not the sender's to hear about: no callback.
  const misconfigured = isConfigurationError(result.error?.code);
  if (misconfigured) logger.error('configuration error: nothing was sent to Huawei and no callback', { error: result.error });
  const callback = target && !misconfigured ? await reportResult(target, result, reportOptions(ctx)) : undefined;
  const tracking = await startTracking(request, result, ctx);
  return countEnable(enabler.metrics, { kind: 'done', request, result, callback, tracking });
}

// A job just started, or found running, is followed to its end by a delayed tracking message.
async function startTracking(request: EnableRequest, result: JobResult, ctx: ReportContext): Promise<TrackingState> {
  const running = result.status === 'accepted' || (result.status === 'already_enabled' && result.in_progress === true);
  if (!running || !ctx.tracking) return 'none';
  const message = trackingMessageFor(request, result, (ctx.now ?? Date.now)());
  const delaySeconds = trackingDelaySeconds(message.checks);
  try {
    await ctx.tracking.send(message, delaySeconds);
    ctx.logger.info('tracking started', { job_id: result.job_id, delay_seconds: delaySeconds });
    return 'started';
  } catch (error) {
    ctx.logger.error('tracking message not sent', { job_id: result.job_id, error });
    return 'failed';
  }
}

/** Invalid input: a permanent failure, reported to whichever callback can still be told. */
export async function reportRejection(input: unknown, issues: readonly RequestIssue[], ctx: ReportContext): Promise<ReportOutcome> {
  const config = ctx.enabler.config;
  const result = rejected(input, ctx, issues);
  ctx.logger.warn('request rejected', { issues });
  const url = ctx.reportRejections ? (salvageCallbackUrl(input, config.callbackAllowedHosts) ?? config.callbackUrl) : undefined;
  const callback = url ? await reportToUrl(url, result, reportOptions(ctx)) : undefined;
  return countEnable(ctx.enabler.metrics, { kind: 'invalid', issues, result, callback });
}

function reportOptions(ctx: ReportContext): ReportOptions {
  return { config: ctx.enabler.config, deadline: ctx.deadline, dedupeKey: ctx.dedupeKey, secrets: ctx.enabler.secrets(), logger: ctx.logger, resolve: ctx.resolve };
}

// Transient, as Huawei's throttling is: HTTP answers 503, the queue record comes back, the schedule retries.
function lookupFailed(request: EnableRequest, source: Source, reason: string): JobResult {
  return {
    status: 'failed',
    project_id: request.project_id,
    instance_id: request.instance_id,
    source,
    error: { code: CALLBACK_LOOKUP_FAILED, message: reason },
    retryable: true,
  };
}

// The ids are the input's own, unchecked: redacted and bounded like anything else that leaves.
function rejected(input: unknown, ctx: Pick<ReportContext, 'enabler' | 'source'>, issues: readonly RequestIssue[]): JobResult {
  const raw = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const id = (value: unknown) => (typeof value === 'string' ? redactBounded(value, ctx.enabler.secrets(), QUOTE_MAX) : '');
  return {
    status: 'rejected',
    // Invalid ids are the input itself: redacted, then quoted, never echoed whole.
    project_id: id(raw.project_id),
    instance_id: id(raw.instance_id),
    source: ctx.source,
    error: { code: INVALID_REQUEST, message: describeIssues(issues) },
    retryable: false,
  };
}

// An invalid request may still name a usable callback: the sender is owed the rejection.
function salvageCallbackUrl(input: unknown, allowedHosts: readonly string[]): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const value = (input as Record<string, unknown>).callback_url;
  if (typeof value !== 'string') return undefined;
  try {
    return isAcceptableCallbackUrl(new URL(value), allowedHosts) ? value : undefined;
  } catch {
    return undefined;
  }
}
