// A fleet of 2,000 instances in one project of the DMS simulator, run by the built schedule function
// with a selector target (team=data): a dry run costs one list call per page of 50 and nothing else;
// applied, each instance to enable is queued once on the in-process queue, which delivers it to the
// built queue function (batches of 10, 5 at a time), which enables it once and follows its job to the
// end through tracking messages on the same queue; every message ends in a final callback (verified
// with standardwebhooks on arrival) or a dead letter, and the reconcile.completed callback counts the
// run. Counts are asserted; list calls, POSTs, time and memory are printed. `npm run soak`: 5x.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callbackPayload,
  functionContext,
  loadHandler,
  startCallbackReceiver,
  type CallbackReceiver,
  type Handler,
  type QueueSender,
} from '../../local/hosting/index.ts';
import { mixedFleet, type FleetSeed } from '../../local/simulator/index.ts';
import type { LocalQueue } from '../../local/sqs/index.ts';
import type { ScheduleSummary } from '../../functions/schedule.ts';
import { startSimulatorFixture, type SimulatorFixture } from '../support/fixtures.ts';
import { listCalls, newProjectId } from '../support/fleet.ts';
import { LOAD_SCALE, mebibytes, memoryNow, settleQueue, startQueueFunction } from '../support/load.ts';

// One run reads at most 10,000 instances (200 pages), so the soak's fleet stops there.
const FLEET_SIZE = Math.min(2_000 * LOAD_SCALE, 10_000);
// Huawei's largest page is 50 instances: 40 list calls for 2,000.
const MAX_LIST_CALLS = FLEET_SIZE / 50;
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
// Tracking delays (10 s, 20 s, ...) pass at 10 ms a second; jobs take 300 ms: two or three checks each.
const MS_PER_DELAY_SECOND = 10;
const JOB_MS = 300;
const FINAL_TYPES = new Set(['succeeded', 'failed', 'already_enabled', 'rejected'].map((type) => `smart_connect.enable.${type}`));
const project = newProjectId();
const selector = { project_id: project, select: { tags: { team: 'data' } } };

let fx: SimulatorFixture;
let receiver: CallbackReceiver;
let queue: LocalQueue;
let schedule: Handler<unknown, ScheduleSummary>;
/** What the schedule function fanned out, body by body. */
const fannedOut: string[] = [];
let seeds: FleetSeed[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

/** Half the fleet team=data, half team=web, interleaved in the list; each half every kind in rotation. */
function seedFleet(): FleetSeed[] {
  const team = (name: string) => mixedFleet({ projectId: project, count: FLEET_SIZE / 2, namePrefix: `${name}-kafka-`, tags: { team: name } });
  const [data, web] = [team('data'), team('web')];
  const fleet = data.flatMap((seed, index) => [seed, web[index] as FleetSeed]);
  for (const seed of fleet) fx.sim.addInstance(seed);
  return fleet;
}

const isData = (seed: FleetSeed) => seed.tags?.team === 'data';
const toEnable = () => seeds.filter((seed) => isData(seed) && seed.kind === 'to_enable').map((seed) => seed.instanceId);
// One to-enable instance in ten gets a job that fails: its final callback is `failed`.
const failingJob = (index: number) => index % 10 === 9;
const posts = () => fx.sim.requests.filter((r) => r.method === 'POST');
const callbacksTo = (path: string) => receiver.received.filter((c) => c.path === path);
const grown = (bytes: number) => `${bytes < 0 ? '' : '+'}${mebibytes(bytes)}`;

function measure() {
  const memory = memoryNow();
  const started = performance.now();
  return (phase: string) => {
    const ms = Math.round(performance.now() - started);
    const now = memoryNow();
    console.info(
      `fleet-load: ${FLEET_SIZE} instances, ${toEnable().length} to enable, ${phase}: ${listCalls(fx.sim, project).length} list calls, ${posts().length} POSTs, ${ms} ms, heap ${grown(now.heap - memory.heap)}, rss ${grown(now.rss - memory.rss)}`,
    );
  };
}

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  fx = await startSimulatorFixture({ jobMs: JOB_MS });
  receiver = await startCallbackReceiver({ secret: SECRET });
  Object.assign(process.env, fx.env({ CALLBACK_SECRET: SECRET, CALLBACK_ALLOWED_HOSTS: receiver.host, LOG_LEVEL: process.env.LOAD_LOG_LEVEL ?? 'SILENT' }));
  delete process.env.CALLBACK_URL;
  // serverless.yml's settings, the local queue's defaults: batches of 10, 5 at a time, 120 s each.
  let sender: QueueSender;
  ({ queue, sender } = await startQueueFunction({ name: 'fleet-load', msPerDelaySecond: MS_PER_DELAY_SECOND }));
  const enableQueue: QueueSender = {
    async send(body, options) {
      fannedOut.push(body);
      await sender.send(body, options);
    },
  };
  schedule = await loadHandler<Handler<unknown, ScheduleSummary>>('schedule', { host: { enableQueue, trackingQueue: sender } });
  seeds = seedFleet();
  toEnable().forEach((id, index) => failingJob(index) && fx.sim.setNextJobOutcome(id, 'fail'));
}, 60_000);

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await queue?.stop();
  await Promise.all([fx?.sim.close(), receiver?.close()]);
});

describe(`load: a fleet of ${FLEET_SIZE} instances in one project, run by the schedule function`, () => {
  const others = { already_enabled: FLEET_SIZE / 10, enabling: FLEET_SIZE / 10, skipped_not_pay_per_use: FLEET_SIZE / 10, skipped_busy: FLEET_SIZE / 10 };

  it(`a dry run costs at most ${MAX_LIST_CALLS} list calls and nothing else`, async () => {
    fx.sim.reset();
    const report = measure();
    const summary = await schedule({ targets: [{ ...selector, dry_run: true, callback_url: receiver.url('/dry-run') }] }, functionContext('schedule'));
    report('dry run');

    expect(summary.fleets?.[0]).toMatchObject({ dry_run: true, matched: FLEET_SIZE / 2, counts: { would_enable: toEnable().length, ...others } });
    expect(toEnable()).toHaveLength(FLEET_SIZE / 10);
    expect(listCalls(fx.sim, project).length).toBeLessThanOrEqual(MAX_LIST_CALLS);
    expect(fx.sim.requests).toEqual(listCalls(fx.sim, project));
    expect(queue.deliveries.sent).toBe(0);
    const [completed] = callbacksTo('/dry-run');
    expect(completed).toMatchObject({ verified: true, type: 'smart_connect.reconcile.completed' });
    expect(callbackPayload(completed?.body ?? '')?.data).toEqual(summary.fleets?.[0]);
  });

  it(
    'applied, enables each instance to enable exactly once through the queue and ends every message in a final callback or a dead letter',
    async () => {
      fx.sim.reset();
      const report = measure();
      const summary = await schedule({ targets: [{ ...selector, callback_url: receiver.url('/apply') }] }, functionContext('schedule'));
      await settleQueue(queue, { timeoutMs: 60_000 * LOAD_SCALE });
      report('applied and followed to the end');

      // The run: listed as cheaply as the dry run, each instance to enable queued once, nothing else sent.
      const wanted = toEnable();
      expect(summary.fleets?.[0]).toMatchObject({ dry_run: false, matched: FLEET_SIZE / 2, counts: { queued: wanted.length, ...others } });
      expect(listCalls(fx.sim, project).length).toBeLessThanOrEqual(MAX_LIST_CALLS);
      expect(fannedOut.map((body) => (JSON.parse(body) as { instance_id: string }).instance_id).sort()).toEqual([...wanted].sort());

      // Each enabled exactly once, nothing else touched.
      const wantedSet = new Set(wanted);
      expect(
        seeds
          .filter((seed) => fx.sim.acceptedEnableCalls(seed.instanceId) !== (wantedSet.has(seed.instanceId) ? 1 : 0))
          .map((seed) => `${seed.name} (${seed.kind})`),
      ).toEqual([]);
      expect([...new Set(posts().map((post) => post.path.split('/')[4]))].sort()).toEqual([...wanted].sort());

      // Every message: a final callback or a dead letter, never both, never neither; here no dead letter.
      const callbacks = callbacksTo('/apply');
      expect(callbacks.filter((c) => !c.verified).map((c) => c.verify_error)).toEqual([]);
      const finalTypes = new Map<string, string[]>();
      for (const callback of callbacks) {
        if (!FINAL_TYPES.has(callback.type ?? '')) continue;
        const id = String(callbackPayload(callback.body)?.data?.instance_id);
        finalTypes.set(id, [...(finalTypes.get(id) ?? []), String(callback.type)]);
      }
      const dead = new Set(queue.deadLetters().map((letter) => (JSON.parse(letter.body) as { instance_id?: string }).instance_id));
      const problems = wanted.flatMap((id, index) => {
        const expected = `smart_connect.enable.${failingJob(index) ? 'failed' : 'succeeded'}`;
        const finals = finalTypes.get(id) ?? [];
        if (dead.has(id) === finals.length > 0) return [`${id}: final callbacks [${finals.join(', ')}], dead letter ${dead.has(id)}`];
        return finals.length > 1 || (finals.length === 1 && finals[0] !== expected)
          ? [`${id}: final callbacks [${finals.join(', ')}], expected ${expected}`]
          : [];
      });
      expect(problems.slice(0, 20)).toEqual([]);
      expect(queue.deadLetters()).toEqual([]);
      expect(finalTypes.size).toBe(wanted.length);

      // The run's own report, once, with the summary's counts.
      const completed = callbacks.filter((c) => c.type === 'smart_connect.reconcile.completed');
      expect(completed).toHaveLength(1);
      expect(callbackPayload(completed[0]?.body ?? '')?.data).toMatchObject({ matched: FLEET_SIZE / 2, counts: summary.fleets?.[0]?.counts });
      expect(unhandled).toEqual([]);
    },
    120_000 * LOAD_SCALE,
  );
});
