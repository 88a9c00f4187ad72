// The built bundles (dist/http, dist/queue, dist/schedule), given realistic AWS events, against the
// DMS simulator and a callback receiver, all on loopback.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadBundle, type Handler, type HttpAnswer } from '../support/bundles.ts';
import { lambdaContext } from '../support/lambda.ts';
import { PROJECT, startSimulatorFixture, type SimulatorFixture } from '../support/fixtures.ts';
import { startReceiver, webhookHeaders, type Receiver } from '../support/receiver.ts';


const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const SCHEDULED_INSTANCE = '7e57ab1e-0000-4000-8000-00000000000a';

let fx: SimulatorFixture;
let receiver: Receiver;
let http: Handler<unknown, HttpAnswer>;
let queue: Handler<SQSEvent, SQSBatchResponse>;
let schedule: Handler<unknown, { targets: number; counts: Record<string, number> }>;


beforeAll(async () => {
  fx = await startSimulatorFixture();
  receiver = await startReceiver();
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
  http = await loadBundle('http');
  queue = await loadBundle('queue');
  schedule = await loadBundle('schedule');
});
afterAll(async () => {
  await Promise.all([fx.sim.close(), receiver.close()]);
});
afterEach(() => {
  fx.sim.clearFaults();
  fx.sim.reset();
});

const sample = <T>(name: string): T => JSON.parse(readFileSync(`events/${name}`, 'utf8')) as T;

function httpEvent(instanceId: string, body: string | undefined, options: { base64?: boolean; contentType?: string; projectId?: string } = {}): APIGatewayProxyEventV2 {
  const event = sample<APIGatewayProxyEventV2>('http-api-v2-enable.json');
  const projectId = options.projectId ?? PROJECT;
  const path = `/v2/${projectId}/instances/${instanceId}/connector`;
  event.rawPath = path;
  event.requestContext.http.path = path;
  event.requestContext.requestId = `req-${randomBytes(6).toString('hex')}`;
  event.pathParameters = { project_id: projectId, instance_id: instanceId };
  event.headers['content-type'] = options.contentType ?? 'application/json; charset=utf-8';
  if (body === undefined) {
    delete event.body;
    delete event.headers['content-length'];
    event.isBase64Encoded = false;
  } else {
    event.body = options.base64 === false ? body : Buffer.from(body).toString('base64');
    event.isBase64Encoded = options.base64 !== false;
    event.headers['content-length'] = String(Buffer.byteLength(body));
  }
  return event;
}

const json = (answer: HttpAnswer) => JSON.parse(answer.body) as Record<string, unknown>;
const verify = (callback: Parameters<typeof webhookHeaders>[0]) =>
  new Webhook(SECRET).verify(callback.body, webhookHeaders(callback)) as { type: string; data: Record<string, unknown> };

describe('http function', () => {
  it('answers 202 for a base64 body, and sends an accepted callback that standardwebhooks verifies', async () => {
    const instanceId = fx.instance();
    const body = JSON.stringify({ node_cnt: 3, callback_url: receiver.url(`/hooks/${instanceId}`) });
    const answer = await http(httpEvent(instanceId, body), lambdaContext(29_000, 'http'));

    expect(answer.statusCode).toBe(202);
    expect(answer.headers['content-type']).toBe('application/json');
    const accepted = json(answer);
    expect(accepted).toEqual({ status: 'accepted', job_id: expect.any(String), connector_id: expect.any(String), request_id: expect.stringMatching(/^req-/) });
    expect(fx.sim.requests[0]?.body).toBe('{"node_cnt":"3"}');

    const callback = await receiver.waitFor((c) => c.path === `/hooks/${instanceId}`);
    const payload = verify(callback);
    expect(payload.type).toBe('smart_connect.enable.accepted');
    expect(payload.data).toMatchObject({ status: 'accepted', project_id: PROJECT, instance_id: instanceId, job_id: accepted.job_id, connector_id: accepted.connector_id, source: 'http' });
  });

  it('answers 200 already_enabled when asked again, starting no second job', async () => {
    const instanceId = fx.instance();
    const first = json(await http(httpEvent(instanceId, '{}'), lambdaContext(29_000)));
    const second = await http(httpEvent(instanceId, '{}'), lambdaContext(29_000));
    expect(second.statusCode).toBe(200);
    expect(json(second)).toMatchObject({ status: 'already_enabled', connector_id: first.connector_id });
    expect(fx.sim.acceptedEnableCalls(instanceId)).toBe(1);
  });

  it('tolerates a REST API (payload 1.0) event', async () => {
    const instanceId = fx.instance();
    const event = sample<APIGatewayProxyEvent>('http-rest-v1-enable.json');
    event.pathParameters = { project_id: PROJECT, instance_id: instanceId };
    const answer = await http(event, lambdaContext(29_000));
    expect(answer.statusCode).toBe(202);
    expect(json(answer).request_id).toBe(event.requestContext.requestId);
  });

  it.each([
    ['a missing body', undefined],
    ['an empty body', ''],
  ])('answers 400 naming the body for %s, sending nothing ({} asks for all defaults)', async (_name, body) => {
    const instanceId = fx.instance();
    const answer = await http(httpEvent(instanceId, body, { base64: false }), lambdaContext(29_000));
    expect(answer.statusCode).toBe(400);
    expect(json(answer)).toMatchObject({ error_code: 'INVALID_REQUEST', issues: [{ field: 'body', message: expect.stringContaining('{}') }] });
    expect(fx.sim.requests).toHaveLength(0);

    const defaults = await http(httpEvent(instanceId, '{}'), lambdaContext(29_000));
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
    const answer = await http(httpEvent(instanceId, body, options), lambdaContext(29_000));
    expect(answer.statusCode).toBe(400);
    const error = json(answer);
    expect(error).toMatchObject({ error_code: code, request_id: expect.any(String) });
    expect(error.issues).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(String(error.error_msg)).not.toMatch(/\n\s+at /);
    expect(fx.sim.requests).toHaveLength(0);
  });

  it('answers 400 naming the path parameter when it is malformed', async () => {
    const answer = await http(httpEvent('not-a-uuid', '{}', { projectId: 'xyz' }), lambdaContext(29_000));
    expect(answer.statusCode).toBe(400);
    expect((json(answer).issues as { field: string }[]).map((i) => i.field)).toEqual(['project_id', 'instance_id']);
    expect(fx.sim.requests).toHaveLength(0);
  });

  it("keeps Huawei's error_code and error_msg for an upstream failure", async () => {
    const answer = await http(httpEvent('00000000-0000-4000-8000-0000000000ff', '{}'), lambdaContext(29_000));
    expect(answer.statusCode).toBe(404);
    expect(json(answer)).toMatchObject({ error_code: 'DMS.00404022', error_msg: 'The instance does not exist.' });
  });

  it('answers 405 as JSON for another method', async () => {
    const event = httpEvent(fx.instance(), '{}');
    event.requestContext.http.method = 'GET';
    const answer = await http(event, lambdaContext(29_000));
    expect(answer.statusCode).toBe(405);
    expect(json(answer).error_code).toBe('METHOD_NOT_ALLOWED');
  });
});

function sqsRecord(id: string, body: string, groupId?: string): SQSRecord {
  const template = sample<SQSEvent>('sqs-batch.json').Records[0] as SQSRecord;
  return {
    ...template,
    messageId: id,
    body,
    attributes: { ...template.attributes, ...(groupId ? { MessageGroupId: groupId, SequenceNumber: '1', MessageDeduplicationId: id } : {}) },
  };
}

describe('queue function', () => {
  it('lists exactly the transient and the unreportable records', async () => {
    const [a, b, c, d, g] = [fx.instance(), fx.instance(), fx.instance(), fx.instance(), fx.instance()];
    fx.sim.inject({ method: 'POST', path: g, fault: { kind: 'status', status: 503 }, times: 20 });
    const hook = (name: string) => receiver.url(`/queue/${name}`);
    const event: SQSEvent = {
      Records: [
        sqsRecord('plain', JSON.stringify({ project_id: PROJECT, instance_id: a, callback_url: hook('plain') })),
        sqsRecord('sns', JSON.stringify({ Type: 'Notification', TopicArn: 'arn:aws:sns:eu-west-1:123456789012:t', Message: JSON.stringify({ project_id: PROJECT, instance_id: b }) })),
        sqsRecord('eventbridge', JSON.stringify({ 'detail-type': 'SmartConnectRequested', source: 'com.example', detail: { project_id: PROJECT, instance_id: c } })),
        sqsRecord('invalid-reported', JSON.stringify({ project_id: PROJECT, instance_id: d, node_count: 3, callback_url: hook('invalid') })),
        sqsRecord('invalid-unreported', JSON.stringify({ project_id: PROJECT, instance_id: 'nope' })),
        sqsRecord('not-json', 'enable please'),
        sqsRecord('transient', JSON.stringify({ project_id: PROJECT, instance_id: g })),
      ],
    };
    const answer = await queue(event, lambdaContext(120_000, 'queue'));

    expect(answer.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['invalid-unreported', 'not-json', 'transient']);
    for (const instanceId of [a, b, c]) expect(fx.sim.acceptedEnableCalls(instanceId)).toBe(1);
    expect(fx.sim.acceptedEnableCalls(d)).toBe(0);
    expect(verify(await receiver.waitFor((cb) => cb.path === '/queue/plain')).type).toBe('smart_connect.enable.accepted');
    const rejected = verify(await receiver.waitFor((cb) => cb.path === '/queue/invalid'));
    expect(rejected).toMatchObject({ type: 'smart_connect.enable.rejected', data: { status: 'rejected', source: 'queue', error: { code: 'INVALID_REQUEST' } } });
    expect(String((rejected.data.error as { message: string }).message)).toContain('node_count');
  });

  it('keeps FIFO order: after a failure the rest of its message group comes back unprocessed', async () => {
    const [failing, later, other] = [fx.instance(), fx.instance(), fx.instance()];
    fx.sim.inject({ method: 'POST', path: failing, fault: { kind: 'status', status: 503 }, times: 20 });
    const answer = await queue(
      {
        Records: [
          sqsRecord('g1-first', JSON.stringify({ project_id: PROJECT, instance_id: failing }), 'g1'),
          sqsRecord('g1-second', JSON.stringify({ project_id: PROJECT, instance_id: later }), 'g1'),
          sqsRecord('g2-first', JSON.stringify({ project_id: PROJECT, instance_id: other }), 'g2'),
        ],
      },
      lambdaContext(120_000, 'queue'),
    );
    expect(answer.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['g1-first', 'g1-second']);
    expect(fx.sim.requests.some((r) => r.path.includes(later))).toBe(false);
    expect(fx.sim.acceptedEnableCalls(other)).toBe(1);
  });

  it('lets a record come back when its callback cannot be delivered', async () => {
    const instanceId = fx.instance();
    receiver.answer('/queue/down', 503);
    const answer = await queue(
      { Records: [sqsRecord('callback-down', JSON.stringify({ project_id: PROJECT, instance_id: instanceId, callback_url: receiver.url('/queue/down') }))] },
      lambdaContext(120_000, 'queue'),
    );
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: 'callback-down' }]);
    expect(receiver.received.filter((c) => c.path === '/queue/down').length).toBeGreaterThan(1);
  });

  it('handles the sample batch from events/', async () => {
    const event = sample<SQSEvent>('sqs-batch.json');
    const answer = await queue(event, lambdaContext(120_000, 'queue'));
    // The sample's instances are not in this simulator (404: a final failure nobody was told of),
    // and its invalid and non-JSON records cannot be reported either: all come back, none throws.
    expect(answer.batchItemFailures).toHaveLength(event.Records.length);
  });
});

describe('schedule function', () => {
  it('ensures each target of EventBridge Scheduler input and returns a summary', async () => {
    const [one, two] = [fx.instance(), fx.instance({ connectorEnabled: true })];
    const summary = await schedule({ targets: [{ project_id: PROJECT, instance_id: one }, { project_id: PROJECT, instance_id: two }] }, lambdaContext(300_000, 'schedule'));
    expect(summary).toMatchObject({ targets: 2, counts: { accepted: 1, already_enabled: 1, transient: 0 } });
  });

  it("uses SCHEDULE_TARGETS for a rule's Scheduled Event", async () => {
    const summary = await schedule(sample('scheduled-event.json'), lambdaContext(300_000, 'schedule'));
    expect(summary.targets).toBe(1);
    expect(fx.sim.requests.some((r) => r.path.includes(SCHEDULED_INSTANCE))).toBe(true);
  });

  it('fails the invocation when a target fails transiently, so the scheduler retries', async () => {
    const instanceId = fx.instance({ status: 'RESTARTING' });
    await expect(schedule({ targets: [{ project_id: PROJECT, instance_id: instanceId }] }, lambdaContext(300_000, 'schedule'))).rejects.toThrow(/transiently/);
  });

  it('reports invalid targets without retrying them', async () => {
    const summary = await schedule({ targets: [{ project_id: PROJECT, instance_id: 'bad' }] }, lambdaContext(300_000, 'schedule'));
    expect(summary.counts).toMatchObject({ rejected: 1, transient: 0 });
    expect(fx.sim.requests).toHaveLength(0);
  });
});
