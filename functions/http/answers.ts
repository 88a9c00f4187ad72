// What the http function answers, success or error, as API Gateway takes it: JSON bodies, errors as
// the contract's {error_code, error_msg, request_id, issues?}.
import { INVALID_REQUEST, isCredentialsRejected, isDeploymentFault } from '../../shared/errors/index.ts';
import { boundIssues, describeIssues, type RequestIssue } from '../../shared/request/index.ts';
import type { StatusFailure } from '../../shared/status/index.ts';

export interface HttpAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export function jsonAnswer(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpAnswer {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export interface ErrorAnswer {
  readonly status: number;
  readonly requestId: string;
  readonly code: string;
  readonly message: string;
  readonly issues?: readonly RequestIssue[] | undefined;
  readonly headers?: Record<string, string> | undefined;
}

export function errorAnswer(error: ErrorAnswer): HttpAnswer {
  const body = { error_code: error.code, error_msg: error.message, request_id: error.requestId, ...(error.issues ? { issues: error.issues } : {}) };
  return jsonAnswer(error.status, body, error.headers);
}

/** Input refused: a 400 listing every problem by field (at most ISSUES_MAX, then how many more). */
export function invalidAnswer(requestId: string, issues: readonly RequestIssue[], code = INVALID_REQUEST): HttpAnswer {
  return errorAnswer({ status: 400, requestId, code, message: describeIssues(issues), issues: boundIssues(issues) });
}

/** A failure of a call this request made (an enable's too): Huawei's code and message, its status, whether to retry. */
export type CallFailure = StatusFailure;

export function failureAnswer(requestId: string, failure: CallFailure): HttpAnswer {
  const status = failureStatus(failure);
  return errorAnswer({ status, requestId, code: failure.code, message: failure.message, headers: retryAfter(status, failure) });
}

// Huawei's 4xx about the instance (400, 404, 409) are the caller's to see; an unusable credentials
// secret is this deployment's fault (502, no Retry-After: asking again will not help until an
// operator fixes it); credentials Huawei refused are too, until their cool-down ends (502, with
// Retry-After: the seconds left); anything that may clear by itself is a 503 to retry.
function failureStatus(failure: CallFailure): number {
  if (isDeploymentFault(failure.code)) return 502;
  if (failure.retryable) return 503;
  const upstream = failure.upstreamStatus;
  if (upstream === 401 || upstream === 403) return 502;
  if (upstream >= 400 && upstream < 500) return upstream;
  return 502;
}

function retryAfter(status: number, failure: CallFailure): Record<string, string> {
  if (isCredentialsRejected(failure.code)) return { 'retry-after': String(Math.max(1, Math.ceil((failure.retryAfterMs ?? 0) / 1000))) };
  return status === 503 ? { 'retry-after': '5' } : {};
}
