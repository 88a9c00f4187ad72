// Every error leaves as the contract's JSON {error_code, error_msg, request_id, issues?}: input
// problems as 400 naming the field, anything unexpected as a 500 without internals. Never an HTML
// page, never a stack trace.
import type { MiddlewareObj } from '@middy/core';
import type { Logger } from '../../shared/log.ts';
import type { RequestIssue } from '../../shared/request.ts';

interface EventWithRequestId {
  requestContext?: { requestId?: string };
}

export interface HttpAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export function jsonAnswer(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpAnswer {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export function errorAnswer(
  statusCode: number,
  requestId: string,
  errorCode: string,
  errorMsg: string,
  issues?: readonly RequestIssue[],
  headers?: Record<string, string>,
): HttpAnswer {
  return jsonAnswer(statusCode, { error_code: errorCode, error_msg: errorMsg, request_id: requestId, ...(issues ? { issues } : {}) }, headers);
}

/** Input refused before the handler runs: a 400 listing the problems by field. */
export class InputError extends Error {
  override readonly name = 'InputError';
  readonly issues: readonly RequestIssue[];
  constructor(issues: readonly RequestIssue[]) {
    super(issues.map((issue) => `${issue.field} ${issue.message}`).join('; '));
    this.issues = issues;
  }
}

// What middy's own parsers throw (http errors with a status), as input problems of ours.
const PARSER_ERRORS: Record<number, { code: string; field: string; message: string }> = {
  415: { code: 'UNSUPPORTED_MEDIA_TYPE', field: 'content-type', message: 'must be application/json' },
  422: { code: 'INVALID_JSON', field: 'body', message: 'is not valid JSON' },
};

export function jsonErrors(logger: Logger): MiddlewareObj<EventWithRequestId, HttpAnswer> {
  return {
    onError: (request) => {
      const requestId = request.event?.requestContext?.requestId ?? request.context?.awsRequestId ?? '';
      const error = request.error as (Error & { statusCode?: unknown; expose?: unknown }) | null | undefined;
      const status = typeof error?.statusCode === 'number' ? error.statusCode : 500;
      if (error instanceof InputError) {
        request.response = errorAnswer(400, requestId, 'INVALID_REQUEST', error.message, error.issues);
        return;
      }
      const known = PARSER_ERRORS[status];
      if (known) {
        const issues = [{ field: known.field, message: known.message }];
        request.response = errorAnswer(400, requestId, known.code, `${known.field} ${known.message}`, issues);
        return;
      }
      if (status < 500 && error?.expose) {
        request.response = errorAnswer(status, requestId, `HTTP_${status}`, error.message);
        return;
      }
      logger.error('unhandled error', { request_id: requestId, error });
      request.response = errorAnswer(500, requestId, 'INTERNAL_ERROR', 'internal error; see the function logs for this request_id');
    },
  };
}
