// Tracking accepted jobs to their end with the built bundles: tracking messages go to an in-process
// queue (handed to the bundle's createHandler, as the local stack does), and each delivery is one
// status check of the simulator.
// Tracking messages are sealed: a forged or altered one is dropped and reported to nobody.
import { randomBytes } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { environmentCredentials } from '../../shared/credentials/index.ts';
import { sealingTrackingQueue, trackingKeys, type SealedTrackingMessage } from '../../shared/tracking/index.ts';
import { captureLogLines, type LogCapture } from '../support/log-lines.ts';
import { PROJECT, startSimulatorFixture, type SimulatorFixture } from '../support/fixtures.ts';
import { jsonSqsEvent } from '../support/events.ts';
import {
  functionContext,
  loadHandler,
  startCallbackReceiver,
  webhookHeaders,
  type CallbackReceiver,
  type Handler,
  type QueueSender,
} from '../../local/hosting/index.ts';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const JOB_MS = 30_000;
// 0.05 minutes: a job unfinished 3 s after it was accepted has timed out.
const JOB_TIMEOUT_MS = 3_000;

let clock = Date.now();
let fx: SimulatorFixture;
let receiver: CallbackReceiver;
let queue: Handler<SQSEvent, SQSBatchResponse>;
const sent: { message: SealedTrackingMessage; delaySeconds: number }[] = [];
let failSends = 0;

let logs: LogCapture;

// The queue function's tracking queue, handed over as a host does: sealed messages as JSON bodies.
const trackingQueue: QueueSender = {
  async send(body, options = {}) {
    if (failSends > 0) {
      failSends -= 1;
      throw new Error('queue unavailable');
    }
    sent.push({ message: JSON.parse(body) as SealedTrackingMessage, delaySeconds: options.delaySeconds ?? 0 });
  },
};

beforeAll(async () => {
  fx = await startSimulatorFixture({ jobMs: JOB_MS, now: () => clock });
  receiver = await startCallbackReceiver();
  Object.assign(
    process.env,
    fx.env({ CALLBACK_SECRET: SECRET, CALLBACK_ALLOWED_HOSTS: receiver.host, JOB_TIMEOUT_MINUTES: String(JOB_TIMEOUT_MS / 60_000), LOG_LEVEL: 'ERROR' }),
  );
  logs = captureLogLines();
  queue = await loadHandler<typeof queue>('queue', { host: { trackingQueue } });
});
afterAll(async () => {
  logs.restore();
  await Promise.all([fx.sim.close(), receiver.close()]);
});
afterEach(() => {
  fx.sim.clearFaults();
  fx.sim.reset();
  sent.length = 0;
  failSends = 0;
  logs.clear();
});

const record = jsonSqsEvent;

const run = (event: SQSEvent) => queue(event, functionContext('queue'));
const failures = (answer: SQSBatchResponse) => answer.batchItemFailures.map((f) => f.itemIdentifier);

/** Enables an instance through the queue and returns the tracking message it left behind. */
async function enableThroughQueue(instanceId: string, hook: string): Promise<SealedTrackingMessage> {
  const answer = await run(record({ project_id: PROJECT, instance_id: instanceId, callback_url: receiver.url(hook) }));
  expect(failures(answer)).toEqual([]);
  expect(sent).toHaveLength(1);
  const [first] = sent.splice(0);
  expect(first?.delaySeconds).toBe(10);
  return first!.message;
}

const verified = (path: string) =>
  receiver.received
    .filter((c) => c.path === path)
    .map((c) => ({
      id: c.headers['webhook-id'],
      payload: new Webhook(SECRET).verify(c.body, webhookHeaders(c)) as { type: string; data: Record<string, unknown> },
    }));

describe('following an accepted job', () => {
  it('sends succeeded with the same job_id once the instance is RUNNING with the connector', async () => {
    const instanceId = fx.instance();
    const hook = `/track/${instanceId}`;
    const tracking = await enableThroughQueue(instanceId, hook);

    // Still running: one check, then the next message, backing off.
    expect(failures(await run(record(tracking)))).toEqual([]);
    expect(sent.map((s) => s.delaySeconds)).toEqual([20]);
    const next = sent.splice(0)[0]!.message;
    expect(next.checks).toBe(1);

    clock += JOB_MS;
    expect(failures(await run(record(next)))).toEqual([]);
    expect(sent).toHaveLength(0);

    const callbacks = verified(hook);
    expect(callbacks.map((c) => c.payload.type)).toEqual(['smart_connect.enable.accepted', 'smart_connect.enable.succeeded']);
    const [accepted, succeeded] = callbacks.map((c) => c.payload.data);
    expect(succeeded).toMatchObject({
      status: 'succeeded',
      job_id: accepted?.job_id,
      connector_id: accepted?.connector_id,
      instance_status: 'RUNNING',
      task_status: 'SUCCESS',
      duration_seconds: expect.any(Number),
    });
  });

  it('sends failed with what Huawei reported when the task FAILED', async () => {
    const instanceId = fx.instance();
    fx.sim.setNextJobOutcome(instanceId, 'fail');
    const hook = `/track/${instanceId}`;
    const tracking = await enableThroughQueue(instanceId, hook);
    clock += JOB_MS;
    await run(record(tracking));

    const final = verified(hook).at(-1)?.payload;
    expect(final).toMatchObject({ type: 'smart_connect.enable.failed', data: { status: 'failed', task_status: 'FAILED', error: { code: 'JOB_FAILED' } } });
    expect(String((final?.data.error as { message: string }).message)).toContain('FAILED');
  });

  it('ends a job that never finishes with JOB_TIMEOUT after JOB_TIMEOUT_MINUTES', async () => {
    const instanceId = fx.instance();
    fx.sim.setNextJobOutcome(instanceId, 'hang');
    const hook = `/track/${instanceId}`;
    const tracking = await enableThroughQueue(instanceId, hook);
    await run(record(tracking));
    expect(sent).toHaveLength(1);
    const next = sent.splice(0)[0]!.message;

    clock += JOB_MS * 10;
    await new Promise((done) => setTimeout(done, JOB_TIMEOUT_MS + 100));
    await run(record(next));
    expect(sent).toHaveLength(0);
    expect(verified(hook).at(-1)?.payload).toMatchObject({
      type: 'smart_connect.enable.failed',
      data: { error: { code: 'JOB_TIMEOUT' }, instance_status: 'EXTENDING', task_status: 'EXECUTING' },
    });
  });

  it('carries on when a status check hits 429 or 5xx', async () => {
    const instanceId = fx.instance();
    const hook = `/track/${instanceId}`;
    const tracking = await enableThroughQueue(instanceId, hook);
    clock += JOB_MS;
    fx.sim.inject({ method: 'GET', path: instanceId, fault: { kind: 'status', status: 429, headers: { 'Retry-After': '30' } }, times: 1 });
    fx.sim.inject({ method: 'GET', path: instanceId, fault: { kind: 'status', status: 503 }, times: 10 });

    expect(failures(await run(record(tracking)))).toEqual([]);
    expect(sent).toHaveLength(1);
    expect(verified(hook).map((c) => c.payload.type)).toEqual(['smart_connect.enable.accepted']);

    fx.sim.clearFaults();
    await run(record(sent.splice(0)[0]!.message));
    expect(verified(hook).at(-1)?.payload.type).toBe('smart_connect.enable.succeeded');
  });

  it('gives duplicate deliveries of a tracking message one final callback id', async () => {
    const instanceId = fx.instance();
    const hook = `/track/${instanceId}`;
    const tracking = await enableThroughQueue(instanceId, hook);
    clock += JOB_MS;
    await Promise.all([run(record(tracking)), run(record(tracking, 2))]);
    await run(record(tracking, 3));

    const finals = verified(hook).filter((c) => c.payload.type === 'smart_connect.enable.succeeded');
    expect(finals).toHaveLength(3);
    expect(new Set(finals.map((c) => c.id)).size).toBe(1);
    expect(fx.sim.acceptedEnableCalls(instanceId)).toBe(1);
  });

  it('gives a job the same final callback id whether its tracking started with the job or found it running', async () => {
    const instanceId = fx.instance();
    const hook = `/track/${instanceId}`;
    const fromAccepted = await enableThroughQueue(instanceId, hook);
    await run(record({ project_id: PROJECT, instance_id: instanceId, callback_url: receiver.url(hook) }));
    const [foundRunning] = sent.splice(0);
    expect(foundRunning?.message).toMatchObject({ connector_id: fromAccepted.connector_id });
    expect(foundRunning?.message.job_id).toBeUndefined();

    clock += JOB_MS;
    await run(record(fromAccepted));
    await run(record(foundRunning!.message));
    const finals = verified(hook).filter((c) => c.payload.type === 'smart_connect.enable.succeeded');
    expect(finals).toHaveLength(2);
    expect(new Set(finals.map((c) => c.id)).size).toBe(1);
    expect(verified(hook).map((c) => c.payload.type)).toContain('smart_connect.enable.already_enabled');
  });

  it('lets the tracking message come back when the callback endpoint is down for the final callback', async () => {
    const instanceId = fx.instance();
    const hook = `/track/${instanceId}`;
    const tracking = await enableThroughQueue(instanceId, hook);
    clock += JOB_MS;
    receiver.answer(hook, 503);
    const down = record(tracking);
    expect(failures(await run(down))).toEqual([down.Records[0]!.messageId]);

    receiver.answer(hook, 204);
    expect(failures(await run(record(tracking, 2)))).toEqual([]);
    const finals = verified(hook).filter((c) => c.payload.type === 'smart_connect.enable.succeeded');
    expect(new Set(finals.map((c) => c.id)).size).toBe(1);
  });

  it('lets the enable request come back when its tracking message cannot be sent, then follows the running job', async () => {
    const instanceId = fx.instance();
    const hook = `/track/${instanceId}`;
    failSends = 1;
    const first = record({ project_id: PROJECT, instance_id: instanceId, callback_url: receiver.url(hook) });
    expect(failures(await run(first))).toEqual([first.Records[0]!.messageId]);

    expect(failures(await run(record({ project_id: PROJECT, instance_id: instanceId, callback_url: receiver.url(hook) }, 2)))).toEqual([]);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.message).toMatchObject({ instance_id: instanceId, connector_id: expect.any(String) });
    expect(fx.sim.acceptedEnableCalls(instanceId)).toBe(1);
  });
});

describe('tracking messages are authenticated', () => {
  const refusals = () => logs.entries().filter((entry) => entry.message === 'tracking message refused');

  type Forgery = (genuine: SealedTrackingMessage, instanceId: string) => Record<string, unknown> | Promise<Record<string, unknown>>;
  it.each<[string, Forgery]>([
    // The message: a job that never existed, accepted at the epoch (so "timed out" at once).
    [
      'a made-up job, unsigned',
      (_g, instanceId) => ({
        type: 'smart_connect.tracking',
        project_id: PROJECT,
        instance_id: instanceId,
        region: 'cn-north-4',
        job_id: 'made-up-job',
        source: 'queue',
        started_at: 0,
        checks: 0,
        callback_url: receiver.url(`/track/${instanceId}`),
      }),
    ],
    [
      'a made-up job with a signature of the right shape',
      (g) => ({ ...g, job_id: 'made-up-job', started_at: 0, signature: randomBytes(32).toString('base64url') }),
    ],
    ['an altered field (started_at)', (g) => ({ ...g, started_at: 0 })],
    ['an altered field (job_id)', (g) => ({ ...g, job_id: 'another-job' })],
    ['a removed field (connector_id)', (g) => Object.fromEntries(Object.entries(g).filter(([key]) => key !== 'connector_id'))],
    ['a wrong signature', (g) => ({ ...g, signature: randomBytes(32).toString('base64url') })],
    ['a missing signature', (g) => Object.fromEntries(Object.entries(g).filter(([key]) => key !== 'signature'))],
    ['a signature that is not one (wrong length)', (g) => ({ ...g, signature: g.signature.slice(0, 20) })],
    ['a genuine one replayed with another callback_url', (g) => ({ ...g, callback_url: receiver.url('/attacker') })],
    ['a genuine one with an extra field', (g) => ({ ...g, note: 'x' })],
    // Someone who knows the scheme but not this deployment's SK.
    ['one sealed with another SK', (g) => sealedWithSk({ ...stripSignature(g), started_at: 0 }, 'another-deployment-sk-0123456789')],
  ])('drops %s: no status check, no callback, not retried, one error line', async (_name, forge) => {
    const instanceId = fx.instance();
    const hook = `/track/${instanceId}`;
    const genuine = await enableThroughQueue(instanceId, hook);
    clock += JOB_MS;
    const requestsBefore = fx.sim.requests.length;
    const callbacksBefore = receiver.received.length;
    const forged = await forge(genuine, instanceId);

    expect(failures(await run(record(forged)))).toEqual([]);
    expect(fx.sim.requests.length).toBe(requestsBefore);
    expect(receiver.received.length).toBe(callbacksBefore);
    expect(sent).toHaveLength(0);
    const [refusal, ...more] = refusals();
    expect(more).toEqual([]);
    expect(refusal).toMatchObject({ level: 'ERROR', reason: expect.any(String) });
    // A short reason: no signature, no URL, no ids from the message.
    const line = JSON.stringify(refusal);
    expect(line).not.toContain(String(forged.signature ?? genuine.signature));
    expect(line).not.toContain('127.0.0.1');
    expect(String(refusal?.reason).length).toBeLessThan(120);

    // The genuine message still works: the job is followed to its end.
    expect(failures(await run(record(genuine)))).toEqual([]);
    expect(verified(hook).map((c) => c.payload.type)).toEqual(['smart_connect.enable.accepted', 'smart_connect.enable.succeeded']);
  });

  it('drops a malformed one (unknown shape, bad types) without a status check', async () => {
    const bad = record({ type: 'smart_connect.tracking', project_id: PROJECT, signature: 'x'.repeat(43) });
    expect(failures(await run(bad))).toEqual([]);
    expect(fx.sim.requests).toHaveLength(0);
    expect(refusals()).toHaveLength(1);
    expect(String(refusals()[0]?.reason)).toMatch(/malformed.*instance_id/);
  });

  it('refuses oversized fields by name, without quoting them', async () => {
    const instanceId = fx.instance();
    const genuine = await enableThroughQueue(instanceId, `/track/${instanceId}`);
    const long = 'j'.repeat(5_000);
    expect(failures(await run(record({ ...genuine, job_id: long })))).toEqual([]);
    expect(refusals()[0]?.reason).toMatch(/job_id/);
    expect(logs.text()).not.toContain(long.slice(0, 300));
  });
});

function stripSignature(message: SealedTrackingMessage) {
  const { signature: _signature, ...rest } = message;
  return rest;
}

/** The message as a deployment with this SK seals it: through the tracking room's own sealing queue. */
async function sealedWithSk(message: ReturnType<typeof stripSignature>, sk: string): Promise<SealedTrackingMessage> {
  const sealed: SealedTrackingMessage[] = [];
  const queue = sealingTrackingQueue({ send: async (m) => void sealed.push(m) }, trackingKeys(environmentCredentials({ ak: 'another-deployment-ak', sk })));
  await queue.send(message, 0);
  return sealed[0]!;
}
