// API Gateway HTTP API (payload 2.0) events for the connector route, as the IAM-authorised route
// hands them to the http function: the one builder for the local stack's gateway, tests and the
// benchmark. Never bundled into a function.
import type { APIGatewayProxyEventV2WithIAMAuthorizer } from 'aws-lambda';
import { LOCAL_AWS } from '../lambda-context.ts';
import { nodeCrypto } from '../node-crypto.ts';

const CONNECTOR_ROUTE = '/v2/{project_id}/instances/{instance_id}/connector';
export const CONNECTOR_ROUTE_KEY = connectorRouteKey('POST');
const CONNECTOR_PATH = /^\/v2\/([^/]+)\/instances\/([^/]+)\/connector$/;

export type HttpApiEvent = APIGatewayProxyEventV2WithIAMAuthorizer;

export function connectorPath(projectId: string, instanceId: string): string {
  return `/v2/${projectId}/instances/${instanceId}/connector`;
}

/** The route key a request with this method arrives with: "GET /v2/{project_id}/instances/{instance_id}/connector". */
export function connectorRouteKey(method: string): string {
  return `${method} ${CONNECTOR_ROUTE}`;
}

/** The connector route's path parameters, still percent-encoded; undefined for other paths. */
export function matchConnectorPath(rawPath: string): { project_id: string; instance_id: string } | undefined {
  const match = CONNECTOR_PATH.exec(rawPath);
  return match?.[1] && match[2] ? { project_id: match[1], instance_id: match[2] } : undefined;
}

/** API Gateway request ids look like "CcBxYj3vDoEEJ3g=". */
export function gatewayRequestId(): string {
  return nodeCrypto().randomBytes(11).toString('base64');
}

/** The request as it reached API Gateway. */
export interface HttpRequest {
  /** Default POST. */
  method?: string;
  /** Path and query string as sent, e.g. /v2/{project_id}/instances/{instance_id}/connector?region=cn-north-4. */
  url: string;
  /** Lower-case names; a list for a header sent more than once. */
  headers?: Record<string, string | readonly string[] | undefined>;
  body?: string | Buffer;
  /**
   * How the event carries the body: 'auto' as API Gateway does (text content types as text when
   * valid UTF-8, anything else base64), or always 'base64' / 'text'. Default 'auto'.
   */
  bodyEncoding?: 'auto' | 'base64' | 'text';
  /** Default 127.0.0.1. */
  sourceIp?: string;
  /** Default '1.1'. */
  httpVersion?: string;
  /** How the client reached API Gateway, for the x-forwarded-* headers; default https on 443. */
  forwardedProto?: 'http' | 'https';
  forwardedPort?: number;
}

export interface HttpApiEventOptions {
  /** Default LOCAL_AWS.accountId. */
  accountId?: string;
  /** Ten lower-case letters and digits, as API Gateway's ids; default 'local00api'. */
  apiId?: string;
  /** requestContext.domainName without a host header; default the API's execute-api name. */
  domainName?: string;
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

/** The payload 2.0 event API Gateway sends for this request on the connector route (its method's route). */
export function httpApiEvent(request: HttpRequest, options: HttpApiEventOptions = {}): HttpApiEvent {
  const now = (options.now ?? Date.now)();
  const accountId = options.accountId ?? LOCAL_AWS.accountId;
  const apiId = options.apiId ?? 'local00api';
  const caller = options.caller ?? LOCAL_CALLER;
  const queryAt = request.url.indexOf('?');
  const rawPath = queryAt < 0 ? request.url : request.url.slice(0, queryAt);
  const rawQueryString = queryAt < 0 ? '' : request.url.slice(queryAt + 1);
  const sourceIp = (request.sourceIp ?? '127.0.0.1').replace(/^::ffff:/, '');
  const body = typeof request.body === 'string' ? Buffer.from(request.body) : request.body;
  const { headers, cookies } = gatewayHeaders(request, sourceIp, now, body);

  const host = headers.host ?? options.domainName ?? `${apiId}.execute-api.${LOCAL_AWS.region}.amazonaws.com`;
  const params = matchConnectorPath(rawPath);
  const method = request.method ?? 'POST';
  const routeKey = connectorRouteKey(method);
  const event: HttpApiEvent = {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length ? { cookies } : {}),
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
        method,
        path: rawPath,
        protocol: `HTTP/${request.httpVersion ?? '1.1'}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: options.requestId ?? gatewayRequestId(),
      routeKey,
      stage: '$default',
      time: gatewayTime(now),
      timeEpoch: now,
    },
    ...(params ? { pathParameters: { project_id: decoded(params.project_id), instance_id: decoded(params.instance_id) } } : {}),
    isBase64Encoded: false,
  };
  if (body && body.length > 0) {
    const encoding = request.bodyEncoding ?? 'auto';
    const text = encoding === 'base64' ? undefined : encoding === 'text' || isTextContent(headers['content-type']) ? utf8(body) : undefined;
    event.body = text ?? body.toString('base64');
    event.isBase64Encoded = text === undefined;
  }
  return event;
}

// Lower-case names, repeated headers joined with commas; cookies move to their own list; then what
// API Gateway adds on its way to the function.
function gatewayHeaders(request: HttpRequest, sourceIp: string, now: number, body: Buffer | undefined): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (value === undefined) continue;
    const values = typeof value === 'string' ? [value] : value;
    if (name === 'cookie') cookies.push(...values.flatMap((line) => line.split(/;\s*/)).filter(Boolean));
    else headers[name] = values.join(',');
  }
  if (body?.length && headers['content-length'] === undefined && headers['transfer-encoding'] === undefined) headers['content-length'] = String(body.length);
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${sourceIp}` : sourceIp;
  headers['x-forwarded-port'] = String(request.forwardedPort ?? 443);
  headers['x-forwarded-proto'] = request.forwardedProto ?? 'https';
  headers['x-amzn-trace-id'] = `Root=1-${Math.floor(now / 1000).toString(16)}-${nodeCrypto().randomBytes(12).toString('hex')}`;
  return { headers, cookies };
}

// Bodies API Gateway passes as text; anything else (or text that is not UTF-8) goes base64.
function isTextContent(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return type.startsWith('text/') || /^application\/(json|xml|javascript|graphql|x-www-form-urlencoded)$/.test(type) || /\+(json|xml)$/.test(type);
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
