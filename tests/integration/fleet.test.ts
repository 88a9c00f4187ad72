// A fleet run (shared/fleet runFleet) against the DMS simulator over real HTTP on loopback:
// discovery through signed ListInstances pages, what is decided per instance, dry runs, failures
// while listing, applying inline (the enable use case) or through an in-memory enable queue, and
// listings that are not whole (the simulator's list faults) or hold entries that cannot be read.
import { describe, expect, it } from 'vitest';
import { mixedFleet, type FleetSeed, type FleetSeedKind } from '../../local/simulator/index.ts';
import type { CallbackUrl } from '../../shared/callback/index.ts';
import { runFleet, type FleetSummary, type SelectorTarget } from '../../shared/fleet/index.ts';
import { useSimulator } from '../support/fixtures.ts';
import { changeList, fleetDepsFor, inMemoryEnableQueue, listCalls, newProjectId } from '../support/fleet.ts';

const fx = useSimulator();

function seedFleet(seeds: readonly FleetSeed[]): FleetSeed[] {
  for (const seed of seeds) fx.sim.addInstance(seed);
  return [...seeds];
}

function selectorFor(projectId: string, extra: Partial<SelectorTarget> = {}): SelectorTarget {
  return { project_id: projectId, region: 'cn-north-4', select: {}, node_cnt: '2', dry_run: false, ...extra };
}

// Both in list order: the simulator lists in the order instances were added, and summaries keep it.
const idsOf = (seeds: readonly FleetSeed[], kind: FleetSeedKind) => seeds.filter((s) => s.kind === kind).map((s) => s.instanceId);
const idsWith = (summary: FleetSummary, outcome: string) => summary.instances.filter((i) => i.outcome === outcome).map((i) => i.instance_id);
const posts = () => fx.sim.requests.filter((r) => r.method === 'POST');

describe('a fleet run against the simulator', () => {
  it('a dry run lists once, decides every instance from its entry and sends nothing else', async () => {
    const project = newProjectId();
    const seeds = seedFleet(mixedFleet({ projectId: project, count: 10 }));
    const summary = (await runFleet(selectorFor(project, { dry_run: true }), fleetDepsFor(fx, 'inline'))).summary;

    expect(summary).toMatchObject({ project_id: project, region: 'cn-north-4', dry_run: true, matched: 10 });
    expect(summary.counts).toEqual({ already_enabled: 2, enabling: 2, would_enable: 2, skipped_not_pay_per_use: 2, skipped_busy: 2 });
    expect(idsWith(summary, 'would_enable')).toEqual(idsOf(seeds, 'to_enable'));
    expect(idsWith(summary, 'skipped_busy')).toEqual(idsOf(seeds, 'busy'));
    expect(idsWith(summary, 'skipped_not_pay_per_use')).toEqual(idsOf(seeds, 'yearly'));
    const enabling = seeds.find((s) => s.kind === 'enabling');
    expect(summary.instances.find((i) => i.instance_id === enabling?.instanceId)).toMatchObject({
      outcome: 'enabling',
      connector_id: enabling?.connectorId,
      instance_status: 'EXTENDING',
    });
    expect(summary.instances.find((i) => i.outcome === 'skipped_busy')?.instance_status).toBe('RESTARTING');

    const calls = listCalls(fx.sim, project);
    expect(fx.sim.requests).toEqual(calls);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ query: 'engine=kafka&limit=50&offset=0', status: 200, authorized: true });
  });

  it('reads a fleet of several pages, each page signed and asked for by offset', async () => {
    const project = newProjectId();
    seedFleet(mixedFleet({ projectId: project, count: 120, kinds: ['to_enable', 'enabled'] }));
    const summary = (await runFleet(selectorFor(project, { dry_run: true }), fleetDepsFor(fx, 'inline'))).summary;

    expect(summary.matched).toBe(120);
    expect(new Set(summary.instances.map((i) => i.instance_id)).size).toBe(120);
    expect(summary.counts).toEqual({ already_enabled: 60, would_enable: 60 });
    const calls = listCalls(fx.sim, project);
    expect(calls.map((c) => c.query)).toEqual(['engine=kafka&limit=50&offset=0', 'engine=kafka&limit=50&offset=50', 'engine=kafka&limit=50&offset=100']);
    expect(calls.every((c) => c.authorized && c.status === 200)).toBe(true);
  });

  it('keeps only what the selector matches: tags, "*", name prefix and enterprise project together', async () => {
    const project = newProjectId();
    const eps = '5e7a1c2b-3d4f-4a6b-8c9d-0e1f2a3b4c5d';
    const wanted = fx.instance({ projectId: project, name: 'orders-1', tags: { env: 'prod', team: 'a' }, enterpriseProjectId: eps });
    fx.instance({ projectId: project, name: 'orders-2', tags: { env: 'dev', team: 'a' }, enterpriseProjectId: eps });
    fx.instance({ projectId: project, name: 'orders-3', tags: { env: 'prod' }, enterpriseProjectId: eps });
    fx.instance({ projectId: project, name: 'billing-1', tags: { env: 'prod', team: 'a' }, enterpriseProjectId: eps });
    fx.instance({ projectId: project, name: 'orders-4', tags: { env: 'prod', team: 'b' } });
    const summary = (
      await runFleet(
        selectorFor(project, { dry_run: true, select: { tags: { env: 'prod', team: '*' }, name_prefix: 'orders-', enterprise_project_id: eps } }),
        fleetDepsFor(fx, 'inline'),
      )
    ).summary;

    expect(summary.instances.map((i) => [i.instance_id, i.name, i.outcome])).toEqual([[wanted, 'orders-1', 'would_enable']]);
    expect(listCalls(fx.sim, project)[0]?.query).toBe(`engine=kafka&enterprise_project_id=${eps}&limit=50&offset=0`);
  });

  it('a list page that fails transiently is tried again and the run completes', async () => {
    const project = newProjectId();
    seedFleet(mixedFleet({ projectId: project, count: 60, kinds: ['to_enable'] }));
    fx.sim.inject({ method: 'GET', path: `/v2/${project}/instances`, fault: { kind: 'status', status: 503 } });
    const summary = (await runFleet(selectorFor(project, { dry_run: true }), fleetDepsFor(fx, 'inline'))).summary;

    expect(summary).not.toHaveProperty('error');
    expect(summary.counts).toEqual({ would_enable: 60 });
    expect(listCalls(fx.sim, project).map((c) => `${c.status} ${c.query}`)).toEqual([
      '503 engine=kafka&limit=50&offset=0',
      '200 engine=kafka&limit=50&offset=0',
      '200 engine=kafka&limit=50&offset=50',
    ]);
  });

  it('a list that cannot be read ends in a failed summary, and nothing is enabled', async () => {
    const project = newProjectId();
    seedFleet(mixedFleet({ projectId: project, count: 60, kinds: ['to_enable'] }));
    // The first page passes, the second is refused: what the first showed must not pass for the fleet.
    const path = `/v2/${project}/instances`;
    fx.sim.inject({ method: 'GET', path, fault: { kind: 'delay', ms: 0 } });
    fx.sim.inject({ method: 'GET', path, fault: { kind: 'status', status: 403 }, times: 5 });
    const summary = (await runFleet(selectorFor(project), fleetDepsFor(fx, 'inline'))).summary;

    expect(summary).toEqual({
      project_id: project,
      region: 'cn-north-4',
      dry_run: false,
      matched: 0,
      counts: {},
      instances: [],
      error: { code: 'APIG.0302', message: 'The IAM user is not authorized to access the API.' },
    });
    expect(listCalls(fx.sim, project).map((c) => c.status)).toEqual([200, 403]);
    expect(posts()).toEqual([]);
  });

  it('applied inline, enables exactly the instances to enable, each once, and a second run starts nothing', async () => {
    const project = newProjectId();
    const seeds = seedFleet(mixedFleet({ projectId: project, count: 15 }));
    const toEnable = idsOf(seeds, 'to_enable');
    const first = (await runFleet(selectorFor(project), fleetDepsFor(fx, 'inline'))).summary;

    expect(idsWith(first, 'accepted')).toEqual(toEnable);
    expect(first.counts).toEqual({ already_enabled: 3, enabling: 3, accepted: 3, skipped_not_pay_per_use: 3, skipped_busy: 3 });
    for (const seed of seeds) {
      expect(fx.sim.acceptedEnableCalls(seed.instanceId), `${seed.kind} ${seed.instanceId}`).toBe(seed.kind === 'to_enable' ? 1 : 0);
    }
    expect(
      posts()
        .map((p) => p.path.split('/')[4])
        .sort(),
    ).toEqual([...toEnable].sort());
    for (const result of first.instances.filter((i) => i.outcome === 'accepted')) {
      const job = fx.sim.instance(result.instance_id)?.pendingJob;
      expect(result).toMatchObject({ job_id: job?.jobId, connector_id: job?.connectorId });
    }

    fx.sim.reset();
    const second = (await runFleet(selectorFor(project), fleetDepsFor(fx, 'inline'))).summary;
    expect(idsWith(second, 'enabling').sort()).toEqual([...toEnable, ...idsOf(seeds, 'enabling')].sort());
    expect(posts()).toEqual([]);
    expect(fx.sim.acceptedEnableCalls()).toBe(0);
  });

  it('applied through the enable queue, sends one single-instance request per instance to enable and calls no enable itself', async () => {
    const project = newProjectId();
    const seeds = seedFleet(mixedFleet({ projectId: project, count: 10 }));
    const queue = inMemoryEnableQueue();
    const summary = (
      await runFleet(
        selectorFor(project, { node_cnt: '4', callback_url: 'https://hooks.example.com/fleet' as CallbackUrl }),
        fleetDepsFor(fx, { queue: queue.port }),
      )
    ).summary;

    expect(queue.messages()).toEqual(
      idsOf(seeds, 'to_enable').map((id) => ({
        project_id: project,
        instance_id: id,
        region: 'cn-north-4',
        node_cnt: '4',
        callback_url: 'https://hooks.example.com/fleet',
      })),
    );
    expect(summary.counts).toMatchObject({ queued: 2 });
    expect(posts()).toEqual([]);
  });
});

describe('a listing that is not whole never passes for the whole fleet', () => {
  /** 100 instances named app-00 .. app-99, every one to enable. */
  const appFleet = (project: string, count = 100) =>
    seedFleet(mixedFleet({ projectId: project, count, kinds: ['to_enable'], namePrefix: 'app-', nameDigits: 2 }));
  const queries = (project: string) => listCalls(fx.sim, project).map((c) => c.query.replace('engine=kafka&limit=50&', ''));
  const incomplete = (project: string, seen: string) => ({
    project_id: project,
    matched: 0,
    counts: {},
    instances: [],
    error: { code: 'LISTING_INCOMPLETE', message: expect.stringContaining(seen) },
  });

  it('instance_num 100 with an empty page at offset 50, every time: the run fails saying so, and nothing is enabled', async () => {
    const project = newProjectId();
    appFleet(project);
    changeList(fx.sim, project, { kind: 'empty' }, { query: /offset=50$/, times: 10 });
    const queue = inMemoryEnableQueue();
    const summary = (await runFleet(selectorFor(project), fleetDepsFor(fx, { queue: queue.port }))).summary;

    expect(summary).toMatchObject(incomplete(project, 'an empty page at offset 50 of 100'));
    expect(queries(project)).toEqual(['offset=0', 'offset=50', 'offset=0', 'offset=50', 'offset=0', 'offset=50']);
    expect(queue.messages()).toEqual([]);
  });

  it('an empty page once: read again, and the run covers all 100', async () => {
    const project = newProjectId();
    const seeds = appFleet(project);
    changeList(fx.sim, project, { kind: 'empty' }, { query: /offset=50$/ });
    const summary = (await runFleet(selectorFor(project, { dry_run: true }), fleetDepsFor(fx, 'inline'))).summary;

    expect(summary).not.toHaveProperty('error');
    expect(summary.counts).toEqual({ would_enable: 100 });
    expect(summary.instances.map((i) => i.instance_id)).toEqual(seeds.map((s) => s.instanceId));
  });

  it('a server that ignores offset (the same 50 each time, total 200) fails the run', async () => {
    const project = newProjectId();
    appFleet(project, 200);
    changeList(fx.sim, project, { kind: 'ignore-offset' }, { times: 20 });
    const summary = (await runFleet(selectorFor(project, { dry_run: true }), fleetDepsFor(fx, 'inline'))).summary;
    expect(summary).toMatchObject(incomplete(project, 'an instance listed twice (offset 50)'));
  });

  it('one instance deleted between pages: the instance that shifted (app-50) is not left out, the deleted one is gone', async () => {
    const project = newProjectId();
    const seeds = appFleet(project);
    const deleted = seeds[10]?.instanceId ?? '';
    changeList(fx.sim, project, { kind: 'delete-after', instanceId: deleted }, { query: /offset=0$/ });
    const summary = (await runFleet(selectorFor(project, { dry_run: true }), fleetDepsFor(fx, 'inline'))).summary;

    expect(summary).not.toHaveProperty('error');
    expect(summary.matched).toBe(99);
    expect(summary.instances.map((i) => i.name)).toContain('app-50');
    expect(summary.instances.map((i) => i.instance_id)).toEqual(seeds.filter((s) => s.instanceId !== deleted).map((s) => s.instanceId));
  });

  it('a 51-entry page holding one duplicate, once: index 50 is there and every instance is queued once', async () => {
    const project = newProjectId();
    const seeds = appFleet(project);
    changeList(fx.sim, project, { kind: 'duplicate', index: 7 }, { query: /offset=0$/ });
    const queue = inMemoryEnableQueue();
    const summary = (await runFleet(selectorFor(project), fleetDepsFor(fx, { queue: queue.port }))).summary;

    expect(summary.counts).toEqual({ queued: 100 });
    expect(queue.messages().map((m) => m.instance_id)).toEqual(seeds.map((s) => s.instanceId));
  });

  it('the same id in upper and lower case, every time: the run fails and nothing is queued twice (or at all)', async () => {
    const project = newProjectId();
    appFleet(project, 10);
    changeList(fx.sim, project, { kind: 'duplicate', index: 3, upperCase: true }, { times: 10 });
    const queue = inMemoryEnableQueue();
    const summary = (await runFleet(selectorFor(project), fleetDepsFor(fx, { queue: queue.port }))).summary;

    expect(summary).toMatchObject(incomplete(project, 'an instance listed twice (offset 4)'));
    expect(queue.messages()).toEqual([]);
  });

  it('entries that cannot be read are skipped_unreadable, named, never enabled; the rest of the fleet goes on', async () => {
    const project = newProjectId();
    const seeds = appFleet(project, 6);
    const [nullMode, notUuid, , unnamed] = seeds.map((s) => s.instanceId);
    const fields = {
      [`${nullMode}`]: { charging_mode: null },
      [`${notUuid}`]: { instance_id: '../../../v2/other' },
      [`${unnamed}`]: { name: null, tags: 'env=prod' },
    };
    changeList(fx.sim, project, { kind: 'entries', fields }, { times: 5 });
    const summary = (await runFleet(selectorFor(project), fleetDepsFor(fx, 'inline'))).summary;

    expect(summary).not.toHaveProperty('error');
    expect(summary.counts).toEqual({ accepted: 3, skipped_unreadable: 3 });
    expect(summary.instances.filter((i) => i.outcome === 'skipped_unreadable')).toEqual([
      {
        instance_id: nullMode,
        name: 'app-00',
        outcome: 'skipped_unreadable',
        instance_status: 'RUNNING',
        error: { code: 'LIST_ENTRY_UNREADABLE', message: expect.stringContaining('charging_mode') },
      },
      {
        instance_id: '../../../v2/other',
        name: 'app-01',
        outcome: 'skipped_unreadable',
        instance_status: 'RUNNING',
        error: { code: 'LIST_ENTRY_UNREADABLE', message: expect.stringContaining('instance_id: Invalid UUID') },
      },
      {
        instance_id: unnamed,
        name: '',
        outcome: 'skipped_unreadable',
        instance_status: 'RUNNING',
        error: { code: 'LIST_ENTRY_UNREADABLE', message: expect.stringMatching(/name: .*; tags: /) },
      },
    ]);
    expect(
      posts()
        .map((p) => p.path.split('/')[4])
        .sort(),
    ).toEqual([seeds[2], seeds[4], seeds[5]].map((s) => s?.instanceId).sort());
    expect(posts().every((p) => p.path.startsWith(`/v2/${project}/instances/`))).toBe(true);
  });

  it('a name of 3 MB is quoted in the summary with the same bound as input', async () => {
    const project = newProjectId();
    // 3 MB of UTF-8, under the 4 MB a DMS answer may have.
    fx.instance({ projectId: project, name: `big-${'名'.repeat(1_000_000)}` });
    const summary = (await runFleet(selectorFor(project, { dry_run: true, select: { name_prefix: 'big-' } }), fleetDepsFor(fx, 'inline'))).summary;

    expect(summary.instances.map((i) => i.name)).toEqual([`big-${'名'.repeat(60)}…`]);
    expect(JSON.stringify(summary).length).toBeLessThan(1_000);
  });
});
