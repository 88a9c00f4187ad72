// The use case: make sure Smart Connect is enabled on one instance, starting at most one job.
//
// The happy path is one round trip, the POST. When it fails with a 4xx or without a clear answer
// (timeout, reset, 5xx), the instance detail decides: Huawei documents no "already enabled" code, and
// a POST that timed out may have started the job, so it is never sent again before the instance
// shows RUNNING without a connector.
import { NOT_PAY_PER_USE } from './errors.ts';
import {
  connectorState,
  HuaweiApiError,
  isCredentialsFailure,
  isPayPerUse,
  type InstanceDetail,
  type RegionalDms,
  type RegionalInstance,
} from '../huawei/index.ts';
import type { EnableRequest } from '../request/index.ts';
import type { JobResult, Source } from '../result/index.ts';
import { backoffDelay, sleep, type BackoffPolicy, type Deadline, type Logger } from '../runtime/index.ts';

export interface EnableInstanceDeps {
  /** The client in the request's region. */
  readonly dms: Pick<RegionalDms, 'enableConnector' | 'showInstance'>;
  readonly deadline: Deadline;
  readonly logger?: Logger | undefined;
  /** Rounds of "POST or wait, then read the instance" before a transient failure is reported. */
  readonly maxRounds?: number;
  readonly backoff?: BackoffPolicy;
  readonly sleep?: (ms: number) => Promise<void>;
}

// A wait is worth it only if a call can still get an answer after it.
const AFTER_WAIT_MS = 500;

type Decision =
  | { readonly kind: 'enabled'; readonly connectorId: string | undefined; readonly inProgress: boolean }
  | ({ readonly kind: 'fail' } & Failure)
  | { readonly kind: 'post-again' }
  | { readonly kind: 'wait' };

export async function enableInstance(request: EnableRequest, source: Source, deps: EnableInstanceDeps): Promise<JobResult> {
  const target: RegionalInstance = {
    projectId: request.project_id,
    instanceId: request.instance_id,
  };
  const base = { project_id: request.project_id, instance_id: request.instance_id, source } as const;
  const maxRounds = deps.maxRounds ?? 5;
  const pause = deps.sleep ?? sleep;

  let lastError: HuaweiApiError | undefined;
  let post = true;
  for (let round = 1; round <= maxRounds; round += 1) {
    if (round > 1) {
      const wait = backoffDelay(round - 1, deps.backoff);
      if (wait + AFTER_WAIT_MS > deps.deadline.remainingMs()) break;
      await pause(wait);
    }
    if (post) {
      try {
        const { data, requestId } = await postUnlessThrottled(target, request, deps);
        deps.logger?.info('enable accepted', { job_id: data.job_id, connector_id: data.connector_id, huawei_request_id: requestId });
        return { ...base, status: 'accepted', job_id: data.job_id, connector_id: data.connector_id };
      } catch (error) {
        lastError = asHuaweiError(error);
        deps.logger?.warn('enable call failed', { error: lastError.toJSON(), round });
        // The key, the instance or the credentials are wrong: reading the detail would fail the same way.
        if ([401, 403, 404].includes(lastError.status) || isCredentialsFailure(lastError.errorCode)) return failed(base, { error: lastError });
      }
    }

    let detail: InstanceDetail;
    try {
      detail = (await deps.dms.showInstance(target, deps.deadline)).data;
    } catch (error) {
      const detailError = asHuaweiError(error);
      deps.logger?.warn('instance detail failed', { error: detailError.toJSON(), round });
      return failed(base, { error: lastError ?? detailError, retryable: lastError?.retryable || detailError.retryable });
    }

    const decision = decide(detail, lastError);
    if (decision.kind === 'enabled') {
      deps.logger?.info('already enabled', { connector_id: decision.connectorId, instance_status: detail.status });
      return { ...base, status: 'already_enabled', connector_id: decision.connectorId, in_progress: decision.inProgress };
    }
    if (decision.kind === 'fail') return failed(base, decision);
    post = decision.kind === 'post-again';
    deps.logger?.info('instance not ready', { instance_status: detail.status, round, next: decision.kind });
  }
  // Out of rounds or of time while the instance was busy or Huawei did not answer: transient.
  const error =
    lastError ??
    new HuaweiApiError({ status: 400, errorCode: 'DMS.00400026', errorMsg: 'the instance stayed busy (not RUNNING)' });
  return failed(base, { error, retryable: true });
}

// Throttling (429 / APIG.0308) is the gateway refusing the call before DMS saw it: the one failure
// after which the POST may go again without looking at the instance, after the wait it asks for.
const THROTTLE_RETRIES = 4;

async function postUnlessThrottled(target: RegionalInstance, request: EnableRequest, deps: EnableInstanceDeps) {
  const body = { node_cnt: request.node_cnt, specification: request.specification, spec_code: request.spec_code };
  for (let retry = 1; ; retry += 1) {
    try {
      return await deps.dms.enableConnector(target, body, deps.deadline);
    } catch (error) {
      const huawei = asHuaweiError(error);
      if (!huawei.throttled || retry > THROTTLE_RETRIES) throw huawei;
      const wait = huawei.retryAfterMs ?? backoffDelay(retry, deps.backoff);
      if (wait + AFTER_WAIT_MS > deps.deadline.remainingMs()) throw huawei;
      deps.logger?.info('enable throttled', { wait_ms: wait, retry });
      await (deps.sleep ?? sleep)(wait);
    }
  }
}

function decide(detail: InstanceDetail, lastError: HuaweiApiError | undefined): Decision {
  // Enabled, or being enabled (the enable job has named its connector and the instance is extending for it).
  const state = connectorState(detail);
  if (state !== 'not_enabled') return { kind: 'enabled', connectorId: detail.connector_id || undefined, inProgress: state === 'enabling' };
  // Another operation (RESTARTING, a broker extension, ...): wait for RUNNING, then decide.
  if (detail.status !== 'RUNNING') return { kind: 'wait' };
  const error = lastError ?? new HuaweiApiError({ status: 0, errorCode: 'UNKNOWN', errorMsg: 'unknown failure' });
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
  readonly error: HuaweiApiError;
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

function asHuaweiError(error: unknown): HuaweiApiError {
  if (error instanceof HuaweiApiError) return error;
  // A programming error must not pass for an upstream one: let it surface.
  throw error;
}
