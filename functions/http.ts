// API Gateway HTTP API (payload 2.0; REST payload 1.0 tolerated):
// POST /v2/{project_id}/instances/{instance_id}/connector, the same path as Huawei's.
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { Context } from 'aws-lambda';
import { enableAndReport, INVALID_REQUEST, type ReportOutcome } from '../shared/enable/index.ts';
import { isConfigurationError } from '../shared/huawei/index.ts';
import { describeIssues, type RequestIssue } from '../shared/request/index.ts';
import { quote } from '../shared/runtime/index.ts';
import type { JobResult } from '../shared/result/index.ts';
import { deadlineOf, startFunction } from './lambda.ts';
import { httpEventShape, type HttpEventShape } from './middleware/http-event-shape.ts';
import { answersWithoutSecrets } from './middleware/answers-without-secrets.ts';
import { jsonBodyShape } from './middleware/json-body.ts';
import { jsonContentType } from './middleware/json-content-type.ts';
import { errorAnswer, jsonAnswer, jsonErrors, type HttpAnswer } from './middleware/json-errors.ts';

const { enabler, tracking, invoked, loggerOf } = startFunction('http');

// Checked by httpEventShape; after the body parser, body is whatever JSON was sent.
type HttpEvent = HttpEventShape & { body?: unknown };

// The path carries the instance; the body only how to enable it.
const PATH_FIELDS = ['project_id', 'instance_id'] as const;

async function enableOverHttp(event: HttpEvent, context: Context): Promise<HttpAnswer> {
  const requestId = event.requestContext.requestId;
  const method = event.requestContext.http?.method ?? event.httpMethod ?? event.requestContext.httpMethod;
  if (method && method.toUpperCase() !== 'POST') {
    return errorAnswer(405, requestId, 'METHOD_NOT_ALLOWED', `${quote(method)} is not allowed; use POST`, undefined, { allow: 'POST' });
  }
  const body = event.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return invalid(requestId, [{ field: 'body', message: 'must be a JSON object' }]);
  }
  const misplaced = PATH_FIELDS.filter((field) => field in body).map((field) => ({ field, message: 'is given by the path, not the body' }));
  if (misplaced.length) return invalid(requestId, misplaced);

  const path: { project_id?: unknown; instance_id?: unknown } = event.pathParameters ?? {};
  const outcome = await enableAndReport(
    { ...body, project_id: path.project_id, instance_id: path.instance_id },
    {
      enabler,
      source: 'http',
      deadline: deadlineOf(context),
      dedupeKey: requestId,
      logger: loggerOf(context).child({ api_request_id: requestId, project_id: quoted(path.project_id), instance_id: quoted(path.instance_id) }),
      reportRejections: false,
      tracking,
    },
  );
  return answerFor(outcome, requestId);
}

// Path parameters are input: logged as a short prefix, and only when they are text.
function quoted(value: unknown): string | undefined {
  return typeof value === 'string' ? quote(value) : undefined;
}

function invalid(requestId: string, issues: readonly RequestIssue[]): HttpAnswer {
  return errorAnswer(400, requestId, INVALID_REQUEST, describeIssues(issues), issues);
}

export function answerFor(outcome: ReportOutcome, requestId: string): HttpAnswer {
  if (outcome.kind === 'invalid') return invalid(requestId, outcome.issues);
  const { result } = outcome;
  switch (result.status) {
    case 'accepted':
      return jsonAnswer(202, { status: 'accepted', job_id: result.job_id, connector_id: result.connector_id, request_id: requestId });
    case 'already_enabled':
      return jsonAnswer(200, { status: 'already_enabled', connector_id: result.connector_id, request_id: requestId });
    default: {
      const status = failureStatus(result);
      return errorAnswer(status, requestId, result.error?.code ?? 'FAILED', result.error?.message ?? result.status, undefined, status === 503 ? { 'retry-after': '5' } : {});
    }
  }
}

// Huawei's 4xx about the instance (400, 404, 409) are the caller's to see; a refused signature or an
// unusable credentials secret is this deployment's fault (502, no Retry-After: asking again will not
// help until an operator fixes it); anything that may clear by itself is a 503 to retry.
function failureStatus(result: JobResult): number {
  if (isConfigurationError(result.error?.code)) return 502;
  const upstream = result.upstream_status ?? 0;
  if (result.retryable) return 503;
  if (upstream === 401 || upstream === 403) return 502;
  if (upstream >= 400 && upstream < 500) return upstream;
  return 502;
}

// In order: errors as JSON; the event's shape before anything reads it; then the content type
// (none means JSON) and the body.
export const handler = invoked(answersWithoutSecrets(
  middy<HttpEvent, HttpAnswer>(enableOverHttp)
    .use(jsonErrors(loggerOf))
    .use(httpEventShape())
    .use(httpHeaderNormalizer())
    .use(jsonContentType())
    .use(jsonBodyShape())
    .use(httpJsonBodyParser({ disableContentTypeCheck: true })),
  () => enabler.secrets(),
));
