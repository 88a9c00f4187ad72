// A local stand-in for the API Gateway HTTP API in front of the http function: a node:http request
// becomes a payload 2.0 event (local/hosting builds it, as the IAM-authorised route receives it), and
// the function's answer goes back as API Gateway writes it. Every method is forwarded with its own
// route key (GET and POST are the deployed routes; the function answers 405 to the others).
// Dev tooling only; never bundled into a function.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import {
  FUNCTION_TIMEOUT_MS,
  functionContext,
  gatewayRequestId,
  httpApiEvent,
  invokeWithTimeout,
  InvocationTimeout,
  type HttpApiEvent,
  type HttpApiEventOptions,
} from '../hosting/index.ts';
import { writeJson } from './json-response.ts';

/** A Lambda handler behind the HTTP API; whatever it answers is written back as API Gateway does. */
export type HttpApiHandler = (event: HttpApiEvent, context: Context) => Promise<unknown>;

export interface HttpGatewayOptions extends Omit<HttpApiEventOptions, 'requestId' | 'domainName'> {
  handler: HttpApiHandler;
  /** The function's timeout, default the http function's (under API Gateway's 30 s). */
  timeoutMs?: number;
  /** One line for each failed invocation. */
  log?: (line: string) => void;
}

export interface HttpGateway {
  /** Runs the http function for a request on the connector path (any method) and writes its answer. */
  handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void>;
}

export function createHttpGateway(options: HttpGatewayOptions): HttpGateway {
  const timeoutMs = options.timeoutMs ?? FUNCTION_TIMEOUT_MS.http;
  const log = options.log ?? (() => {});
  return {
    async handle(req, res, body) {
      const requestId = gatewayRequestId();
      const port = req.socket.localPort;
      const event = httpApiEvent(
        {
          method: req.method,
          url: req.url ?? '/',
          headers: req.headersDistinct,
          body,
          sourceIp: req.socket.remoteAddress,
          httpVersion: req.httpVersion,
          forwardedProto: 'http',
          ...(port === undefined ? {} : { forwardedPort: port }),
        },
        { ...options, requestId, domainName: `127.0.0.1:${port ?? ''}` },
      );
      const context = functionContext('http', { timeoutMs, now: options.now, accountId: options.accountId });
      try {
        writeHttpApiAnswer(res, await invokeWithTimeout({ handler: options.handler, event, context, timeoutMs }), requestId);
      } catch (error) {
        // API Gateway's answers when the integration fails: 500, or 503 when it timed out.
        const timedOut = error instanceof InvocationTimeout;
        log(`http function ${timedOut ? 'timed out' : 'failed'} (request ${requestId}): ${error instanceof Error ? error.message : String(error)}`);
        writeJson(
          res,
          timedOut ? 503 : 500,
          timedOut
            ? { error_code: 'SERVICE_UNAVAILABLE', error_msg: 'Service Unavailable: the function timed out', request_id: requestId }
            : { error_code: 'INTERNAL_SERVER_ERROR', error_msg: 'Internal Server Error', request_id: requestId },
          { 'apigw-requestid': requestId },
        );
      }
    },
  };
}

/**
 * Writes a function's answer as the HTTP API (payload 2.0) does: a structured result
 * ({statusCode, headers, body, isBase64Encoded, cookies}) as given; any other value as 200 JSON.
 */
export function writeHttpApiAnswer(res: ServerResponse, answer: unknown, requestId: string): void {
  const structured = isStructured(answer) ? answer : undefined;
  if (!structured) {
    writeBody(res, 200, { 'content-type': 'application/json' }, Buffer.from(JSON.stringify(answer) ?? ''), requestId);
    return;
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(structured.headers ?? {})) headers[name.toLowerCase()] = String(value);
  if (structured.cookies?.length) res.setHeader('set-cookie', structured.cookies);
  const body = structured.body === undefined ? Buffer.alloc(0) : Buffer.from(structured.body, structured.isBase64Encoded ? 'base64' : 'utf8');
  writeBody(res, structured.statusCode ?? 200, headers, body, requestId);
}

function writeBody(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer, requestId: string): void {
  res.writeHead(status, { ...headers, 'content-length': String(body.length), 'apigw-requestid': requestId });
  res.end(body);
}

function isStructured(answer: unknown): answer is APIGatewayProxyStructuredResultV2 {
  return typeof answer === 'object' && answer !== null && typeof (answer as { statusCode?: unknown }).statusCode === 'number';
}
