// The built command line's fleet and status commands (dist/cli/index.mjs, run in this process with
// the environment given) against the DMS simulator and a callback receiver, all on loopback.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mixedFleet, type FleetSeed } from '../../local/simulator/index.ts';
import { loadBuiltCli, startCallbackReceiver, webhookHeaders, type CallbackReceiver, type RunCli } from '../../local/hosting/index.ts';
import { KEY, PROJECT, newInstanceId, useSimulator } from '../support/fixtures.ts';
import { changeList, listCalls, newProjectId } from '../support/fleet.ts';

const fx = useSimulator();
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
let cli: RunCli;
let receiver: CallbackReceiver;

beforeAll(async () => {
  cli = await loadBuiltCli();
  receiver = await startCallbackReceiver();
});
afterAll(() => receiver.close());

async function run(args: readonly string[], extraEnv: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const env = fx.env({ CALLBACK_SECRET: SECRET, CALLBACK_ALLOWED_HOSTS: receiver.host, ...extraEnv });
  const code = await cli(args, { env, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return {
    code,
    stdout,
    stderr,
    json: () => JSON.parse(stdout) as Record<string, unknown> & { counts: Record<string, number>; instances: Instance[]; error?: { code: string } },
  };
}

interface Instance {
  instance_id: string;
  name: string;
  outcome: string;
  connector_id?: string;
  job_id?: string;
  instance_status?: string;
  error?: { code: string; message: string };
}

function seedFleet(seeds: readonly FleetSeed[]): FleetSeed[] {
  for (const seed of seeds) fx.sim.addInstance(seed);
  return [...seeds];
}

const outcomeOf = (instances: readonly Instance[]) => Object.fromEntries(instances.map((i) => [i.instance_id, i.outcome]));
const posts = () => fx.sim.requests.filter((r) => r.method === 'POST');
const reconcile = (projectId: string, ...extra: string[]) => ['reconcile', '--project-id', projectId, ...extra];

describe('smart-connect reconcile', () => {
  it('--dry-run plans from one list call: would_enable, busy and yearly/monthly skipped, nothing sent', async () => {
    const project = newProjectId();
    const seeds = seedFleet(mixedFleet({ projectId: project, count: 10 }));
    const result = await run(reconcile(project, '--dry-run'));

    expect(result.code).toBe(0);
    const summary = result.json();
    expect(summary).toMatchObject({ project_id: project, region: 'cn-north-4', dry_run: true, matched: 10 });
    expect(summary.counts).toEqual({ already_enabled: 2, enabling: 2, would_enable: 2, skipped_not_pay_per_use: 2, skipped_busy: 2 });
    const expected = { to_enable: 'would_enable', enabled: 'already_enabled', enabling: 'enabling', yearly: 'skipped_not_pay_per_use', busy: 'skipped_busy' };
    expect(outcomeOf(summary.instances)).toEqual(Object.fromEntries(seeds.map((s) => [s.instanceId, expected[s.kind]])));
    expect(fx.sim.requests).toHaveLength(1);
    expect(posts()).toEqual([]);
  });

  it('applies inline: each instance to enable accepted once, busy and yearly/monthly ones left alone; a second run starts nothing', async () => {
    const project = newProjectId();
    const seeds = seedFleet(mixedFleet({ projectId: project, count: 10 }));
    const first = await run(reconcile(project, '--node-cnt', '3'));

    expect(first.code).toBe(0);
    const summary = first.json();
    expect(summary.counts).toEqual({ already_enabled: 2, enabling: 2, accepted: 2, skipped_not_pay_per_use: 2, skipped_busy: 2 });
    for (const seed of seeds) expect(fx.sim.acceptedEnableCalls(seed.instanceId), seed.kind).toBe(seed.kind === 'to_enable' ? 1 : 0);
    expect(posts().map((p) => p.body)).toEqual(['{"node_cnt":"3"}', '{"node_cnt":"3"}']);
    for (const accepted of summary.instances.filter((i) => i.outcome === 'accepted')) {
      expect(accepted.job_id).toBe(fx.sim.instance(accepted.instance_id)?.pendingJob?.jobId);
    }

    fx.sim.reset();
    const second = await run(reconcile(project));
    expect(second.code).toBe(0);
    expect(second.json().counts).toEqual({ already_enabled: 2, enabling: 4, skipped_not_pay_per_use: 2, skipped_busy: 2 });
    expect(posts()).toEqual([]);
  });

  it('reads every page of a large project, and keeps only what the tags and the name prefix select', async () => {
    const project = newProjectId();
    seedFleet(mixedFleet({ projectId: project, count: 60, kinds: ['to_enable'], namePrefix: 'orders-', tags: { env: 'prod', team: 'a' } }));
    seedFleet(mixedFleet({ projectId: project, count: 45, kinds: ['to_enable'], namePrefix: 'orders-', tags: { env: 'dev', team: 'a' } }));
    seedFleet(mixedFleet({ projectId: project, count: 15, kinds: ['to_enable'], namePrefix: 'billing-', tags: { env: 'prod', team: 'b' } }));
    const result = await run(reconcile(project, '--dry-run', '--tag', 'env=prod', '--tag', 'team=*', '--name-prefix', 'orders-'));

    expect(result.code).toBe(0);
    const summary = result.json();
    expect(summary.matched).toBe(60);
    expect(summary.instances.every((i) => i.name.startsWith('orders-'))).toBe(true);
    expect(listCalls(fx.sim, project).map((c) => c.query)).toEqual([0, 50, 100].map((offset) => `engine=kafka&limit=50&offset=${offset}`));
  });

  it('a list that keeps failing transiently fails the run: exit 1, the error in the summary and on stderr, nothing enabled', async () => {
    const project = newProjectId();
    seedFleet(mixedFleet({ projectId: project, count: 5, kinds: ['to_enable'] }));
    fx.sim.inject({ method: 'GET', path: `/v2/${project}/instances`, fault: { kind: 'status', status: 503 }, times: 50 });
    const result = await run(reconcile(project));

    expect(result.code).toBe(1);
    expect(result.json()).toMatchObject({ matched: 0, counts: {}, instances: [], error: { code: expect.any(String) } });
    expect(result.stderr).toContain(String(result.json().error?.code));
    expect(listCalls(fx.sim, project).length).toBeGreaterThan(1);
    expect(posts()).toEqual([]);
  });

  it('exits 1 when an instance failed, the others enabled', async () => {
    const project = newProjectId();
    const [broken, ...rest] = seedFleet(mixedFleet({ projectId: project, count: 3, kinds: ['to_enable'] }));
    fx.sim.inject({ method: 'POST', path: `/instances/${broken?.instanceId}/connector`, fault: { kind: 'status', status: 403 }, times: 20 });
    const result = await run(reconcile(project));

    expect(result.code).toBe(1);
    const summary = result.json();
    expect(summary.counts).toEqual({ accepted: 2, failed: 1 });
    expect(summary.instances.find((i) => i.instance_id === broken?.instanceId)).toMatchObject({ outcome: 'failed', error: { code: expect.any(String) } });
    for (const seed of rest) expect(fx.sim.acceptedEnableCalls(seed.instanceId)).toBe(1);
  });

  it.each([
    ['a tag without a value', ['--tag', 'env'], 'tag'],
    ['a tag key given twice', ['--tag', 'env=prod', '--tag', 'env=dev'], 'tag'],
    ['an empty tag key', ['--tag', '=prod'], 'select.tags.'],
    ['a reserved tag key', ['--tag', '__proto__=x'], 'select.tags'],
    ['an enterprise project that is no id', ['--enterprise-project-id', 'default'], 'select.enterprise_project_id'],
    ['an empty name prefix', ['--name-prefix', ''], 'select.name_prefix'],
    ['node_cnt 1', ['--node-cnt', '1'], 'node_cnt'],
    ['an unknown region', ['--region', 'mars-north-1'], 'region'],
    ['a callback to a private address', ['--callback-url', 'https://10.0.0.1/hook'], 'callback_url'],
  ])('refuses %s with exit 2, naming the field, and sends nothing', async (_name, extra, field) => {
    const project = newProjectId();
    seedFleet(mixedFleet({ projectId: project, count: 2, kinds: ['to_enable'] }));
    const result = await run(reconcile(project, ...extra));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`invalid ${field}`);
    expect(result.stdout).toBe('');
    expect(fx.sim.requests).toEqual([]);
    expect(receiver.received.filter((c) => c.path.startsWith('/cli-reconcile'))).toEqual([]);
  });

  it('refuses a malformed project id and an instance id (a selector names no instance) with exit 2', async () => {
    expect((await run(reconcile('not-a-project'))).stderr).toContain('invalid project_id');
    expect((await run([...reconcile(PROJECT), '--instance-id', newInstanceId()])).code).toBe(2);
    expect(fx.sim.requests).toEqual([]);
  });

  it('writes the summary to --callback-url as smart_connect.reconcile.completed, signed per Standard Webhooks', async () => {
    const project = newProjectId();
    seedFleet(mixedFleet({ projectId: project, count: 5 }));
    const path = `/cli-reconcile-${project}`;
    const result = await run(reconcile(project, '--callback-url', receiver.url(path)));
    expect(result.code).toBe(0);

    const callback = await receiver.waitFor((c) => c.path === path);
    const payload = new Webhook(SECRET).verify(callback.body, webhookHeaders(callback)) as { type: string; data: unknown };
    expect(payload.type).toBe('smart_connect.reconcile.completed');
    expect(payload.data).toEqual(result.json());
    expect(callback.headers['webhook-id']).toMatch(/^msg_/);
  });

  it('never prints the SK, even verbose and failing', async () => {
    const project = newProjectId();
    seedFleet(mixedFleet({ projectId: project, count: 2, kinds: ['to_enable'] }));
    const runs = [await run(reconcile(project, '--verbose')), await run(reconcile(project, '--verbose'), { HUAWEICLOUD_SDK_SK: `${KEY.sk}x` })];
    const output = runs.map((r) => r.stdout + r.stderr).join('\n');
    expect(output).toContain('"level"');
    expect(runs[1]?.code).toBe(1);
    expect(output).not.toContain(KEY.sk);
  });
});

describe('smart-connect reconcile: listings that are not whole, unreadable entries, listed text', () => {
  it('an empty page before the total fails the run: exit 1, LISTING_INCOMPLETE in the summary and on stderr, nothing enabled', async () => {
    const project = newProjectId();
    seedFleet(mixedFleet({ projectId: project, count: 100, kinds: ['to_enable'] }));
    changeList(fx.sim, project, { kind: 'empty' }, { query: /offset=50$/, times: 10 });
    const result = await run(reconcile(project));

    expect(result.code).toBe(1);
    expect(result.json()).toMatchObject({
      matched: 0,
      instances: [],
      error: { code: 'LISTING_INCOMPLETE', message: expect.stringContaining('an empty page at offset 50 of 100') },
    });
    expect(result.stderr).toContain('LISTING_INCOMPLETE');
    expect(posts()).toEqual([]);
  });

  it('an entry that cannot be read is skipped_unreadable, never enabled, and the run succeeds (exit 0)', async () => {
    const project = newProjectId();
    const [odd, ...rest] = seedFleet(mixedFleet({ projectId: project, count: 3, kinds: ['to_enable'] }));
    changeList(fx.sim, project, { kind: 'entries', fields: { [`${odd?.instanceId}`]: { charging_mode: null, status: 7 } } }, { times: 10 });
    const result = await run(reconcile(project));

    expect(result.code).toBe(0);
    expect(result.json().counts).toEqual({ accepted: 2, skipped_unreadable: 1 });
    expect(result.json().instances[0]).toMatchObject({ instance_id: odd?.instanceId, outcome: 'skipped_unreadable', error: { code: 'LIST_ENTRY_UNREADABLE' } });
    expect(
      posts()
        .map((p) => p.path.split('/')[4])
        .sort(),
    ).toEqual(rest.map((s) => s.instanceId).sort());
  });

  it('a name of megabytes is quoted to 64 characters in the output and the verbose logs', async () => {
    const project = newProjectId();
    const name = `big-${'名'.repeat(1_000_000)}`;
    fx.instance({ projectId: project, name });
    const result = await run(reconcile(project, '--dry-run', '--verbose'));

    expect(result.code).toBe(0);
    expect(result.json().instances.map((i) => i.name)).toEqual([`${name.slice(0, 64)}…`]);
    expect(result.stdout.length + result.stderr.length).toBeLessThan(10_000);
  });
});

describe('smart-connect status', () => {
  const status = (instanceId: string, ...extra: string[]) => run(['status', '--project-id', PROJECT, '--instance-id', instanceId, ...extra]);

  it('prints the Status object: not_enabled, enabled with its connector, enabling while the job runs', async () => {
    const off = fx.instance({ chargingMode: 0 });
    const on = fx.instance({ connectorEnabled: true, connectorId: 'c0ffee00-0000-4000-8000-000000000010' });
    const busy = fx.instance({ status: 'EXTENDING', connectorId: 'c0ffee00-0000-4000-8000-000000000011' });

    const offRun = await status(off, '--region', 'cn-north-4');
    expect(offRun.code).toBe(0);
    expect(offRun.json()).toEqual({ project_id: PROJECT, instance_id: off, state: 'not_enabled', instance_status: 'RUNNING', pay_per_use: false });
    expect((await status(on)).json()).toEqual({
      project_id: PROJECT,
      instance_id: on,
      state: 'enabled',
      connector_id: 'c0ffee00-0000-4000-8000-000000000010',
      instance_status: 'RUNNING',
      pay_per_use: true,
    });
    expect((await status(busy)).json()).toMatchObject({
      state: 'enabling',
      connector_id: 'c0ffee00-0000-4000-8000-000000000011',
      instance_status: 'EXTENDING',
    });
    expect(fx.sim.requests.map((r) => r.method)).toEqual(['GET', 'GET', 'GET']);
  });

  it("an unknown instance exits 1 with Huawei's 404 error on stderr", async () => {
    const result = await status(newInstanceId());
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^DMS\.00404022: The instance does not exist/);
  });

  it('refuses bad input with exit 2 naming the field, sending nothing', async () => {
    expect((await status('not-a-uuid')).stderr).toContain('invalid instance_id');
    expect((await status(newInstanceId(), '--region', 'mars-north-1')).code).toBe(2);
    expect((await run(['status', '--project-id', PROJECT])).stderr).toMatch(/^--instance-id I is required/);
    expect((await status(newInstanceId(), '--dry-run')).code).toBe(2);
    expect(fx.sim.requests).toEqual([]);
  });
});
