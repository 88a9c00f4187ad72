// What a route's handler is given: its path parameters, the query, the body and the request's context.
// Apart from routes.ts, which picks the handler, so that handlers kept in files of their own (list.ts)
// need not import the table that imports them.
import type { InstanceStore } from './state.ts';
import type { ListChange } from './types.ts';

export interface RouteContext {
  store: InstanceStore;
  now: number;
  requestId: string;
  /** An injected change to a ListInstances answer (types.ts ListChange). */
  listChange?: ListChange;
}

export interface Call {
  params: Record<string, string>;
  /** The decoded query; a repeated key holds its values in order. */
  query: Record<string, string | string[]>;
  body: string;
  ctx: RouteContext;
}
