// The local stack's HTTP API stand-in forwards every method on the connector path to the http
// function as API Gateway forwards its routes: a payload 2.0 event with the method's route key, the
// path parameters and the query, the function's answer written back. The stack's own server and
// router, with a handler that records what it receives in place of the http function.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorPath, DEFAULT_INSTANCES, DEFAULT_PROJECT_ID, type HttpApiEvent } from '../../local/hosting/index.ts';
import { createLocalQueue } from '../../local/sqs/index.ts';
import { createCallbackSink } from '../../local/stack/callback-sink.ts';
import { createHttpGateway } from '../../local/stack/http-gateway.ts';
import { stackRouter } from '../../local/stack/router.ts';
import { startStackServer, type StackServer } from '../../local/stack/server.ts';

const [INSTANCE = ''] = DEFAULT_INSTANCES;
const PATH = connectorPath(DEFAULT_PROJECT_ID, INSTANCE);
const ROUTE = '/v2/{project_id}/instances/{instance_id}/connector';

const received: HttpApiEvent[] = [];
let server: StackServer;

beforeAll(async () => {
  server = await startStackServer({ port: 0, print: () => {} });
  const gateway = createHttpGateway({
    handler: async (event) => {
      received.push(event);
      return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ answered: event.routeKey }) };
    },
  });
  // Never started: the connector path does not touch the queue.
  const queue = createLocalQueue({ name: 'gateway-test', handler: async () => ({ batchItemFailures: [] }) });
  const callbacks = createCallbackSink({ secret: undefined, log: () => {} });
  server.serve(stackRouter({ gateway, queue, callbacks, runSchedule: async () => ({}) }));
});

afterAll(async () => {
  await server?.close();
});

async function request(method: string, url: string) {
  received.length = 0;
  const response = await fetch(`${server.url}${url}`, { method });
  return { status: response.status, requestId: response.headers.get('apigw-requestid'), json: (await response.json()) as unknown, event: received[0] };
}

describe('the local HTTP API stand-in', () => {
  it('forwards GET to the function as a payload 2.0 event on the GET route, with the query', async () => {
    const answer = await request('GET', `${PATH}?region=cn-north-4`);
    expect(received).toHaveLength(1);
    expect(answer.event).toMatchObject({
      version: '2.0',
      routeKey: `GET ${ROUTE}`,
      rawPath: PATH,
      rawQueryString: 'region=cn-north-4',
      queryStringParameters: { region: 'cn-north-4' },
      pathParameters: { project_id: DEFAULT_PROJECT_ID, instance_id: INSTANCE },
      requestContext: { routeKey: `GET ${ROUTE}`, http: { method: 'GET', path: PATH } },
      isBase64Encoded: false,
    });
    expect(answer.event?.body).toBeUndefined();
    // The function's answer, as API Gateway writes it back.
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ answered: `GET ${ROUTE}` });
    expect(answer.requestId).toBe(answer.event?.requestContext.requestId);
  });

  it('forwards GET without a query with neither query field set', async () => {
    const { event } = await request('GET', PATH);
    expect(event?.rawQueryString).toBe('');
    expect(event?.queryStringParameters).toBeUndefined();
  });

  it('forwards every other method with its own route key: the function answers them', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const answer = await request(method, PATH);
      expect(answer.event?.routeKey, method).toBe(`${method} ${ROUTE}`);
      expect(answer.event?.requestContext.http.method, method).toBe(method);
      expect(answer.json, method).toEqual({ answered: `${method} ${ROUTE}` });
    }
  });
});
