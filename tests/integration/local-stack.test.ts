// `npm start` end to end: the local stack as a child process (node local/start.ts) on an ephemeral
// loopback port, driven over HTTP like a developer with curl would, callbacks verified here with the
// standardwebhooks library and the secret the test chose.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, DEFAULT_PROJECT_ID, startCallbackReceiver, webhookHeaders, type CallbackReceiver, type ReceivedCallback } from '../../local/hosting/index.ts';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const PROJECT = DEFAULT_PROJECT_ID;
const [HTTP_INSTANCE, QUEUE_INSTANCE, SCHEDULE_INSTANCE, REJECTED_INSTANCE, OWN_RECEIVER_INSTANCE] = [
  'aa000000-0000-4000-8000-000000000001',
  'aa000000-0000-4000-8000-000000000002',
  'aa000000-0000-4000-8000-000000000003',
  'aa000000-0000-4000-8000-000000000004',
  'aa000000-0000-4000-8000-000000000005',
];

/** What GET /callbacks lists: every callback the sink received (all of them posted to /callbacks). */
type ListedCallback = Omit<ReceivedCallback, 'path'>;
interface CallbackPayload {
  type: string;
  timestamp: string;
  data: { status: string; project_id: string; instance_id: string; job_id?: string; connector_id?: string; source: string; error?: { code: string; message: string } };
}

let child: ChildProcess;
let output = '';
let base = '';
let exited: Promise<number | null>;
let ownReceiver: CallbackReceiver | undefined;

// Variables that would point the stack elsewhere if the test runner's environment had them.
const INHERITED_OUT = [
  'PORT',
  'HUAWEICLOUD_DMS_ENDPOINT',
  'HUAWEICLOUD_SDK_AK',
  'HUAWEICLOUD_SDK_SK',
  'CLOUD_SDK_AK',
  'CLOUD_SDK_SK',
  'HUAWEICLOUD_SDK_SECURITY_TOKEN',
  'HUAWEICLOUD_CREDENTIALS_SECRET',
  'CALLBACK_URL',
  'CALLBACK_SECRET',
  'CALLBACK_ALLOWED_HOSTS',
  'SCHEDULE_TARGETS',
  'TRACKING_QUEUE_URL',
  'LOG_LEVEL',
];

beforeAll(async () => {
  assertBuilt();
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of INHERITED_OUT) delete env[name];
  Object.assign(env, {
    PORT: '0',
    CALLBACK_SECRET: SECRET,
    SIMULATOR_JOB_SECONDS: '1',
    SIMULATOR_PROJECT_ID: PROJECT,
    SIMULATOR_INSTANCES: [HTTP_INSTANCE, QUEUE_INSTANCE, SCHEDULE_INSTANCE, REJECTED_INSTANCE, OWN_RECEIVER_INSTANCE].join(','),
  });
  child = spawn(process.execPath, ['local/start.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  exited = new Promise((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => (output += chunk));
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`the local stack did not get ready:\n${output}`)), 20_000);
    child.stdout?.on('data', (chunk: string) => {
      output += chunk;
      const ready = /^local stack ready on http:\/\/127\.0\.0\.1:(\d+)$/m.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolvePort(Number(ready[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`the local stack exited (${code}) before it was ready:\n${output}`)));
  });
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await ownReceiver?.close();
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await exited;
  }
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
  throw new Error(`no matching callback within ${timeoutMs} ms; stack output:\n${output.slice(-4000)}`);
}

const connectorPath = (instanceId: string) => `/v2/${PROJECT}/instances/${instanceId}/connector`;
let acceptedJobId = '';

describe('npm start (local stack)', () => {
  it('prints the instance ids, the secret origin (not the secret) and ready-to-paste curl commands', () => {
    expect(output).toContain(`  project     ${PROJECT}`);
    for (const id of [HTTP_INSTANCE, QUEUE_INSTANCE, SCHEDULE_INSTANCE]) expect(output).toContain(id);
    expect(output).toContain('CALLBACK_SECRET from the environment');
    expect(output).not.toContain(SECRET);
    expect(output).not.toContain(SECRET.slice('whsec_'.length));
    expect(output).toContain(`curl -sS -X POST ${base}${connectorPath(HTTP_INSTANCE)}`);
    expect(output).toContain(`curl -sS ${base}/callbacks`);
    expect(output).toContain('allowed     127.0.0.1,localhost,[::1] (callbacks to any port on these hosts');
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
    expect(payload.data).toMatchObject({ status: 'accepted', project_id: PROJECT, job_id: acceptedJobId, connector_id: answer.json?.connector_id, source: 'http' });
  });

  it("calls back a developer's own receiver on another loopback port, over plain http", async () => {
    // Left open to the end: the job's succeeded callback follows later.
    ownReceiver = await startCallbackReceiver();
    const answer = await post(connectorPath(OWN_RECEIVER_INSTANCE), { callback_url: ownReceiver.url('/own') });
    expect(answer.status, JSON.stringify(answer.json)).toBe(202);
    const arrived = await ownReceiver.waitFor((c) => c.path === '/own');
    expect(new Webhook(SECRET).verify(arrived.body, webhookHeaders(arrived))).toMatchObject({ type: 'smart_connect.enable.accepted', data: { instance_id: OWN_RECEIVER_INSTANCE } });
  });

  it('asking again answers 200 already_enabled', async () => {
    const answer = await post(connectorPath(HTTP_INSTANCE), { callback_url: `${base}/callbacks` });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ status: 'already_enabled', connector_id: expect.any(String), request_id: expect.any(String) });
  });

  it('answers bad input and unknown paths with JSON errors', async () => {
    const bad = await post(connectorPath(HTTP_INSTANCE), { node_count: 3 });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error_code: expect.any(String), error_msg: expect.any(String), issues: [expect.objectContaining({ field: 'node_count' })] });
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
    expect(payload.data).toMatchObject({ status: 'rejected', source: 'queue', error: { code: expect.any(String), message: expect.stringContaining('node_count') } });
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

  it('stops cleanly on SIGTERM', async () => {
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('SIGTERM: stopping the local stack');
  });
});
