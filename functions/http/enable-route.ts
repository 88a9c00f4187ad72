// POST /v2/{project_id}/instances/{instance_id}/connector: the path carries the instance, the body
// how to enable it, the query nothing (any parameter is refused by name). 202 accepted, 200
// already_enabled, or the contract's error.
import type { Context } from 'aws-lambda';
import { runEnableFlow, type EnableFlowOutcome } from '../../shared/enable/index.ts';
import { ENABLE_FAILED } from '../../shared/errors/index.ts';
import { deadlineOf, type StartedFunction } from '../lambda.ts';
import { flowContext } from '../wiring.ts';
import type { HttpEventShape } from '../middleware/http-event-shape.ts';
import { failureAnswer, invalidAnswer, jsonAnswer, type HttpAnswer } from './answers.ts';
import { misplacedPathFields, refusedQueryParameters, routeRequest } from './request.ts';

// Checked by httpEventShape; after the body parser, body is whatever JSON was sent.
export type HttpEvent = HttpEventShape & { body?: unknown };

export async function enableOverHttp(event: HttpEvent, context: Context, started: StartedFunction): Promise<HttpAnswer> {
  const { requestId, path, logger } = routeRequest(event, started.loggerOf(context));
  // One URL means one thing: a query the POST would ignore (?region=..., ?dry_run=true) is refused.
  const query = refusedQueryParameters(event);
  if (query.length) return invalidAnswer(requestId, query);
  const body = event.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return invalidAnswer(requestId, [{ field: 'body', message: 'must be a JSON object' }]);
  }
  const misplaced = misplacedPathFields(body, 'body');
  if (misplaced.length) return invalidAnswer(requestId, misplaced);

  const outcome = await runEnableFlow(
    { ...body, project_id: path.project_id, instance_id: path.instance_id },
    flowContext(started.deployment, { trigger: 'http', deadline: deadlineOf(context), dedupeKey: requestId, logger, reportRejections: false }),
  );
  return answerFor(outcome, requestId);
}

function answerFor(outcome: EnableFlowOutcome, requestId: string): HttpAnswer {
  if (outcome.kind === 'invalid') return invalidAnswer(requestId, outcome.issues);
  const { result } = outcome;
  switch (result.status) {
    case 'accepted':
      return jsonAnswer(202, { status: 'accepted', job_id: result.job_id, connector_id: result.connector_id, request_id: requestId });
    case 'already_enabled':
      return jsonAnswer(200, { status: 'already_enabled', connector_id: result.connector_id, request_id: requestId });
    default:
      return failureAnswer(requestId, {
        code: result.error?.code ?? ENABLE_FAILED,
        message: result.error?.message ?? result.status,
        upstreamStatus: result.upstream_status ?? 0,
        retryable: result.retryable ?? false,
        retryAfterMs: result.retry_after_ms,
      });
  }
}
