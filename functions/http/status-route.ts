// GET /v2/{project_id}/instances/{instance_id}/connector[?region=R]: whether Smart Connect is on,
// read from the instance's detail. 200 the Status object, Huawei's 404 for an unknown instance, or
// the contract's error.
import type { Context } from 'aws-lambda';
import { readStatus } from '../../shared/status/index.ts';
import { deadlineOf, type StartedFunction } from '../lambda.ts';
import type { HttpEventShape } from '../middleware/http-event-shape.ts';
import { failureAnswer, invalidAnswer, jsonAnswer, type HttpAnswer } from './answers.ts';
import { misplacedPathFields, routeRequest } from './request.ts';

export async function statusOverHttp(event: HttpEventShape, context: Context, started: StartedFunction): Promise<HttpAnswer> {
  const { requestId, path, logger } = routeRequest(event, started.loggerOf(context));
  // The query's parameters are the request's other fields (region); any other is refused by name.
  const query = event.queryStringParameters ?? {};
  const misplaced = misplacedPathFields(query, 'query');
  if (misplaced.length) return invalidAnswer(requestId, misplaced);

  const outcome = await readStatus(
    { ...query, project_id: path.project_id, instance_id: path.instance_id },
    { deployment: started.deployment, deadline: deadlineOf(context), logger },
  );
  switch (outcome.kind) {
    case 'invalid':
      return invalidAnswer(requestId, outcome.issues);
    case 'found':
      return jsonAnswer(200, { ...outcome.status, request_id: requestId });
    case 'failed':
      return failureAnswer(requestId, outcome.failure);
  }
}
