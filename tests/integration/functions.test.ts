// The built bundles (dist/http, dist/queue, dist/schedule), given realistic AWS events, against the
// DMS simulator and a callback receiver, all on loopback.
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sample } from '../support/events.ts';
import { capturing } from '../support/output.ts';
import { PROJECT, startSimulatorFixture, type SimulatorFixture } from '../support/fixtures.ts';
import {
  connectorPath,
  functionContext,
  httpApiEvent,
  loadHandler,
  sqsRecord,
  startCallbackReceiver,
  webhookHeaders,
  type CallbackReceiver,
  type Handler,
  type HttpAnswer,
  type HttpApiEvent,
  type ReceivedCallback,
} from '../../local/hosting/index.ts';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const SCHEDULED_INSTANCE = '7e57ab1e-0000-4000-8000-00000000000a';

let fx: SimulatorFixture;
let receiver: CallbackReceiver;
let http: Handler<unknown, HttpAnswer>;
let queue: Handler<SQSEvent, SQSBatchResponse>;
let schedule: Handler<unknown, { targets: number; counts: Record<string, number> }>;

beforeAll(async () => {
  fx = await startSimulatorFixture();
  receiver = await startCallbackReceiver();
  fx.instance({ instanceId: SCHEDULED_INSTANCE });
  // The bundles read their configuration once, at import, as Lambda's cold start does.
  Object.assign(
    process.env,
    fx.env({
      CALLBACK_SECRET: SECRET,
      CALLBACK_ALLOWED_HOSTS: receiver.host,
      SCHEDULE_TARGETS: JSON.stringify({ targets: [{ project_id: PROJECT, instance_id: SCHEDULED_INSTANCE }] }),
      LOG_LEVEL: 'SILENT',
    }),
  );
  delete process.env.CALLBACK_URL;
  http = await loadHandler('http');
  queue = await loadHandler('queue');
  schedule = await loadHandler('schedule');
});
afterAll(async () => {
  await Promise.all([fx.sim.close(), receiver.close()]);
});
afterEach(() => {
  fx.sim.clearFaults();
  fx.sim.reset();
});

/** contentType null: no content-type header at all. */
function httpEvent(
  instanceId: string,
  body: string | undefined,
  options: { base64?: boolean; contentType?: string | null; projectId?: string } = {},
): HttpApiEvent {
  return httpApiEvent(
    {
      url: connectorPath(options.projectId ?? PROJECT, instanceId),
      headers: options.contentType === null ? {} : { 'content-type': options.contentType ?? 'application/json; charset=utf-8' },
      body,
      bodyEncoding: options.base64 === false ? 'text' : 'base64',
    },
    { requestId: `req-${randomBytes(6).toString('hex')}` },
  );
}

const json = (answer: HttpAnswer) => JSON.parse(answer.body) as Record<string, unknown>;
const verify = (callback: ReceivedCallback) =>
  new Webhook(SECRET).verify(callback.body, webhookHeaders(callback)) as { type: string; data: Record<string, unknown> };

describe('http function', () => {
  it('answers 202 for a base64 body, and sends an accepted callback that standardwebhooks verifies', async () => {
    const instanceId = fx.instance();
    const body = JSON.stringify({ node_cnt: 3, callback_url: receiver.url(`/hooks/${instanceId}`) });
    const answer = await http(httpEvent(instanceId, body), functionContext('http'));

    expect(answer.statusCode).toBe(202);
    expect(answer.headers['content-type']).toBe('application/json');
    const accepted = json(answer);
    expect(accepted).toEqual({ status: 'accepted', job_id: expect.any(String), connector_id: expect.any(String), request_id: expect.stringMatching(/^req-/) });
    expect(fx.sim.requests[0]?.body).toBe('{"node_cnt":"3"}');

    const callback = await receiver.waitFor((c) => c.path === `/hooks/${instanceId}`);
    const payload = verify(callback);
    expect(payload.type).toBe('smart_connect.enable.accepted');
    expect(payload.data).toMatchObject({
      status: 'accepted',
      project_id: PROJECT,
      instance_id: instanceId,
      job_id: accepted.job_id,
      connector_id: accepted.connector_id,
      source: 'http',
    });
  });

  it('answers 200 already_enabled when asked again, starting no second job', async () => {
    const instanceId = fx.instance();
    const first = json(await http(httpEvent(instanceId, '{}'), functionContext('http')));
    const second = await http(httpEvent(instanceId, '{}'), functionContext('http'));
    expect(second.statusCode).toBe(200);
    expect(json(second)).toMatchObject({ status: 'already_enabled', connector_id: first.connector_id });
    expect(fx.sim.acceptedEnableCalls(instanceId)).toBe(1);
  });

  it('tolerates a REST API (payload 1.0) event', async () => {
    const instanceId = fx.instance();
    const event = sample<APIGatewayProxyEvent>('http-rest-v1-enable.json');
    event.pathParameters = { project_id: PROJECT, instance_id: instanceId };
    const answer = await http(event, functionContext('http'));
    expect(answer.statusCode).toBe(202);
    expect(json(answer).request_id).toBe(event.requestContext.requestId);
  });

  it.each([
    ['a missing body', undefined],
    ['an empty body', ''],
  ])('answers 400 naming the body for %s, sending nothing ({} asks for all defaults)', async (_name, body) => {
    const instanceId = fx.instance();
    const answer = await http(httpEvent(instanceId, body, { base64: false }), functionContext('http'));
    expect(answer.statusCode).toBe(400);
    expect(json(answer)).toMatchObject({ error_code: 'INVALID_REQUEST', issues: [{ field: 'body', message: expect.stringContaining('{}') }] });
    expect(fx.sim.requests).toHaveLength(0);

    const defaults = await http(httpEvent(instanceId, '{}'), functionContext('http'));
    expect(defaults.statusCode).toBe(202);
    expect(fx.sim.requests[0]?.body).toBe('{"node_cnt":"2"}');
  });

  it.each([
    ['an unknown field', '{"node_count": 3}', {}, 'node_count', 'INVALID_REQUEST'],
    ['broken JSON', '{"node_cnt": ', {}, 'body', 'INVALID_JSON'],
    ['broken JSON, not base64', '{"node_cnt": ', { base64: false }, 'body', 'INVALID_JSON'],
    ['a non-JSON content type', '{"node_cnt": 3}', { contentType: 'text/plain' }, 'content-type', 'UNSUPPORTED_MEDIA_TYPE'],
    ['a JSON array', '[1, 2]', {}, 'body', 'INVALID_REQUEST'],
    ['node_cnt 1', '{"node_cnt": 1}', {}, 'node_cnt', 'INVALID_REQUEST'],
    ['project_id in the body', `{"project_id": "${PROJECT}"}`, {}, 'project_id', 'INVALID_REQUEST'],
    ['a callback at the metadata address', '{"callback_url": "http://169.254.169.254/latest/meta-data/"}', {}, 'callback_url', 'INVALID_REQUEST'],
    ['a callback at the metadata address over https', '{"callback_url": "https://169.254.169.254/latest/meta-data/"}', {}, 'callback_url', 'INVALID_REQUEST'],
    ['a callback at a private plain-http address', '{"callback_url": "http://10.0.0.5/hooks"}', {}, 'callback_url', 'INVALID_REQUEST'],
    ['a callback at a private https address', '{"callback_url": "https://192.168.1.20/hooks"}', {}, 'callback_url', 'INVALID_REQUEST'],
    ['a callback at IPv4-mapped loopback', '{"callback_url": "https://[::ffff:127.0.0.1]/hooks"}', {}, 'callback_url', 'INVALID_REQUEST'],
  ])('answers 400 naming the field for %s, sending nothing to Huawei', async (_name, body, options, field, code) => {
    const instanceId = fx.instance();
    const answer = await http(httpEvent(instanceId, body, options), functionContext('http'));
    expect(answer.statusCode).toBe(400);
    const error = json(answer);
    expect(error).toMatchObject({ error_code: code, request_id: expect.any(String) });
    expect(error.issues).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(String(error.error_msg)).not.toMatch(/\n\s+at /);
    expect(fx.sim.requests).toHaveLength(0);
  });

  it('answers 400 naming the path parameter when it is malformed', async () => {
    const answer = await http(httpEvent('not-a-uuid', '{}', { projectId: 'xyz' }), functionContext('http'));
    expect(answer.statusCode).toBe(400);
    expect((json(answer).issues as { field: string }[]).map((i) => i.field)).toEqual(['project_id', 'instance_id']);
    expect(fx.sim.requests).toHaveLength(0);
  });

  it("keeps Huawei's error_code and error_msg for an upstream failure", async () => {
    const answer = await http(httpEvent('00000000-0000-4000-8000-0000000000ff', '{}'), functionContext('http'));
    expect(answer.statusCode).toBe(404);
    expect(json(answer)).toMatchObject({ error_code: 'DMS.00404022', error_msg: 'The instance does not exist.' });
  });

  it('answers 405 as JSON, allowing GET and POST, for another method, whatever its body', async () => {
    for (const [method, body] of [
      ['PUT', '{}'],
      ['DELETE', undefined],
      ['patch', 'not json'],
    ] as const) {
      const event = httpEvent(fx.instance(), body);
      event.requestContext.http.method = method;
      const answer = await http(event, functionContext('http'));
      expect(answer.statusCode).toBe(405);
      expect(answer.headers.allow).toBe('GET, POST');
      expect(json(answer)).toMatchObject({ error_code: 'METHOD_NOT_ALLOWED', request_id: event.requestContext.requestId });
    }
    expect(fx.sim.requests).toHaveLength(0);
  });
});

// Direct invokes, test harnesses and other gateways hand over events of any shape: each is a 400
// naming what is wrong (or, for what API Gateway really sends, an answer), never a 500.
describe('http function: events of any shape', () => {
  type Mutation = (event: Record<string, unknown>) => unknown;
  const set =
    (path: string, value: unknown): Mutation =>
    (event) => {
      const keys = path.split('.');
      const last = keys.pop() ?? '';
      let target: Record<string, unknown> = event;
      for (const key of keys) target = target[key] as Record<string, unknown>;
      if (value === undefined) delete target[last];
      else target[last] = value;
      return event;
    };
  const circular = () => {
    const body: Record<string, unknown> = { node_cnt: 3 };
    body.self = body;
    return body;
  };
  const deep = (depth: number) => {
    const root: Record<string, unknown> = {};
    let node = root;
    for (let i = 0; i < depth; i += 1) node = node.a = {};
    return root;
  };

  it.each<[string, Mutation, string]>([
    ['a null event', () => null, 'event'],
    ['a number', () => 42, 'event'],
    ['a string', () => 'POST /v2', 'event'],
    ['an array', (event) => [event], 'event'],
    ['an empty object', () => ({}), 'requestContext'],
    ['an event without requestContext', set('requestContext', undefined), 'requestContext'],
    ['requestContext a string', set('requestContext', 'CcBxYj3vDoEEJ3g='), 'requestContext'],
    ['requestContext without requestId', set('requestContext.requestId', undefined), 'requestContext.requestId'],
    ['a requestId of 10,000 characters', set('requestContext.requestId', 'r'.repeat(10_000)), 'requestContext.requestId'],
    ['requestContext.http a string', set('requestContext.http', 'POST'), 'requestContext.http'],
    ['a method that is a number', set('requestContext.http.method', 1), 'requestContext.http.method'],
    ['headers a string', set('headers', 'content-type: application/json'), 'headers'],
    ['a header value that is a number', set('headers.x-count', 3), 'headers.x-count'],
    ['pathParameters a string', set('pathParameters', '/v2/x/instances/y'), 'pathParameters'],
    ['pathParameters a list', set('pathParameters', [PROJECT]), 'pathParameters'],
    ['isBase64Encoded "yes"', set('isBase64Encoded', 'yes'), 'isBase64Encoded'],
    ['a body that is circular', set('body', circular()), 'body'],
    ['a body nested 100,000 deep', set('body', deep(100_000)), 'body'],
  ])('answers 400 naming the field for %s, sending nothing', async (_name, mutate, field) => {
    const context = functionContext('http');
    const event = mutate(httpEvent(fx.instance(), '{}') as unknown as Record<string, unknown>);
    const answer = await http(event, context);

    expect(answer.statusCode, answer.body).toBe(400);
    expect(answer.headers['content-type']).toBe('application/json');
    const error = json(answer);
    expect(error).toMatchObject({ error_code: 'INVALID_REQUEST', error_msg: expect.any(String), request_id: expect.any(String) });
    expect(error.issues).toEqual(expect.arrayContaining([{ field, message: expect.any(String) }]));
    // Without a usable request id from API Gateway, the invocation's own identifies the answer.
    const given = (event as { requestContext?: { requestId?: unknown } } | null)?.requestContext?.requestId;
    expect(error.request_id).toBe(typeof given === 'string' && given.length <= 64 ? given : context.awsRequestId);
    expect(fx.sim.requests).toHaveLength(0);
  });

  it('answers 400 naming both path parameters when pathParameters is missing', async () => {
    const event = httpEvent(fx.instance(), '{}') as Partial<APIGatewayProxyEventV2>;
    delete event.pathParameters;
    const answer = await http(event, functionContext('http'));
    expect(answer.statusCode).toBe(400);
    expect((json(answer).issues as { field: string }[]).map((i) => i.field)).toEqual(['project_id', 'instance_id']);
    expect(fx.sim.requests).toHaveLength(0);
  });

  it('quotes a long method name, never echoing it whole', async () => {
    const event = httpEvent(fx.instance(), '{}');
    event.requestContext.http.method = `GET${'X'.repeat(10_000)}`;
    const answer = await http(event, functionContext('http'));
    expect(answer.statusCode).toBe(405);
    expect(answer.body.length).toBeLessThan(400);
    expect(String(json(answer).error_msg)).toMatch(/^GETX+… is not allowed/);
  });

  it('takes a REST API (payload 1.0) event with null headers and a JSON body', async () => {
    const instanceId = fx.instance();
    const event = sample<APIGatewayProxyEvent>('http-rest-v1-enable.json');
    event.pathParameters = { project_id: PROJECT, instance_id: instanceId };
    event.headers = null as unknown as APIGatewayProxyEvent['headers'];
    event.multiValueHeaders = null as unknown as APIGatewayProxyEvent['multiValueHeaders'];
    const answer = await http(event, functionContext('http'));
    expect(answer.statusCode, answer.body).toBe(202);
    expect(fx.sim.acceptedEnableCalls(instanceId)).toBe(1);
  });
});

describe('http function: content types', () => {
  // AWS's sample HTTP API events and many signing clients send no content type at all.
  it.each([
    ['no content-type header', null],
    ['an empty content-type', ''],
    ['application/json with a space before its parameter', 'application/json ; charset=utf-8'],
    ['a structured +json type', 'application/merge-patch+json'],
  ])('reads the body as JSON with %s', async (_name, contentType) => {
    const instanceId = fx.instance();
    const answer = await http(httpEvent(instanceId, '{"node_cnt": 3}', { contentType }), functionContext('http'));
    expect(answer.statusCode, answer.body).toBe(202);
    expect(fx.sim.requests[0]?.body).toBe('{"node_cnt":"3"}');
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['a form (what curl -d sends)', 'application/x-www-form-urlencoded'],
    ['a list of types', 'application/json, text/plain'],
    ['a made-up JSON-ish type', 'application/jsonp'],
  ])('refuses %s by name with 400 UNSUPPORTED_MEDIA_TYPE, sending nothing', async (_name, contentType) => {
    const answer = await http(httpEvent(fx.instance(), '{"node_cnt": 3}', { contentType }), functionContext('http'));
    expect(answer.statusCode).toBe(400);
    const error = json(answer);
    expect(error).toMatchObject({ error_code: 'UNSUPPORTED_MEDIA_TYPE', issues: [{ field: 'content-type', message: expect.stringContaining(contentType) }] });
    expect(fx.sim.requests).toHaveLength(0);
  });

  it('quotes a long content type, never echoing it whole', async () => {
    const answer = await http(httpEvent(fx.instance(), '{}', { contentType: `text/${'x'.repeat(10_000)}` }), functionContext('http'));
    expect(answer.statusCode).toBe(400);
    expect(answer.body.length).toBeLessThan(600);
  });
});

describe('http function: answers Huawei could not make readable', () => {
  it('answers 503 BAD_RESPONSE with Retry-After when a 200 and the instance detail cannot be read (it may have worked)', async () => {
    const instanceId = fx.instance();
    fx.sim.inject({ method: 'POST', path: /\/connector$/, fault: { kind: 'malformed' } });
    fx.sim.inject({ method: 'GET', path: instanceId, fault: { kind: 'malformed' } });
    const answer = await http(httpEvent(instanceId, '{}'), functionContext('http'));
    expect(answer.statusCode).toBe(503);
    expect(answer.headers['retry-after']).toBeDefined();
    expect(json(answer)).toMatchObject({ error_code: 'BAD_RESPONSE' });
  });
});

/** A record with this id and body; with a group, as a FIFO queue delivers it. */
function queueRecord(messageId: string, body: string, groupId?: string): SQSRecord {
  return sqsRecord({
    messageId,
    body,
    ...(groupId ? { attributes: { MessageGroupId: groupId, SequenceNumber: '1', MessageDeduplicationId: messageId } } : {}),
  });
}

describe('queue function', () => {
  it('lists exactly the transient and the unreportable records', async () => {
    const [a, b, c, d, g] = [fx.instance(), fx.instance(), fx.instance(), fx.instance(), fx.instance()];
    fx.sim.inject({ method: 'POST', path: g, fault: { kind: 'status', status: 503 }, times: 20 });
    const hook = (name: string) => receiver.url(`/queue/${name}`);
    const event: SQSEvent = {
      Records: [
        queueRecord('plain', JSON.stringify({ project_id: PROJECT, instance_id: a, callback_url: hook('plain') })),
        queueRecord(
          'sns',
          JSON.stringify({
            Type: 'Notification',
            TopicArn: 'arn:aws:sns:eu-west-1:123456789012:t',
            Message: JSON.stringify({ project_id: PROJECT, instance_id: b }),
          }),
        ),
        queueRecord(
          'eventbridge',
          JSON.stringify({ 'detail-type': 'SmartConnectRequested', source: 'com.example', detail: { project_id: PROJECT, instance_id: c } }),
        ),
        queueRecord('invalid-reported', JSON.stringify({ project_id: PROJECT, instance_id: d, node_count: 3, callback_url: hook('invalid') })),
        queueRecord('invalid-unreported', JSON.stringify({ project_id: PROJECT, instance_id: 'nope' })),
        queueRecord('not-json', 'enable please'),
        queueRecord('transient', JSON.stringify({ project_id: PROJECT, instance_id: g })),
      ],
    };
    const answer = await queue(event, functionContext('queue'));

    expect(answer.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['invalid-unreported', 'not-json', 'transient']);
    for (const instanceId of [a, b, c]) expect(fx.sim.acceptedEnableCalls(instanceId)).toBe(1);
    expect(fx.sim.acceptedEnableCalls(d)).toBe(0);
    expect(verify(await receiver.waitFor((cb) => cb.path === '/queue/plain')).type).toBe('smart_connect.enable.accepted');
    const rejected = verify(await receiver.waitFor((cb) => cb.path === '/queue/invalid'));
    expect(rejected).toMatchObject({
      type: 'smart_connect.enable.rejected',
      data: { status: 'rejected', source: 'queue', error: { code: 'INVALID_REQUEST' } },
    });
    expect(String((rejected.data.error as { message: string }).message)).toContain('node_count');
  });

  it('keeps FIFO order: after a failure the rest of its message group comes back unprocessed', async () => {
    const [failing, later, other] = [fx.instance(), fx.instance(), fx.instance()];
    fx.sim.inject({ method: 'POST', path: failing, fault: { kind: 'status', status: 503 }, times: 20 });
    const answer = await queue(
      {
        Records: [
          queueRecord('g1-first', JSON.stringify({ project_id: PROJECT, instance_id: failing }), 'g1'),
          queueRecord('g1-second', JSON.stringify({ project_id: PROJECT, instance_id: later }), 'g1'),
          queueRecord('g2-first', JSON.stringify({ project_id: PROJECT, instance_id: other }), 'g2'),
        ],
      },
      functionContext('queue'),
    );
    expect(answer.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['g1-first', 'g1-second']);
    expect(fx.sim.requests.some((r) => r.path.includes(later))).toBe(false);
    expect(fx.sim.acceptedEnableCalls(other)).toBe(1);
  });

  it('lets a record come back when its callback cannot be delivered', async () => {
    const instanceId = fx.instance();
    receiver.answer('/queue/down', 503);
    const answer = await queue(
      { Records: [queueRecord('callback-down', JSON.stringify({ project_id: PROJECT, instance_id: instanceId, callback_url: receiver.url('/queue/down') }))] },
      functionContext('queue'),
    );
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: 'callback-down' }]);
    expect(receiver.received.filter((c) => c.path === '/queue/down').length).toBeGreaterThan(1);
  });

  it('handles the sample batch from events/', async () => {
    const event = sample<SQSEvent>('sqs-batch.json');
    const answer = await queue(event, functionContext('queue'));
    // The sample's instances are not in this simulator (404: a final failure nobody was told of),
    // and its invalid and non-JSON records cannot be reported either: all come back, none throws.
    expect(answer.batchItemFailures).toHaveLength(event.Records.length);
  });
});

describe('queue function: events of any shape', () => {
  it.each<[string, unknown]>([
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a string', 'Records'],
    ['an array', []],
    ['an object without Records', {}],
    ['Records null', { Records: null }],
    ['Records a string', { Records: 'all' }],
    ['Records an object', { Records: { 0: {} } }],
  ])('answers %s with nothing to retry (no record can be named), without throwing', async (_name, event) => {
    const answer = await queue(event as SQSEvent, functionContext('queue'));
    expect(answer).toEqual({ batchItemFailures: [] });
    expect(fx.sim.requests).toHaveLength(0);
  });

  it('lists each malformed record that has a messageId, and still runs its valid siblings', async () => {
    const [first, last, orphan] = [fx.instance(), fx.instance(), fx.instance()];
    const valid = (id: string, instanceId: string) => queueRecord(id, JSON.stringify({ project_id: PROJECT, instance_id: instanceId }));
    const { attributes: _attributes, ...noAttributes } = valid('no-attributes', fx.instance());
    const { body: _body, ...noBody } = valid('no-body', fx.instance());
    const { messageId: _messageId, ...noMessageId } = valid('x', orphan);
    const event = {
      Records: [
        valid('valid-first', first),
        noAttributes,
        noBody,
        { ...valid('body-a-number', fx.instance()), body: 42 },
        { ...valid('attributes-a-string', fx.instance()), attributes: 'ApproximateReceiveCount=1' },
        noMessageId,
        { ...valid('', fx.instance()) },
        42,
        null,
        'a record',
        valid('valid-last', last),
      ],
    };
    const answer = await queue(event as unknown as SQSEvent, functionContext('queue'));

    expect(answer.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['no-attributes', 'no-body', 'body-a-number', 'attributes-a-string']);
    expect(fx.sim.acceptedEnableCalls(first)).toBe(1);
    expect(fx.sim.acceptedEnableCalls(last)).toBe(1);
    // A record without an id is never run: had it failed, nothing could have brought it back.
    expect(fx.sim.requests.some((r) => r.path.includes(orphan))).toBe(false);
  });

  it('keeps FIFO order around a malformed record: the rest of its group comes back unprocessed', async () => {
    const [later, other] = [fx.instance(), fx.instance()];
    const { body: _body, ...noBody } = queueRecord('g1-no-body', '{}', 'g1');
    const answer = await queue(
      {
        Records: [
          noBody as SQSRecord,
          queueRecord('g1-second', JSON.stringify({ project_id: PROJECT, instance_id: later }), 'g1'),
          queueRecord('g2-first', JSON.stringify({ project_id: PROJECT, instance_id: other }), 'g2'),
        ],
      },
      functionContext('queue'),
    );
    expect(answer.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['g1-no-body', 'g1-second']);
    expect(fx.sim.requests.some((r) => r.path.includes(later))).toBe(false);
    expect(fx.sim.acceptedEnableCalls(other)).toBe(1);
  });

  it('lists a message id given twice once', async () => {
    const { body: _body, ...noBody } = queueRecord('twice', '{}');
    const answer = await queue({ Records: [noBody, noBody] } as unknown as SQSEvent, functionContext('queue'));
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: 'twice' }]);
  });
});

describe('schedule function', () => {
  it('ensures each target of EventBridge Scheduler input and returns a summary', async () => {
    const [one, two] = [fx.instance(), fx.instance({ connectorEnabled: true })];
    const summary = await schedule(
      {
        targets: [
          { project_id: PROJECT, instance_id: one },
          { project_id: PROJECT, instance_id: two },
        ],
      },
      functionContext('schedule'),
    );
    expect(summary.targets).toBe(2);
    // Only the outcomes that occurred: no always-zero count.
    expect(summary.counts).toEqual({ accepted: 1, already_enabled: 1 });
  });

  it("uses SCHEDULE_TARGETS for a rule's Scheduled Event", async () => {
    const summary = await schedule(sample('scheduled-event.json'), functionContext('schedule'));
    expect(summary.targets).toBe(1);
    expect(fx.sim.requests.some((r) => r.path.includes(SCHEDULED_INSTANCE))).toBe(true);
  });

  it('fails the invocation when a target fails transiently, so the scheduler retries', async () => {
    const instanceId = fx.instance({ status: 'RESTARTING' });
    await expect(schedule({ targets: [{ project_id: PROJECT, instance_id: instanceId }] }, functionContext('schedule'))).rejects.toThrow(/transiently/);
  });

  it('reports invalid targets without retrying them', async () => {
    const summary = await schedule({ targets: [{ project_id: PROJECT, instance_id: 'bad' }] }, functionContext('schedule'));
    expect(summary.counts).toEqual({ rejected: 1 });
    expect(fx.sim.requests).toHaveLength(0);
  });
});

describe('schedule function: events of any shape', () => {
  it.each<[string, unknown, number]>([
    ['null (SCHEDULE_TARGETS)', null, 1],
    ['undefined (SCHEDULE_TARGETS)', undefined, 1],
    ['a rule event without detail (SCHEDULE_TARGETS)', { 'detail-type': 'Scheduled Event', source: 'aws.events' }, 1],
    ['a number', 42, 0],
    ['a string', 'targets', 0],
    ['targets a string', { targets: 'all' }, 0],
    ['targets an object', { targets: { 0: {} } }, 0],
    ['a rule event whose detail is a number', { 'detail-type': 'Scheduled Event', id: 7, detail: 3 }, 0],
  ])('answers %s with a summary, never a TypeError', async (_name, event, targets) => {
    const summary = (await schedule(event, functionContext('schedule'))) as { targets: number; issues?: unknown };
    expect(summary.targets).toBe(targets);
    if (targets === 0) expect(summary.issues).toEqual([{ field: 'targets', message: expect.any(String) }]);
    else expect(summary.issues).toBeUndefined();
  });

  it('rejects targets of any shape one by one', async () => {
    const summary = await schedule({ targets: [null, 42, 'x', [], { project_id: PROJECT }] }, functionContext('schedule'));
    expect(summary.targets).toBe(5);
    expect(summary.counts).toEqual({ rejected: 5 });
    expect(fx.sim.requests).toHaveLength(0);
  });

  it('warns, in its log and its summary, when neither the event nor SCHEDULE_TARGETS names a target', async () => {
    const saved = { targets: process.env.SCHEDULE_TARGETS, level: process.env.LOG_LEVEL };
    delete process.env.SCHEDULE_TARGETS;
    process.env.LOG_LEVEL = 'WARN';
    let bare: typeof schedule;
    try {
      bare = await loadHandler('schedule', { coldStart: 'no-schedule-targets' });
    } finally {
      process.env.SCHEDULE_TARGETS = saved.targets;
      process.env.LOG_LEVEL = saved.level;
    }
    for (const event of [sample('scheduled-event.json'), {}, null]) {
      const { value: summary, lines } = await capturing(() => bare(event, functionContext('schedule')));
      expect(summary).toMatchObject({ targets: 0, warning: expect.stringContaining('SCHEDULE_TARGETS') });
      const warnings = lines.map((line) => JSON.parse(line) as { level: string; message: string }).filter((line) => line.level === 'WARN');
      expect(warnings).toEqual([expect.objectContaining({ message: expect.stringContaining('no targets') })]);
    }
    expect(fx.sim.requests).toHaveLength(0);
  });
});
