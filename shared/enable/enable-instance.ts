// The use case: make sure Smart Connect is enabled on one instance, starting at most one job.
//
// The happy path is one round trip, the POST. When it fails with a 4xx or without a clear answer
// (timeout, reset, 5xx), the instance detail decides: Huawei documents no "already enabled" code, and
// a POST that timed out may have started the job, so it is never sent again before the instance
// shows RUNNING without a connector.
import { NOT_PAY_PER_USE } from '../errors/index.ts';
import {
  CallError,
  connectorState,
  HUAWEI_RETRY_POLICY,
  HuaweiApiError,
  isCredentialsFailure,
  isPayPerUse,
  retryWait,
  type HuaweiRetryPolicy,
  type InstanceDetail,
  type RegionalDms,
  type RegionalInstance,
} from '../huawei/index.ts';
import type { EnableRequest } from '../request/index.ts';
import type { JobResult, Trigger } from '../result/index.ts';
import type { Deadline, Logger } from '../runtime/index.ts';

export interface EnableInstanceDeps {
  /** The client in the request's region. */
  readonly dms: Pick<RegionalDms, 'enableConnector' | 'showInstance'>;
  readonly deadline: Deadline;
  readonly logger?: Logger | undefined;
  /** Its rounds, throttle retries and waits: the deployment's, the same the client retries by; default HUAWEI_RETRY_POLICY. */
  readonly retry?: HuaweiRetryPolicy | undefined;
}

type Decision =
  | { readonly kind: 'enabled'; readonly connectorId: string | undefined; readonly inProgress: boolean }
  | ({ readonly kind: 'fail' } & Failure)
  | { readonly kind: 'post-again' }
  | { readonly kind: 'wait' };

/** How one POST ended: with the result, or with a failure the instance detail decides about. */
type Posted = { readonly kind: 'done'; readonly result: JobResult } | { readonly kind: 'failed'; readonly error: CallError };

export async function enableInstance(request: EnableRequest, trigger: Trigger, deps: EnableInstanceDeps): Promise<JobResult> {
  const instance: RegionalInstance = {
    projectId: request.project_id,
    instanceId: request.instance_id,
  };
  const base = { project_id: request.project_id, instance_id: request.instance_id, source: trigger } as const;
  const policy = deps.retry ?? HUAWEI_RETRY_POLICY;
  // A wait is worth it only if a round's two calls (the POST, the read) can still get an answer after it.
  const afterWaitMs = 2 * policy.minAttemptMs;

  const post = async (round: number): Promise<Posted> => {
    try {
      const { data, requestId } = await postUnlessThrottled(instance, request, deps, policy);
      deps.logger?.info('enable accepted', { job_id: data.job_id, connector_id: data.connector_id, huawei_request_id: requestId });
      return { kind: 'done', result: { ...base, status: 'accepted', job_id: data.job_id, connector_id: data.connector_id } };
    } catch (error) {
      const failure = expectCallError(error);
      deps.logger?.warn('enable call failed', { error: failure.toJSON(), round });
      // The key, the instance or the credentials are wrong: reading the detail would fail the same way.
      if ([401, 403, 404].includes(failure.status) || isCredentialsFailure(failure.errorCode))
        return { kind: 'done', result: failed(base, { error: failure }) };
      return { kind: 'failed', error: failure };
    }
  };

  // The first round POSTs; each round then reads the instance, which decides: done, or another
  // round (after a wait) that POSTs again or only looks again.
  const first = await post(1);
  if (first.kind === 'done') return first.result;
  let lastError = first.error;
  for (let round = 1; ; round += 1) {
    let detail: InstanceDetail;
    try {
      detail = (await deps.dms.showInstance(instance, deps.deadline)).data;
    } catch (error) {
      const detailError = expectCallError(error);
      deps.logger?.warn('instance detail failed', { error: detailError.toJSON(), round });
      return failed(base, { error: lastError, retryable: lastError.retryable || detailError.retryable });
    }

    const decision = decide(detail, lastError);
    if (decision.kind === 'enabled') {
      deps.logger?.info('already enabled', { connector_id: decision.connectorId, instance_status: detail.status });
      return { ...base, status: 'already_enabled', connector_id: decision.connectorId, in_progress: decision.inProgress };
    }
    if (decision.kind === 'fail') return failed(base, decision);
    deps.logger?.info('instance not ready', { instance_status: detail.status, round, next: decision.kind });

    if (round >= policy.enableRounds) break;
    const wait = retryWait(policy, round);
    if (wait + afterWaitMs > deps.deadline.remainingMs()) break;
    await policy.sleep(wait);
    if (decision.kind === 'post-again') {
      const again = await post(round + 1);
      if (again.kind === 'done') return again.result;
      lastError = again.error;
    }
  }
  // Out of rounds or of time while the instance was busy or Huawei did not answer: transient, with
  // the last thing Huawei (or the lack of an answer) said.
  return failed(base, { error: lastError, retryable: true });
}

// Throttling (429 / APIG.0308) is the gateway refusing the call before DMS saw it: the one failure
// after which the POST may go again without looking at the instance, after the wait it asks for.
async function postUnlessThrottled(instance: RegionalInstance, request: EnableRequest, deps: EnableInstanceDeps, policy: HuaweiRetryPolicy) {
  const body = { node_cnt: request.node_cnt, specification: request.specification, spec_code: request.spec_code };
  const afterWaitMs = 2 * policy.minAttemptMs;
  for (let retry = 1; ; retry += 1) {
    try {
      return await deps.dms.enableConnector(instance, body, deps.deadline);
    } catch (error) {
      const failure = expectCallError(error);
      if (!(failure instanceof HuaweiApiError && failure.throttled) || retry > policy.throttleRetries) throw failure;
      const wait = failure.retryAfterMs ?? retryWait(policy, retry);
      if (wait + afterWaitMs > deps.deadline.remainingMs()) throw failure;
      deps.logger?.info('enable throttled', { wait_ms: wait, retry });
      await policy.sleep(wait);
    }
  }
}

function decide(detail: InstanceDetail, error: CallError): Decision {
  // Enabled, or being enabled (the enable job has named its connector and the instance is extending for it).
  const state = connectorState(detail);
  if (state !== 'not_enabled') return { kind: 'enabled', connectorId: detail.connector_id || undefined, inProgress: state === 'enabling' };
  // Another operation (RESTARTING, a broker extension, ...): wait for RUNNING, then decide.
  if (detail.status !== 'RUNNING') return { kind: 'wait' };
  if (isPayPerUse(detail) === false) {
    return {
      kind: 'fail',
      error,
      code: error.status ? error.errorCode : NOT_PAY_PER_USE,
      message: `Smart Connect can only be enabled this way on a pay-per-use instance; this instance is billed yearly/monthly (charging_mode ${String(detail.charging_mode)}). Huawei said: ${error.errorMsg}`,
    };
  }
  return error.retryable ? { kind: 'post-again' } : { kind: 'fail', error };
}

interface Failure {
  readonly error: CallError;
  /** Default: whether the error itself is. */
  readonly retryable?: boolean | undefined;
  /** What the result says instead of Huawei's code and message. */
  readonly code?: string | undefined;
  readonly message?: string | undefined;
}

function failed(base: Pick<JobResult, 'project_id' | 'instance_id' | 'source'>, failure: Failure): JobResult {
  const { error } = failure;
  return {
    ...base,
    status: 'failed',
    error: { code: failure.code ?? error.errorCode, message: failure.message ?? error.errorMsg },
    retryable: failure.retryable ?? error.retryable,
    upstream_status: error.status,
    ...(error.retryAfterMs === undefined ? {} : { retry_after_ms: error.retryAfterMs }),
  };
}

/** The failure of a call (Huawei's, or credentials that could not be read); anything else is thrown on. */
function expectCallError(error: unknown): CallError {
  if (error instanceof CallError) return error;
  // A programming error must not pass for an upstream one: let it surface.
  throw error;
}
