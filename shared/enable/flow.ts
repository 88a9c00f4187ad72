// What every trigger does with one request: validate it, check its callback URL (before anything
// is enabled: a URL the guard refuses is invalid input), find its project when it names none (the
// one named after its region), ensure Smart Connect is enabled, report the result to the callback
// and start tracking a job that runs. Triggers only decide what the outcome means for their caller.
import { reportResult, reportToUrl, type CallbackUrl, type DeliveryOutcome } from '../callback/index.ts';
import { CALLBACK_LOOKUP_FAILED, INVALID_REQUEST, isDeploymentFault, isMisconfigured } from '../errors/index.ts';
import { trackingDelaySeconds, trackingMessageFor } from '../tracking/index.ts';
import { countEnable } from '../metrics/index.ts';
import { redactBounded } from '../redact/index.ts';
import { resolveProject, type ProjectFailure } from '../projects/index.ts';
import { describeIssues, parseRequest, type EnableRequest, type RequestIssue, type UnresolvedEnableRequest } from '../request/index.ts';
import { withoutSecrets, type JobError, type JobResult, type Trigger } from '../result/index.ts';
import { QUOTE_MAX } from '../runtime/index.ts';
import { budgetBeforeCallback, checkCallbackFirst } from './callback-first.ts';
import { enableInstance } from './enable-instance.ts';
import type { EnableFlowContext, EnableRun } from './types.ts';

/** Whether a job is now being tracked: started, could not be started, or nothing to track. */
export type TrackingState = 'started' | 'failed' | 'none';

export type EnableFlowOutcome =
  | {
      readonly kind: 'invalid';
      readonly issues: readonly RequestIssue[];
      readonly result: JobResult;
      readonly callback: DeliveryOutcome | undefined;
    }
  | {
      readonly kind: 'done';
      /** With the project it was for; without project_id when none could be found. */
      readonly request: UnresolvedEnableRequest;
      readonly result: JobResult;
      readonly callback: DeliveryOutcome | undefined;
      readonly tracking: TrackingState;
    };

export type RejectedOutcome = Extract<EnableFlowOutcome, { readonly kind: 'invalid' }>;

/** Input that is not a valid request, and the callback URL it names when that field itself passed. */
export interface Rejection {
  readonly input: unknown;
  readonly issues: readonly RequestIssue[];
  readonly callbackUrl?: CallbackUrl | undefined;
}

/** One request's flow, counted (Enables by Outcome) however it ends. */
export async function runEnableFlow(input: unknown, ctx: EnableFlowContext): Promise<EnableFlowOutcome> {
  return countEnable(ctx.deployment.metrics, await enableFlow(input, ctx));
}

/** The use case for one request, with the deployment's client in the request's region; what Huawei said in the result is redacted. */
export async function enableOne(request: EnableRequest, run: EnableRun): Promise<JobResult> {
  const { deployment } = run;
  const deps = { dms: deployment.dmsIn(request.region), deadline: run.deadline, logger: run.logger, retry: deployment.retryPolicy };
  return withoutSecrets(await enableInstance(request, run.trigger, deps), deployment.secrets());
}

async function enableFlow(input: unknown, ctx: EnableFlowContext): Promise<EnableFlowOutcome> {
  const { deployment, logger } = ctx;
  const parsed = parseRequest(deployment.schemas.instance, input);
  if (parsed.kind === 'invalid') return reportRejection({ input, issues: parsed.issues, callbackUrl: parsed.callbackUrl }, ctx);

  const request = parsed.request;
  const check = await checkCallbackFirst(request.callback_url, ctx);
  if (check.kind === 'lookup_failed') {
    return { kind: 'done', request, result: lookupFailed(request, ctx.trigger, check.reason), callback: undefined, tracking: 'none' };
  }
  if (check.kind === 'refused') return { kind: 'invalid', issues: check.issues, result: rejected(input, check.issues, ctx), callback: undefined };
  const destination = check.kind === 'passed' ? check.destination : undefined;

  const deadline = budgetBeforeCallback(ctx.deadline, destination);
  const found = await resolveProject(request, deployment.projects, { deadline, logger });
  const result =
    found.kind === 'found' ? await enableOne(found.request, { deployment, trigger: ctx.trigger, deadline, logger }) : projectNotFound(request, ctx, found);
  logger.info('enable finished', { status: result.status, project_id: result.project_id, job_id: result.job_id, error: result.error });
  if (isMisconfigured(result.error?.code)) logger.error('configuration error: nothing was sent to Huawei and no callback', { error: result.error });
  const callback = destination && !isDeploymentFault(result.error?.code) ? await reportResult(destination, result, deployment.callbackOptions(ctx)) : undefined;
  const tracking = found.kind === 'found' ? await startTracking(found.request, result, ctx) : 'none';
  return { kind: 'done', request: found.kind === 'found' ? found.request : request, result, callback, tracking };
}

// A job just started, or found running, is followed to its end by a delayed tracking message.
async function startTracking(request: EnableRequest, result: JobResult, ctx: EnableFlowContext): Promise<TrackingState> {
  const running = result.status === 'accepted' || (result.status === 'already_enabled' && result.in_progress === true);
  const { tracking } = ctx.deployment;
  if (!running || !tracking) return 'none';
  const message = trackingMessageFor(request, result, { now: (ctx.now ?? Date.now)(), jobTimeoutMs: ctx.deployment.config.jobTimeoutMs });
  const delaySeconds = trackingDelaySeconds(message.checks);
  try {
    await tracking.send(message, delaySeconds);
    ctx.logger.info('tracking started', { job_id: result.job_id, delay_seconds: delaySeconds });
    return 'started';
  } catch (error) {
    ctx.logger.error('tracking message not sent', { job_id: result.job_id, error });
    return 'failed';
  }
}

/**
 * Invalid input: a permanent failure, reported to whichever callback can still be told when `report`
 * says so (default: the context's reportRejections).
 */
export async function reportRejection(
  rejection: Rejection,
  ctx: EnableFlowContext,
  { report = ctx.reportRejections }: { readonly report?: boolean } = {},
): Promise<RejectedOutcome> {
  const { issues } = rejection;
  const { deployment } = ctx;
  const result = rejected(rejection.input, issues, ctx);
  ctx.logger.warn('request rejected', { issues });
  const url = report ? (rejection.callbackUrl ?? deployment.config.callbackUrl) : undefined;
  const callback = url ? await reportToUrl(url, result, deployment.callbackOptions(ctx)) : undefined;
  return { kind: 'invalid', issues, result, callback };
}

// No project to enable in (none named after the region, or IAM failing): nothing is enabled, and
// project_id is "" (the message names the region). Retryable as IAM's failure is; "no such project" is not.
function projectNotFound(request: UnresolvedEnableRequest, ctx: EnableFlowContext, failure: ProjectFailure): JobResult {
  return withoutSecrets(failedBeforeEnable(request, ctx.trigger, failure.error, failure.retryable), ctx.deployment.secrets());
}

// Transient, as Huawei's throttling is: HTTP answers 503, the queue record comes back, the schedule retries.
function lookupFailed(request: UnresolvedEnableRequest, trigger: Trigger, reason: string): JobResult {
  return failedBeforeEnable(request, trigger, { code: CALLBACK_LOOKUP_FAILED, message: reason }, true);
}

// A failure before anything was sent to Huawei: the request's own ids ("" for a project not yet known).
function failedBeforeEnable(request: UnresolvedEnableRequest, trigger: Trigger, error: JobError, retryable: boolean): JobResult {
  return { status: 'failed', project_id: request.project_id ?? '', instance_id: request.instance_id, source: trigger, error, retryable };
}

// The ids are the input's own, unchecked: redacted and bounded like anything else that leaves.
function rejected(input: unknown, issues: readonly RequestIssue[], ctx: EnableFlowContext): JobResult {
  const raw = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const id = (value: unknown) => (typeof value === 'string' ? redactBounded(value, ctx.deployment.secrets(), QUOTE_MAX) : '');
  return {
    status: 'rejected',
    // Invalid ids are the input itself: redacted, then quoted, never echoed whole.
    project_id: id(raw.project_id),
    instance_id: id(raw.instance_id),
    source: ctx.trigger,
    error: { code: INVALID_REQUEST, message: describeIssues(issues) },
    retryable: false,
  };
}
