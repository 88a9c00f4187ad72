// Replayed tracking messages (issue 14, item 7), with the built queue bundle, the DMS simulator and
// a callback receiver on loopback. A genuine sealed message carries its expiry (the job's timeout
// plus a margin) and is dropped after it, reported to nobody, in one log line; it is bound to the
// deployment that sealed it (its tracking queue), so another deployment holding the same SK drops
// it; and a job's end has one webhook-id, succeeded or failed, so a late copy that sees the
// instance deleted cannot pass for a second outcome.
import { randomBytes } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { EXPIRY_MARGIN_MS, type SealedTrackingMessage } from '../../shared/tracking/index.ts';
import {
  functionContext,
  loadFunction,
  startCallbackReceiver,
  webhookHeaders,
  type CallbackReceiver,
  type FunctionHost,
  type Handler,
  type QueueSender,
} from '../../local/hosting/index.ts';
import { jsonSqsEvent } from '../support/events.ts';
import { PROJECT, startSimulatorFixture, type SimulatorFixture } from '../support/fixtures.ts';
import { captureLogLines, type LogCapture } from '../support/log-lines.ts';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const JOB_MS = 30_000;
const JOB_TIMEOUT_MS = 50 * 60_000;
// Two deployments of the same stack (two stages, say) that hold the same Huawei key pair.
const QUEUE_A = 'https://sqs.eu-west-1.amazonaws.com/111122223333/smart-connect-a-enable';
const QUEUE_B = 'https://sqs.eu-west-1.amazonaws.com/111122223333/smart-connect-b-enable';

let clock = Date.now();
let fx: SimulatorFixture;
let receiver: CallbackReceiver;
let logs: LogCapture;
let deploymentA: Handler<SQSEvent, SQSBatchResponse>;
let deploymentB: Handler<SQSEvent, SQSBatchResponse>;
let coldStart: () => void;
const sent: SealedTrackingMessage[] = [];

const trackingQueue: QueueSender = {
  async send(body) {
    sent.push(JSON.parse(body) as SealedTrackingMessage);
  },
};

beforeAll(async () => {
  fx = await startSimulatorFixture({ jobMs: JOB_MS, now: () => clock });
  receiver = await startCallbackReceiver();
  Object.assign(process.env, fx.env({ LOG_LEVEL: 'SILENT' }));
  const { createHandler } = await loadFunction<Handler<SQSEvent, SQSBatchResponse>>('queue', { fresh: true });
  const host = (queueUrl: string): FunctionHost => ({
    env: fx.env({
      CALLBACK_SECRET: SECRET,
      CALLBACK_ALLOWED_HOSTS: receiver.host,
      TRACKING_QUEUE_URL: queueUrl,
      JOB_TIMEOUT_MINUTES: String(JOB_TIMEOUT_MS / 60_000),
      LOG_LEVEL: 'INFO',
    }),
    trackingQueue,
  });
  // Each test starts both deployments cold: a test whose late clock made Huawei refuse a signature
  // leaves that deployment's key cooling down (HUAWEICLOUD_AUTH_COOLDOWN_SECONDS), which is not the
  // next test's business.
  coldStart = () => {
    deploymentA = createHandler(host(QUEUE_A));
    deploymentB = createHandler(host(QUEUE_B));
  };
  logs = captureLogLines();
});
afterAll(async () => {
  logs.restore();
  await Promise.all([fx.sim.close(), receiver.close()]);
});
beforeEach(() => coldStart());
afterEach(() => {
  vi.useRealTimers();
  fx.sim.clearFaults();
  fx.sim.reset();
  sent.length = 0;
  logs.clear();
});

const run = (handler: Handler<SQSEvent, SQSBatchResponse>, body: unknown) => handler(jsonSqsEvent(body), functionContext('queue'));
const failures = (answer: SQSBatchResponse) => answer.batchItemFailures.map((f) => f.itemIdentifier);
const refusals = () => logs.entries().filter((entry) => entry.message === 'tracking message refused');
const verified = (path: string) =>
  receiver.received
    .filter((c) => c.path === path)
    .map((c) => ({
      id: c.headers['webhook-id'],
      payload: new Webhook(SECRET).verify(c.body, webhookHeaders(c)) as { type: string; data: Record<string, unknown> },
    }));

/** Enables an instance through deployment A and follows its job to `succeeded`; returns the tracking message. */
async function succeededJob(instanceId: string, hook: string): Promise<SealedTrackingMessage> {
  expect(failures(await run(deploymentA, { project_id: PROJECT, instance_id: instanceId, callback_url: receiver.url(hook) }))).toEqual([]);
  const [message] = sent.splice(0);
  expect(message?.expires_at).toBe((message?.started_at ?? 0) + JOB_TIMEOUT_MS + EXPIRY_MARGIN_MS);
  clock += JOB_MS;
  expect(failures(await run(deploymentA, message))).toEqual([]);
  expect(verified(hook).map((c) => c.payload.type)).toEqual(['smart_connect.enable.accepted', 'smart_connect.enable.succeeded']);
  return message!;
}

/** The instance is gone: Huawei answers its detail with DMS.00404022. */
function deleteInstance(instanceId: string): void {
  fx.sim.inject({
    method: 'GET',
    path: instanceId,
    fault: { kind: 'status', status: 404, body: { error_code: 'DMS.00404022', error_msg: 'The instance does not exist.' } },
    times: 100,
  });
}

describe('a genuine tracking message replayed', () => {
  it('after its expiry: dropped, no status check, no callback, not retried, one log line', async () => {
    const instanceId = fx.instance();
    const hook = `/replay/expired/${instanceId}`;
    const message = await succeededJob(instanceId, hook);
    deleteInstance(instanceId);
    const requestsBefore = fx.sim.requests.length;
    const callbacksBefore = receiver.received.length;
    logs.clear();

    // Three hours later, as in the issue (it made failed TIMEOUT and a JobDuration of 10,802 s).
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(message.started_at + 3 * 60 * 60_000);
    expect(failures(await run(deploymentA, message))).toEqual([]);
    vi.useRealTimers();

    expect(fx.sim.requests.length).toBe(requestsBefore);
    expect(receiver.received.length).toBe(callbacksBefore);
    expect(sent).toHaveLength(0);
    expect(refusals()).toEqual([expect.objectContaining({ level: 'ERROR', reason: expect.stringMatching(/^it expired \d+ s ago/) })]);
    expect(logs.text()).not.toContain('JobDuration');
  });

  it('at its expiry it is still read, and whatever its late check sees, the job keeps its one final id', async () => {
    const instanceId = fx.instance();
    const hook = `/replay/in-time/${instanceId}`;
    const message = await succeededJob(instanceId, hook);
    const requestsBefore = fx.sim.requests.length;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(message.expires_at);
    expect(failures(await run(deploymentA, message))).toEqual([]);
    vi.useRealTimers();
    expect(refusals()).toEqual([]);
    expect(fx.sim.requests.length).toBeGreaterThan(requestsBefore);
    // Signed at the faked time, so read without the receiver's clock check. (Here the late check's
    // signed date is refused by the simulator, and the job, past its timeout, ends failed after succeeded.)
    const finals = receiver.received.filter((c) => c.path === hook && (JSON.parse(c.body) as { type: string }).type !== 'smart_connect.enable.accepted');
    expect(finals).toHaveLength(2);
    expect(new Set(finals.map((c) => c.headers['webhook-id'])).size).toBe(1);
  });

  it('with the instance since deleted: failed under the same webhook-id as the succeeded it follows', async () => {
    const instanceId = fx.instance();
    const hook = `/replay/deleted/${instanceId}`;
    const message = await succeededJob(instanceId, hook);
    deleteInstance(instanceId);
    expect(failures(await run(deploymentA, message))).toEqual([]);

    const [succeeded, failed] = verified(hook).filter((c) => c.payload.type !== 'smart_connect.enable.accepted');
    expect(succeeded?.payload.type).toBe('smart_connect.enable.succeeded');
    expect(failed?.payload).toMatchObject({ type: 'smart_connect.enable.failed', data: { error: { code: 'DMS.00404022' } } });
    // A receiver that keeps the first message of an id keeps succeeded.
    expect(failed?.id).toBe(succeeded?.id);
  });

  it('in another deployment holding the same SK: dropped, no status check, no callback to anyone', async () => {
    const instanceId = fx.instance();
    const hook = `/replay/other/${instanceId}`;
    expect(failures(await run(deploymentA, { project_id: PROJECT, instance_id: instanceId, callback_url: receiver.url(hook) }))).toEqual([]);
    const [message] = sent.splice(0);
    clock += JOB_MS;
    const requestsBefore = fx.sim.requests.length;
    logs.clear();

    expect(failures(await run(deploymentB, message))).toEqual([]);
    expect(fx.sim.requests.length).toBe(requestsBefore);
    expect(verified(hook).map((c) => c.payload.type)).toEqual(['smart_connect.enable.accepted']);
    expect(refusals()).toEqual([expect.objectContaining({ reason: 'its signature matches no key of this deployment' })]);

    // Its own deployment still follows it to the end.
    expect(failures(await run(deploymentA, message))).toEqual([]);
    expect(verified(hook).map((c) => c.payload.type)).toEqual(['smart_connect.enable.accepted', 'smart_connect.enable.succeeded']);
  });
});
