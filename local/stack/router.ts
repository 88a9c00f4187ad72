// The local stack's routes: the connector path (enable, status) through the HTTP API stand-in, the
// local queue (send, look), the schedule function on demand, and the callback sink (receive, list).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { matchConnectorPath } from '../hosting/index.ts';
import type { LocalQueue } from '../sqs/index.ts';
import type { CallbackSink } from './callback-sink.ts';
import type { HttpGateway } from './http-gateway.ts';
import { writeJson } from './json-response.ts';
import type { Route } from './server.ts';

export interface StackRoutes {
  readonly gateway: HttpGateway;
  readonly queue: LocalQueue;
  readonly callbacks: CallbackSink;
  /** Runs the schedule function with this event; resolves with its answer. */
  readonly runSchedule: (event: unknown) => Promise<unknown>;
}

export function stackRouter({ gateway, queue, callbacks, runSchedule }: StackRoutes): Route {
  return async (req, res, body) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (matchConnectorPath(path)) return gateway.handle(req, res, body);
    if (path === '/queue' && req.method === 'POST') return void sendToQueue(req, res, body, queue);
    if (path === '/queue' && req.method === 'GET') return void writeJson(res, 200, queueState(queue));
    if (path === '/schedule' && req.method === 'POST') return scheduleNow(res, body, runSchedule);
    if (path === '/callbacks' && req.method === 'POST') return void callbacks.receive(req, res, body);
    if (path === '/callbacks' && req.method === 'GET') return void callbacks.list(req, res);
    const allow = path === '/queue' || path === '/callbacks' ? 'GET, POST' : path === '/schedule' ? 'POST' : undefined;
    if (allow) return void writeJson(res, 405, { error_code: 'METHOD_NOT_ALLOWED', error_msg: `${req.method} is not allowed; use ${allow}` }, { allow });
    writeJson(res, 404, {
      error_code: 'NOT_FOUND',
      error_msg: `no route for ${req.method} ${path}; routes: POST|GET /v2/{project_id}/instances/{instance_id}/connector, POST|GET /queue, POST /schedule, POST|GET /callbacks`,
    });
  };
}

function sendToQueue(req: IncomingMessage, res: ServerResponse, body: Buffer, queue: LocalQueue): void {
  const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
  const delay = query.get('delay_seconds');
  const text = new TextDecoder('utf-8', { fatal: false }).decode(body);
  try {
    const messageId = queue.send(text, delay === null ? {} : { delaySeconds: Number(delay) });
    writeJson(res, 202, { message_id: messageId });
  } catch (error) {
    writeJson(res, 400, { error_code: 'INVALID_MESSAGE', error_msg: error instanceof Error ? error.message : String(error) });
  }
}

function queueState(queue: LocalQueue): unknown {
  return {
    name: queue.name,
    arn: queue.arn,
    pending: queue.pending(),
    in_flight: queue.inFlight(),
    dead_letters: queue.deadLetters(),
    deliveries: queue.deliveries,
  };
}

async function scheduleNow(res: ServerResponse, body: Buffer, run: (event: unknown) => Promise<unknown>): Promise<void> {
  let input: unknown = {};
  const text = body.toString('utf8').trim();
  if (text) {
    try {
      input = JSON.parse(text);
    } catch {
      writeJson(res, 400, { error_code: 'INVALID_JSON', error_msg: 'the body is not valid JSON (expected {"targets": [...]} or nothing)' });
      return;
    }
  }
  try {
    writeJson(res, 200, await run(input));
  } catch (error) {
    // What Lambda reports for a failed invocation: the error's type and message.
    writeJson(res, 500, {
      error_code: error instanceof Error ? error.name : 'Error',
      error_msg: error instanceof Error ? error.message : String(error),
    });
  }
}
