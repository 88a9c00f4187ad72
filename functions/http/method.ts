// The method a request is routed by, and middleware that only runs for one method (a GET has no
// body to parse).
import type { MiddlewareObj } from '@middy/core';
import type { HttpEventShape } from '../middleware/http-event-shape.ts';

/** The method as the event gives it (payload 2.0 or 1.0), '' when it names none. */
export function givenMethod(event: HttpEventShape): string {
  return event.requestContext.http?.method ?? event.httpMethod ?? event.requestContext.httpMethod ?? '';
}

/** Upper case; an event that names none (a direct invoke) reads as POST, the route it was made for. */
export function routeMethod(event: HttpEventShape): string {
  return givenMethod(event).toUpperCase() || 'POST';
}

/** Runs `middleware` for requests of `method` only. Use it after httpEventShape, which checked the event. */
export function onlyFor<E>(method: string, middleware: MiddlewareObj<E>): MiddlewareObj<E> {
  return {
    before: (request) => (routeMethod(request.event as HttpEventShape) === method ? middleware.before?.(request) : undefined),
  };
}
