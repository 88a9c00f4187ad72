// One status check of a job being tracked. The instance is the source of truth, as in Huawei's
// Terraform provider: RUNNING with connector_enable and our connector_id is success; EXTENDEDFAILED,
// ERROR, or RUNNING without the connector is failure. The background task is read too where the API
// answers for it (that it does for enable jobs is not documented); a FAILED task is failure.
import type { TrackingMessage } from './message.ts';
import { isMisconfigured, JOB_FAILED, JOB_TIMEOUT } from '../errors/index.ts';
import { CallError, type InstanceDetail, type RegionalDms, type RegionalInstance } from '../huawei/index.ts';
import type { JobError, JobResult } from '../result/index.ts';
import type { Deadline, Logger } from '../runtime/index.ts';

export interface JobCheckDeps {
  /** The client in the message's region. */
  readonly dms: Pick<RegionalDms, 'showInstance' | 'showTask'>;
  readonly deadline: Deadline;
  readonly jobTimeoutMs: number;
  readonly now?: () => number;
  readonly logger?: Logger | undefined;
}

export type JobCheck =
  | { readonly kind: 'final'; readonly result: JobResult }
  | { readonly kind: 'pending'; readonly instanceStatus?: string | undefined; readonly reason: string }
  /** This deployment cannot check as configured (the error's code says so): the job's outcome is unknown. */
  | { readonly kind: 'unchecked'; readonly error: JobError };

const FAILED_INSTANCE_STATES: ReadonlySet<string> = new Set(['EXTENDEDFAILED', 'ERROR']);
// Right after the POST the instance may not show EXTENDING yet: RUNNING without the connector means
// failure only once the job has had time to start.
const START_GRACE_MS = 60_000;

export async function checkJob(message: TrackingMessage, deps: JobCheckDeps): Promise<JobCheck> {
  const now = (deps.now ?? Date.now)();
  const elapsedMs = Math.max(0, now - message.started_at);
  const instance: RegionalInstance = { projectId: message.project_id, instanceId: message.instance_id };
  const final = (status: 'succeeded' | 'failed', extra: Partial<JobResult>): JobCheck => ({
    kind: 'final',
    result: {
      status,
      project_id: message.project_id,
      instance_id: message.instance_id,
      job_id: message.job_id,
      connector_id: message.connector_id,
      source: message.source,
      duration_seconds: Math.round(elapsedMs / 1000),
      ...extra,
    },
  });
  const timedOut = ({ instanceStatus, taskStatus }: { instanceStatus?: string; taskStatus?: string | undefined }) =>
    final('failed', {
      instance_status: instanceStatus,
      task_status: taskStatus,
      error: {
        code: JOB_TIMEOUT,
        message: `the job did not finish within ${Math.round(deps.jobTimeoutMs / 60_000)} minutes (instance ${instanceStatus ?? 'unknown'}${taskStatus ? `, task ${taskStatus}` : ''})`,
      },
    });

  let detail: InstanceDetail;
  try {
    detail = (await deps.dms.showInstance(instance, deps.deadline)).data;
  } catch (error) {
    if (!(error instanceof CallError)) throw error;
    // Nothing was asked of Huawei: the job is not known to have failed, and the sender is owed no failure.
    if (isMisconfigured(error.errorCode)) return { kind: 'unchecked', error: { code: error.errorCode, message: error.errorMsg } };
    deps.logger?.warn('job check: instance detail failed', { error: error.toJSON() });
    // The instance is gone or the request is wrong for good: no later check can do better.
    if (!error.retryable && error.status !== 401 && error.status !== 403) {
      return final('failed', { error: { code: error.errorCode, message: error.errorMsg } });
    }
    return elapsedMs >= deps.jobTimeoutMs ? timedOut({}) : { kind: 'pending', reason: `status check failed: ${error.errorCode}` };
  }

  const taskStatus = message.job_id ? await readTaskStatus(instance, message.job_id, deps) : undefined;
  const instanceStatus = detail.status;
  const ours = !message.connector_id || !detail.connector_id || detail.connector_id === message.connector_id;
  const seen = { instance_status: instanceStatus, task_status: taskStatus, connector_id: detail.connector_id || message.connector_id };
  const jobFailed = (why: string) => final('failed', { ...seen, error: { code: JOB_FAILED, message: why } });

  if (instanceStatus === 'RUNNING' && detail.connector_enable === true && ours) return final('succeeded', seen);
  if (taskStatus === 'FAILED') return jobFailed(`Huawei reports the enable job FAILED (instance ${instanceStatus})`);
  if (FAILED_INSTANCE_STATES.has(instanceStatus)) return jobFailed(`the instance went to ${instanceStatus} during the enable job`);
  const settled = taskStatus === 'SUCCESS' || elapsedMs >= START_GRACE_MS;
  if (instanceStatus === 'RUNNING' && detail.connector_enable !== true && settled) {
    return jobFailed(`the instance is RUNNING without Smart Connect after the enable job${taskStatus ? ` (task ${taskStatus})` : ''}`);
  }
  if (elapsedMs >= deps.jobTimeoutMs) return timedOut({ instanceStatus, taskStatus });
  return { kind: 'pending', instanceStatus, reason: `instance ${instanceStatus}${taskStatus ? `, task ${taskStatus}` : ''}` };
}

// Undocumented for enable jobs: any failure to read the task just means the instance decides alone.
async function readTaskStatus(instance: RegionalInstance, jobId: string, deps: JobCheckDeps): Promise<string | undefined> {
  try {
    const { data } = await deps.dms.showTask(instance, jobId, deps.deadline);
    return data.tasks?.find((task) => task.id === jobId)?.status ?? data.tasks?.[0]?.status;
  } catch (error) {
    if (!(error instanceof CallError)) throw error;
    deps.logger?.info('job check: task not readable', { error_code: error.errorCode });
    return undefined;
  }
}
