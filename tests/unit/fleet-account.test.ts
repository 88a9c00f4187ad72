// Unit tests of an account-wide run (shared/fleet runAccount) and the Account summary, with in-memory
// ports (DESIGN.md "Account summary"): the projects IAM lists, each run as one project's selector in
// its region, at most 8 at once; one bound for instances enabled here, across all projects; a project
// that fails is named in its own summary while the others still run; IAM refusing fails the run; the
// summary bounded where it leaves (callback, schedule answer), and whole in the log, in parts.
import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_CONCURRENCY,
  ACCOUNT_LISTED,
  accountSummary,
  boundedSummary,
  fleetRunFailed,
  reconcileWebhook,
  runAccount,
  type AccountDeps,
  type AccountSelector,
  type EnableQueuePort,
  type FleetInstanceResult,
  type ProjectFleetSummary,
} from '../../shared/fleet/index.ts';
import { type InstanceListEntry, HuaweiApiError, type KafkaRegion } from '../../shared/huawei/index.ts';
import type { AccountListing, AccountProject, ProjectDirectory, SkippedProject } from '../../shared/projects/index.ts';
import type { EnableRequest } from '../../shared/request/index.ts';
import type { JobResult } from '../../shared/result/index.ts';
import { deadlineIn, createJsonLogger, LOG_LINE_MAX } from '../../shared/runtime/index.ts';

const TARGET: AccountSelector = { projects: 'all', select: {}, node_cnt: '2', dry_run: false };
const REGIONS: readonly KafkaRegion[] = ['cn-north-4', 'ap-southeast-1', 'eu-west-101', 'af-south-1'];
const projectIdAt = (p: number) => `acc0${String(p).padStart(28, '0')}`;
const instanceIdAt = (p: number, i: number) => `00000000-0000-4000-8000-${String(p).padStart(4, '0')}${String(i).padStart(8, '0')}`;

/** `count` covered projects, spread over four regions (every fourth a sub-project), and what IAM skipped. */
function projectsOf(count: number): AccountProject[] {
  return Array.from({ length: count }, (_, p) => {
    const region = REGIONS[p % REGIONS.length] as KafkaRegion;
    return { project_id: projectIdAt(p), project_name: p >= REGIONS.length ? `${region}_team${p}` : region, region };
  });
}
const SKIPPED: SkippedProject[] = [{ project_id: 'f'.repeat(32), name: 'MOS', reason: 'not_a_region' }];

function directory(listing: AccountListing) {
  const asked: { regions: readonly KafkaRegion[] | undefined }[] = [];
  const projects: Pick<ProjectDirectory, 'accountProjects'> = {
    accountProjects: async (ask) => {
      asked.push({ regions: ask.regions });
      return listing;
    },
  };
  return { projects, asked };
}

const entry = (p: number, i: number, extra: Partial<InstanceListEntry> = {}): InstanceListEntry => ({
  instance_id: instanceIdAt(p, i),
  name: `p${p}-kafka-${i}`,
  status: 'RUNNING',
  charging_mode: 1,
  ...extra,
});

/**
 * A DMS per region answering each project's list from `fleet(p)`, page by page, after `delayMs`,
 * counting how many lists are in flight at once; `fail(p)` makes a project's list throw.
 */
function regionalDms(options: { fleet: (p: number) => InstanceListEntry[]; delayMs?: number; fail?: (p: number) => HuaweiApiError | undefined }) {
  let inFlight = 0;
  let most = 0;
  const listed: { region: KafkaRegion; projectId: string }[] = [];
  const dmsIn: AccountDeps['dmsIn'] = (region) => ({
    listInstances: async ({ projectId }, { offset, limit }) => {
      listed.push({ region, projectId });
      inFlight += 1;
      most = Math.max(most, inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 0));
        const p = Number.parseInt(projectId.slice(4), 10);
        const failure = options.fail?.(p);
        if (failure) throw failure;
        const instances = options.fleet(p);
        return { data: { instances: instances.slice(offset, offset + limit), instance_num: instances.length }, requestId: undefined };
      } finally {
        inFlight -= 1;
      }
    },
  });
  return { dmsIn, listed, most: () => most };
}

function recordingQueue() {
  const sent: EnableRequest[] = [];
  const queue: EnableQueuePort = {
    enqueue: async (requests) => {
      sent.push(...requests);
      return { failed: [] };
    },
  };
  return { queue, sent };
}

const listing = (projects: AccountProject[]): AccountListing => ({ kind: 'listed', projects, skipped: SKIPPED });
const deps = (extra: Partial<AccountDeps> & Pick<AccountDeps, 'projects' | 'dmsIn' | 'apply'>): AccountDeps => ({ deadline: deadlineIn(10_000), ...extra });

describe('runAccount', () => {
  it("runs every project IAM covers as one project's selector, in its region, and sums what they found", async () => {
    const projects = projectsOf(5);
    const { projects: directoryPort, asked } = directory(listing(projects));
    const dms = regionalDms({ fleet: (p) => [entry(p, 0), entry(p, 1, { connector_enable: true, connector_id: 'c' }), entry(p, 2, { charging_mode: 0 })] });
    const { queue, sent } = recordingQueue();
    const run = await runAccount({ ...TARGET, regions: ['cn-north-4', 'eu-west-101'] }, deps({ projects: directoryPort, dmsIn: dms.dmsIn, apply: { queue } }));

    expect(asked).toEqual([{ regions: ['cn-north-4', 'eu-west-101'] }]);
    expect(run.transient).toBe(false);
    expect(dms.listed.map((l) => [l.region, l.projectId]).sort()).toEqual(projects.map((p) => [p.region, p.project_id]).sort());
    const { summary } = run;
    expect(summary).toMatchObject({
      scope: 'account',
      dry_run: false,
      matched: 15,
      counts: { already_enabled: 5, queued: 5, skipped_not_pay_per_use: 5 },
      skipped_projects: SKIPPED,
    });
    expect(summary.error).toBeUndefined();
    // In IAM's order, each its own Fleet summary, named as IAM names the project.
    expect(summary.projects.map((p) => [p.project_id, p.project_name, p.region, p.matched])).toEqual(
      projects.map((p) => [p.project_id, p.project_name, p.region, 3]),
    );
    expect(Object.keys(summary.projects[0] ?? {})).toEqual(['project_id', 'project_name', 'region', 'dry_run', 'matched', 'counts', 'instances']);
    // Fanned out as ordinary enable requests, each naming its own project and region.
    expect(sent.map((r) => [r.project_id, r.region, r.instance_id]).sort()).toEqual(
      projects.map((p, i) => [p.project_id, p.region, instanceIdAt(i, 0)]).sort(),
    );
    expect(fleetRunFailed(summary)).toBe(false);
  });

  it(`lists at most ${ACCOUNT_CONCURRENCY} projects at once, and more than one`, async () => {
    const { projects } = directory(listing(projectsOf(20)));
    const dms = regionalDms({ fleet: (p) => [entry(p, 0)], delayMs: 10 });
    const run = await runAccount({ ...TARGET, dry_run: true }, deps({ projects, dmsIn: dms.dmsIn, apply: recordingQueue() }));
    expect(run.summary.projects).toHaveLength(20);
    expect(dms.most()).toBe(ACCOUNT_CONCURRENCY);
  });

  it('enables here no more instances at once, across all projects, than one project would', async () => {
    const { projects } = directory(listing(projectsOf(8)));
    const dms = regionalDms({ fleet: (p) => Array.from({ length: 6 }, (_, i) => entry(p, i)) });
    let inFlight = 0;
    let most = 0;
    const enableOne = async (request: EnableRequest): Promise<JobResult> => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return { status: 'accepted', project_id: request.project_id, instance_id: request.instance_id, job_id: 'j', connector_id: 'c', source: 'schedule' };
    };
    const run = await runAccount(TARGET, deps({ projects, dmsIn: dms.dmsIn, apply: { enableOne, concurrency: 3 } }));
    expect(run.summary.counts).toEqual({ accepted: 48 });
    expect(most).toBe(3);
  });

  it('a project whose list fails has its error in its own summary; the others are still run and applied; the run failed', async () => {
    const projects = projectsOf(4);
    const { projects: directoryPort } = directory(listing(projects));
    const forbidden = new HuaweiApiError({ status: 403, errorCode: 'DMS.00403001', errorMsg: 'no permission to list instances' });
    const dms = regionalDms({ fleet: (p) => [entry(p, 0)], fail: (p) => (p === 1 ? forbidden : undefined) });
    const { queue, sent } = recordingQueue();
    const run = await runAccount(TARGET, deps({ projects: directoryPort, dmsIn: dms.dmsIn, apply: { queue } }));

    expect(run.summary.projects[1]).toMatchObject({ project_id: projects[1]?.project_id, matched: 0, instances: [], error: { code: 'DMS.00403001' } });
    expect(run.summary.counts).toEqual({ queued: 3 });
    expect(sent.map((r) => r.project_id).sort()).toEqual([0, 2, 3].map((p) => projectIdAt(p)).sort());
    expect(run.summary.error).toBeUndefined();
    expect(fleetRunFailed(run.summary)).toBe(true);
    // A 403 will not mend by itself; throttling or a list that never adds up may.
    expect(run.transient).toBe(false);
    const throttled = new HuaweiApiError({ status: 429, errorCode: 'APIG.0308', errorMsg: 'throttled' });
    const again = await runAccount(
      TARGET,
      deps({
        projects: directoryPort,
        dmsIn: regionalDms({ fleet: (p) => [entry(p, 0)], fail: (p) => (p === 2 ? throttled : undefined) }).dmsIn,
        apply: recordingQueue(),
      }),
    );
    expect(again.transient).toBe(true);
  });

  it("IAM refusing the project list fails the run with IAM's error, and nothing is listed", async () => {
    const refusal = {
      kind: 'failed',
      error: { code: 'APIG.0301', message: "IAM could not list the account's projects: signature refused" },
      retryable: false,
    } as const;
    const { projects } = directory(refusal);
    const dms = regionalDms({ fleet: () => [] });
    const run = await runAccount(
      TARGET,
      deps({ projects, dmsIn: dms.dmsIn, apply: recordingQueue(), redact: (text) => text.replace('signature', '[redacted]') }),
    );
    expect(run).toEqual({
      summary: {
        scope: 'account',
        dry_run: false,
        matched: 0,
        counts: {},
        projects: [],
        skipped_projects: [],
        error: { code: 'APIG.0301', message: "IAM could not list the account's projects: [redacted] refused" },
      },
      transient: false,
    });
    expect(dms.listed).toEqual([]);
    expect(fleetRunFailed(run.summary)).toBe(true);
    expect((await runAccount(TARGET, deps({ ...directory({ ...refusal, retryable: true }), dmsIn: dms.dmsIn, apply: recordingQueue() }))).transient).toBe(true);
  });

  it('logs each project whole: one line with its counts, then its instances in parts that each fit a line', async () => {
    const lines: string[] = [];
    const logger = createJsonLogger({ write: (line) => lines.push(line) });
    const { projects } = directory(listing(projectsOf(2)));
    // Names of 64 characters outside Latin-1: 300 instances make far more than one line.
    const dms = regionalDms({ fleet: (p) => Array.from({ length: 300 }, (_, i) => entry(p, i, { name: `${'ж'.repeat(60)}${String(i).padStart(4, '0')}` })) });
    await runAccount({ ...TARGET, dry_run: true }, deps({ projects, dmsIn: dms.dmsIn, apply: recordingQueue(), logger }));

    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.every((line) => Buffer.byteLength(line) <= LOG_LINE_MAX)).toBe(true);
    expect(parsed.some((line) => line.log_line_cut)).toBe(false);
    for (const p of [0, 1]) {
      const finished = parsed.filter((line) => line.message === 'project run finished' && line.project_id === projectIdAt(p));
      expect(finished).toEqual([expect.objectContaining({ matched: 300, counts: { would_enable: 300 }, instance_parts: expect.any(Number) })]);
      const parts = parsed.filter((line) => line.message === 'project run instances' && line.project_id === projectIdAt(p));
      expect(parts.length).toBe(finished[0]?.instance_parts);
      expect(parts.length).toBeGreaterThan(1);
      const logged = parts.flatMap((line) => line.instances as FleetInstanceResult[]).map((i) => i.instance_id);
      expect(logged).toEqual(Array.from({ length: 300 }, (_, i) => instanceIdAt(p, i)));
    }
  });
});

describe('the Account summary where it leaves (boundedSummary)', () => {
  const project = (p: number, instances: number): ProjectFleetSummary => ({
    project_id: projectIdAt(p),
    project_name: `cn-north-4_${p}`,
    region: 'cn-north-4',
    dry_run: true,
    matched: instances,
    counts: { would_enable: instances },
    instances: Array.from({ length: instances }, (_, i) => ({ instance_id: instanceIdAt(p, i), name: `k${i}`, outcome: 'would_enable' as const })),
  });

  it(`lists at most ${ACCOUNT_LISTED.perProject} instances per project and ${ACCOUNT_LISTED.total} in all; left_out counts the rest, counts stay whole`, () => {
    const projects = [project(0, 10), project(1, 120), ...Array.from({ length: 12 }, (_, i) => project(i + 2, 60))];
    const summary = accountSummary(true, projects, SKIPPED);
    const bounded = boundedSummary(summary);
    if (!('scope' in bounded)) throw new Error('an Account summary stays one');

    expect(bounded.counts).toEqual({ would_enable: 10 + 120 + 12 * 60 });
    expect(bounded.matched).toBe(summary.matched);
    const listed = bounded.projects.map((p) => p.instances.length);
    expect(listed.reduce((a, b) => a + b, 0)).toBe(ACCOUNT_LISTED.total);
    expect(Math.max(...listed)).toBeLessThanOrEqual(ACCOUNT_LISTED.perProject);
    expect(bounded.projects[0]).toBe(summary.projects[0]);
    expect(bounded.projects.map((p) => p.instances.length + (p.left_out?.instances ?? 0))).toEqual(summary.projects.map((p) => p.instances.length));
    expect(bounded.projects[1]).toMatchObject({ left_out: { instances: 70 }, matched: 120, counts: { would_enable: 120 } });
    expect(bounded.projects.at(-1)).toMatchObject({ instances: [], left_out: { instances: 60 } });
    // The whole summary itself is left as it was.
    expect(summary.projects[1]?.instances).toHaveLength(120);
  });

  it('the reconcile callback carries the bounded summary, under an id per run, regions and selection', () => {
    const summary = accountSummary(false, [project(0, 80)], []);
    const webhook = reconcileWebhook(TARGET, summary, 'event-1');
    expect(webhook.data).toEqual(boundedSummary(summary));
    expect(reconcileWebhook({ ...TARGET, regions: ['eu-west-101', 'cn-north-4'] }, summary, 'event-1').id).toBe(
      reconcileWebhook({ ...TARGET, regions: ['cn-north-4', 'eu-west-101'] }, summary, 'event-1').id,
    );
    for (const other of [
      { ...TARGET, regions: ['cn-north-4'] as KafkaRegion[] },
      { ...TARGET, dry_run: true },
      { ...TARGET, select: { name_prefix: 'a' } },
    ]) {
      expect(reconcileWebhook(other, summary, 'event-1').id).not.toBe(webhook.id);
    }
    expect(reconcileWebhook(TARGET, summary, 'event-2').id).not.toBe(webhook.id);
  });
});
