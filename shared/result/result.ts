// JobResult: the one result shape. The command line prints it, callbacks carry it in `data`, and
// HTTP answers are drawn from it.

export type JobStatus = 'accepted' | 'already_enabled' | 'succeeded' | 'failed' | 'rejected';
/**
 * How a request arrives, listed once: a JobResult's `source` (the contract's name for its trigger)
 * and a tracking message's take their values from here, so a trigger added here is tracked too.
 */
export const TRIGGERS = ['http', 'queue', 'schedule', 'cli'] as const;
export type Trigger = (typeof TRIGGERS)[number];

export interface JobError {
  readonly code: string;
  readonly message: string;
}

export interface JobResult {
  readonly status: JobStatus;
  readonly project_id: string;
  readonly instance_id: string;
  readonly job_id?: string | undefined;
  readonly connector_id?: string | undefined;
  /** The trigger the request came through (the contract calls it `source`). */
  readonly source: Trigger;
  readonly error?: JobError | undefined;
  /** Final results (succeeded, failed after a job ran): how long the job took, as seen by us. */
  readonly duration_seconds?: number | undefined;
  /** Final results: what Huawei last reported for the instance and the background task. */
  readonly instance_status?: string | undefined;
  readonly task_status?: string | undefined;
  /**
   * Not part of the JSON contract: whether a failed result may succeed if asked again later
   * (the queue lets such a message come back; the schedule fails its invocation).
   */
  readonly retryable?: boolean | undefined;
  /** Not part of the JSON contract: the HTTP status Huawei answered a failure with (0: no answer). */
  readonly upstream_status?: number | undefined;
  /** Not part of the JSON contract: how long to wait before asking again, when that is known (a cool-down's end). */
  readonly retry_after_ms?: number | undefined;
  /** Not part of the JSON contract: already_enabled because a job is still running (track it). */
  readonly in_progress?: boolean | undefined;
}

/** The contract's JSON, and nothing else: internal fields never leave the process. */
export function jobResultJson(result: JobResult) {
  return {
    status: result.status,
    project_id: result.project_id,
    instance_id: result.instance_id,
    ...(result.job_id ? { job_id: result.job_id } : {}),
    ...(result.connector_id ? { connector_id: result.connector_id } : {}),
    source: result.source,
    ...(result.error ? { error: { code: result.error.code, message: result.error.message } } : {}),
    ...(result.duration_seconds === undefined ? {} : { duration_seconds: result.duration_seconds }),
    ...(result.instance_status ? { instance_status: result.instance_status } : {}),
    ...(result.task_status ? { task_status: result.task_status } : {}),
  };
}

export type JobResultJson = ReturnType<typeof jobResultJson>;
