// The POST route's query string (issue 14, item 4), against the built http bundle and the DMS
// simulator on loopback: a POST reads its fields from the body only, so any query parameter, in any
// of API Gateway's event shapes (payload 2.0: rawQueryString and queryStringParameters; REST payload
// 1.0: queryStringParameters and multiValueQueryStringParameters), is refused by name with a 400,
// and nothing is sent to Huawei. One URL means one thing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorPath, functionContext, httpApiEvent, loadHandler, type Handler, type HttpAnswer } from '../../local/hosting/index.ts';
import { PROJECT, useSimulator } from '../support/fixtures.ts';
import { captureLogLines, type LogCapture } from '../support/log-lines.ts';

const fx = useSimulator();
let http: Handler<unknown, HttpAnswer>;
// The metrics lines every invocation writes to stdout, kept out of the test's output.
let stdout: LogCapture;

beforeAll(async () => {
  Object.assign(process.env, fx.env({ LOG_LEVEL: 'SILENT' }));
  http = await loadHandler('http', { fresh: true });
  stdout = captureLogLines();
});
afterAll(() => stdout.restore());

interface ErrorBody {
  error_code: string;
  error_msg: string;
  issues: { field: string; message: string }[];
}

const post = (instanceId: string, query: string, body: unknown = {}) =>
  httpApiEvent({ url: `${connectorPath(PROJECT, instanceId)}${query}`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** The same request as REST payload 1.0 carries it. */
function restEvent(instanceId: string, single: Record<string, string> | null, multi: Record<string, string[]> | null): Record<string, unknown> {
  return {
    resource: '/v2/{project_id}/instances/{instance_id}/connector',
    path: connectorPath(PROJECT, instanceId),
    httpMethod: 'POST',
    headers: { 'content-type': 'application/json' },
    multiValueHeaders: { 'content-type': ['application/json'] },
    queryStringParameters: single,
    multiValueQueryStringParameters: multi,
    pathParameters: { project_id: PROJECT, instance_id: instanceId },
    requestContext: { requestId: 'rest-request-1', httpMethod: 'POST' },
    body: '{}',
    isBase64Encoded: false,
  };
}

async function refused(event: unknown): Promise<ErrorBody> {
  const answer = await http(event, functionContext('http'));
  expect(answer.statusCode).toBe(400);
  const body = JSON.parse(answer.body) as ErrorBody;
  expect(body.error_code).toBe('INVALID_REQUEST');
  // Nothing reached Huawei: no read, no POST.
  expect(fx.sim.requests).toHaveLength(0);
  return body;
}

describe('POST .../connector with a query string', () => {
  it('?region=eu-west-101 with {} is refused by name, not enabled in the default region', async () => {
    const instanceId = fx.instance();
    const body = await refused(post(instanceId, '?region=eu-west-101'));
    expect(body.issues).toEqual([{ field: 'query.region', message: expect.stringContaining('not taken') }]);
    expect(body.error_msg).toContain('query.region');
    expect(fx.sim.acceptedEnableCalls(instanceId)).toBe(0);
  });

  it('?dry_run=true&foo=bar names each parameter, once however often it is given, and sends no POST', async () => {
    const body = await refused(post(fx.instance(), '?dry_run=true&foo=bar&foo=baz'));
    expect(body.issues.map((issue) => issue.field)).toEqual(['query.dry_run', 'query.foo']);
  });

  it('a parameter without a value or without a name is still a parameter', async () => {
    const body = await refused(post(fx.instance(), '?verbose&=x'));
    expect(body.issues.map((issue) => issue.field)).toEqual(['query.verbose', 'query']);
  });

  it('a payload 2.0 event with only rawQueryString (no queryStringParameters) is refused too', async () => {
    const event: Record<string, unknown> = { ...post(fx.instance(), '?region=eu-west-101') };
    delete event.queryStringParameters;
    expect((await refused(event)).issues.map((issue) => issue.field)).toEqual(['query.region']);
  });

  it('REST payload 1.0: queryStringParameters and multiValueQueryStringParameters are read', async () => {
    const instanceId = fx.instance();
    const single = await refused(restEvent(instanceId, { region: 'eu-west-101' }, { region: ['eu-west-101'] }));
    expect(single.issues.map((issue) => issue.field)).toEqual(['query.region']);
    const multiOnly = await refused(restEvent(instanceId, null, { dry_run: ['true', 'false'] }));
    expect(multiOnly.issues.map((issue) => issue.field)).toEqual(['query.dry_run']);
  });

  it('a query string of the wrong type in a direct invoke is refused by name, not guessed at', async () => {
    const event: Record<string, unknown> = { ...post(fx.instance(), ''), rawQueryString: 42, multiValueQueryStringParameters: ['x'] };
    expect((await refused(event)).issues.map((issue) => issue.field)).toEqual(['rawQueryString', 'multiValueQueryStringParameters']);
  });

  it('a thousand parameters, and long names: 20 named (each quoted short), then how many more', async () => {
    const query = Array.from({ length: 1_000 }, (_, i) => `${'p'.repeat(200)}${i}=1`).join('&');
    const body = await refused(post(fx.instance(), `?${query}`));
    expect(body.issues).toHaveLength(21);
    expect(body.issues[0]?.field.length).toBeLessThanOrEqual('query.'.length + 65);
    expect(body.issues.at(-1)).toEqual({ field: 'request', message: 'and 980 more' });
  });

  it('without a query (empty rawQueryString, null parameters) the POST still enables', async () => {
    const instanceId = fx.instance();
    const answer = await http(post(instanceId, ''), functionContext('http'));
    expect(answer.statusCode).toBe(202);
    const rest = await http(restEvent(fx.instance(), null, null), functionContext('http'));
    expect(rest.statusCode).toBe(202);
  });
});
