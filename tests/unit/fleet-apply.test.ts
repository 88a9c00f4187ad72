// Unit tests of a fleet run's apply step and summary (shared/fleet) with in-memory ports: what each
// port is sent, how results become outcomes, counts, failed runs and the reconcile callback.
import { describe, expect, it } from 'vitest';
import {
  applyFleet,
  failedFleetSummary,
  fleetRunFailed,
  fleetSummary,
  reconcileWebhook,
  runFleet,
  type EnableQueuePort,
  type FleetInstanceResult,
  type SelectorTarget,
} from '../../shared/fleet/index.ts';
import { type InstanceListEntry, type RegionalDms, HuaweiApiError } from '../../shared/huawei/index.ts';
import type { CallbackUrl } from '../../shared/callback/index.ts';
import type { EnableRequest } from '../../shared/request/index.ts';
import type { JobResult } from '../../shared/result/index.ts';
import { deadlineIn } from '../../shared/runtime/index.ts';

const PROJECT_ID = '0123456789abcdef0123456789abcdef';
const TARGET: SelectorTarget = {
  project_id: PROJECT_ID,
  region: 'cn-north-4',
  select: {},
  node_cnt: '3',
  specification: '300MB',
  spec_code: 'kafka.c3.small.connector',
  callback_url: 'https://hooks.example.com/x' as CallbackUrl,
  dry_run: false,
};
const idAt = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const entries = (n: number): InstanceListEntry[] =>
  Array.from({ length: n }, (_, i) => ({ instance_id: idAt(i), name: `kafka-${i}`, status: 'RUNNING', charging_mode: 1 }));

function recordingQueue(failFor: ReadonlySet<string> = new Set()) {
  const sent: EnableRequest[][] = [];
  const port: EnableQueuePort = {
    enqueue: async (requests) => {
      sent.push([...requests]);
      return {
        failed: requests
          .filter((r) => failFor.has(r.instance_id))
          .map((r) => ({ instance_id: r.instance_id, error: { code: 'SQS.Throttling', message: 'slow down' } })),
      };
    },
  };
  return { port, sent };
}

describe('applyFleet through the enable queue', () => {
  it('sends one ordinary single-instance enable request per instance, in one call', async () => {
    const { port, sent } = recordingQueue();
    const results = await applyFleet(TARGET, entries(2), { queue: port });
    expect(sent).toEqual([
      [0, 1].map((i) => ({
        project_id: PROJECT_ID,
        instance_id: idAt(i),
        region: 'cn-north-4',
        node_cnt: '3',
        specification: '300MB',
        spec_code: 'kafka.c3.small.connector',
        callback_url: 'https://hooks.example.com/x' as CallbackUrl,
      })),
    ]);
    expect(results).toEqual([0, 1].map((i) => ({ instance_id: idAt(i), name: `kafka-${i}`, instance_status: 'RUNNING', outcome: 'queued' })));
  });

  it('leaves optional options out of the message when the selector has none', async () => {
    const { port, sent } = recordingQueue();
    await applyFleet({ ...TARGET, specification: undefined, spec_code: undefined, callback_url: undefined }, entries(1), { queue: port });
    expect(Object.keys(sent[0]?.[0] ?? {})).toEqual(['project_id', 'instance_id', 'region', 'node_cnt']);
  });

  it("an instance whose message could not be sent is failed with the queue's reason, the rest queued", async () => {
    const { port } = recordingQueue(new Set([idAt(1)]));
    const results = await applyFleet(TARGET, entries(3), { queue: port });
    expect(results.map((r) => r.outcome)).toEqual(['queued', 'failed', 'queued']);
    expect(results[1]?.error).toEqual({ code: 'SQS.Throttling', message: 'slow down' });
  });

  it('a queue that throws fails every instance without repeating its message', async () => {
    const port: EnableQueuePort = {
      enqueue: async () => {
        throw new Error('credentials AKIA-SECRET-VALUE expired');
      },
    };
    const results = await applyFleet(TARGET, entries(2), { queue: port });
    expect(results.map((r) => r.error?.code)).toEqual(['ENQUEUE_FAILED', 'ENQUEUE_FAILED']);
    expect(JSON.stringify(results)).not.toContain('AKIA');
  });

  it('nothing to enable sends nothing', async () => {
    const { port, sent } = recordingQueue();
    expect(await applyFleet(TARGET, [], { queue: port })).toEqual([]);
    expect(sent).toEqual([]);
  });
});

describe('applyFleet inline', () => {
  it("enables each instance once, at most `concurrency` at a time, with the selector's options", async () => {
    let inFlight = 0;
    let peak = 0;
    const asked: EnableRequest[] = [];
    const enableOne = async (request: EnableRequest): Promise<JobResult> => {
      asked.push(request);
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight -= 1;
      return {
        status: 'accepted',
        project_id: request.project_id,
        instance_id: request.instance_id,
        job_id: `job-${request.instance_id}`,
        connector_id: 'conn',
        source: 'schedule',
      };
    };
    const results = await applyFleet(TARGET, entries(10), { enableOne, concurrency: 3 });
    expect(peak).toBe(3);
    expect(asked.map((r) => r.instance_id).sort()).toEqual(entries(10).map((e) => e.instance_id));
    expect(asked[0]).toMatchObject({ node_cnt: '3', specification: '300MB', spec_code: 'kafka.c3.small.connector', region: 'cn-north-4' });
    expect(results[4]).toEqual({
      instance_id: idAt(4),
      name: 'kafka-4',
      instance_status: 'RUNNING',
      outcome: 'accepted',
      connector_id: 'conn',
      job_id: `job-${idAt(4)}`,
    });
  });

  it('maps each result of the use case to an outcome, in list order', async () => {
    const byInstance: Record<string, Partial<JobResult>> = {
      [idAt(0)]: { status: 'accepted', job_id: 'j', connector_id: 'c0' },
      [idAt(1)]: { status: 'already_enabled', connector_id: 'c1' },
      [idAt(2)]: { status: 'already_enabled', connector_id: 'c2', in_progress: true },
      [idAt(3)]: { status: 'failed', error: { code: 'NOT_PAY_PER_USE', message: 'yearly/monthly' } },
    };
    const enableOne = async (request: EnableRequest): Promise<JobResult> =>
      ({ project_id: request.project_id, instance_id: request.instance_id, source: 'schedule', ...byInstance[request.instance_id] }) as JobResult;
    const results = await applyFleet(TARGET, entries(4), { enableOne });
    expect(results.map((r) => [r.outcome, r.connector_id, r.error?.code])).toEqual([
      ['accepted', 'c0', undefined],
      ['already_enabled', 'c1', undefined],
      ['enabling', 'c2', undefined],
      ['failed', undefined, 'NOT_PAY_PER_USE'],
    ]);
  });

  it('an enable that throws is failed for that instance only, its message kept out', async () => {
    const enableOne = async (request: EnableRequest): Promise<JobResult> => {
      if (request.instance_id === idAt(0)) throw new Error('secret-sk-value');
      return { status: 'accepted', project_id: request.project_id, instance_id: request.instance_id, source: 'schedule' };
    };
    const results = await applyFleet(TARGET, entries(2), { enableOne });
    expect(results.map((r) => r.outcome)).toEqual(['failed', 'accepted']);
    expect(results[0]?.error?.code).toBe('ENABLE_FAILED');
    expect(JSON.stringify(results)).not.toContain('secret-sk-value');
  });
});

describe('the fleet summary', () => {
  const result = (i: number, outcome: FleetInstanceResult['outcome'], extra: Partial<FleetInstanceResult> = {}): FleetInstanceResult => ({
    instance_id: idAt(i),
    name: `kafka-${i}`,
    outcome,
    ...extra,
  });

  it("counts each outcome that occurred, in the contract's order, and matched counts every instance", () => {
    const summary = fleetSummary(TARGET, [
      result(0, 'failed'),
      result(1, 'queued'),
      result(2, 'skipped_busy'),
      result(3, 'queued'),
      result(4, 'already_enabled'),
    ]);
    expect(summary).toMatchObject({ project_id: PROJECT_ID, region: 'cn-north-4', dry_run: false, matched: 5 });
    expect(Object.entries(summary.counts)).toEqual([
      ['already_enabled', 1],
      ['queued', 2],
      ['skipped_busy', 1],
      ['failed', 1],
    ]);
    expect(summary).not.toHaveProperty('error');
  });

  it('a run that could not list is failed: nothing matched, nothing done, the reason given (redacted)', () => {
    const summary = failedFleetSummary({ ...TARGET, dry_run: true }, { code: 'APIG.0301', message: 'bad signature for SK secret-value' }, (text) =>
      text.replace('secret-value', '[redacted]'),
    );
    expect(summary).toEqual({
      project_id: PROJECT_ID,
      region: 'cn-north-4',
      dry_run: true,
      matched: 0,
      counts: {},
      instances: [],
      error: { code: 'APIG.0301', message: 'bad signature for SK [redacted]' },
    });
    expect(fleetRunFailed(summary)).toBe(true);
  });

  it('fleetRunFailed: any failed instance fails the run, skips do not', () => {
    expect(fleetRunFailed(fleetSummary(TARGET, [result(0, 'skipped_busy'), result(1, 'skipped_not_pay_per_use'), result(2, 'queued')]))).toBe(false);
    expect(fleetRunFailed(fleetSummary(TARGET, [result(0, 'queued'), result(1, 'failed')]))).toBe(true);
  });

  it('redacts the messages of failed instances', () => {
    const summary = fleetSummary(TARGET, [result(0, 'failed', { error: { code: 'X', message: 'token tok-123 leaked' } })], (t) =>
      t.replace('tok-123', '[redacted]'),
    );
    expect(summary.instances[0]?.error?.message).toBe('token [redacted] leaked');
  });

  it('the reconcile callback carries the summary as data, under one id per run and selection', () => {
    const summary = fleetSummary(TARGET, [result(0, 'queued')]);
    const webhook = reconcileWebhook(TARGET, summary, 'event-1:0');
    expect(webhook).toEqual({ id: expect.stringMatching(/^msg_[A-Za-z0-9_-]{27}$/), type: 'smart_connect.reconcile.completed', data: summary });
    const tagged = (tags: Record<string, string>) => ({ ...TARGET, select: { tags } });
    // Another delivery of the same run, and the same conditions in another order: the same id.
    expect(reconcileWebhook(TARGET, fleetSummary(TARGET, []), 'event-1:0').id).toBe(webhook.id);
    expect(reconcileWebhook(tagged({ a: '1', b: '2' }), summary, 'k').id).toBe(reconcileWebhook(tagged({ b: '2', a: '1' }), summary, 'k').id);
    // Another run, project, selection or plan: another id.
    const others = [
      reconcileWebhook(TARGET, summary, 'event-2:0'),
      reconcileWebhook({ ...TARGET, project_id: 'f'.repeat(32) }, summary, 'event-1:0'),
      reconcileWebhook({ ...TARGET, select: { name_prefix: 'orders-' } }, summary, 'event-1:0'),
      reconcileWebhook({ ...TARGET, dry_run: true }, summary, 'event-1:0'),
      reconcileWebhook(tagged({ a: '1' }), summary, 'k'),
    ].map((w) => w.id);
    expect(new Set([webhook.id, ...others]).size).toBe(others.length + 1);
  });
});

describe('runFleet with in-memory ports', () => {
  const listing = (instances: InstanceListEntry[]): Pick<RegionalDms, 'listInstances'> => ({
    listInstances: async () => ({ data: { instances, instance_num: instances.length }, requestId: undefined }),
  });
  const mixed: InstanceListEntry[] = [
    { instance_id: idAt(0), name: 'a-0', status: 'RUNNING', charging_mode: 1 },
    { instance_id: idAt(1), name: 'a-1', status: 'RUNNING', charging_mode: 1, connector_enable: true, connector_id: 'c1' },
    { instance_id: idAt(2), name: 'a-2', status: 'EXTENDING', charging_mode: 1, connector_id: 'c2' },
    { instance_id: idAt(3), name: 'a-3', status: 'RUNNING', charging_mode: 0 },
    { instance_id: idAt(4), name: 'a-4', status: 'RESTARTING', charging_mode: 1 },
    { instance_id: idAt(5), name: 'b-5', status: 'RUNNING', charging_mode: 1 },
  ];
  const deps = (apply: Parameters<typeof runFleet>[1]['apply']) => ({
    dms: listing(mixed),
    deadline: deadlineIn(5_000),
    apply,
  });

  it('a dry run plans without touching the apply port', async () => {
    const { port, sent } = recordingQueue();
    const summary = (await runFleet({ ...TARGET, select: { name_prefix: 'a-' }, dry_run: true }, deps({ queue: port }))).summary;
    expect(sent).toEqual([]);
    expect(summary.instances.map((i) => [i.name, i.outcome, i.connector_id])).toEqual([
      ['a-0', 'would_enable', undefined],
      ['a-1', 'already_enabled', 'c1'],
      ['a-2', 'enabling', 'c2'],
      ['a-3', 'skipped_not_pay_per_use', undefined],
      ['a-4', 'skipped_busy', undefined],
    ]);
    expect(summary.matched).toBe(5);
  });

  it('applying sends only the instances to enable, and their outcome replaces the plan', async () => {
    const { port, sent } = recordingQueue();
    const summary = (await runFleet(TARGET, deps({ queue: port }))).summary;
    expect(sent.flat().map((r) => r.instance_id)).toEqual([idAt(0), idAt(5)]);
    expect(summary.counts).toEqual({ already_enabled: 1, enabling: 1, queued: 2, skipped_not_pay_per_use: 1, skipped_busy: 1 });
  });

  it('says when asking again may do better: a list failing transiently, or requests the queue did not take', async () => {
    const failing = (status: number): Pick<RegionalDms, 'listInstances'> => ({
      listInstances: async () => {
        throw new HuaweiApiError({ status, errorCode: `HTTP.${status}`, errorMsg: 'no list' });
      },
    });
    const run = (apply: Parameters<typeof runFleet>[1]['apply'], dms = listing(mixed)) => runFleet(TARGET, { ...deps(apply), dms });
    expect((await run({ queue: recordingQueue().port }, failing(503))).transient).toBe(true);
    expect((await run({ queue: recordingQueue().port }, failing(403))).transient).toBe(false);
    expect((await run({ queue: recordingQueue(new Set([idAt(5)])).port })).transient).toBe(true);
    const done = await run({ queue: recordingQueue().port });
    expect(done).toEqual({ summary: (await runFleet(TARGET, deps({ queue: recordingQueue().port }))).summary, transient: false });
  });
});

describe('credentials Huawei refused, in a run enabling inline', () => {
  it('stop it: no enable after the first refusal, the rest failed untried, and the run fails as a whole (transient)', async () => {
    const asked: string[] = [];
    const refused = { code: 'CREDENTIALS_REJECTED', message: 'Huawei Cloud refused the signature (APIG.0301: ...); these credentials are not used for 300 s' };
    const enableOne = async (request: EnableRequest): Promise<JobResult> => {
      asked.push(request.instance_id);
      return { status: 'failed', project_id: request.project_id, instance_id: request.instance_id, source: 'schedule', error: refused, retryable: true };
    };
    const run = await runFleet(TARGET, {
      dms: { listInstances: async () => ({ data: { instances: entries(10), instance_num: 10 }, requestId: undefined }) },
      deadline: deadlineIn(5_000),
      apply: { enableOne, concurrency: 1 },
    });
    expect(asked).toEqual([idAt(0)]);
    expect(run.transient).toBe(true);
    expect(run.summary.error).toEqual(refused);
    expect(run.summary.counts).toEqual({ failed: 10 });
    expect(fleetRunFailed(run.summary)).toBe(true);
  });
});
