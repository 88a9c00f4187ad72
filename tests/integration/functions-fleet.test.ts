// Fleet runs through the built schedule and queue bundles (createHandler with the environment and
// queues handed in), against the DMS simulator and a callback receiver, all on loopback: a summary
// per selector target, dry runs, transient list failures, invalid selectors, fan-out through the
// enable queue (each instance then enabled exactly once by the queue function), the
// reconcile.completed callback, listings that are not whole, unreadable entries and listed text.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dropMetricLines,
  functionContext,
  loadFunction,
  sqsEvent,
  startCallbackReceiver,
  webhookHeaders,
  type CallbackReceiver,
  type FunctionHost,
  type Handler,
  type ReceivedCallback,
} from '../../local/hosting/index.ts';
import { mixedFleet, type FleetSeed } from '../../local/simulator/index.ts';
import type { ScheduleSummary } from '../../functions/schedule.ts';
import type { FleetSummary } from '../../shared/fleet/index.ts';
import { jsonSqsEvent } from '../support/events.ts';
import { useSimulator } from '../support/fixtures.ts';
import { changeList, listCalls, newProjectId } from '../support/fleet.ts';
import { keepingQueue } from '../support/keeping-queue.ts';

type CreateHandler<E, R> = (host: FunctionHost) => Handler<E, R>;

const fx = useSimulator();
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
let receiver: CallbackReceiver;
let createSchedule: CreateHandler<unknown, ScheduleSummary>;
let createQueue: CreateHandler<SQSEvent, SQSBatchResponse>;

beforeAll(async () => {
  receiver = await startCallbackReceiver();
  // Importing a bundle starts its Lambda handler (`handler = createHandler()`), which reads process.env.
  Object.assign(process.env, fx.env({ LOG_LEVEL: 'SILENT' }));
  createSchedule = (await loadFunction<Handler<unknown, ScheduleSummary>>('schedule')).createHandler;
  createQueue = (await loadFunction<Handler<SQSEvent, SQSBatchResponse>>('queue')).createHandler;
});
afterAll(() => receiver.close());

const host = (extra: Omit<FunctionHost, 'env'> = {}, env: Record<string, string> = {}): FunctionHost => ({
  env: fx.env({ CALLBACK_SECRET: SECRET, CALLBACK_ALLOWED_HOSTS: receiver.host, LOG_LEVEL: 'SILENT', ...env }),
  metrics: dropMetricLines,
  ...extra,
});

function seedFleet(seeds: readonly FleetSeed[]): FleetSeed[] {
  for (const seed of seeds) fx.sim.addInstance(seed);
  return [...seeds];
}

const idsOf = (seeds: readonly FleetSeed[], kind: FleetSeed['kind']) => seeds.filter((s) => s.kind === kind).map((s) => s.instanceId);
const posts = () => fx.sim.requests.filter((r) => r.method === 'POST');
const verified = (callback: ReceivedCallback) =>
  new Webhook(SECRET).verify(callback.body, webhookHeaders(callback)) as { type: string; data: Record<string, unknown> };
const callbacksTo = (path: string) => receiver.received.filter((c) => c.path === path);

describe('schedule function: selector targets', () => {
  it('answers a Fleet summary per selector target beside the result of an instance target', async () => {
    const orders = newProjectId();
    const billing = newProjectId();
    const ordersSeeds = seedFleet(mixedFleet({ projectId: orders, count: 10 }));
    seedFleet(mixedFleet({ projectId: billing, count: 4, kinds: ['to_enable', 'enabled'], namePrefix: 'billing-' }));
    const single = fx.instance();
    const schedule = createSchedule(host());
    const summary = await schedule(
      {
        targets: [
          { project_id: orders, select: {} },
          { project_id: fx.sim.instance(single)?.projectId, instance_id: single },
          { project_id: billing, select: { name_prefix: 'billing-' }, dry_run: true },
        ],
      },
      functionContext('schedule'),
    );

    expect(summary).toMatchObject({ targets: 3, results: [{ status: 'accepted', instance_id: single }] });
    // Only the outcomes that occurred: no always-zero count.
    expect(summary.counts).toEqual({ accepted: 1 });
    expect(summary.fleets).toEqual([
      expect.objectContaining({
        project_id: orders,
        dry_run: false,
        matched: 10,
        counts: { already_enabled: 2, enabling: 2, accepted: 2, skipped_not_pay_per_use: 2, skipped_busy: 2 },
      }),
      expect.objectContaining({ project_id: billing, dry_run: true, matched: 4, counts: { already_enabled: 2, would_enable: 2 } }),
    ]);
    for (const id of idsOf(ordersSeeds, 'to_enable')) expect(fx.sim.acceptedEnableCalls(id)).toBe(1);
    expect(posts().map((p) => p.path.split('/')[2])).not.toContain(billing);
  });

  it('a dry run sends nothing but the list call, and tells the callback', async () => {
    const project = newProjectId();
    seedFleet(mixedFleet({ projectId: project, count: 5 }));
    const path = `/schedule-dry-${project}`;
    const summary = await createSchedule(host())(
      { targets: [{ project_id: project, select: {}, dry_run: true, callback_url: receiver.url(path) }] },
      functionContext('schedule'),
    );

    expect(summary.fleets?.[0]).toMatchObject({ dry_run: true, counts: { would_enable: 1 } });
    expect(fx.sim.requests).toEqual(listCalls(fx.sim, project));
    const payload = verified(await receiver.waitFor((c) => c.path === path));
    expect(payload).toMatchObject({ type: 'smart_connect.reconcile.completed', data: summary.fleets?.[0] });
  });

  it('a list failing transiently fails the invocation (TransientScheduleFailure) so the retry applies; a retry repeats the webhook-id', async () => {
    const project = newProjectId();
    seedFleet(mixedFleet({ projectId: project, count: 3, kinds: ['to_enable'] }));
    const path = `/schedule-transient-${project}`;
    const event = {
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      detail: { targets: [{ project_id: project, select: {}, callback_url: receiver.url(path) }] },
    };
    fx.sim.inject({ method: 'GET', path: `/v2/${project}/instances`, fault: { kind: 'status', status: 503 }, times: 50 });
    const schedule = createSchedule(host());
    const failure = await schedule(event, functionContext('schedule')).catch((e: unknown) => e);

    expect(failure).toMatchObject({ name: 'TransientScheduleFailure' });
    expect(posts()).toEqual([]);
    const failed = await receiver.waitFor((c) => c.path === path);
    expect(verified(failed).data).toMatchObject({ matched: 0, error: { code: expect.any(String) } });

    // The retry, once the list reads again: the same run, so the same webhook-id; another event is another run.
    fx.sim.clearFaults();
    const retried = await schedule(event, functionContext('schedule'));
    expect(retried.fleets?.[0]?.counts).toEqual({ accepted: 3 });
    const [first, second] = callbacksTo(path);
    expect(second?.headers['webhook-id']).toBe(first?.headers['webhook-id']);
    await schedule({ ...event, id: randomUUID() }, functionContext('schedule'));
    expect(new Set(callbacksTo(path).map((c) => c.headers['webhook-id'])).size).toBe(2);
  });

  it('an invalid selector is rejected by field to its callback, and nothing is sent', async () => {
    const project = newProjectId();
    seedFleet(mixedFleet({ projectId: project, count: 2, kinds: ['to_enable'] }));
    const path = `/schedule-invalid-${project}`;
    const summary = await createSchedule(host())(
      { targets: [{ project_id: project, instance_id: randomUUID(), select: { tags: { env: 7 } }, callback_url: receiver.url(path) }] },
      functionContext('schedule'),
    );

    expect(summary).toMatchObject({ results: [{ status: 'rejected', error: { code: 'INVALID_REQUEST' } }] });
    expect(summary.counts).toEqual({ rejected: 1 });
    expect(summary).not.toHaveProperty('fleets');
    const payload = verified(await receiver.waitFor((c) => c.path === path));
    expect(payload.type).toBe('smart_connect.enable.rejected');
    expect(String((payload.data.error as { message: string }).message)).toMatch(/instance_id must not come with select.*select\.tags\.env must be a tag value/);
    expect(fx.sim.requests).toEqual([]);
  });

  it('SCHEDULE_TARGETS may hold selectors, checked at cold start by field', async () => {
    const project = newProjectId();
    seedFleet(mixedFleet({ projectId: project, count: 2, kinds: ['enabled'] }));
    const summary = await createSchedule(host({}, { SCHEDULE_TARGETS: JSON.stringify([{ project_id: project, select: {} }]) }))(
      {},
      functionContext('schedule'),
    );
    expect(summary.fleets?.[0]?.counts).toEqual({ already_enabled: 2 });
    expect(() => createSchedule(host({}, { SCHEDULE_TARGETS: JSON.stringify([{ project_id: project, select: { name_prefix: '' } }]) }))).toThrow(
      /^SCHEDULE_TARGETS is malformed: targets\[0\]\.select\.name_prefix must be/,
    );
    // The sample in events/ (selectors beside an instance) is valid as it is.
    expect(typeof createSchedule(host({}, { SCHEDULE_TARGETS: readFileSync('events/scheduler-input-selector.json', 'utf8') }))).toBe('function');
  });
});

describe('queue function: selector messages', () => {
  it('fans out through the enable queue; fed back to the queue function, each instance is enabled exactly once', async () => {
    const project = newProjectId();
    const seeds = seedFleet(mixedFleet({ projectId: project, count: 15 }));
    const toEnable = idsOf(seeds, 'to_enable');
    const enableQueue = keepingQueue();
    const queue = createQueue(host({ enableQueue: enableQueue.sender }));
    const path = `/queue-fanout-${project}`;
    const answer = await queue(jsonSqsEvent({ project_id: project, select: {}, node_cnt: 3, callback_url: receiver.url(path) }), functionContext('queue'));

    expect(answer).toEqual({ batchItemFailures: [] });
    expect(posts()).toEqual([]);
    expect(enableQueue.bodies()).toEqual(
      toEnable.map((id) => ({ project_id: project, instance_id: id, region: 'cn-north-4', node_cnt: '3', callback_url: receiver.url(path) })),
    );
    const summary = verified(await receiver.waitFor((c) => c.path === path && verified(c).type === 'smart_connect.reconcile.completed')).data;
    expect(summary.counts).toEqual({ already_enabled: 3, enabling: 3, queued: 3, skipped_not_pay_per_use: 3, skipped_busy: 3 });

    // Each message is an ordinary enable request: delivered twice, it still starts one job.
    const bodies = [...enableQueue.messages, ...enableQueue.messages].map(({ body }) => ({ body }));
    const fedBack = await queue(sqsEvent(...bodies), functionContext('queue'));
    expect(fedBack).toEqual({ batchItemFailures: [] });
    for (const seed of seeds) expect(fx.sim.acceptedEnableCalls(seed.instanceId), seed.kind).toBe(seed.kind === 'to_enable' ? 1 : 0);
    const enableCallbacks = callbacksTo(path)
      .map(verified)
      .filter((p) => p.type.startsWith('smart_connect.enable.'));
    expect(
      enableCallbacks
        .filter((p) => p.type === 'smart_connect.enable.accepted')
        .map((p) => p.data.instance_id)
        .sort(),
    ).toEqual([...toEnable].sort());
  });

  it('without an enable queue enables inline, and the record is done', async () => {
    const project = newProjectId();
    const seeds = seedFleet(mixedFleet({ projectId: project, count: 5 }));
    const answer = await createQueue(host())(jsonSqsEvent({ project_id: project, select: {} }), functionContext('queue'));

    expect(answer).toEqual({ batchItemFailures: [] });
    for (const seed of seeds) expect(fx.sim.acceptedEnableCalls(seed.instanceId), seed.kind).toBe(seed.kind === 'to_enable' ? 1 : 0);
  });

  it('a run that failed transiently comes back: a list failing, or requests the enable queue did not take', async () => {
    const project = newProjectId();
    const [first, second] = seedFleet(mixedFleet({ projectId: project, count: 2, kinds: ['to_enable'] }));
    const listing = jsonSqsEvent({ project_id: project, select: {} });
    fx.sim.inject({ method: 'GET', path: `/v2/${project}/instances`, fault: { kind: 'status', status: 503 }, times: 50 });
    const queue = createQueue(host({ enableQueue: keepingQueue().sender }));
    expect(await queue(listing, functionContext('queue'))).toEqual({ batchItemFailures: [{ itemIdentifier: listing.Records[0]?.messageId }] });

    fx.sim.clearFaults();
    const throttled = keepingQueue((body) => body.includes(String(second?.instanceId)));
    const enqueueing = jsonSqsEvent({ project_id: project, select: {} });
    const answer = await createQueue(host({ enableQueue: throttled.sender }))(enqueueing, functionContext('queue'));
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: enqueueing.Records[0]?.messageId }] });
    expect(throttled.bodies().map((b) => b.instance_id)).toEqual([first?.instanceId]);
  });

  it('an invalid selector message is rejected to its callback and not retried', async () => {
    const project = newProjectId();
    const path = `/queue-invalid-${project}`;
    const answer = await createQueue(host())(
      jsonSqsEvent({ project_id: project, select: [], dry_run: 'yes', callback_url: receiver.url(path) }),
      functionContext('queue'),
    );

    expect(answer).toEqual({ batchItemFailures: [] });
    const payload = verified(await receiver.waitFor((c) => c.path === path));
    expect(payload).toMatchObject({ type: 'smart_connect.enable.rejected', data: { status: 'rejected', project_id: project } });
    expect(String((payload.data.error as { message: string }).message)).toMatch(/select must be an object.*dry_run must be true or false/);
    expect(fx.sim.requests).toEqual([]);
  });
});

describe('listings that are not whole, entries that cannot be read, listed text without a bound', () => {
  it('schedule: an empty page before the total fails the invocation (TransientScheduleFailure), the callback saying what was seen, nothing enabled', async () => {
    const project = newProjectId();
    seedFleet(mixedFleet({ projectId: project, count: 60, kinds: ['to_enable'] }));
    changeList(fx.sim, project, { kind: 'empty' }, { query: /offset=50$/, times: 10 });
    const path = `/schedule-incomplete-${project}`;
    const failure = await createSchedule(host())(
      { targets: [{ project_id: project, select: {}, callback_url: receiver.url(path) }] },
      functionContext('schedule'),
    ).catch((e: unknown) => e);

    expect(failure).toMatchObject({ name: 'TransientScheduleFailure' });
    expect(posts()).toEqual([]);
    const data = verified(await receiver.waitFor((c) => c.path === path)).data;
    expect(data).toMatchObject({
      matched: 0,
      instances: [],
      error: { code: 'LISTING_INCOMPLETE', message: expect.stringContaining('an empty page at offset 50 of 60') },
    });
  });

  it('queue: a listing that is not whole comes back to the queue, nothing fanned out', async () => {
    const project = newProjectId();
    seedFleet(mixedFleet({ projectId: project, count: 60, kinds: ['to_enable'] }));
    changeList(fx.sim, project, { kind: 'ignore-offset' }, { times: 10 });
    const enableQueue = keepingQueue();
    const event = jsonSqsEvent({ project_id: project, select: {} });
    expect(await createQueue(host({ enableQueue: enableQueue.sender }))(event, functionContext('queue'))).toEqual({
      batchItemFailures: [{ itemIdentifier: event.Records[0]?.messageId }],
    });
    expect(enableQueue.bodies()).toEqual([]);
  });

  it('an entry with charging_mode null is skipped_unreadable and the run completes: schedule and queue succeed, the others enabled', async () => {
    const project = newProjectId();
    const [odd, ...rest] = seedFleet(mixedFleet({ projectId: project, count: 3, kinds: ['to_enable'] }));
    changeList(fx.sim, project, { kind: 'entries', fields: { [`${odd?.instanceId}`]: { charging_mode: null } } }, { times: 10 });
    const summary = await createSchedule(host())({ targets: [{ project_id: project, select: {} }] }, functionContext('schedule'));

    expect(summary.fleets?.[0]).toMatchObject({ matched: 3, counts: { accepted: 2, skipped_unreadable: 1 } });
    expect(summary.fleets?.[0]).not.toHaveProperty('error');
    expect(fx.sim.acceptedEnableCalls(odd?.instanceId)).toBe(0);
    for (const seed of rest) expect(fx.sim.acceptedEnableCalls(seed.instanceId)).toBe(1);

    const enableQueue = keepingQueue();
    const answer = await createQueue(host({ enableQueue: enableQueue.sender }))(jsonSqsEvent({ project_id: project, select: {} }), functionContext('queue'));
    expect(answer).toEqual({ batchItemFailures: [] });
  });

  it("names of megabytes are quoted to 64 characters in the schedule's answer and the callback", async () => {
    const project = newProjectId();
    // 1.2 MB of UTF-8 each: the page stays under the 4 MB a DMS answer may have.
    const names = ['a', 'b', 'c'].map((letter) => `${letter}-${'ж'.repeat(600_000)}`);
    const seeds = names.map((name) => fx.instance({ projectId: project, name }));
    const path = `/schedule-names-${project}`;
    const summary = await createSchedule(host())(
      { targets: [{ project_id: project, select: {}, dry_run: true, callback_url: receiver.url(path) }] },
      functionContext('schedule'),
    );

    const bounded = names.map((name) => `${name.slice(0, 64)}…`);
    expect((summary.fleets?.[0] as FleetSummary | undefined)?.instances.map((i) => [i.instance_id, i.name])).toEqual(seeds.map((id, i) => [id, bounded[i]]));
    expect(JSON.stringify(summary).length).toBeLessThan(2_000);
    const callback = await receiver.waitFor((c) => c.path === path);
    expect(callback.body.length).toBeLessThan(2_000);
    expect((verified(callback).data.instances as Array<{ name: string }>).map((i) => i.name)).toEqual(bounded);
  });
});
