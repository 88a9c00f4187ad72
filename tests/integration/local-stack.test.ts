// `npm start` end to end: the local stack as a child process (node local/start.ts) on an ephemeral
// loopback port, driven over HTTP like a developer with curl would, callbacks verified here with the
// standardwebhooks library and the secret the test chose.
import { randomBytes } from 'node:crypto';
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { Logger4jInstance } from '@huaweicloud/huaweicloud-sdk-core/logger/log4jLogger.js';
import { KafkaClient, ListInstancesRequest } from '@huaweicloud/huaweicloud-sdk-kafka';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertBuilt,
  DEFAULT_PROJECT_ID,
  loadBuiltCli,
  startCallbackReceiver,
  webhookHeaders,
  type CallbackReceiver,
  type ReceivedCallback,
} from '../../local/hosting/index.ts';
import { FLEET_SEED_KINDS, type FleetSeedKind } from '../../local/simulator/index.ts';
import { FLEET_TEAMS, LOCAL_KEY, stackSeeds } from '../../local/stack/index.ts';
import { startStackProcess, type StackProcess } from '../support/local-stack-process.ts';

// The SDK logs every error answer, signed headers included, at ERROR level to stdout.
Logger4jInstance.level = 'off';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const PROJECT = DEFAULT_PROJECT_ID;
const [HTTP_INSTANCE, QUEUE_INSTANCE, SCHEDULE_INSTANCE, REJECTED_INSTANCE, OWN_RECEIVER_INSTANCE] = [
  'aa000000-0000-4000-8000-000000000001',
  'aa000000-0000-4000-8000-000000000002',
  'aa000000-0000-4000-8000-000000000003',
  'aa000000-0000-4000-8000-000000000004',
  'aa000000-0000-4000-8000-000000000005',
];
const GIVEN_INSTANCES = [HTTP_INSTANCE, QUEUE_INSTANCE, SCHEDULE_INSTANCE, REJECTED_INSTANCE, OWN_RECEIVER_INSTANCE];
const REGION = 'cn-north-4';

/** What GET /callbacks lists: every callback the sink received (all of them posted to /callbacks). */
type ListedCallback = Omit<ReceivedCallback, 'path'>;
interface CallbackPayload {
  type: string;
  timestamp: string;
  data: {
    status: string;
    project_id: string;
    instance_id: string;
    job_id?: string;
    connector_id?: string;
    source: string;
    error?: { code: string; message: string };
  };
}

let stack: StackProcess;
let base = '';
let ownReceiver: CallbackReceiver | undefined;

beforeAll(async () => {
  assertBuilt();
  stack = await startStackProcess({
    CALLBACK_SECRET: SECRET,
    SIMULATOR_JOB_SECONDS: '1',
    SIMULATOR_PROJECT_ID: PROJECT,
    SIMULATOR_INSTANCES: GIVEN_INSTANCES.join(','),
    HUAWEICLOUD_REGION: REGION,
  });
  base = stack.base;
});

afterAll(async () => {
  await ownReceiver?.close();
  await stack?.kill();
});

async function post(path: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

/** Polls GET /callbacks until one matches; verifies it here, with the secret, over the raw body. */
async function callback(match: (payload: CallbackPayload) => boolean, timeoutMs = 10_000): Promise<{ listed: ListedCallback; payload: CallbackPayload }> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const listed = (await (await fetch(`${base}/callbacks`)).json()) as ListedCallback[];
    for (const entry of listed) {
      const payload = JSON.parse(entry.body) as CallbackPayload;
      if (!match(payload)) continue;
      const verified = new Webhook(SECRET).verify(entry.body, webhookHeaders(entry)) as CallbackPayload;
      expect(verified).toEqual(payload);
      return { listed: entry, payload };
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
  throw new Error(`no matching callback within ${timeoutMs} ms; stack output:\n${stack.output().slice(-4000)}`);
}

interface ListedInstance {
  instance_id: string;
  name: string;
  status: string;
  charging_mode: number;
  connector_enable: boolean;
  connector_id: string;
  tags: { key: string; value: string }[];
}

/** What a fleet run would make of an instance, from what ListInstances says of it. */
function seededAs(instance: ListedInstance): FleetSeedKind | 'unexpected' {
  if (instance.charging_mode === 0) return 'yearly';
  if (instance.connector_enable) return 'enabled';
  if (instance.status === 'EXTENDING' && instance.connector_id) return 'enabling';
  if (instance.status === 'RESTARTING') return 'busy';
  return instance.status === 'RUNNING' && instance.charging_mode === 1 ? 'to_enable' : 'unexpected';
}

const connectorPath = (instanceId: string) => `/v2/${PROJECT}/instances/${instanceId}/connector`;
let acceptedJobId = '';

describe('npm start (local stack)', () => {
  it('prints the instance ids, the secret origin (not the secret) and ready-to-paste curl commands', () => {
    const output = stack.output();
    expect(output).toContain(`  project     ${PROJECT}`);
    for (const id of [HTTP_INSTANCE, QUEUE_INSTANCE, SCHEDULE_INSTANCE]) expect(output).toContain(id);
    expect(output).toContain('CALLBACK_SECRET from the environment');
    expect(output).not.toContain(SECRET);
    expect(output).not.toContain(SECRET.slice('whsec_'.length));
    expect(output).toContain(`curl -sS -X POST ${base}${connectorPath(HTTP_INSTANCE)}`);
    expect(output).toContain(`curl -sS ${base}/callbacks`);
    expect(output).toContain('allowed     127.0.0.1,localhost,[::1] (callbacks to any port on these hosts');
  });

  it('prints the status route and examples of fleet runs by schedule (dry and real) and by queue', () => {
    const output = stack.output();
    const selectorTarget = { project_id: PROJECT, select: { tags: { team: 'data' } } };
    expect(output).toContain(`GET  ${base}/v2/{project_id}/instances/{instance_id}/connector[?region=R]`);
    expect(output).toContain(`curl -sS '${base}${connectorPath(HTTP_INSTANCE)}?region=${REGION}'`);
    expect(output).toContain(`curl -sS -X POST ${base}/schedule -d '${JSON.stringify({ targets: [{ ...selectorTarget, dry_run: true }] })}'`);
    expect(output).toContain(`curl -sS -X POST ${base}/schedule -d '${JSON.stringify({ targets: [selectorTarget] })}'`);
    expect(output).toContain(`curl -sS -X POST ${base}/queue -d '${JSON.stringify({ project_id: PROJECT, select: { tags: { team: 'web' } } })}'`);
  });

  it('seeds a mixed fleet of two teams beside the given instances, with derived ids, as ListInstances shows', async () => {
    const dms = /^ {2}DMS {9}(http:\/\/127\.0\.0\.1:\d+) \(simulator/m.exec(stack.output())?.[1] ?? 'the DMS line is missing';
    const credentials = new BasicCredentials().withAk(LOCAL_KEY.ak).withSk(LOCAL_KEY.sk).withProjectId(PROJECT);
    const client = KafkaClient.newBuilder().withCredential(credentials).withEndpoint(dms).build();
    const listed = ((await client.listInstances(new ListInstancesRequest().withEngine('kafka').withLimit('50'))) as unknown as { instances: ListedInstance[] })
      .instances;

    expect(listed.slice(0, GIVEN_INSTANCES.length).map((i) => i.instance_id)).toEqual(GIVEN_INSTANCES);
    const fleet = listed.slice(GIVEN_INSTANCES.length);
    // Derived, not random: this process derives the ids the stack seeded.
    expect(fleet.map((i) => i.instance_id)).toEqual(stackSeeds({ projectId: PROJECT, instances: GIVEN_INSTANCES }).fleet.map((seed) => seed.instanceId));
    for (const team of FLEET_TEAMS) {
      const members = fleet.filter((i) => i.tags.some((tag) => tag.key === 'team' && tag.value === team));
      for (const member of members) expect(member.name).toMatch(new RegExp(`^${team}-kafka-\\d{2}$`));
      expect(members.map(seededAs).sort()).toEqual([...FLEET_SEED_KINDS].sort());
    }
    expect(fleet).toHaveLength(FLEET_TEAMS.length * FLEET_SEED_KINDS.length);
  });

  it("answers the status GET for a seeded instance, and the banner's team=data dry run with that instance to enable", async () => {
    const dataSeeds = stackSeeds({ projectId: PROJECT, instances: GIVEN_INSTANCES }).fleet.filter((seed) => seed.tags?.team === 'data');
    const toEnable = dataSeeds.find((seed) => seed.kind === 'to_enable')?.instanceId ?? 'no team=data instance to enable';
    const status = async () => {
      const response = await fetch(`${base}${connectorPath(toEnable)}?region=${REGION}`);
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    };
    expect(await status()).toEqual({
      status: 200,
      json: { project_id: PROJECT, instance_id: toEnable, state: 'not_enabled', instance_status: 'RUNNING', pay_per_use: true, request_id: expect.any(String) },
    });

    // The dry run exactly as the banner prints it, sent to the stack's own port.
    const prefix = `curl -sS -X POST ${base}/schedule -d '`;
    const line =
      stack
        .output()
        .split('\n')
        .find((l) => l.includes(prefix) && l.includes('"dry_run":true')) ?? 'the dry-run example is missing';
    const body = line.slice(line.indexOf(prefix) + prefix.length, line.lastIndexOf("'"));
    const answer = await post('/schedule', body);
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    const [fleet] = (answer.json?.fleets ?? []) as {
      project_id: string;
      dry_run: boolean;
      matched: number;
      counts: Record<string, number>;
      instances: { instance_id: string; outcome: string }[];
    }[];
    expect(fleet).toMatchObject({
      project_id: PROJECT,
      dry_run: true,
      matched: FLEET_SEED_KINDS.length,
      counts: { would_enable: 1, already_enabled: 1, enabling: 1, skipped_not_pay_per_use: 1, skipped_busy: 1 },
    });
    expect(fleet?.instances.map((i) => i.instance_id).sort()).toEqual(dataSeeds.map((seed) => seed.instanceId).sort());
    expect(fleet?.instances.find((i) => i.outcome === 'would_enable')?.instance_id).toBe(toEnable);
    // A dry run enables nothing: the instance is still off.
    expect((await status()).json.state).toBe('not_enabled');
    // It still writes its summary to the callback (the stack's sink by default), as the banner says.
    const lines = stack.output().split('\n');
    expect(lines[lines.indexOf(line) - 1]).toMatch(/\(nothing is enabled; the summary is the answer, and is sent to the callback too\)$/);
    const sent = await callback((p) => p.type === 'smart_connect.reconcile.completed' && (p.data as unknown as { dry_run?: boolean }).dry_run === true);
    expect(sent.payload.data).toMatchObject({ project_id: PROJECT, dry_run: true, matched: FLEET_SEED_KINDS.length, counts: fleet?.counts });
  });

  it('enables over HTTP: 202 accepted, and a signed accepted callback reaches the sink', async () => {
    const answer = await post(connectorPath(HTTP_INSTANCE), { callback_url: `${base}/callbacks` });
    expect(answer.status).toBe(202);
    expect(answer.json).toEqual({ status: 'accepted', job_id: expect.any(String), connector_id: expect.any(String), request_id: expect.any(String) });
    expect(answer.headers.get('apigw-requestid')).toBe(answer.json?.request_id);
    acceptedJobId = String(answer.json?.job_id);

    const { listed, payload } = await callback((p) => p.type === 'smart_connect.enable.accepted' && p.data.instance_id === HTTP_INSTANCE);
    expect(listed.verified).toBe(true);
    expect(listed['webhook-id']).toMatch(/^msg_/);
    expect(payload.data).toMatchObject({
      status: 'accepted',
      project_id: PROJECT,
      job_id: acceptedJobId,
      connector_id: answer.json?.connector_id,
      source: 'http',
    });
  });

  it("calls back a developer's own receiver on another loopback port, over plain http", async () => {
    // Left open to the end: the job's succeeded callback follows later.
    ownReceiver = await startCallbackReceiver();
    const answer = await post(connectorPath(OWN_RECEIVER_INSTANCE), { callback_url: ownReceiver.url('/own') });
    expect(answer.status, JSON.stringify(answer.json)).toBe(202);
    const arrived = await ownReceiver.waitFor((c) => c.path === '/own');
    expect(new Webhook(SECRET).verify(arrived.body, webhookHeaders(arrived))).toMatchObject({
      type: 'smart_connect.enable.accepted',
      data: { instance_id: OWN_RECEIVER_INSTANCE },
    });
  });

  it('asking again answers 200 already_enabled', async () => {
    const answer = await post(connectorPath(HTTP_INSTANCE), { callback_url: `${base}/callbacks` });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ status: 'already_enabled', connector_id: expect.any(String), request_id: expect.any(String) });
  });

  it('answers bad input and unknown paths with JSON errors', async () => {
    const bad = await post(connectorPath(HTTP_INSTANCE), { node_count: 3 });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({
      error_code: expect.any(String),
      error_msg: expect.any(String),
      issues: [expect.objectContaining({ field: 'node_count' })],
    });
    const missing = await fetch(`${base}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error_code: 'NOT_FOUND', error_msg: expect.any(String) });
  });

  it('runs a queue message: 202 {message_id}, then its callback arrives', async () => {
    const answer = await post('/queue', { project_id: PROJECT, instance_id: QUEUE_INSTANCE, callback_url: `${base}/callbacks` });
    expect(answer.status).toBe(202);
    expect(answer.json?.message_id).toMatch(/^[0-9a-f-]{36}$/);
    const { payload } = await callback((p) => p.data.instance_id === QUEUE_INSTANCE && p.type === 'smart_connect.enable.accepted');
    expect(payload.data).toMatchObject({ status: 'accepted', source: 'queue', job_id: expect.any(String) });
  });

  it('answers an invalid queue message that names a callback_url with a rejected callback', async () => {
    const answer = await post('/queue', { project_id: PROJECT, instance_id: REJECTED_INSTANCE, node_count: 3, callback_url: `${base}/callbacks` });
    expect(answer.status).toBe(202);
    const { payload } = await callback((p) => p.data.instance_id === REJECTED_INSTANCE);
    expect(payload.type).toBe('smart_connect.enable.rejected');
    expect(payload.data).toMatchObject({
      status: 'rejected',
      source: 'queue',
      error: { code: expect.any(String), message: expect.stringContaining('node_count') },
    });
    const state = (await (await fetch(`${base}/queue`)).json()) as { dead_letters: unknown[]; deliveries: { sent: number } };
    expect(state.dead_letters).toEqual([]);
    expect(state.deliveries.sent).toBeGreaterThanOrEqual(2);
  });

  it('runs the schedule function now and answers its summary', async () => {
    const answer = await post('/schedule', { targets: [{ project_id: PROJECT, instance_id: SCHEDULE_INSTANCE, callback_url: `${base}/callbacks` }] });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({
      targets: 1,
      counts: { accepted: 1 },
      results: [expect.objectContaining({ status: 'accepted', instance_id: SCHEDULE_INSTANCE, source: 'schedule' })],
    });
    await callback((p) => p.data.instance_id === SCHEDULE_INSTANCE && p.type === 'smart_connect.enable.accepted');
  });

  it('refuses a callback whose signature does not verify', async () => {
    const forged = await post('/callbacks', '{"type":"smart_connect.enable.succeeded","timestamp":"2026-01-01T00:00:00Z","data":{}}', {
      'content-type': 'application/json',
      'webhook-id': 'msg_forged',
      'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
      'webhook-signature': `v1,${randomBytes(32).toString('base64')}`,
    });
    expect(forged.status).toBe(400);
    const listed = (await (await fetch(`${base}/callbacks`)).json()) as ListedCallback[];
    expect(listed.find((c) => c['webhook-id'] === 'msg_forged')).toMatchObject({ verified: false });
  });

  it('follows the accepted job to its end through delayed tracking messages on the local queue', async () => {
    const { payload } = await callback((p) => p.type === 'smart_connect.enable.succeeded' && p.data.job_id === acceptedJobId, 25_000);
    expect(payload.data).toMatchObject({ status: 'succeeded', instance_id: HTTP_INSTANCE, source: 'http' });
  }, 30_000);

  it("lists the account's projects, and runs the banner's --all-projects dry run (the command line, its environment as printed) and apply (the schedule)", async () => {
    const output = stack.output();
    expect(output).toMatch(/^ {2}account {5}cn-north-4 +0a1b2c3d4e5f60718293a4b5c6d7e8f9 {2}covered \(this project\)$/m);
    expect(output).toMatch(/^ +cn-north-4_dev +[0-9a-f]{32} {2}covered$/m);
    expect(output).toMatch(/^ +MOS +[0-9a-f]{32} {2}skipped \(not_a_region\)$/m);

    // The command line exactly as printed: its environment, then the command.
    const line = output.split('\n').find((l) => l.includes('reconcile --all-projects')) ?? 'the --all-projects example is missing';
    const words = line.trim().split(/\s+/);
    const at = words.indexOf('node');
    expect(words.slice(at, at + 2)).toEqual(['node', 'dist/cli/index.mjs']);
    const env = Object.fromEntries(words.slice(0, at).map((word) => [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]));
    let stdout = '';
    let stderr = '';
    const code = await (await loadBuiltCli())(words.slice(at + 2), { env, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
    expect(code, stderr).toBe(0);
    const plan = JSON.parse(stdout) as {
      scope: string;
      counts: Record<string, number>;
      projects: { project_name: string }[];
      skipped_projects: { name: string }[];
    };
    expect(plan).toMatchObject({ scope: 'account', dry_run: true, counts: { would_enable: 4 } });
    expect(plan.projects.map((p) => p.project_name)).toEqual(['cn-north-4', 'cn-north-4_dev', 'ap-southeast-1', 'eu-west-101']);
    expect(plan.skipped_projects.map((p) => p.name)).toEqual(['la-south-2', 'MOS', 'cn-north-7']);

    // The apply as printed: every instance to enable fans out through the queue, then is enabled there.
    const prefix = `curl -sS -X POST ${base}/schedule -d '`;
    const apply = output.split('\n').find((l) => l.includes(prefix) && l.includes('"projects":"all"')) ?? 'the account-wide apply is missing';
    const answer = await post('/schedule', apply.slice(apply.indexOf(prefix) + prefix.length, apply.lastIndexOf("'")));
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    type Run = { scope: string; counts: Record<string, number>; projects: { instances: { instance_id: string; outcome: string }[] }[] };
    const [run] = (answer.json?.fleets ?? []) as Run[];
    expect(run).toMatchObject({ scope: 'account', counts: { queued: 4 } });
    const queued = run?.projects.flatMap((p) => p.instances.filter((i) => i.outcome === 'queued').map((i) => i.instance_id)) ?? [];
    expect(queued).toHaveLength(4);
    for (const instanceId of queued) await callback((p) => p.type === 'smart_connect.enable.accepted' && p.data.instance_id === instanceId);
    const isAccountRun = (data: unknown) =>
      (data as { scope?: string; dry_run?: boolean }).scope === 'account' && (data as { dry_run?: boolean }).dry_run === false;
    await callback((p) => p.type === 'smart_connect.reconcile.completed' && isAccountRun(p.data));
  });

  it('stops cleanly on SIGTERM', async () => {
    stack.child.kill('SIGTERM');
    expect(await stack.exited).toBe(0);
    expect(stack.output()).toContain('SIGTERM: stopping the local stack');
  });
});
