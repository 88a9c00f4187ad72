// Huawei's words (its messages, codes and ids) reach HTTP answers, callbacks and the command line;
// one that echoes a request's headers (a gateway or a proxy in between may) must not carry the
// credentials along. Each string is redacted first, then cut short.
import { MESSAGE_MAX, redactBounded } from '../redact/index.ts';
import type { JobResult } from './result.ts';

const CODE_MAX = 64;
const HUAWEI_TEXT_FIELDS = ['job_id', 'connector_id', 'instance_status', 'task_status'] as const;

/** The result with every secret taken out of what Huawei said in it. */
export function withoutSecrets(result: JobResult, secrets: readonly string[]): JobResult {
  const clean: { -readonly [K in keyof JobResult]: JobResult[K] } = { ...result };
  for (const field of HUAWEI_TEXT_FIELDS) {
    const value = result[field];
    if (value !== undefined) clean[field] = redactBounded(value, secrets, MESSAGE_MAX);
  }
  if (result.error)
    clean.error = { code: redactBounded(result.error.code, secrets, CODE_MAX), message: redactBounded(result.error.message, secrets, MESSAGE_MAX) };
  return clean;
}
