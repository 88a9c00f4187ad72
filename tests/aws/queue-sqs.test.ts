// The BUILT queue function (dist/queue/index.mjs) against real SQS semantics: moto's server on
// loopback plays SQS, the real @aws-sdk/client-sqs inside the bundle talks to it (AWS_ENDPOINT_URL_SQS,
// dummy credentials), and a small poller plays Lambda's event source mapping (tests/support). What is
// proven here is what an in-process queue cannot: visibility timeouts, receive counts, the redrive to
// the dead-letter queue, and tracking messages held back by SQS's own per-message delay. The DMS
// simulator and the callback receiver are on loopback too; a guard fails the run on any other address.
// Skips, with one line saying why, where moto's server is not installed.
import { CreateQueueCommand, GetQueueAttributesCommand, PurgeQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT, startSimulatorFixture, type SimulatorFixture } from '../support/fixtures.ts';
import { installLoopbackGuard, type LoopbackGuard } from '../support/loopback-guard.ts';
import { motoUnavailable, startMoto, type MotoServer } from '../support/moto.ts';
import { awaitBatch, deliverBatch, type EventSource } from '../support/sqs-event-source.ts';
import {
  functionContext,
  loadHandler,
  startCallbackReceiver,
  webhookHeaders,
  type CallbackReceiver,
  type Handler,
  type ReceivedCallback,
} from '../../local/hosting/index.ts';

const MOTO_MISSING = motoUnavailable();
if (MOTO_MISSING) console.log(`tests/aws/queue-sqs.test.ts: skipped: ${MOTO_MISSING}`);

const REGION = 'eu-west-1';
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
// The test queue's settings, small so the test waits little. (AWS advises a visibility timeout of six
// times the function's timeout so that a second consumer cannot take a batch still in flight; the
// poller here is the only consumer and waits for each batch.)
const VISIBILITY_TIMEOUT_SECONDS = 3;
const MAX_RECEIVE_COUNT = 2;
const FUNCTION_TIMEOUT_MS = 20_000;
// An invocation this short (1 s of budget once the answer margin is kept back) ends while Huawei keeps
// answering 503: the record is a transient failure.
const SHORT_TIMEOUT_MS = 2_500;
// The first tracking message waits 10 s (shared/tracking/message.ts); the simulated job ends well before.
const FIRST_TRACKING_DELAY_MS = 10_000;
const JOB_MS = 1_000;

describe.skipIf(MOTO_MISSING !== undefined)('queue function on SQS (moto)', () => {
  let moto: MotoServer;
  let sqs: SQSClient;
  let fx: SimulatorFixture;
  let receiver: CallbackReceiver;
  let guard: LoopbackGuard;
  let scratch: string;
  let queue: { url: string; arn: string };
  let deadLetters: { url: string; arn: string };
  let source: EventSource;
  const saved = { ...process.env };

  async function createQueue(name: string, attributes: Record<string, string>) {
    const { QueueUrl: url } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    if (!url) throw new Error(`CreateQueue ${name} answered no URL`);
    const { Attributes: created } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
    return { url, arn: created?.QueueArn ?? '' };
  }

  async function counts(url: string) {
    const { Attributes: a = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
      }),
    );
    return {
      visible: Number(a.ApproximateNumberOfMessages),
      inFlight: Number(a.ApproximateNumberOfMessagesNotVisible),
      delayed: Number(a.ApproximateNumberOfMessagesDelayed),
    };
  }

  const send = async (body: unknown) => (await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: JSON.stringify(body) }))).MessageId;
  const callbackOf = (callback: ReceivedCallback) =>
    new Webhook(SECRET).verify(callback.body, webhookHeaders(callback)) as { type: string; data: Record<string, unknown> };
  const callbackFor = (path: string, type: string) => receiver.waitFor((c) => c.path === path && callbackOf(c).type === type, 10_000);

  beforeAll(async () => {
    guard = installLoopbackGuard();
    scratch = await mkdtemp(join(tmpdir(), 'moto-sqs-'));
    [moto, fx, receiver] = await Promise.all([startMoto(), startSimulatorFixture({ jobMs: JOB_MS }), startCallbackReceiver()]);
    // The SDK in the bundle and the poller alike: moto's endpoint, dummy credentials, no profile.
    Object.assign(process.env, {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_ENDPOINT_URL_SQS: moto.endpoint,
      AWS_CONFIG_FILE: join(scratch, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(scratch, 'no-aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    delete process.env.AWS_PROFILE;
    sqs = new SQSClient({ region: REGION, endpoint: moto.endpoint });
    deadLetters = await createQueue('smart-connect-enabler-test-enable-dlq', {});
    queue = await createQueue('smart-connect-enabler-test-enable', {
      VisibilityTimeout: String(VISIBILITY_TIMEOUT_SECONDS),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetters.arn, maxReceiveCount: MAX_RECEIVE_COUNT }),
    });
    Object.assign(
      process.env,
      fx.env({
        CALLBACK_SECRET: SECRET,
        CALLBACK_ALLOWED_HOSTS: receiver.host,
        TRACKING_QUEUE_URL: queue.url,
        ENABLE_QUEUE_URL: queue.url,
        LOG_LEVEL: 'SILENT',
      }),
    );
    const handler = await loadHandler<Handler<SQSEvent, SQSBatchResponse>>('queue');
    source = {
      sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      region: REGION,
      handler,
      context: () => functionContext('queue', { timeoutMs: FUNCTION_TIMEOUT_MS }),
    };
  }, 60_000);

  afterEach(async () => {
    fx.sim.clearFaults();
    await Promise.all([queue, deadLetters].map(({ url }) => sqs.send(new PurgeQueueCommand({ QueueUrl: url }))));
  });

  afterAll(async () => {
    guard?.restore();
    sqs?.destroy();
    await Promise.all([moto?.stop(), fx?.sim.close(), receiver?.close(), scratch ? rm(scratch, { recursive: true, force: true }) : undefined]);
    process.env = saved;
  });

  it('an enable request is handled and deleted; its tracking message is held back by SQS, then followed to the final callback', async () => {
    const instanceId = fx.instance();
    const messageId = await send({ project_id: PROJECT, instance_id: instanceId, callback_url: receiver.url('/followed') });

    const first = await awaitBatch(source, { withinSeconds: 10 });
    expect(first.records.map((r) => [r.messageId, r.attributes.ApproximateReceiveCount])).toEqual([[messageId, '1']]);
    expect(first.answer).toEqual({ batchItemFailures: [] });
    expect(first.deleted).toEqual([messageId]);
    expect(callbackOf(await callbackFor('/followed', 'smart_connect.enable.accepted')).data).toMatchObject({ status: 'accepted', instance_id: instanceId });

    // The function sent a tracking message through the real SDK; SQS holds it back (DelaySeconds).
    expect(await counts(queue.url)).toEqual({ visible: 0, inFlight: 0, delayed: 1 });
    expect(await deliverBatch(source, { waitSeconds: 0 })).toBeUndefined();

    const tracking = await awaitBatch(source, { withinSeconds: 25 });
    expect(tracking.records).toHaveLength(1);
    const [record] = tracking.records;
    expect(record?.messageId).not.toBe(messageId);
    expect(Number(record?.attributes.ApproximateFirstReceiveTimestamp) - Number(record?.attributes.SentTimestamp)).toBeGreaterThanOrEqual(
      FIRST_TRACKING_DELAY_MS - 1_000,
    );
    expect(tracking.answer).toEqual({ batchItemFailures: [] });
    expect(callbackOf(await callbackFor('/followed', 'smart_connect.enable.succeeded')).data).toMatchObject({ status: 'succeeded', instance_id: instanceId });
    expect(await counts(queue.url)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  }, 60_000);

  it('a record that fails transiently stays on the queue and comes back after the visibility timeout with a higher receive count', async () => {
    const instanceId = fx.instance();
    // Huawei answers 503 for this instance until the fault is cleared: the record ends transient.
    fx.sim.inject({ path: instanceId, fault: { kind: 'status', status: 503 }, times: 1_000 });
    const messageId = await send({ project_id: PROJECT, instance_id: instanceId, callback_url: receiver.url('/transient') });

    const first = await awaitBatch({ ...source, context: () => functionContext('queue', { timeoutMs: SHORT_TIMEOUT_MS }) }, { withinSeconds: 10 });
    expect(first.records.map((r) => [r.messageId, r.attributes.ApproximateReceiveCount])).toEqual([[messageId, '1']]);
    expect(first.answer).toEqual({ batchItemFailures: [{ itemIdentifier: messageId }] });
    expect(first.deleted).toEqual([]);
    expect(await counts(queue.url)).toMatchObject({ inFlight: 1 });

    fx.sim.clearFaults();
    const again = await awaitBatch(source, { withinSeconds: VISIBILITY_TIMEOUT_SECONDS + 10 });
    expect(again.records.map((r) => [r.messageId, r.attributes.ApproximateReceiveCount])).toEqual([[messageId, '2']]);
    expect(again.answer).toEqual({ batchItemFailures: [] });
    expect(again.deleted).toEqual([messageId]);
    expect(callbackOf(await callbackFor('/transient', 'smart_connect.enable.accepted')).data).toMatchObject({ status: 'accepted', instance_id: instanceId });
  }, 60_000);

  it(`in one batch, a record nobody can be told about is listed and, after ${MAX_RECEIVE_COUNT} receives, redriven to the dead-letter queue; the good one is deleted`, async () => {
    const invalid = { project_id: 'not-a-project', instance_id: 'not-a-uuid' }; // no callback_url, no CALLBACK_URL
    const badId = await send(invalid);
    const goodId = await send({ project_id: PROJECT, instance_id: fx.instance(), callback_url: receiver.url('/good') });

    const first = await awaitBatch(source, { withinSeconds: 10 });
    expect(first.records.map((r) => r.messageId).sort()).toEqual([badId, goodId].sort());
    expect(first.answer).toEqual({ batchItemFailures: [{ itemIdentifier: badId }] });
    expect(first.deleted).toEqual([goodId]);

    const second = await awaitBatch(source, { withinSeconds: VISIBILITY_TIMEOUT_SECONDS + 10 });
    expect(second.records.map((r) => [r.messageId, r.attributes.ApproximateReceiveCount])).toEqual([[badId, String(MAX_RECEIVE_COUNT)]]);
    expect(second.answer).toEqual({ batchItemFailures: [{ itemIdentifier: badId }] });

    // Received maxReceiveCount times: a receive once its visibility timeout is over moves it instead.
    expect(await deliverBatch(source, { waitSeconds: VISIBILITY_TIMEOUT_SECONDS + 1 })).toBeUndefined();
    const { Messages: parked = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: deadLetters.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 2 }));
    expect(parked.map((m) => [m.MessageId, JSON.parse(m.Body ?? '{}')])).toEqual([[badId, invalid]]);
    expect(receiver.received.filter((c) => c.path === '/good').map((c) => callbackOf(c).type)).toContain('smart_connect.enable.accepted');
  }, 60_000);

  it('contacted nothing outside loopback and resolved no name', () => {
    expect(guard.refused).toEqual([]);
    expect(guard.lookups).toEqual([]);
    expect(guard.connects.length).toBeGreaterThan(0);
  });
});
