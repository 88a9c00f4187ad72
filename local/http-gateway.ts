// A local stand-in for the API Gateway HTTP API in front of the http function: a node:http request
// becomes a payload 2.0 event (as the IAM-authorised route receives it), and the function's answer
// goes back as API Gateway writes it. Dev tooling only; never bundled into a function.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2WithIAMAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { LOCAL_AWS, lambdaContext } from './lambda-context.ts';

export const CONNECTOR_ROUTE_KEY = 'POST /v2/{project_id}/instances/{instance_id}/connector';
const CONNECTOR_PATH = /^\/v2\/([^/]+)\/instances\/([^/]+)\/connector$/;

export type HttpApiEvent = APIGatewayProxyEventV2WithIAMAuthorizer;
/** A Lambda handler behind the HTTP API; whatever it answers is written back as API Gateway does. */
export type HttpApiHandler = (event: HttpApiEvent, context: Context) => Promise<unknown>;

/** The connector route's path parameters, still percent-encoded; undefined for other paths. */
export function matchConnectorPath(rawPath: string): { project_id: string; instance_id: string } | undefined {
  const match = CONNECTOR_PATH.exec(rawPath);
  return match?.[1] && match[2] ? { project_id: match[1], instance_id: match[2] } : undefined;
}

export interface HttpApiEventOptions {
  /** Default LOCAL_AWS.accountId. */
  accountId?: string;
  /** Ten lower-case letters and digits, as API Gateway's ids; default 'local00api'. */
  apiId?: string;
  /** The caller the IAM authorizer reports (locally nobody signs: a fixed local identity). */
  caller?: { accessKey: string; userArn: string; userId: string };
  /** Default API Gateway's style: 14 base64 characters and '='. */
  requestId?: string;
  /** Clock, default Date.now. */
  now?: () => number;
}

const LOCAL_CALLER = {
  accessKey: 'ASIALOCALSTACKACCESS',
  userArn: `arn:aws:sts::${LOCAL_AWS.accountId}:assumed-role/local-developer/local`,
  userId: 'AROALOCALDEVELOPER00:local',
};

/** API Gateway request ids look like "CcBxYj3vDoEEJ3g=". */
export function gatewayRequestId(): string {
  return randomBytes(11).toString('base64');
}

/** The payload 2.0 event API Gateway sends for this request on the connector route. */
export function httpApiEvent(req: IncomingMessage, body: Buffer, options: HttpApiEventOptions = {}): HttpApiEvent {
  const now = (options.now ?? Date.now)();
  const accountId = options.accountId ?? LOCAL_AWS.accountId;
  const apiId = options.apiId ?? 'local00api';
  const caller = options.caller ?? LOCAL_CALLER;
  const requestId = options.requestId ?? gatewayRequestId();
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  const rawPath = queryAt < 0 ? url : url.slice(0, queryAt);
  const rawQueryString = queryAt < 0 ? '' : url.slice(queryAt + 1);
  const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');

  // Lower-case names, repeated headers joined with commas; cookies move to their own list.
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(req.headersDistinct)) {
    if (!value) continue;
    if (name === 'cookie') {
      cookies = value.flatMap((line) => line.split(/;\s*/)).filter(Boolean);
      continue;
    }
    headers[name] = value.join(',');
  }
  // What API Gateway adds on its way to the function.
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${sourceIp}` : sourceIp;
  headers['x-forwarded-port'] = String(req.socket.localPort ?? '');
  headers['x-forwarded-proto'] = 'http';
  headers['x-amzn-trace-id'] = `Root=1-${Math.floor(now / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;

  const host = headers.host ?? `127.0.0.1:${req.socket.localPort ?? ''}`;
  const params = matchConnectorPath(rawPath);
  const event: HttpApiEvent = {
    version: '2.0',
    routeKey: CONNECTOR_ROUTE_KEY,
    rawPath,
    rawQueryString,
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(rawQueryString ? { queryStringParameters: queryParameters(rawQueryString) } : {}),
    requestContext: {
      accountId,
      apiId,
      authorizer: {
        iam: {
          accessKey: caller.accessKey,
          accountId,
          callerId: caller.userId,
          cognitoIdentity: null,
          principalOrgId: '',
          userArn: caller.userArn,
          userId: caller.userId,
        },
      },
      domainName: host,
      domainPrefix: host.split(/[.:]/)[0] ?? host,
      http: {
        method: req.method ?? 'GET',
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: CONNECTOR_ROUTE_KEY,
      stage: '$default',
      time: gatewayTime(now),
      timeEpoch: now,
    },
    ...(params ? { pathParameters: { project_id: decoded(params.project_id), instance_id: decoded(params.instance_id) } } : {}),
    isBase64Encoded: false,
  };
  if (body.length > 0) {
    const text = isTextContent(headers['content-type']) ? utf8(body) : undefined;
    event.body = text ?? body.toString('base64');
    event.isBase64Encoded = text === undefined;
  }
  return event;
}

export interface HttpGatewayOptions extends Omit<HttpApiEventOptions, 'requestId'> {
  handler: HttpApiHandler;
  /** Default 'smart-connect-enabler-local-http'. */
  functionName?: string;
  /** The function's timeout, default 29000 (the http function's, under API Gateway's 30 s). */
  timeoutMs?: number;
  region?: string;
  /** One line for each failed invocation. */
  log?: (line: string) => void;
}

export interface HttpGateway {
  /** Runs the http function for a request on the connector route and writes its answer. */
  handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void>;
}

export function createHttpGateway(options: HttpGatewayOptions): HttpGateway {
  const timeoutMs = options.timeoutMs ?? 29_000;
  const functionName = options.functionName ?? 'smart-connect-enabler-local-http';
  const log = options.log ?? (() => {});
  return {
    async handle(req, res, body) {
      const requestId = gatewayRequestId();
      if (req.method !== 'POST') {
        writeJson(res, 405, { error_code: 'METHOD_NOT_ALLOWED', error_msg: `${req.method} is not allowed; use POST`, request_id: requestId }, { allow: 'POST', 'apigw-requestid': requestId });
        return;
      }
      const event = httpApiEvent(req, body, { ...options, requestId });
      const context = lambdaContext({ functionName, timeoutMs, region: options.region, accountId: options.accountId, now: options.now });
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        const answer = await Promise.race([
          Promise.resolve().then(() => options.handler(event, context)),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new GatewayTimeout(`Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`)), timeoutMs);
          }),
        ]);
        writeHttpApiAnswer(res, answer, requestId);
      } catch (error) {
        // API Gateway's answers when the integration fails: 500, or 503 when it timed out.
        const timedOut = error instanceof GatewayTimeout;
        log(`http function ${timedOut ? 'timed out' : 'failed'} (request ${requestId}): ${error instanceof Error ? error.message : String(error)}`);
        writeJson(
          res,
          timedOut ? 503 : 500,
          timedOut
            ? { error_code: 'SERVICE_UNAVAILABLE', error_msg: 'Service Unavailable: the function timed out', request_id: requestId }
            : { error_code: 'INTERNAL_SERVER_ERROR', error_msg: 'Internal Server Error', request_id: requestId },
          { 'apigw-requestid': requestId },
        );
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

class GatewayTimeout extends Error {
  override readonly name = 'GatewayTimeout';
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

export function writeJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': String(body.length) });
  res.end(body);
}

function writeBody(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer, requestId: string): void {
  res.writeHead(status, { ...headers, 'content-length': String(body.length), 'apigw-requestid': requestId });
  res.end(body);
}

function isStructured(answer: unknown): answer is APIGatewayProxyStructuredResultV2 {
  return typeof answer === 'object' && answer !== null && typeof (answer as { statusCode?: unknown }).statusCode === 'number';
}

// Bodies API Gateway passes as text; anything else (or text that is not UTF-8) goes base64.
function isTextContent(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    type.startsWith('text/') ||
    /^application\/(json|xml|javascript|graphql|x-www-form-urlencoded)$/.test(type) ||
    /\+(json|xml)$/.test(type)
  );
}

function utf8(body: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return undefined;
  }
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// Repeated parameters are joined with commas, as the HTTP API does.
function queryParameters(rawQueryString: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) out[name] = name in out ? `${out[name]},${value}` : value;
  return out;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** requestContext.time: "25/Nov/2026:09:30:00 +0000". */
function gatewayTime(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}
