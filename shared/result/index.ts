// The result: the JobResult every use case ends in, its contract JSON, and Huawei's words redacted.
export { jobResultJson, TRIGGERS, type JobError, type JobResult, type JobResultJson, type JobStatus, type Trigger } from './result.ts';
export { withoutSecrets } from './redacted.ts';
