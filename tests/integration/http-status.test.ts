// The built http bundle's status route, GET /v2/{project_id}/instances/{instance_id}/connector, from
// the sample in events/ (payload 2.0) and its REST (payload 1.0) form, against the DMS simulator.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionContext, loadHandler, type Handler, type HttpAnswer } from '../../local/hosting/index.ts';
import { KEY, PROJECT, newInstanceId, useSimulator } from '../support/fixtures.ts';

const fx = useSimulator();
let http: (event: unknown) => Promise<HttpAnswer>;

beforeAll(async () => {
  // Importing a bundle starts its Lambda handler (`handler = createHandler()`), which reads process.env.
  Object.assign(process.env, fx.env({ LOG_LEVEL: 'SILENT' }));
  const handler = await loadHandler<Handler<unknown, HttpAnswer>>('http', { host: { env: fx.env({ LOG_LEVEL: 'SILENT' }) } });
  http = (event) => handler(event, functionContext('http'));
});

interface StatusEvent {
  rawQueryString: string;
  queryStringParameters?: Record<string, unknown> | null;
  requestContext: { requestId: string; http: { method: string; path: string } };
  pathParameters?: Record<string, unknown>;
  body?: unknown;
}

function statusEvent(instanceId: string, query: Record<string, unknown> | null = null, projectId = PROJECT): StatusEvent {
  const event = JSON.parse(readFileSync('events/http-api-v2-status.json', 'utf8')) as StatusEvent;
  event.requestContext.requestId = `req-${randomBytes(6).toString('hex')}`;
  event.requestContext.http.path = `/v2/${projectId}/instances/${instanceId}/connector`;
  event.pathParameters = { project_id: projectId, instance_id: instanceId };
  if (query === null) delete event.queryStringParameters;
  else event.queryStringParameters = query;
  return event;
}

const json = (answer: HttpAnswer) => JSON.parse(answer.body) as Record<string, unknown>;

describe('GET /v2/{project_id}/instances/{instance_id}/connector', () => {
  it('answers 200 with the Status object and the request id: not_enabled, enabled, enabling', async () => {
    const off = fx.instance();
    const on = fx.instance({ connectorEnabled: true, connectorId: 'c0ffee00-0000-4000-8000-000000000020' });
    const enabling = fx.instance({ status: 'EXTENDING', connectorId: 'c0ffee00-0000-4000-8000-000000000021' });

    const event = statusEvent(off, { region: 'cn-north-4' });
    const answer = await http(event);
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(json(answer)).toEqual({
      project_id: PROJECT,
      instance_id: off,
      state: 'not_enabled',
      instance_status: 'RUNNING',
      pay_per_use: true,
      request_id: event.requestContext.requestId,
    });
    expect(json(await http(statusEvent(on)))).toMatchObject({ state: 'enabled', connector_id: 'c0ffee00-0000-4000-8000-000000000020' });
    expect(json(await http(statusEvent(enabling)))).toMatchObject({
      state: 'enabling',
      connector_id: 'c0ffee00-0000-4000-8000-000000000021',
      instance_status: 'EXTENDING',
    });
    expect(fx.sim.requests.map((r) => `${r.method} ${r.path} ${r.authorized}`)).toEqual(
      [off, on, enabling].map((id) => `GET /v2/${PROJECT}/instances/${id} true`),
    );
  });

  it("passes Huawei's 404 for an unknown instance through as the contract's error", async () => {
    const event = statusEvent(newInstanceId());
    const answer = await http(event);
    expect(answer.statusCode).toBe(404);
    expect(json(answer)).toEqual({ error_code: 'DMS.00404022', error_msg: 'The instance does not exist.', request_id: event.requestContext.requestId });
  });

  it('answers 503 with Retry-After while Huawei keeps failing', async () => {
    const instanceId = fx.instance();
    fx.sim.inject({ method: 'GET', path: instanceId, fault: { kind: 'status', status: 503 }, times: 20 });
    const answer = await http(statusEvent(instanceId));
    expect(answer.statusCode).toBe(503);
    expect(answer.headers['retry-after']).toBe('5');
  });

  it('takes a REST API (payload 1.0) GET with null query parameters and no body', async () => {
    const instanceId = fx.instance();
    const event = JSON.parse(readFileSync('events/http-rest-v1-enable.json', 'utf8')) as Record<string, unknown> & { requestContext: Record<string, unknown> };
    Object.assign(event, { httpMethod: 'GET', body: null, queryStringParameters: null, pathParameters: { project_id: PROJECT, instance_id: instanceId } });
    event.requestContext.httpMethod = 'GET';
    const answer = await http(event);
    expect(answer.statusCode).toBe(200);
    expect(json(answer)).toMatchObject({ instance_id: instanceId, state: 'not_enabled' });
  });

  it.each([
    ['an unknown region', { region: 'mars-north-1' }, ['region']],
    ['a region given twice (joined by API Gateway)', { region: 'cn-north-4,cn-north-1' }, ['region']],
    ['an unknown parameter', { region: 'cn-north-4', verbose: '1' }, ['verbose']],
    ['the project in the query', { project_id: PROJECT }, ['project_id']],
    ['the instance in the query', { instance_id: newInstanceId() }, ['instance_id']],
    ['a parameter that is not text', { region: 42 }, ['queryStringParameters.region']],
  ])('refuses %s with a 400 naming the field, sending nothing', async (_name, query, fields) => {
    const event = statusEvent(fx.instance(), query);
    const answer = await http(event);
    expect(answer.statusCode).toBe(400);
    expect(json(answer)).toMatchObject({ error_code: 'INVALID_REQUEST', request_id: event.requestContext.requestId });
    expect((json(answer).issues as { field: string }[]).map((i) => i.field)).toEqual(fields);
    expect(fx.sim.requests).toHaveLength(0);
  });

  it('hostile paths and queries: never a 5xx, always the contract JSON, a 4xx sends nothing, nothing echoed whole', async () => {
    const known = fx.instance();
    const seen = new Map<number, number>();
    const text = fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom('', '..', '%2F', '../../etc/passwd', 'x'.repeat(5_000), KEY.sk));
    const hostileQuery = fc.dictionary(
      fc.oneof(text, fc.constantFrom('region', '__proto__', 'constructor')),
      fc.oneof(text, fc.constantFrom('cn-north-4', 'CN-NORTH-4')),
    );
    // Weighted so that well-formed requests (200, or 404 for an unknown instance) are common too.
    const query = fc.oneof(
      { weight: 3, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.constant({ region: 'cn-north-4' }) },
      { weight: 2, arbitrary: hostileQuery },
    );
    const project = fc.oneof({ weight: 3, arbitrary: fc.constant(PROJECT) }, { weight: 1, arbitrary: text });
    const instance = fc.oneof({ weight: 3, arbitrary: fc.constant(known) }, { weight: 1, arbitrary: fc.uuid() }, { weight: 1, arbitrary: text });
    await fc.assert(
      fc.asyncProperty(project, instance, query, async (projectId, instanceId, params) => {
        const before = fx.sim.requests.length;
        const event = statusEvent(instanceId, params, projectId);
        const answer = await http(event);
        const body = json(answer);
        expect(answer.statusCode).toBeLessThan(500);
        expect(body.request_id).toBe(event.requestContext.requestId);
        expect(answer.body.length).toBeLessThan(4_000);
        expect(answer.body).not.toContain(KEY.sk);
        const sent = fx.sim.requests.slice(before);
        seen.set(answer.statusCode, (seen.get(answer.statusCode) ?? 0) + 1);
        if (answer.statusCode === 200) expect(body.state).toBe('not_enabled');
        else if (!(answer.statusCode === 404 && body.error_code === 'DMS.00404022')) {
          expect(answer.statusCode).toBe(400);
          expect(sent).toHaveLength(0);
        }
        expect(sent.every((r) => r.method === 'GET')).toBe(true);
      }),
      { numRuns: 150 },
    );
    // Not vacuous: statuses read, unknown instances and refusals all happened.
    for (const status of [200, 400, 404]) expect(seen.get(status) ?? 0, JSON.stringify([...seen])).toBeGreaterThan(3);
  });
});
