// Projects from regions and account-wide runs through the built queue and schedule functions and the
// built command line, against the simulator's IAM and DMS on loopback (every request's signature
// checked there with Huawei's own signer), with the sample account: several regions, a sub-project,
// a disabled project, MOS and a region without Kafka (DESIGN.md "Projects from regions", "Account
// summary"). Each test that runs over the account has a simulator of its own: an account-wide run
// touches every project.
import { randomBytes, randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  callbackPayload,
  functionContext,
  loadBuiltCli,
  loadFunction,
  sqsEvent,
  startCallbackReceiver,
  type CallbackReceiver,
  dropMetricLines,
  type FunctionHost,
  type Handler,
  type RunCli,
} from '../../local/hosting/index.ts';
import { SAMPLE_DOMAIN_ID, sampleAccount, type DmsSimulator, type SampleProjectName } from '../../local/simulator/index.ts';
import type { ScheduleSummary } from '../../functions/schedule.ts';
import { ACCOUNT_LISTED, type AccountSummary, type FleetSummary } from '../../shared/fleet/index.ts';
import { startSimulatorFixture, type SimulatorFixture } from '../support/fixtures.ts';
import { keepingQueue } from '../support/keeping-queue.ts';

type CreateHandler<E, R> = (host: FunctionHost) => Handler<E, R>;

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const COVERED: readonly SampleProjectName[] = ['cn-north-4', 'cn-north-4_dev', 'ap-southeast-1', 'eu-west-101'];
const REGION_OF: Record<string, string> = {
  'cn-north-4': 'cn-north-4',
  'cn-north-4_dev': 'cn-north-4',
  'ap-southeast-1': 'ap-southeast-1',
  'eu-west-101': 'eu-west-101',
};
const SKIPPED = [
  { name: 'la-south-2', reason: 'disabled' },
  { name: 'MOS', reason: 'not_a_region' },
  { name: 'cn-north-7', reason: 'no_kafka_in_region' },
];
const sample = sampleAccount();
const ids = sample.projectIds;

let receiver: CallbackReceiver;
let createSchedule: CreateHandler<unknown, ScheduleSummary>;
let createQueue: CreateHandler<SQSEvent, SQSBatchResponse>;
let cli: RunCli;

beforeAll(async () => {
  receiver = await startCallbackReceiver({ secret: SECRET });
  // Importing a bundle starts its Lambda handler, which reads process.env: any simulator will do.
  const first = await startSimulatorFixture();
  Object.assign(process.env, first.env({ LOG_LEVEL: 'SILENT' }));
  createSchedule = (await loadFunction<Handler<unknown, ScheduleSummary>>('schedule')).createHandler;
  createQueue = (await loadFunction<Handler<SQSEvent, SQSBatchResponse>>('queue')).createHandler;
  cli = await loadBuiltCli();
  await first.sim.close();
});
afterAll(async () => {
  await receiver.close();
});

const opened: DmsSimulator[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((sim) => sim.close()));
});

/** A simulator of this test's own, serving the sample account (5 instances per project, one of each kind). */
async function account(): Promise<SimulatorFixture> {
  const fx = await startSimulatorFixture({ account: sample.account, instances: [...sample.instances] });
  opened.push(fx.sim);
  return fx;
}

const envOf = (fx: SimulatorFixture, extra: Record<string, string> = {}) =>
  fx.env({ CALLBACK_SECRET: SECRET, CALLBACK_ALLOWED_HOSTS: receiver.host, LOG_LEVEL: 'SILENT', ...extra });
const host = (fx: SimulatorFixture, extra: Omit<FunctionHost, 'env'> = {}, env: Record<string, string> = {}): FunctionHost => ({
  env: envOf(fx, env),
  metrics: dropMetricLines,
  ...extra,
});

const iamCalls = (sim: DmsSimulator, path: string) => sim.requests.filter((r) => r.path === path);
const listCallsOf = (sim: DmsSimulator, projectId: string) => sim.requests.filter((r) => r.method === 'GET' && r.path === `/v2/${projectId}/instances`);
const posts = (sim: DmsSimulator) => sim.requests.filter((r) => r.method === 'POST');
const toEnableIn = (name: SampleProjectName) => sample.instances.filter((s) => s.projectId === ids[name] && s.kind === 'to_enable').map((s) => s.instanceId);
const payloadsTo = (path: string) => receiver.received.filter((c) => c.path === path).map((c) => ({ verified: c.verified, ...callbackPayload(c.body) }));

async function runCli(fx: SimulatorFixture, args: readonly string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await cli(args, { env: envOf(fx, env), stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, unknown> };
}

function expectAllSigned(sim: DmsSimulator) {
  expect(sim.requests.length).toBeGreaterThan(0);
  expect(sim.requests.filter((r) => !r.authorized).map((r) => `${r.method} ${r.path}`)).toEqual([]);
}

describe('a request that names no project_id: the project named after its region', () => {
  it('queue: ten records of one region at once make one IAM lookup; each is enabled in that project, its result naming it', async () => {
    const fx = await account();
    const project = ids['ap-southeast-1'];
    const instances = Array.from({ length: 10 }, () => fx.instance({ projectId: project }));
    const path = `/queue-region-${randomUUID()}`;
    const queue = createQueue(host(fx));
    const batch = sqsEvent(
      ...instances.map((id) => ({ body: JSON.stringify({ instance_id: id, region: 'ap-southeast-1', callback_url: receiver.url(path) }) })),
    );
    expect(await queue(batch, functionContext('queue'))).toEqual({ batchItemFailures: [] });

    const lookups = iamCalls(fx.sim, '/v3/projects');
    expect(lookups).toMatchObject([{ method: 'GET', query: 'name=ap-southeast-1', status: 200, authorized: true }]);
    for (const id of instances) expect(fx.sim.acceptedEnableCalls(id)).toBe(1);
    expect(posts(fx.sim).every((p) => p.path.startsWith(`/v2/${project}/instances/`))).toBe(true);
    const accepted = await Promise.all(instances.map((id) => receiver.waitFor((c) => c.path === path && callbackPayload(c.body)?.data?.instance_id === id)));
    expect(accepted.map((c) => [c.verified, c.type, (JSON.parse(c.body) as { data: { project_id: string } }).data.project_id])).toEqual(
      instances.map(() => [true, 'smart_connect.enable.accepted', project]),
    );
    expectAllSigned(fx.sim);

    // The container keeps the answer: another batch of that region asks IAM nothing.
    const more = fx.instance({ projectId: project });
    await queue(sqsEvent({ body: JSON.stringify({ instance_id: more, region: 'ap-southeast-1' }) }), functionContext('queue'));
    expect(fx.sim.acceptedEnableCalls(more)).toBe(1);
    expect(iamCalls(fx.sim, '/v3/projects')).toHaveLength(1);
  });

  it('queue: a region with no project is a permanent failure naming it, project_id "", nothing enabled; told, the record is done', async () => {
    const fx = await account();
    const path = `/queue-no-project-${randomUUID()}`;
    const instanceId = randomUUID();
    const answer = await createQueue(host(fx))(
      sqsEvent({ body: JSON.stringify({ instance_id: instanceId, region: 'cn-east-3', callback_url: receiver.url(path) }) }),
      functionContext('queue'),
    );

    expect(answer).toEqual({ batchItemFailures: [] });
    const [failed] = payloadsTo(path);
    expect(failed).toMatchObject({
      verified: true,
      type: 'smart_connect.enable.failed',
      data: { status: 'failed', project_id: '', instance_id: instanceId, source: 'queue', error: { code: 'PROJECT_NOT_FOUND' } },
    });
    expect(String((failed?.data?.error as { message?: string } | undefined)?.message)).toMatch(/cn-east-3/);
    expect(posts(fx.sim)).toEqual([]);
    expect(fx.sim.requests.map((r) => `${r.method} ${r.path}?${r.query}`)).toEqual(['GET /v3/projects?name=cn-east-3']);
  });

  it("schedule: HUAWEICLOUD_SDK_PROJECT_ID is the home region's project (no IAM call); another region is asked of IAM", async () => {
    const fx = await account();
    const home = fx.instance({ projectId: ids['cn-north-4'] });
    const away = fx.instance({ projectId: ids['eu-west-101'] });
    const summary = await createSchedule(host(fx, {}, { HUAWEICLOUD_SDK_PROJECT_ID: ids['cn-north-4'] }))(
      { targets: [{ instance_id: home }, { instance_id: away, region: 'eu-west-101' }] },
      functionContext('schedule'),
    );
    expect(summary.results.map((r) => [r.status, r.project_id, r.instance_id])).toEqual([
      ['accepted', ids['cn-north-4'], home],
      ['accepted', ids['eu-west-101'], away],
    ]);
    expect(iamCalls(fx.sim, '/v3/projects').map((r) => r.query)).toEqual(['name=eu-west-101']);
  });

  it("the command line: enable, status and reconcile without --project-id use the region's project", async () => {
    const fx = await account();
    const instanceId = fx.instance({ projectId: ids['cn-north-4'] });
    const enabled = await runCli(fx, ['enable', '--instance-id', instanceId]);
    expect(enabled.code, enabled.stderr).toBe(0);
    expect(enabled.json()).toMatchObject({ status: 'accepted', project_id: ids['cn-north-4'], instance_id: instanceId });

    const [seed] = toEnableIn('ap-southeast-1');
    const status = await runCli(fx, ['status', '--instance-id', String(seed), '--region', 'ap-southeast-1']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.json()).toMatchObject({ project_id: ids['ap-southeast-1'], instance_id: seed, state: 'not_enabled' });

    const plan = await runCli(fx, ['reconcile', '--region', 'eu-west-101', '--dry-run']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.json()).toMatchObject({ project_id: ids['eu-west-101'], region: 'eu-west-101', dry_run: true, matched: 5, counts: { would_enable: 1 } });

    const missing = await runCli(fx, ['enable', '--instance-id', randomUUID(), '--region', 'cn-south-1']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^PROJECT_NOT_FOUND: no project is named cn-south-1/m);
    expect(missing.json()).toMatchObject({ status: 'failed', project_id: '', error: { code: 'PROJECT_NOT_FOUND' } });
    expect(posts(fx.sim)).toHaveLength(1);
    expectAllSigned(fx.sim);
  });
});

describe('account-wide runs ({projects: "all"}, reconcile --all-projects)', () => {
  it('schedule, dry run: every covered project listed once, the others skipped with why, counts summed; IAM asked twice, X-Domain-Id signed', async () => {
    const fx = await account();
    const path = `/account-dry-${randomUUID()}`;
    const summary = await createSchedule(host(fx))(
      { targets: [{ projects: 'all', select: { tags: { team: 'data' } }, dry_run: true, callback_url: receiver.url(path) }] },
      functionContext('schedule'),
    );
    const run = summary.fleets?.[0] as AccountSummary;

    expect(run).toMatchObject({
      scope: 'account',
      dry_run: true,
      matched: 20,
      counts: { already_enabled: 4, enabling: 4, would_enable: 4, skipped_not_pay_per_use: 4, skipped_busy: 4 },
    });
    expect(run.error).toBeUndefined();
    expect(run.projects.map((p) => [p.project_name, p.project_id, p.region, p.matched])).toEqual(COVERED.map((name) => [name, ids[name], REGION_OF[name], 5]));
    expect(run.skipped_projects).toEqual(SKIPPED.map(({ name, reason }) => ({ project_id: ids[name as SampleProjectName], name, reason })));
    // IAM: the account id once, the account's projects once, with the account id signed.
    expect(iamCalls(fx.sim, '/v3/auth/domains')).toHaveLength(1);
    const [projects, ...more] = iamCalls(fx.sim, '/v3/auth/projects');
    expect(more).toEqual([]);
    expect(projects?.headers['x-domain-id']).toBe(SAMPLE_DOMAIN_ID);
    expect(projects?.headers.authorization).toMatch(/SignedHeaders=[^,]*x-domain-id/);
    for (const name of COVERED) expect(listCallsOf(fx.sim, ids[name]), name).toHaveLength(1);
    for (const { name } of SKIPPED) expect(listCallsOf(fx.sim, ids[name as SampleProjectName]), name).toEqual([]);
    expect(posts(fx.sim)).toEqual([]);
    expectAllSigned(fx.sim);
    // One reconcile callback for the run, with the Account summary.
    const callbacks = payloadsTo(path);
    expect(callbacks).toEqual([{ verified: true, type: 'smart_connect.reconcile.completed', timestamp: expect.any(String), data: run }]);
  });

  it('regions narrows the run: the others are skipped as not_in_regions', async () => {
    const fx = await account();
    const summary = await createSchedule(host(fx))(
      { targets: [{ projects: 'all', regions: ['cn-north-4'], select: {}, dry_run: true }] },
      functionContext('schedule'),
    );
    const run = summary.fleets?.[0] as AccountSummary;
    expect(run.projects.map((p) => p.project_name)).toEqual(['cn-north-4', 'cn-north-4_dev']);
    expect(run.skipped_projects.filter((p) => p.reason === 'not_in_regions').map((p) => p.name)).toEqual(['ap-southeast-1', 'eu-west-101']);
    expect(listCallsOf(fx.sim, ids['ap-southeast-1'])).toEqual([]);
  });

  it('schedule, applied: each instance to enable fans out as an ordinary enable message naming its own project and region; fed back, each is enabled once', async () => {
    const fx = await account();
    const enableQueue = keepingQueue();
    const summary = await createSchedule(host(fx, { enableQueue: enableQueue.sender }))(
      { targets: [{ projects: 'all', select: { tags: { team: 'data' } }, node_cnt: 3 }] },
      functionContext('schedule'),
    );

    expect(summary.fleets?.[0]).toMatchObject({ scope: 'account', counts: { queued: 4 } });
    expect(enableQueue.bodies().sort((a, b) => String(a.instance_id).localeCompare(String(b.instance_id)))).toEqual(
      COVERED.flatMap((name) => toEnableIn(name).map((id) => ({ project_id: ids[name], instance_id: id, region: REGION_OF[name], node_cnt: '3' }))).sort(
        (a, b) => a.instance_id.localeCompare(b.instance_id),
      ),
    );
    expect(posts(fx.sim)).toEqual([]);
    const fedBack = await createQueue(host(fx))(sqsEvent(...enableQueue.messages.map(({ body }) => ({ body }))), functionContext('queue'));
    expect(fedBack).toEqual({ batchItemFailures: [] });
    for (const seed of sample.instances)
      expect(fx.sim.acceptedEnableCalls(seed.instanceId), `${seed.name}`).toBe(COVERED.some((name) => toEnableIn(name).includes(seed.instanceId)) ? 1 : 0);
    // Enable messages name their project: no IAM lookup for them.
    expect(iamCalls(fx.sim, '/v3/projects')).toEqual([]);
  });

  it('queue: an account-wide message applied inline; one reconcile callback, bounded (a project of 60 lists 50, left_out says 10)', async () => {
    const fx = await account();
    const big = Array.from({ length: 60 }, () => fx.instance({ projectId: ids['eu-west-101'], tags: { team: 'data' }, connectorEnabled: true }));
    const path = `/account-queue-${randomUUID()}`;
    const answer = await createQueue(host(fx))(
      sqsEvent({ body: JSON.stringify({ projects: 'all', select: { tags: { team: 'data' } }, callback_url: receiver.url(path) }) }),
      functionContext('queue'),
    );

    expect(answer).toEqual({ batchItemFailures: [] });
    for (const name of COVERED) for (const id of toEnableIn(name)) expect(fx.sim.acceptedEnableCalls(id)).toBe(1);
    const [completed, ...more] = payloadsTo(path);
    expect(more).toEqual([]);
    expect(completed).toMatchObject({
      verified: true,
      type: 'smart_connect.reconcile.completed',
      data: { scope: 'account', matched: 80, counts: { accepted: 4, already_enabled: 64 } },
    });
    const projects = (completed?.data as unknown as AccountSummary | undefined)?.projects ?? [];
    const europe = projects.find((p) => p.project_name === 'eu-west-101');
    expect(europe).toMatchObject({ matched: 65, left_out: { instances: 65 - ACCOUNT_LISTED.perProject } });
    expect(europe?.instances).toHaveLength(ACCOUNT_LISTED.perProject);
    expect(big.length).toBe(60);
  });

  it("IAM refusing the project list fails the run with IAM's error and lists nothing; a 503 that lasts fails the schedule transiently", async () => {
    const fx = await account();
    fx.sim.inject({
      path: '/v3/auth/projects',
      fault: { kind: 'status', status: 403, body: { error: { code: 403, message: 'You are not authorized', title: 'Forbidden' } } },
    });
    const summary = await createSchedule(host(fx))({ targets: [{ projects: 'all', select: {} }] }, functionContext('schedule'));
    const run = summary.fleets?.[0] as AccountSummary;
    expect(run).toMatchObject({
      scope: 'account',
      matched: 0,
      projects: [],
      skipped_projects: [],
      error: { message: expect.stringMatching(/^IAM could not list the account's projects: /) },
    });
    expect(fx.sim.requests.filter((r) => r.path.startsWith('/v2/'))).toEqual([]);

    fx.sim.inject({ path: '/v3/auth/projects', fault: { kind: 'status', status: 503 }, times: 50 });
    const failure = await createSchedule(host(fx))({ targets: [{ projects: 'all', select: {} }] }, functionContext('schedule')).catch((e: unknown) => e);
    expect(failure).toMatchObject({ name: 'TransientScheduleFailure' });
    expect(posts(fx.sim)).toEqual([]);
  });

  it('a project whose list fails has its error in its own summary and fails the run; the other projects are still applied', async () => {
    const fx = await account();
    const forbidden = { error_code: 'DMS.00403001', error_msg: 'no permission to list the instances' };
    fx.sim.inject({ method: 'GET', path: `/v2/${ids['ap-southeast-1']}/instances`, fault: { kind: 'status', status: 403, body: forbidden } });
    const summary = await createSchedule(host(fx))({ targets: [{ projects: 'all', select: {} }] }, functionContext('schedule'));
    const run = summary.fleets?.[0] as AccountSummary;
    expect(run.projects.find((p) => p.project_name === 'ap-southeast-1')).toMatchObject({ matched: 0, instances: [], error: { code: 'DMS.00403001' } });
    expect(run.error).toBeUndefined();
    expect(run.counts.accepted).toBe(3);
    for (const name of COVERED) for (const id of toEnableIn(name)) expect(fx.sim.acceptedEnableCalls(id), name).toBe(name === 'ap-southeast-1' ? 0 : 1);

    // Transient where a retry can help: a list that keeps failing with 503 fails the invocation, the rest still applied.
    const again = await account();
    again.sim.inject({ method: 'GET', path: `/v2/${ids['eu-west-101']}/instances`, fault: { kind: 'status', status: 503 }, times: 50 });
    const failure = await createSchedule(host(again))({ targets: [{ projects: 'all', select: {} }] }, functionContext('schedule')).catch((e: unknown) => e);
    expect(failure).toMatchObject({ name: 'TransientScheduleFailure' });
    for (const name of COVERED) for (const id of toEnableIn(name)) expect(again.sim.acceptedEnableCalls(id), name).toBe(name === 'eu-west-101' ? 0 : 1);
  });

  it('reconcile --all-projects prints the whole Account summary (exit 0), the callback bounded; --regions narrows', async () => {
    const fx = await account();
    for (let i = 0; i < 60; i += 1) fx.instance({ projectId: ids['cn-north-4_dev'], connectorEnabled: true });
    const path = `/account-cli-${randomUUID()}`;
    const result = await runCli(fx, ['reconcile', '--all-projects', '--dry-run', '--callback-url', receiver.url(path)]);
    expect(result.code, result.stderr).toBe(0);
    const printed = result.json() as unknown as AccountSummary;
    expect(printed).toMatchObject({ scope: 'account', dry_run: true, matched: 80 });
    expect(printed.projects.find((p) => p.project_name === 'cn-north-4_dev')?.instances).toHaveLength(65);
    const [completed] = payloadsTo(path);
    const dev = ((completed?.data as unknown as AccountSummary | undefined)?.projects ?? []).find((p) => p.project_name === 'cn-north-4_dev');
    expect(dev).toMatchObject({ left_out: { instances: 15 } });
    expect(dev?.instances).toHaveLength(ACCOUNT_LISTED.perProject);

    const narrowed = await runCli(fx, ['reconcile', '--all-projects', '--regions', 'eu-west-101,ap-southeast-1', '--dry-run']);
    expect((narrowed.json() as unknown as AccountSummary).projects.map((p) => p.project_name)).toEqual(['ap-southeast-1', 'eu-west-101']);
    expect(posts(fx.sim)).toEqual([]);
  });

  it('the command line refuses --all-projects beside --project-id or --region, and --regions alone (exit 2, nothing sent)', async () => {
    const fx = await account();
    const withProject = await runCli(fx, ['reconcile', '--all-projects', '--project-id', ids['cn-north-4'], '--region', 'cn-north-4']);
    expect(withProject.code).toBe(2);
    expect(withProject.stderr).toMatch(/invalid project_id: must not come with projects/);
    expect(withProject.stderr).toMatch(/invalid region: must not come with projects/);
    const regionsAlone = await runCli(fx, ['reconcile', '--regions', 'cn-north-4']);
    expect(regionsAlone.code).toBe(2);
    expect(regionsAlone.stderr).toMatch(/invalid regions: comes only with projects: "all"/);
    const badRegion = await runCli(fx, ['reconcile', '--all-projects', '--regions', 'cn-north-4,mars-1']);
    expect(badRegion.code).toBe(2);
    expect(badRegion.stderr).toMatch(/invalid regions\.1: must be/);
    expect(fx.sim.requests).toEqual([]);
  });

  it('a project failing makes reconcile --all-projects exit 1, naming the project on stderr, the others reported', async () => {
    const fx = await account();
    fx.sim.inject({
      method: 'GET',
      path: `/v2/${ids['eu-west-101']}/instances`,
      fault: { kind: 'status', status: 403, body: { error_code: 'DMS.00403001', error_msg: 'forbidden' } },
    });
    const result = await runCli(fx, ['reconcile', '--all-projects', '--dry-run']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`project eu-west-101 (${ids['eu-west-101']}): DMS.00403001: forbidden`);
    const printed = result.json() as unknown as AccountSummary;
    expect(printed.projects.filter((p) => !p.error).map((p) => p.matched)).toEqual([5, 5, 5]);
  });

  it('a one-project run and an account run with no project found: the Fleet summary says so, transient only when IAM may mend', async () => {
    const fx = await account();
    const summary = await createSchedule(host(fx))({ targets: [{ region: 'cn-east-3', select: {} }] }, functionContext('schedule'));
    expect(summary.fleets?.[0] as FleetSummary).toMatchObject({ project_id: '', region: 'cn-east-3', matched: 0, error: { code: 'PROJECT_NOT_FOUND' } });
    expect(fx.sim.requests.filter((r) => r.path.startsWith('/v2/'))).toEqual([]);
  });
});
