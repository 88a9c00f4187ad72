// Load and faults: 1,000 queue messages for 200 instances through the built queue function in
// batches of 10, real HTTP to the simulator on loopback with random faults, an in-process SQS that
// redelivers what the function lists and parks what keeps failing. `npm run soak` runs it at 10x.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalQueue } from '../../local/sqs/index.ts';
import { PROJECT, newInstanceId, startSimulatorFixture, type SimulatorFixture } from '../support/fixtures.ts';
import { startCallbackReceiver, webhookHeaders, type CallbackReceiver } from '../../local/hosting/index.ts';
import { heapUsedAfterGc, LOAD_SCALE as SCALE, mebibytes, settleQueue, startQueueFunction } from '../support/load.ts';

const MESSAGES = 1_000 * SCALE;
const INSTANCES = 200 * SCALE;
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
// Tracking delays (10 s, 20 s, ...) pass at 10 ms a second here: the same order, a hundred times faster.
const MS_PER_DELAY_SECOND = 10;
const FINAL_TYPES = new Set(['succeeded', 'failed', 'rejected', 'already_enabled']);

let fx: SimulatorFixture;
let receiver: CallbackReceiver;
let queue: LocalQueue;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

interface Planned {
  readonly index: number;
  readonly body: string;
  readonly kind: 'valid' | 'invalid-reported' | 'invalid-unreported';
}

/**
 * Five requests per instance (its first always valid), about 5% invalid bodies (half of them with a
 * callback to tell), and one message in ten sent twice.
 */
function plan(instances: readonly string[]): Planned[] {
  const planned: Planned[] = [];
  for (let index = 0; index < MESSAGES; index += 1) {
    const hook = receiver.url(`/m/${index}`);
    const instanceId = instances[index % instances.length]!;
    let kind: Planned['kind'] = 'valid';
    let body: unknown = { project_id: PROJECT, instance_id: instanceId, node_cnt: 2 + (index % 3), callback_url: hook };
    const later = index >= instances.length;
    if (later && index % 32 === 7) {
      kind = 'invalid-reported';
      body = { project_id: PROJECT, instance_id: instanceId, node_count: 3, callback_url: hook };
    } else if (later && index % 32 === 23) {
      kind = 'invalid-unreported';
      body = { project_id: PROJECT, instance_id: `not-a-uuid-${index}` };
    }
    planned.push({ index, body: JSON.stringify(body), kind });
  }
  return planned;
}

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  fx = await startSimulatorFixture({ jobMs: 300 });
  receiver = await startCallbackReceiver();
  fx.sim.chaos({
    seed: 20261125,
    faults: [
      { probability: 0.1, fault: { kind: 'status', status: 429, headers: { 'Retry-After': '1' } } },
      { probability: 0.05, fault: { kind: 'status', status: 503 } },
      { probability: 0.02, fault: { kind: 'reset' } },
      // Slower than HUAWEICLOUD_HTTP_TIMEOUT_MS below.
      { probability: 0.02, fault: { kind: 'delay', ms: 900 } },
    ],
  });
  Object.assign(
    process.env,
    fx.env({
      CALLBACK_SECRET: SECRET,
      CALLBACK_ALLOWED_HOSTS: receiver.host,
      HUAWEICLOUD_HTTP_TIMEOUT_MS: '600',
      LOG_LEVEL: process.env.LOAD_LOG_LEVEL ?? 'SILENT',
    }),
  );
  delete process.env.CALLBACK_URL;
  // Tracking messages come back to the same queue after their delay, scaled down.
  ({ queue } = await startQueueFunction({
    name: 'load',
    batchSize: 10,
    functionTimeoutMs: 6_000,
    visibilityTimeoutMs: 6_000,
    maxReceiveCount: 5,
    maxConcurrency: 5,
    msPerDelaySecond: MS_PER_DELAY_SECOND,
  }));
}, 60_000);

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await queue?.stop();
  await Promise.all([fx?.sim.close(), receiver?.close()]);
});

// Callbacks are verified as they arrive: a Standard Webhooks verifier refuses timestamps older than
// five minutes, and a soak run lasts longer than that.
const typesByIndex = new Map<number, string[]>();
let verifiedUpTo = 0;
function verifyArrived(): void {
  const webhook = new Webhook(SECRET);
  for (; verifiedUpTo < receiver.received.length; verifiedUpTo += 1) {
    const callback = receiver.received[verifiedUpTo]!;
    const index = Number(/^\/m\/(\d+)$/.exec(callback.path)?.[1]);
    const payload = webhook.verify(callback.body, webhookHeaders(callback)) as { type: string };
    typesByIndex.set(index, [...(typesByIndex.get(index) ?? []), payload.type.replace('smart_connect.enable.', '')]);
  }
}

describe(`load: ${MESSAGES} queue messages for ${INSTANCES} instances with faults`, () => {
  it(
    'enables every instance exactly once and ends every message in one final callback or the dead-letter queue',
    async () => {
      const baseline = heapUsedAfterGc();
      const instances = Array.from({ length: INSTANCES }, () => fx.instance({ instanceId: newInstanceId() }));
      const planned = plan(instances);
      for (const message of planned) {
        queue.send(message.body);
        // At-least-once delivery: one message in ten arrives twice.
        if (message.index % 10 === 3) queue.send(message.body);
      }

      // Callbacks verified at least every 20 s while the queue settles.
      await settleQueue(queue, { timeoutMs: 60_000 + SCALE * 120_000, look: verifyArrived });

      // Every instance enabled exactly once, whatever the faults and duplicates.
      const counts = instances.map((id) => fx.sim.acceptedEnableCalls(id));
      expect(counts.filter((count) => count !== 1)).toEqual([]);

      // Every message: a final callback (verified) or a dead letter, never both, never neither.
      verifyArrived();
      const finalByIndex = typesByIndex;
      const byBody = new Map(planned.map((p) => [p.body, p]));
      // Only what nobody could be told about may be parked: never a valid request or a tracking message.
      const unexpectedDead = queue.deadLetters().filter((letter) => byBody.get(letter.body)?.kind !== 'invalid-unreported');
      expect(unexpectedDead.map((letter) => `${letter.body.slice(0, 120)} (${letter.receiveCount} receives: ${String(letter.lastError)})`)).toEqual([]);
      const dead = new Set(queue.deadLetters().map((letter) => byBody.get(letter.body)?.index));
      const problems: string[] = [];
      for (const message of planned) {
        const types = finalByIndex.get(message.index) ?? [];
        const final = types.some((type) => FINAL_TYPES.has(type)) && !(types.includes('accepted') && !types.some((t) => t === 'succeeded' || t === 'failed'));
        if (final === dead.has(message.index))
          problems.push(`#${message.index} (${message.kind}): callbacks [${types.join(', ')}], dead letter ${dead.has(message.index)}`);
        if (message.kind === 'invalid-unreported' && !dead.has(message.index)) problems.push(`#${message.index} should be a dead letter`);
        if (message.kind === 'invalid-reported' && !types.includes('rejected')) problems.push(`#${message.index} should be rejected`);
      }
      expect(problems.slice(0, 20)).toEqual([]);

      // Each instance ends with Smart Connect on, and its end was reported: succeeded by whoever followed
      // the job, or already_enabled where a POST's answer was lost and the job had ended before anyone
      // looked (true, and final).
      expect(instances.filter((id) => fx.sim.instance(id)?.connectorEnabled !== true)).toEqual([]);
      const reported = new Map<string, Set<string>>();
      for (const callback of receiver.received) {
        const payload = JSON.parse(callback.body) as { type: string; data: { instance_id: string } };
        reported.set(payload.data.instance_id, (reported.get(payload.data.instance_id) ?? new Set()).add(payload.type));
      }
      const unreported = instances.filter((id) => !['succeeded', 'already_enabled'].some((t) => reported.get(id)?.has(`smart_connect.enable.${t}`)));
      expect(unreported).toEqual([]);

      // The faults really happened.
      const injected = fx.sim.chaosCounts();
      expect(injected['status:429']).toBeGreaterThan(0);
      expect(injected['status:503']).toBeGreaterThan(0);
      expect(injected.reset).toBeGreaterThan(0);
      expect(injected.delay).toBeGreaterThan(0);
      expect(unhandled).toEqual([]);

      // Memory: what the run held is released (what is left: the records the test itself keeps).
      receiver.received.length = 0;
      fx.sim.reset();
      const after = heapUsedAfterGc();
      expect(after - baseline).toBeLessThan(40 * 1024 * 1024);
      console.info(
        `load: ${MESSAGES} messages, ${queue.deliveries.invocations} invocations, ${queue.deadLetters().length} dead letters, faults ${JSON.stringify(injected)}, heap ${mebibytes(after - baseline)} over baseline`,
      );
    },
    90_000 + SCALE * 150_000,
  );
});
