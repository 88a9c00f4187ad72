// The DMS simulator must accept exactly what Huawei's official SDK sends and reject anything altered,
// otherwise integration tests against it prove nothing about the real cloud.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js';
import { Logger4jInstance } from '@huaweicloud/huaweicloud-sdk-core/logger/log4jLogger.js';
import {
  CreateConnectorReq,
  CreateConnectorRequest,
  DeleteConnectorRequest,
  KafkaClient,
  ShowBackgroundTaskRequest,
  ShowConnectorResourceInfoRequest,
  ShowInstanceRequest,
} from '@huaweicloud/huaweicloud-sdk-kafka';
import { type DmsSimulator, type SimulatorOptions, startDmsSimulator } from '../../local/simulator/index.ts';
import { DEFAULT_PROJECT_ID } from '../../local/hosting/index.ts';

// The SDK logs every error answer, signed headers included, at ERROR level to stdout.
Logger4jInstance.level = 'off';

const PROJECT = DEFAULT_PROJECT_ID;
const OTHER_PROJECT = 'ffffffffffffffffffffffffffffffff';
const INSTANCE = '6b1d5d3c-2f4e-4a8b-9c0d-1e2f3a4b5c6d';
const KEY = { ak: 'SIMULATORAK0000000001', sk: 'simulator-secret-key-0001' };
const TEMP = { ak: 'SIMULATORTEMPAK000001', sk: 'simulator-temp-secret', securityToken: 'temporary-token-0001' };
const JOB_MS = 5_000;

interface Harness {
  sim: DmsSimulator;
  advance(ms: number): void;
}

const open: DmsSimulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((sim) => sim.close()));
});

async function setup(overrides: Partial<SimulatorOptions> = {}): Promise<Harness> {
  // Starts at the real time because the official SDK signs with the real clock.
  let clock = Date.now();
  const sim = await startDmsSimulator({
    credentials: [KEY, TEMP],
    instances: [{ projectId: PROJECT, instanceId: INSTANCE }],
    jobMs: JOB_MS,
    now: () => clock,
    ...overrides,
  });
  open.push(sim);
  return { sim, advance: (ms) => void (clock += ms) };
}

function sdk(sim: DmsSimulator, cred: { ak: string; sk: string; securityToken?: string }, projectId = PROJECT) {
  const credentials = new BasicCredentials().withAk(cred.ak).withSk(cred.sk).withProjectId(projectId);
  if (cred.securityToken) credentials.withSecurityToken(cred.securityToken);
  return KafkaClient.newBuilder().withCredential(credentials).withEndpoint(sim.url).build();
}

function enableRequest(instanceId = INSTANCE, nodeCnt?: number) {
  const body = new CreateConnectorReq();
  if (nodeCnt !== undefined) body.withNodeCnt(nodeCnt);
  return new CreateConnectorRequest().withInstanceId(instanceId).withBody(body);
}

// The SDK's typings promise model classes with getters; at run time it returns the parsed JSON.
function json(value: object): Record<string, unknown> {
  return value as Record<string, unknown>;
}

async function detail(client: KafkaClient, instanceId = INSTANCE): Promise<Record<string, unknown>> {
  return json(await client.showInstance(new ShowInstanceRequest().withInstanceId(instanceId)));
}

async function task(client: KafkaClient, taskId: string): Promise<Record<string, unknown>> {
  const answer = json(await client.showBackgroundTask(new ShowBackgroundTaskRequest(INSTANCE, taskId)));
  expect(answer['task_count']).toBe('1');
  const [only] = answer['tasks'] as Record<string, unknown>[];
  return only ?? {};
}

function sdkDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

interface Signed {
  method: string;
  path: string;
  query?: Record<string, string | string[]>;
  /** Signed as JSON.stringify(data), as the official signer does, unless the headers say otherwise. */
  data?: object;
  headers?: Record<string, string>;
  cred?: { ak: string; sk: string };
}

/** Signs with Huawei's own signer and returns what fetch should send. */
function signOfficially(sim: DmsSimulator, req: Signed): { url: string; headers: Record<string, string> } {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(req.query ?? {})) {
    for (const v of [value].flat()) search.append(key, v);
  }
  const query = search.toString().replaceAll('+', '%20');
  const url = `${sim.url}${req.path}${query ? `?${query}` : ''}`;
  const cred = req.cred ?? KEY;
  const headers = AKSKSigner.sign(
    {
      method: req.method,
      endpoint: url,
      headers: { 'content-type': 'application/json', ...req.headers },
      queryParams: req.query ?? {},
      data: req.data,
    },
    new BasicCredentials().withAk(cred.ak).withSk(cred.sk),
  ) as Record<string, string>;
  return { url, headers };
}

async function send(sim: DmsSimulator, req: Signed & { body?: string }): Promise<Response> {
  const { url, headers } = signOfficially(sim, req);
  const body = req.body ?? (req.data === undefined ? undefined : JSON.stringify(req.data));
  return fetch(url, { method: req.method, headers, ...(body !== undefined && { body }) });
}

const ENABLE_PATH = `/v2/${PROJECT}/instances/${INSTANCE}/connector`;
const DETAIL_PATH = `/v2/${PROJECT}/instances/${INSTANCE}`;

describe('DMS simulator with the official Kafka SDK', () => {
  it('enables Smart Connect: EXTENDING while the job runs, then RUNNING with the returned connector', async () => {
    const { sim, advance } = await setup();
    const client = sdk(sim, KEY);

    const accepted = json(await client.createConnector(enableRequest(INSTANCE, 3)));
    expect(accepted['httpStatusCode']).toBe(200);
    expect(accepted['job_id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(accepted['connector_id']).toMatch(/^[0-9a-f-]{36}$/);
    const jobId = String(accepted['job_id']);

    expect(await detail(client)).toMatchObject({ status: 'EXTENDING', connector_enable: false, engine: 'kafka' });
    expect(await task(client, jobId)).toMatchObject({ id: jobId, status: 'EXECUTING' });

    advance(JOB_MS - 1);
    expect((await detail(client))['status']).toBe('EXTENDING');
    advance(1);
    expect(await detail(client)).toMatchObject({
      instance_id: INSTANCE,
      status: 'RUNNING',
      charging_mode: 1,
      connector_enable: true,
      connector_id: accepted['connector_id'],
      connector_node_num: 3,
    });
    expect(await task(client, jobId)).toMatchObject({ status: 'SUCCESS' });
    expect(sim.acceptedEnableCalls(INSTANCE)).toBe(1);
    expect(sim.instance(INSTANCE)).toMatchObject({ status: 'RUNNING', connectorEnabled: true, connectorNodeNum: 3 });
  });

  it('refuses a second enable once enabled, without starting a job', async () => {
    const { sim, advance } = await setup();
    const client = sdk(sim, KEY);
    await client.createConnector(enableRequest());
    advance(JOB_MS);

    await expect(client.createConnector(enableRequest())).rejects.toMatchObject({
      httpStatusCode: 400,
      errorCode: 'DMS.00400957',
    });
    expect(sim.acceptedEnableCalls()).toBe(1);
    expect((await detail(client))['connector_node_num']).toBe(2);
  });

  it('reports a failed job: RUNNING, no connector, task FAILED; the next job succeeds again', async () => {
    const { sim, advance } = await setup();
    const client = sdk(sim, KEY);
    sim.setNextJobOutcome(INSTANCE, 'fail');
    const jobId = String(json(await client.createConnector(enableRequest()))['job_id']);
    advance(JOB_MS);

    expect(await detail(client)).toMatchObject({ status: 'RUNNING', connector_enable: false, connector_id: '' });
    expect(await task(client, jobId)).toMatchObject({ status: 'FAILED' });

    await client.createConnector(enableRequest());
    advance(JOB_MS);
    expect((await detail(client))['connector_enable']).toBe(true);
    expect(sim.acceptedEnableCalls(INSTANCE)).toBe(2);
  });

  it('answers DMS.00400026 while the instance is busy, and a hung job stays EXTENDING', async () => {
    const { sim, advance } = await setup();
    const client = sdk(sim, KEY);
    sim.setNextJobOutcome(INSTANCE, 'hang');
    await client.createConnector(enableRequest());
    await expect(client.createConnector(enableRequest())).rejects.toMatchObject({
      httpStatusCode: 400,
      errorCode: 'DMS.00400026',
      errorMsg: "This operation is not allowed in the instance's current status.",
    });
    expect(sim.acceptedEnableCalls(INSTANCE)).toBe(1);

    advance(24 * 3_600_000);
    // The SDK signs with the real clock, which is now a day behind the simulator's: ask it directly.
    expect(sim.instance(INSTANCE)).toMatchObject({ status: 'EXTENDING', pendingJob: { outcome: 'hang' } });
  });

  it('refuses yearly/monthly instances with a DMS error', async () => {
    const { sim } = await setup({ instances: [{ projectId: PROJECT, instanceId: INSTANCE, chargingMode: 0 }] });
    const error = await sdk(sim, KEY)
      .createConnector(enableRequest())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ httpStatusCode: 400, errorCode: expect.stringMatching(/^DMS\./) });
    expect((await detail(sdk(sim, KEY)))['charging_mode']).toBe(0);
  });

  it('answers 404 DMS.00404022 for an unknown instance or another project', async () => {
    const { sim } = await setup();
    await expect(sdk(sim, KEY).showInstance(new ShowInstanceRequest('no-such-instance'))).rejects.toMatchObject({
      httpStatusCode: 404,
      errorCode: 'DMS.00404022',
      errorMsg: 'The instance does not exist.',
    });
    await expect(sdk(sim, KEY, OTHER_PROJECT).createConnector(enableRequest())).rejects.toMatchObject({
      httpStatusCode: 404,
      errorCode: 'DMS.00404022',
    });
    await expect(sdk(sim, KEY).showBackgroundTask(new ShowBackgroundTaskRequest(INSTANCE, 'no-such-task'))).rejects.toMatchObject({
      httpStatusCode: 404,
      errorCode: expect.stringMatching(/^DMS\./),
    });
  });

  it('canonicalises the decoded path, as the official signer encodes raw segments', async () => {
    const odd = 'id:with(parens)!*';
    const { sim } = await setup({ instances: [{ projectId: PROJECT, instanceId: odd }] });
    expect((await detail(sdk(sim, KEY), odd))['instance_id']).toBe(odd);

    // Signed from the raw segment, sent percent-encoded: the same path once decoded.
    const { url, headers } = signOfficially(sim, { method: 'GET', path: `/v2/${PROJECT}/instances/${odd}` });
    const encoded = url.replace('(', '%28').replace(')', '%29').replace('id:', 'id%3A');
    expect((await fetch(encoded, { headers })).status).toBe(200);
  });

  it('reports connector resources and disables Smart Connect', async () => {
    const { sim } = await setup({ instances: [{ projectId: PROJECT, instanceId: INSTANCE, connectorEnabled: true }] });
    const client = sdk(sim, KEY);
    expect(json(await client.showConnectorResourceInfo(new ShowConnectorResourceInfoRequest(INSTANCE)))).toMatchObject({
      soldOut: false,
    });
    const deleted = json(await client.deleteConnector(new DeleteConnectorRequest(INSTANCE)));
    expect(deleted['job_id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(await detail(client)).toMatchObject({ connector_enable: false, connector_id: '' });

    // Huawei's API reference sends {instance_id}; the SDK sends nothing. Both are accepted.
    const second = '0f9e8d7c-6b5a-4c3d-8e1f-0a9b8c7d6e5f';
    sim.addInstance({ projectId: PROJECT, instanceId: second, connectorEnabled: true });
    const path = `/v2/${PROJECT}/kafka/instances/${second}/delete-connector`;
    const mismatch = await send(sim, { method: 'POST', path, data: { instance_id: INSTANCE } });
    expect(await mismatch.json()).toMatchObject({ error_code: 'DMS.00400002' });
    expect((await send(sim, { method: 'POST', path, data: { instance_id: second } })).status).toBe(200);
    expect(sim.instance(second)?.connectorEnabled).toBe(false);
  });
});

describe('DMS simulator authentication', () => {
  it('accepts temporary credentials with their token and rejects the same AK without it', async () => {
    const { sim } = await setup();
    expect((await detail(sdk(sim, TEMP)))['status']).toBe('RUNNING');

    const withoutToken = { ak: TEMP.ak, sk: TEMP.sk };
    await expect(detail(sdk(sim, withoutToken))).rejects.toMatchObject({
      httpStatusCode: 401,
      errorCode: 'APIG.0301',
      errorMsg: expect.stringMatching(/^Incorrect IAM authentication information: /),
    });
    await expect(detail(sdk(sim, { ...TEMP, securityToken: 'another-token' }))).rejects.toMatchObject({
      httpStatusCode: 401,
    });
    await expect(detail(sdk(sim, { ...KEY, securityToken: 'stray-token' }))).rejects.toMatchObject({
      httpStatusCode: 401,
    });

    const { url, headers } = signOfficially(sim, { method: 'GET', path: DETAIL_PATH, cred: TEMP });
    const unsignedToken = await fetch(url, { headers: { ...headers, 'X-Security-Token': TEMP.securityToken } });
    expect(unsignedToken.status).toBe(401);
  });

  it('rejects a wrong SK and an unknown AK with 401 APIG.0301', async () => {
    const { sim } = await setup();
    const error = await sdk(sim, { ak: KEY.ak, sk: 'not-the-secret' })
      .createConnector(enableRequest())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ httpStatusCode: 401, errorCode: 'APIG.0301', requestId: expect.any(String) });
    await expect(detail(sdk(sim, { ak: 'UNKNOWNAK', sk: KEY.sk }))).rejects.toMatchObject({ errorCode: 'APIG.0301' });
    expect(sim.acceptedEnableCalls()).toBe(0);
    expect(sim.instance(INSTANCE)?.status).toBe('RUNNING');
  });

  it('accepts a request signed for fetch by AKSKSigner, with a query, and rejects a stale date', async () => {
    const { sim } = await setup();
    const fine = await send(sim, { method: 'GET', path: DETAIL_PATH, query: { b: ['2', '1'], a: 'x y' } });
    expect(fine.status).toBe(200);

    const stale = await send(sim, {
      method: 'GET',
      path: DETAIL_PATH,
      headers: { 'X-Sdk-Date': sdkDate(Date.now() - 20 * 60_000) },
    });
    expect(stale.status).toBe(401);
    const body = (await stale.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ error_code: 'APIG.0301', request_id: stale.headers.get('x-request-id') });
  });

  it('rejects a body changed after signing', async () => {
    const { sim } = await setup();
    const { url, headers } = signOfficially(sim, { method: 'POST', path: ENABLE_PATH, data: { node_cnt: '2' } });
    const tampered = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ node_cnt: '9' }) });
    expect(tampered.status).toBe(401);
    expect(sim.acceptedEnableCalls()).toBe(0);

    // Equal JSON, other bytes: the hash is of what arrived, not of a re-serialisation.
    const reformatted = await fetch(url, { method: 'POST', headers, body: '{ "node_cnt": "2" }' });
    expect(reformatted.status).toBe(401);

    const untouched = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ node_cnt: '2' }) });
    expect(untouched.status).toBe(200);
  });

  it('rejects tampering with a signed header, the path or the query, and unsigned host', async () => {
    const { sim } = await setup();
    const { url, headers } = signOfficially(sim, { method: 'GET', path: DETAIL_PATH, query: { a: '1' } });
    const attempts: [string, Record<string, string>][] = [
      [url, { ...headers, 'content-type': 'text/plain' }],
      [url.replace(INSTANCE, INSTANCE.toUpperCase()), headers],
      [url.replace('a=1', 'a=2'), headers],
      [url, { ...headers, Authorization: headers['Authorization']!.replace('SignedHeaders=content-type;host;', 'SignedHeaders=content-type;') }],
      [url, { ...headers, Authorization: headers['Authorization']!.replace('SDK-HMAC-SHA256', 'SDK-HMAC-SHA1') }],
    ];
    for (const [target, sent] of attempts) {
      expect((await fetch(target, { headers: sent })).status).toBe(401);
    }
    expect((await fetch(url, { headers })).status).toBe(200);
  });

  it('hashes the raw body unless a signed X-Sdk-Content-Sha256 says otherwise; validates the body', async () => {
    const { sim } = await setup();
    const raw = '{"node_cnt": "1"}';
    const declared = createHash('sha256').update(raw).digest('hex');
    const invalid = await send(sim, {
      method: 'POST',
      path: ENABLE_PATH,
      headers: { 'X-Sdk-Content-Sha256': declared },
      body: raw,
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error_code: 'DMS.00400002' });

    const notJson = 'node_cnt=2';
    const garbled = await send(sim, {
      method: 'POST',
      path: ENABLE_PATH,
      headers: { 'X-Sdk-Content-Sha256': 'UNSIGNED-PAYLOAD' },
      body: notJson,
    });
    expect(garbled.status).toBe(400);
    expect(await garbled.json()).toMatchObject({ error_code: 'DMS.00400002' });

    const specWithoutCode = await send(sim, { method: 'POST', path: ENABLE_PATH, data: { specification: '300MB' } });
    expect(await specWithoutCode.json()).toMatchObject({ error_code: 'DMS.00400002' });
    expect(sim.acceptedEnableCalls()).toBe(0);
  });

  it('answers unknown APIs with APIG.0101 and its request id', async () => {
    const { sim } = await setup();
    const res = await send(sim, { method: 'GET', path: `/v2/${PROJECT}/nothing-here` });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error_code: 'APIG.0101',
      error_msg: 'The API does not exist or has not been published in the environment.',
      request_id: res.headers.get('x-request-id'),
    });
  });

  it('listens on loopback only', async () => {
    await expect(startDmsSimulator({ host: '0.0.0.0', credentials: [KEY] })).rejects.toThrow(/loopback/);
  });
});

describe('DMS simulator faults', () => {
  it('answers with an injected status, Retry-After included, for as many times as asked', async () => {
    const { sim } = await setup();
    sim.inject({ fault: { kind: 'status', status: 429, headers: { 'Retry-After': '1' } }, times: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await send(sim, { method: 'GET', path: DETAIL_PATH });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(res.headers.get('x-request-id')).toBeTruthy();
      expect(await res.json()).toMatchObject({ error_code: 'APIG.0308' });
    }
    expect((await send(sim, { method: 'GET', path: DETAIL_PATH })).status).toBe(200);

    sim.inject({ fault: { kind: 'status', status: 500, body: { error_code: 'DMS.00500999', error_msg: 'boom' } } });
    await expect(detail(sdk(sim, KEY))).rejects.toMatchObject({ httpStatusCode: 500, errorCode: 'DMS.00500999' });
  });

  it('matches rules by method and path, first matching rule first', async () => {
    const { sim } = await setup();
    sim.inject({ fault: { kind: 'status', status: 503 }, method: 'POST', path: /\/connector$/ });
    sim.inject({ fault: { kind: 'status', status: 502 }, path: '/tasks/' });
    sim.inject({ fault: { kind: 'status', status: 504 }, method: 'get' });
    const client = sdk(sim, KEY);

    await expect(client.showConnectorResourceInfo(new ShowConnectorResourceInfoRequest(INSTANCE))).rejects.toMatchObject({
      httpStatusCode: 504,
    });
    await expect(client.createConnector(enableRequest())).rejects.toMatchObject({ httpStatusCode: 503 });
    const jobId = String(json(await client.createConnector(enableRequest()))['job_id']);
    await expect(task(client, jobId)).rejects.toMatchObject({ httpStatusCode: 502, errorCode: 'APIG.0202' });
    expect(await task(client, jobId)).toMatchObject({ status: 'EXECUTING' });
  });

  it('lets a fault win over a bad signature, and records both', async () => {
    const { sim } = await setup();
    sim.inject({ fault: { kind: 'status', status: 503 } });
    const res = await fetch(`${sim.url}${DETAIL_PATH}`);
    expect(res.status).toBe(503);
    expect((await fetch(`${sim.url}${DETAIL_PATH}`)).status).toBe(401);
    expect(sim.requests.map((r) => [r.status, r.authorized])).toEqual([
      [503, false],
      [401, false],
    ]);
  });

  it('delays, then answers normally or with the next fault', async () => {
    const { sim } = await setup();
    sim.inject({ fault: { kind: 'delay', ms: 300 } });
    let started = performance.now();
    expect((await send(sim, { method: 'GET', path: DETAIL_PATH })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);

    sim.inject({ fault: { kind: 'delay', ms: 200, then: { kind: 'status', status: 504 } } });
    started = performance.now();
    await expect(detail(sdk(sim, KEY))).rejects.toMatchObject({ httpStatusCode: 504, errorCode: 'APIG.0203' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('resets the connection without answering', async () => {
    const { sim } = await setup();
    sim.inject({ fault: { kind: 'reset' }, path: '/connector' });
    await expect(send(sim, { method: 'POST', path: ENABLE_PATH, data: {} })).rejects.toThrow(TypeError);
    await expect(sdk(sim, KEY).createConnector(enableRequest())).resolves.toBeTruthy();
    expect(sim.requests.map((r) => r.status)).toEqual([0, 200]);
    expect(sim.acceptedEnableCalls()).toBe(1);
  });

  it('answers 200 application/json with a body that is not JSON', async () => {
    const { sim } = await setup();
    sim.inject({ fault: { kind: 'malformed' } });
    const res = await send(sim, { method: 'GET', path: DETAIL_PATH });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    await expect(res.json()).rejects.toThrow(SyntaxError);
  });

  it('closes promptly with a delayed request in flight', async () => {
    const { sim } = await setup();
    sim.inject({ fault: { kind: 'delay', ms: 60_000 } });
    const inFlight = send(sim, { method: 'GET', path: DETAIL_PATH }).then(
      (res) => res.status,
      () => 'failed',
    );
    while (sim.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));

    const started = performance.now();
    await sim.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await inFlight).toBe('failed');
  });
});

describe('DMS simulator records', () => {
  it('records every request in order with redacted secrets, and reset() clears records, faults and counters', async () => {
    const lines: string[] = [];
    const { sim } = await setup({ log: (line) => lines.push(line) });
    await sdk(sim, TEMP).createConnector(enableRequest());
    await detail(sdk(sim, { ak: KEY.ak, sk: 'wrong' })).catch(() => undefined);
    await fetch(`${sim.url}/v2/${PROJECT}/unsigned?x=1`);

    expect(sim.requests).toHaveLength(3);
    const [enable, wrong, unsigned] = sim.requests;
    expect(enable).toMatchObject({ method: 'POST', path: ENABLE_PATH, status: 200, authorized: true, body: '{}' });
    expect(enable?.headers['authorization']).toMatch(/^SDK-HMAC-SHA256 Access=\w+, SignedHeaders=[\w;-]+, Signature=<redacted>$/);
    expect(enable?.headers['x-security-token']).toBe('<redacted>');
    expect(wrong).toMatchObject({ method: 'GET', status: 401, authorized: false });
    expect(unsigned).toMatchObject({ path: `/v2/${PROJECT}/unsigned`, query: 'x=1', status: 401, authorized: false });

    const everything = JSON.stringify(sim.requests) + lines.join('\n');
    for (const secret of [KEY.sk, TEMP.sk, TEMP.securityToken]) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/Signature=[0-9a-f]{64}/);
    expect(lines).toHaveLength(3);

    sim.inject({ fault: { kind: 'reset' } });
    sim.reset();
    expect(sim.requests).toHaveLength(0);
    expect(sim.acceptedEnableCalls()).toBe(0);
    expect((await send(sim, { method: 'GET', path: DETAIL_PATH })).status).toBe(200);
    expect(sim.instance(INSTANCE)?.status).toBe('EXTENDING');
  });
});
