// Every error leaves as the contract's JSON {error_code, error_msg, request_id, issues?}: input
// problems as 400 naming the field, anything unexpected as a 500 without internals. Never an HTML
// page, never a stack trace.
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Logger } from '../../shared/runtime/index.ts';
import { QUOTE_MAX } from '../../shared/runtime/index.ts';
import { httpStatusCode, INTERNAL_ERROR, INVALID_JSON, INVALID_REQUEST } from '../../shared/errors/index.ts';
import { boundIssues, describeIssues, type RequestIssue } from '../../shared/request/index.ts';
import { errorAnswer, invalidAnswer, type HttpAnswer } from '../http/answers.ts';

// Any event reaches onError, whatever its shape (null included).
type AnyEvent = unknown;

/** Input refused before the handler runs: a 400 listing the problems by field. */
export class InputError extends Error {
  override readonly name = 'InputError';
  readonly issues: readonly RequestIssue[];
  /** The answer's error_code. */
  readonly code: string;
  constructor(issues: readonly RequestIssue[], code = INVALID_REQUEST) {
    // An event with thousands of bad headers is one bounded list, here as everywhere.
    super(describeIssues(issues));
    this.issues = boundIssues(issues);
    this.code = code;
  }
}

// What middy's own parsers throw (http errors with a status), as input problems of ours.
const PARSER_ERRORS: Record<number, { code: string; field: string; message: string }> = {
  422: { code: INVALID_JSON, field: 'body', message: 'is not valid JSON' },
};

/** An id API Gateway could have given: echoed in every answer, so never a long or odd value. */
export const isRequestId = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= QUOTE_MAX;

/** API Gateway's request id when the event carries a usable one, else the invocation's. */
function requestIdOf(event: AnyEvent, context: { awsRequestId?: string } | undefined): string {
  const requestContext: unknown = typeof event === 'object' && event !== null ? (event as { requestContext?: unknown }).requestContext : undefined;
  const fromEvent: unknown = typeof requestContext === 'object' && requestContext !== null ? (requestContext as { requestId?: unknown }).requestId : undefined;
  return isRequestId(fromEvent) ? fromEvent : (context?.awsRequestId ?? '');
}

export function jsonErrors(loggerOf: (context: Context) => Logger): MiddlewareObj<AnyEvent, HttpAnswer> {
  return {
    onError: (request) => {
      const requestId = requestIdOf(request.event, request.context);
      const error = request.error as (Error & { statusCode?: unknown; expose?: unknown }) | null | undefined;
      const status = typeof error?.statusCode === 'number' ? error.statusCode : 500;
      if (error instanceof InputError) {
        request.response = invalidAnswer(requestId, error.issues, error.code);
        return;
      }
      const known = PARSER_ERRORS[status];
      if (known) {
        request.response = invalidAnswer(requestId, [{ field: known.field, message: known.message }], known.code);
        return;
      }
      if (status < 500 && error?.expose) {
        request.response = errorAnswer({ status, requestId, code: httpStatusCode(status), message: error.message });
        return;
      }
      loggerOf(request.context).error('unhandled error', { api_request_id: requestId, error });
      request.response = errorAnswer({ status: 500, requestId, code: INTERNAL_ERROR, message: 'internal error; see the function logs for this request_id' });
    },
  };
}
