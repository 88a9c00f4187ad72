// What both routes read of a request: its id, the ids its path carries, and a logger that names them.
import { quote, type Logger } from '../../shared/runtime/index.ts';
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
