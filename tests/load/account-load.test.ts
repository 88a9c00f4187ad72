// Account-wide runs at scale, through the built schedule and queue functions against the DMS
// simulator's IAM and DMS on loopback (every request signed and checked there):
// - 12 projects x 500 instances, dry run: at most 2 IAM calls in all and 10 ListInstances calls per
//   project, no per-instance call, the projects listed in parallel (the simulator measures the most
//   list requests in flight at once: at least 2, at most 8; each list answer is held 5 ms so overlaps
//   show);
// - 20 projects x 1,000 instances (20,000), dry run: calls, wall time, memory;
// - the same account applied: its 1,000 instances to enable fan out to the in-process queue, the
//   built queue function enables each exactly once and follows it to its final callback (verified
//   on arrival), and the run's one reconcile.completed callback carries the Account summary.
// One line of figures per case. `npm run soak`: more instances per project (LOAD_SCALE).
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
import { mixedFleet, type AccountSeed, type DmsSimulator, type FleetSeed, type FleetSeedKind, type ProjectSeed } from '../../local/simulator/index.ts';
import type { LocalQueue } from '../../local/sqs/index.ts';
import type { ScheduleSummary } from '../../functions/schedule.ts';
import { ACCOUNT_CONCURRENCY, type AccountSummary } from '../../shared/fleet/index.ts';
import { startSimulatorFixture, type SimulatorFixture } from '../support/fixtures.ts';
import { LOAD_SCALE, mebibytes, memoryNow, settleQueue, startQueueFunction } from '../support/load.ts';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const DOMAIN_ID = 'a11a11a11a11a11a11a11a11a11a11a1';
const REGIONS = ['cn-north-4', 'ap-southeast-1', 'eu-west-101', 'af-south-1', 'cn-east-3'] as const;
// Of a team=data half, one in ten to enable; the other half team=web (never matched).
const DATA_KINDS: readonly FleetSeedKind[] = ['to_enable', 'enabled', 'enabled', 'enabled', 'enabled', 'enabled', 'enabled', 'enabling', 'yearly', 'busy'];
const SMALL = { projects: 12, perProject: Math.min(500 * LOAD_SCALE, 2_500) };
const LARGE = { projects: 20, perProject: Math.min(1_000 * LOAD_SCALE, 2_500) };
// Tracking delays (10 s, 20 s, ...) pass at 10 ms a second; jobs take 300 ms.
const MS_PER_DELAY_SECOND = 10;
const JOB_MS = 300;
const FINAL_TYPES = new Set(['succeeded', 'failed'].map((type) => `smart_connect.enable.${type}`));

interface Account {
  readonly fx: SimulatorFixture;
  readonly projects: readonly ProjectSeed[];
  readonly seeds: readonly FleetSeed[];
}

/**
 * An account of `projects` covered projects over five regions (sub-projects beyond the first five)
 * and two it skips (MOS, a disabled one), each covered project holding `perProject` instances.
 */
async function startAccount({ projects: count, perProject }: { projects: number; perProject: number }, tag: string): Promise<Account> {
  const projects: ProjectSeed[] = Array.from({ length: count }, (_, p) => {
    const region = REGIONS[p % REGIONS.length] as string;
    return { id: `${tag}${String(p).padStart(32 - tag.length, '0')}`, name: p < REGIONS.length ? region : `${region}_load${p}` };
  });
  const account: AccountSeed = {
    domainId: DOMAIN_ID,
    projects: [
      ...projects,
      { id: `${tag}${'e'.repeat(32 - tag.length)}`, name: 'MOS' },
      { id: `${tag}${'d'.repeat(32 - tag.length)}`, name: 'cn-south-1', enabled: false },
    ],
  };
  const seeds = projects.flatMap((project) => {
    const half = perProject / 2;
    const data = mixedFleet({ projectId: project.id, count: half, kinds: DATA_KINDS, namePrefix: `${project.name}-data-`, tags: { team: 'data' } });
    const web = mixedFleet({ projectId: project.id, count: half, kinds: ['enabled'], namePrefix: `${project.name}-web-`, tags: { team: 'web' } });
    return data.flatMap((seed, i) => [seed, web[i] as FleetSeed]);
  });
  const fx = await startSimulatorFixture({ account, jobMs: JOB_MS });
  for (const seed of seeds) fx.sim.addInstance(seed);
  return { fx, projects, seeds };
}

const listRequests = (sim: DmsSimulator) => sim.requests.filter((r) => r.method === 'GET' && /^\/v2\/[0-9a-f]{32}\/instances$/.test(r.path));
const iamRequests = (sim: DmsSimulator) => sim.requests.filter((r) => r.path.startsWith('/v3/'));
const toEnable = ({ seeds }: Account) => seeds.filter((s) => s.tags?.team === 'data' && s.kind === 'to_enable').map((s) => s.instanceId);
// A list answer held a little, so that requests in flight together show as such.
const holdLists = (sim: DmsSimulator) =>
  sim.chaos({ faults: [{ probability: 1, fault: { kind: 'delay', ms: 5 }, method: 'GET', path: /^\/v2\/[0-9a-f]{32}\/instances$/ }] });

let receiver: CallbackReceiver;
let small: Account;
let large: Account;
let queue: LocalQueue | undefined;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  delete process.env.CALLBACK_URL;
  receiver = await startCallbackReceiver({ secret: SECRET });
  small = await startAccount(SMALL, 'a5');
  large = await startAccount(LARGE, 'a7');
}, 60_000);

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await queue?.stop();
  await Promise.all([small?.fx.sim.close(), large?.fx.sim.close(), receiver?.close()]);
});

const envOf = (fx: SimulatorFixture) =>
  fx.env({ CALLBACK_SECRET: SECRET, CALLBACK_ALLOWED_HOSTS: receiver.host, LOG_LEVEL: process.env.LOAD_LOG_LEVEL ?? 'SILENT' });

const grown = (bytes: number) => `${bytes < 0 ? '' : '+'}${mebibytes(bytes)}`;

/** Prints one line of figures for the phase measured from now (memory: this process, the simulator included). */
function measure(label: string, sim: DmsSimulator) {
  const memory = memoryNow();
  const started = performance.now();
  return (phase: string, extra = '') => {
    const ms = Math.round(performance.now() - started);
    const now = memoryNow();
    const lists = listRequests(sim);
    const posts = sim.requests.filter((r) => r.method === 'POST').length;
    const listed = new Set(lists);
    console.info(
      `account-load: ${label}, ${phase}: ${iamRequests(sim).length} IAM calls, ${lists.length} list calls (at most ${sim.maxInFlight((r) => listed.has(r))} at once), ${posts} POSTs${extra}, ${ms} ms, heap ${grown(now.heap - memory.heap)}, rss ${grown(now.rss - memory.rss)}, peak rss ${mebibytes(process.resourceUsage().maxRSS * 1024)}`,
    );
  };
}

async function dryRun(account: Account, label: string) {
  const { fx } = account;
  fx.sim.reset();
  holdLists(fx.sim);
  // A cold start reads process.env (the bundle's own handler too): this account's simulator.
  Object.assign(process.env, envOf(fx));
  const schedule = await loadHandler<Handler<unknown, ScheduleSummary>>('schedule', { fresh: true, host: { env: envOf(fx) } });
  const report = measure(label, fx.sim);
  const summary = await schedule({ targets: [{ projects: 'all', select: { tags: { team: 'data' } }, dry_run: true }] }, functionContext('schedule'));
  report('dry run');
  fx.sim.chaos(undefined);
  return summary.fleets?.[0] as AccountSummary;
}

describe('load: account-wide runs', () => {
  it(
    `${SMALL.projects} projects x ${SMALL.perProject} instances, dry run: 2 IAM calls, ${SMALL.perProject / 50} list calls per project, nothing else, projects listed 2 to ${ACCOUNT_CONCURRENCY} at once`,
    async () => {
      const run = await dryRun(small, `${SMALL.projects} projects x ${SMALL.perProject} instances`);
      const { sim } = small.fx;

      expect(run).toMatchObject({
        scope: 'account',
        dry_run: true,
        matched: (SMALL.projects * SMALL.perProject) / 2,
        counts: { would_enable: toEnable(small).length },
      });
      expect(run.error).toBeUndefined();
      expect(run.projects.map((p) => p.project_id)).toEqual(small.projects.map((p) => p.id));
      expect(run.skipped_projects.map((p) => p.reason)).toEqual(['not_a_region', 'disabled']);
      expect(iamRequests(sim).length).toBeLessThanOrEqual(2);
      for (const project of small.projects)
        expect(
          listRequests(sim).filter((r) => r.path === `/v2/${project.id}/instances`),
          project.name,
        ).toHaveLength(SMALL.perProject / 50);
      // Nothing but IAM and the lists: no per-instance call.
      expect(sim.requests.length).toBe(iamRequests(sim).length + listRequests(sim).length);
      expect(sim.requests.every((r) => r.authorized)).toBe(true);
      const lists = new Set(listRequests(sim));
      const atOnce = sim.maxInFlight((r) => lists.has(r));
      expect(atOnce).toBeGreaterThanOrEqual(2);
      expect(atOnce).toBeLessThanOrEqual(ACCOUNT_CONCURRENCY);
    },
    60_000 * LOAD_SCALE,
  );

  it(
    `${LARGE.projects} projects x ${LARGE.perProject} instances (${LARGE.projects * LARGE.perProject}), dry run: 2 IAM calls and one list call per 50 instances`,
    async () => {
      const run = await dryRun(large, `${LARGE.projects} projects x ${LARGE.perProject} instances`);
      const { sim } = large.fx;

      expect(run).toMatchObject({ scope: 'account', matched: (LARGE.projects * LARGE.perProject) / 2, counts: { would_enable: toEnable(large).length } });
      expect(run.projects).toHaveLength(LARGE.projects);
      expect(iamRequests(sim).length).toBeLessThanOrEqual(2);
      expect(listRequests(sim)).toHaveLength((LARGE.projects * LARGE.perProject) / 50);
      expect(sim.requests.length).toBe(iamRequests(sim).length + listRequests(sim).length);
      const lists = new Set(listRequests(sim));
      expect(sim.maxInFlight((r) => lists.has(r))).toBeLessThanOrEqual(ACCOUNT_CONCURRENCY);
    },
    60_000 * LOAD_SCALE,
  );

  it(
    `the same account applied: its ${toEnableCount(LARGE)} instances to enable fan out, each enabled exactly once and followed to its final callback`,
    async () => {
      const { fx, seeds } = large;
      fx.sim.reset();
      // The queue function reads process.env at its cold start: this account's simulator.
      Object.assign(process.env, envOf(fx));
      let sender: QueueSender;
      ({ queue, sender } = await startQueueFunction({ name: 'account-load', msPerDelaySecond: MS_PER_DELAY_SECOND }));
      const fannedOut: string[] = [];
      const enableQueue: QueueSender = {
        async send(body, options) {
          fannedOut.push(body);
          await sender.send(body, options);
        },
      };
      const schedule = await loadHandler<Handler<unknown, ScheduleSummary>>('schedule', {
        fresh: true,
        host: { env: envOf(fx), enableQueue, trackingQueue: sender },
      });
      const wanted = toEnable(large);
      const report = measure(`${LARGE.projects} projects x ${LARGE.perProject} instances, ${wanted.length} to enable`, fx.sim);
      const summary = await schedule(
        { targets: [{ projects: 'all', select: { tags: { team: 'data' } }, callback_url: receiver.url('/apply') }] },
        functionContext('schedule'),
      );
      await settleQueue(queue, { timeoutMs: 120_000 * LOAD_SCALE });
      report('applied and followed to the end', `, ${fannedOut.length} messages fanned out`);

      const run = summary.fleets?.[0] as AccountSummary;
      expect(run.counts.queued).toBe(wanted.length);
      // Each fan-out message is an ordinary enable request naming its own project and region.
      const projectOf = new Map(seeds.map((s) => [s.instanceId, s.projectId]));
      const regionOf = new Map(large.projects.map((p) => [p.id, p.name.split('_')[0]]));
      const messages = fannedOut.map((body) => JSON.parse(body) as { project_id: string; instance_id: string; region: string });
      expect(messages.map((m) => m.instance_id).sort()).toEqual([...wanted].sort());
      expect(messages.filter((m) => m.project_id !== projectOf.get(m.instance_id) || m.region !== regionOf.get(m.project_id))).toEqual([]);

      // Each enabled exactly once, nothing else touched; the queue function asked IAM nothing.
      const wantedSet = new Set(wanted);
      expect(seeds.filter((s) => fx.sim.acceptedEnableCalls(s.instanceId) !== (wantedSet.has(s.instanceId) ? 1 : 0)).map((s) => s.name)).toEqual([]);
      expect(fx.sim.requests.filter((r) => r.path === '/v3/projects')).toEqual([]);
      expect(fx.sim.requests.every((r) => r.authorized)).toBe(true);

      // Every instance: one final callback (verified), no dead letter.
      const callbacks = receiver.received.filter((c) => c.path === '/apply');
      expect(callbacks.filter((c) => !c.verified).map((c) => c.verify_error)).toEqual([]);
      const finals = new Map<string, string[]>();
      for (const callback of callbacks) {
        if (!FINAL_TYPES.has(callback.type ?? '')) continue;
        const id = String(callbackPayload(callback.body)?.data?.instance_id);
        finals.set(id, [...(finals.get(id) ?? []), String(callback.type)]);
      }
      expect(wanted.filter((id) => finals.get(id)?.join() !== 'smart_connect.enable.succeeded').slice(0, 20)).toEqual([]);
      expect(queue.deadLetters()).toEqual([]);
      // The run's own report: one callback, the Account summary's counts.
      const completed = callbacks.filter((c) => c.type === 'smart_connect.reconcile.completed');
      expect(completed).toHaveLength(1);
      expect(callbackPayload(completed[0]?.body ?? '')?.data).toMatchObject({ scope: 'account', counts: run.counts });
      expect(unhandled).toEqual([]);
    },
    180_000 * LOAD_SCALE,
  );
});

function toEnableCount({ projects, perProject }: { projects: number; perProject: number }): number {
  return (projects * perProject) / 2 / DATA_KINDS.length;
}
