// A signature Huawei refuses (401, APIG.0301), through the built bundles against the DMS simulator:
// nothing more is sent with the key for its cool-down, whatever else is waiting (a batch, a fleet's
// enables, the next requests), and the work that needed it is not failed for good: HTTP answers
// 502 CREDENTIALS_REJECTED with Retry-After, queue records come back without a callback, a fleet run
// fails as a run, the schedule fails its invocation. Each refused answer is counted once
// (HuaweiAuthFailures); a refusal dated far from our clock says "clock skew".
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  connectorPath,
  functionContext,
  httpApiEvent,
  loadFunction,
  sqsEvent,
  startCallbackReceiver,
  type CallbackReceiver,
  type FunctionHost,
  type FunctionName,
  type Handler,
  type HttpAnswer,
} from '../../local/hosting/index.ts';
import { mixedFleet } from '../../local/simulator/index.ts';
import { enableHttpEvent } from '../support/events.ts';
import { PROJECT, useSimulator } from '../support/fixtures.ts';
import { listCalls, newProjectId } from '../support/fleet.ts';
import { captureLogLines, type LogCapture, type LogEntry } from '../support/log-lines.ts';

const fx = useSimulator();
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
let receiver: CallbackReceiver;
let logs: LogCapture;
const created: Partial<Record<FunctionName, (host: FunctionHost) => unknown>> = {};

beforeAll(async () => {
  receiver = await startCallbackReceiver();
  // Importing a bundle starts its Lambda handler, which reads process.env.
  Object.assign(process.env, fx.env({ LOG_LEVEL: 'SILENT' }));
  for (const name of ['http', 'queue', 'schedule'] as const) created[name] = (await loadFunction(name)).createHandler;
  logs = captureLogLines();
});
afterAll(async () => {
  logs.restore();
  await receiver.close();
});
afterEach(() => logs.clear());

/** A function of its own (its own cold start: a key no call has used yet), with the cool-down given. */
function handlerFor<E, R>(name: FunctionName, env: Record<string, string> = {}): Handler<E, R> {
  const host: FunctionHost = { env: fx.env({ CALLBACK_SECRET: SECRET, CALLBACK_ALLOWED_HOSTS: receiver.host, LOG_LEVEL: 'INFO', ...env }) };
  return created[name]!(host) as Handler<E, R>;
}

const refuseEverything = (headers?: Record<string, string>) =>
  fx.sim.inject({ fault: { kind: 'status', status: 401, ...(headers && { headers }) }, times: 1_000 });
const context = (name: FunctionName) => functionContext(name, { timeoutMs: 60_000 });
const callbacksUnder = (prefix: string) => receiver.received.filter((c) => c.path.startsWith(prefix));
const emf = () => logs.entries().filter((entry) => '_aws' in entry);
const authFailures = () => emf().reduce((sum, line) => sum + (typeof line.HuaweiAuthFailures === 'number' ? line.HuaweiAuthFailures : 0), 0);
const logged = (message: string): LogEntry[] => logs.entries().filter((entry) => entry.message === message);
const body = (answer: HttpAnswer) => JSON.parse(answer.body) as { error_code: string; error_msg: string };

describe('queue: a batch', () => {
  it('of 10 records sends ONE signed request, then none; every record comes back, with no callback', async () => {
    const queue = handlerFor<SQSEvent, SQSBatchResponse>('queue');
    refuseEverything();
    const hook = `/refused/queue/${randomBytes(4).toString('hex')}`;
    const batch = () =>
      sqsEvent(
        ...Array.from({ length: 10 }, (_, i) => ({
          body: JSON.stringify({ project_id: PROJECT, instance_id: fx.instance(), callback_url: receiver.url(`${hook}/${i}`) }),
        })),
      );

    const first = batch();
    const answer = await queue(first, context('queue'));
    expect(fx.sim.requests).toHaveLength(1);
    expect(answer.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(first.Records.map((r) => r.messageId).sort());
    expect(authFailures()).toBe(1);

    const second = batch();
    expect((await queue(second, context('queue'))).batchItemFailures).toHaveLength(10);
    expect(fx.sim.requests).toHaveLength(1);
    expect(authFailures()).toBe(1);
    expect(callbacksUnder(hook)).toEqual([]);
    const finished = logged('record finished');
    expect(finished).toHaveLength(20);
    for (const line of finished) expect(line).toMatchObject({ outcome: 'failed', verdict: 'failed' });
  });
});

describe('a fleet run enabling inline', () => {
  it('of 30 sends one POST and stops: the run fails as a whole (transient), its record comes back, no callback', async () => {
    const projectId = newProjectId();
    for (const seed of mixedFleet({ projectId, count: 30, kinds: ['to_enable'] })) fx.sim.addInstance(seed);
    // The list is answered; the enables are refused (a signature over a body: GETs passing say nothing of POSTs).
    fx.sim.inject({ method: 'POST', fault: { kind: 'status', status: 401 }, times: 1_000 });
    const queue = handlerFor<SQSEvent, SQSBatchResponse>('queue');
    const hook = `/refused/fleet/${projectId}`;
    const event = sqsEvent({ body: JSON.stringify({ project_id: projectId, select: {}, callback_url: receiver.url(hook) }) });

    const answer = await queue(event, context('queue'));
    expect(fx.sim.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(listCalls(fx.sim, projectId)).toHaveLength(1);
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0]!.messageId }]);
    expect(callbacksUnder(hook)).toEqual([]);
    const [run] = logged('fleet run finished');
    expect(run).toMatchObject({ transient: true, error: { code: 'CREDENTIALS_REJECTED', message: expect.stringContaining('APIG.0301') } });
    expect(authFailures()).toBe(1);

    // Run again within the cool-down: nothing is listed or sent.
    const requests = fx.sim.requests.length;
    expect((await queue(sqsEvent({ body: JSON.stringify({ project_id: projectId, select: {} }) }), context('queue'))).batchItemFailures).toHaveLength(1);
    expect(fx.sim.requests).toHaveLength(requests);
  });
});

describe('schedule', () => {
  it('fails its invocation as a transient failure (the scheduler asks again), with no callback, after one request', async () => {
    const schedule = handlerFor<unknown, unknown>('schedule');
    refuseEverything();
    const hook = `/refused/schedule/${randomBytes(4).toString('hex')}`;
    const targets = [fx.instance(), fx.instance(), fx.instance()].map((instanceId) => ({
      project_id: PROJECT,
      instance_id: instanceId,
      callback_url: receiver.url(hook),
    }));
    const failure = await schedule({ targets }, context('schedule')).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).name).toBe('TransientScheduleFailure');
    expect(fx.sim.requests).toHaveLength(1);
    expect(callbacksUnder(hook)).toEqual([]);
  });
});

describe('http', () => {
  it('answers 502 CREDENTIALS_REJECTED with Retry-After (HUAWEICLOUD_AUTH_COOLDOWN_SECONDS), then the seconds left, sending nothing more', async () => {
    const http = handlerFor<APIGatewayProxyEventV2, HttpAnswer>('http', { HUAWEICLOUD_AUTH_COOLDOWN_SECONDS: '120' });
    refuseEverything();
    const hook = `/refused/http/${randomBytes(4).toString('hex')}`;

    const first = await http(enableHttpEvent(PROJECT, fx.instance(), { callback_url: receiver.url(hook) }), context('http'));
    expect(first.statusCode).toBe(502);
    expect(first.headers['retry-after']).toBe('120');
    expect(body(first)).toMatchObject({ error_code: 'CREDENTIALS_REJECTED', error_msg: expect.stringContaining('APIG.0301') });
    expect(body(first).error_msg).not.toMatch(/clock skew/);
    expect(fx.sim.requests).toHaveLength(1);

    const again = await http(enableHttpEvent(PROJECT, fx.instance(), { callback_url: receiver.url(hook) }), context('http'));
    expect(again.statusCode).toBe(502);
    expect(body(again).error_code).toBe('CREDENTIALS_REJECTED');
    expect(Number(again.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(again.headers['retry-after'])).toBeLessThanOrEqual(120);

    // The status route signs with the same key: refused alike, nothing sent.
    const status = await http(httpApiEvent({ method: 'GET', url: connectorPath(PROJECT, fx.instance()) }), context('http'));
    expect(status.statusCode).toBe(502);
    expect(body(status).error_code).toBe('CREDENTIALS_REJECTED');
    expect(Number(status.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    expect(fx.sim.requests).toHaveLength(1);
    expect(callbacksUnder(hook)).toEqual([]);
    expect(authFailures()).toBe(1);
  });

  it.each<[string, number, RegExp]>([
    // A Date header has whole seconds: the skew read may be a second off.
    ['10 minutes behind', -10 * 60_000, /clock skew: Huawei Cloud's clock is 60[01] s behind ours/],
    ['7 minutes ahead', 7 * 60_000, /clock skew: Huawei Cloud's clock is (419|420) s ahead of ours/],
  ])('says "clock skew" when the refusal is dated %s', async (_name, skewMs, said) => {
    const http = handlerFor<APIGatewayProxyEventV2, HttpAnswer>('http');
    refuseEverything({ Date: new Date(Date.now() + skewMs).toUTCString() });
    const answer = await http(enableHttpEvent(PROJECT, fx.instance(), {}), context('http'));
    expect(answer.statusCode).toBe(502);
    expect(body(answer).error_code).toBe('CREDENTIALS_REJECTED');
    expect(body(answer).error_msg).toMatch(said);
  });

  it('says nothing of the clock when the refusal is dated within 5 minutes of it', async () => {
    const http = handlerFor<APIGatewayProxyEventV2, HttpAnswer>('http');
    refuseEverything({ Date: new Date(Date.now() - 4 * 60_000).toUTCString() });
    const answer = await http(enableHttpEvent(PROJECT, fx.instance(), {}), context('http'));
    expect(body(answer).error_code).toBe('CREDENTIALS_REJECTED');
    expect(body(answer).error_msg).not.toMatch(/clock/);
  });
});
