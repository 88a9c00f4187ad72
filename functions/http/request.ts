// What both routes read of a request: its id, the ids its path carries, its query parameters, and a
// logger that names them.
import type { RequestIssue } from '../../shared/request/index.ts';
import { isJsonObject, quote, type Logger } from '../../shared/runtime/index.ts';
import type { HttpEventShape } from '../middleware/http-event-shape.ts';

/** Path fields: given by the path, never by the body or the query. */
export const PATH_FIELDS = ['project_id', 'instance_id'] as const;

export interface RouteRequest {
  readonly requestId: string;
  readonly path: { readonly project_id?: unknown; readonly instance_id?: unknown };
  readonly logger: Logger;
}

export function routeRequest(event: HttpEventShape, logger: Logger): RouteRequest {
  const requestId = event.requestContext.requestId;
  const path: RouteRequest['path'] = event.pathParameters ?? {};
  // Path parameters are input: logged as a short prefix, and only when they are text.
  const quoted = (value: unknown) => (typeof value === 'string' ? quote(value) : undefined);
  return { requestId, path, logger: logger.child({ api_request_id: requestId, project_id: quoted(path.project_id), instance_id: quoted(path.instance_id) }) };
}

/** Path fields also given elsewhere (`where`: the body, the query), each named. */
export function misplacedPathFields(given: object, where: string) {
  return PATH_FIELDS.filter((field) => Object.hasOwn(given, field)).map((field) => ({ field, message: `is given by the path, not the ${where}` }));
}

/** Where an event may carry its query: payload 2.0 (rawQueryString, queryStringParameters), 1.0 (and multiValueQueryStringParameters). */
type QueryCarrier = HttpEventShape & { readonly rawQueryString?: unknown; readonly multiValueQueryStringParameters?: unknown };

const NOT_TAKEN = 'is not taken: a POST reads its fields from the body, and its query string carries nothing';

/**
 * Every query parameter the event carries, in any of API Gateway's shapes, each refused by name
 * (once, however often it is given): for a route whose query must be empty. Bounded as any list.
 */
export function refusedQueryParameters(event: QueryCarrier): RequestIssue[] {
  const issues: RequestIssue[] = [];
  const names = new Set<string>();
  const { rawQueryString: raw, multiValueQueryStringParameters: multi } = event;
  // Not what API Gateway sends (a direct invoke): refused rather than guessed at.
  if (raw !== undefined && raw !== null && typeof raw !== 'string') issues.push({ field: 'rawQueryString', message: 'must be a string (the query string)' });
  if (multi !== undefined && multi !== null && !isJsonObject(multi))
    issues.push({ field: 'multiValueQueryStringParameters', message: 'must be an object of query parameters' });
  for (const given of [event.queryStringParameters, multi]) if (isJsonObject(given)) for (const name of Object.keys(given)) names.add(name);
  if (typeof raw === 'string' && raw !== '') for (const [name] of new URLSearchParams(raw)) names.add(name);
  for (const name of names)
    issues.push({
      field: name === '' ? 'query' : `query.${quote(name)}`,
      message: name === '' ? `has a parameter without a name, which ${NOT_TAKEN}` : NOT_TAKEN,
    });
  return issues;
}
