// The follow room's error codes: how a followed job ended when it did not succeed.

/** The job did not finish within JOB_TIMEOUT_MINUTES. */
export const JOB_TIMEOUT = 'TIMEOUT';
/** Huawei reports the job (or the instance it extended) failed. */
export const JOB_FAILED = 'JOB_FAILED';
