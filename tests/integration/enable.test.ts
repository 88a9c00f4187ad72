// The use case and the Huawei client against the DMS simulator, over real HTTP on loopback.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config/index.ts';
import { enableOne, type EnableRun } from '../../shared/enable/index.ts';
import { wireDeployment } from '../../functions/wiring.ts';
import { createJsonLogger, deadlineIn } from '../../shared/runtime/index.ts';
import type { EnableRequest } from '../../shared/request/index.ts';
import { KEY, PROJECT, TEMP, useSimulator } from '../support/fixtures.ts';

const fx = useSimulator();

const FAST = { retry: { backoff: { baseMs: 20, capMs: 100 } } };

/** The use case as the flows run it, in a deployment wired to the simulator. */
function enablerFor(extraEnv: Record<string, string> = {}, attemptTimeoutMs?: number) {
  const deployment = wireDeployment(loadConfig(fx.env(extraEnv)), {}, { ...FAST, ...(attemptTimeoutMs ? { attemptTimeoutMs } : {}) });
  return { deployment, enable: (request: EnableRequest, run: Omit<EnableRun, 'deployment'>) => enableOne(request, { deployment, ...run }) };
}

function requestFor(instanceId: string, extra: Partial<EnableRequest> = {}): EnableRequest {
  return { project_id: PROJECT, instance_id: instanceId, region: 'cn-north-4', node_cnt: '2', ...extra };
}

const calls = () => fx.sim.requests.map((r) => `${r.method} ${r.path.split('/').slice(-1)[0]}:${r.status}`);

describe('enableInstance (as the flows run it) against the simulator', () => {
  it('starts the job in one round trip and reports accepted with the job and connector ids', async () => {
    const instanceId = fx.instance();
    const result = await enablerFor().enable(requestFor(instanceId), { trigger: 'cli', deadline: deadlineIn(10_000) });

    const job = fx.sim.instance(instanceId)?.pendingJob;
    expect(result).toMatchObject({ status: 'accepted', job_id: job?.jobId, connector_id: job?.connectorId, source: 'cli' });
    expect(fx.sim.requests).toHaveLength(1);
    expect(fx.sim.requests[0]).toMatchObject({ method: 'POST', body: '{"node_cnt":"2"}', authorized: true });
    expect(fx.sim.requests[0]?.headers['x-project-id']).toBe(PROJECT);
  });

  it('sends node_cnt, specification and spec_code as Huawei expects them', async () => {
    const instanceId = fx.instance();
    await enablerFor().enable(requestFor(instanceId, { node_cnt: '4', specification: '300MB', spec_code: 'kafka.c3.small.connector' }), {
      trigger: 'cli',
      deadline: deadlineIn(10_000),
    });
    expect(JSON.parse(fx.sim.requests[0]?.body ?? '')).toEqual({ node_cnt: '4', specification: '300MB', spec_code: 'kafka.c3.small.connector' });
  });

  it('asked again while the job runs, answers already_enabled with the same connector and starts no second job', async () => {
    const instanceId = fx.instance();
    const enabler = enablerFor();
    const first = await enabler.enable(requestFor(instanceId), { trigger: 'cli', deadline: deadlineIn(10_000) });
    const second = await enabler.enable(requestFor(instanceId), { trigger: 'cli', deadline: deadlineIn(10_000) });

    expect(first.status).toBe('accepted');
    expect(second).toMatchObject({ status: 'already_enabled', connector_id: first.connector_id });
    expect(fx.sim.acceptedEnableCalls(instanceId)).toBe(1);
  });

  it('answers already_enabled for an instance enabled long ago', async () => {
    const instanceId = fx.instance({ connectorEnabled: true, connectorId: 'c0ffee00-0000-4000-8000-000000000001' });
    const result = await enablerFor().enable(requestFor(instanceId), { trigger: 'cli', deadline: deadlineIn(10_000) });
    expect(result).toMatchObject({ status: 'already_enabled', connector_id: 'c0ffee00-0000-4000-8000-000000000001' });
    expect(fx.sim.acceptedEnableCalls(instanceId)).toBe(0);
  });

  it('a 429 with Retry-After, then success, ends accepted after waiting as told', async () => {
    const instanceId = fx.instance();
    fx.sim.inject({ method: 'POST', path: /\/connector$/, fault: { kind: 'status', status: 429, headers: { 'Retry-After': '1' } } });
    const started = Date.now();
    const result = await enablerFor().enable(requestFor(instanceId), { trigger: 'cli', deadline: deadlineIn(10_000) });

    expect(result.status).toBe('accepted');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(calls()).toEqual(['POST connector:429', 'POST connector:200']);
    expect(fx.sim.acceptedEnableCalls(instanceId)).toBe(1);
  });

  it('five 503s in a row end failed with the last error, each retry only after reading the instance', async () => {
    const instanceId = fx.instance();
    for (let i = 1; i <= 5; i += 1) {
      fx.sim.inject({
        method: 'POST',
        path: /\/connector$/,
        fault: { kind: 'status', status: 503, body: { error_code: 'APIG.0202', error_msg: `backend unavailable #${i}` } },
      });
    }
    const result = await enablerFor().enable(requestFor(instanceId), { trigger: 'cli', deadline: deadlineIn(20_000) });

    expect(result).toMatchObject({ status: 'failed', error: { code: 'APIG.0202', message: 'backend unavailable #5' }, retryable: true });
    const posts = fx.sim.requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(5);
    // Never two POSTs without a look at the instance in between.
    expect(calls().join(' ')).not.toMatch(/POST connector:\d+ POST/);
    expect(fx.sim.acceptedEnableCalls(instanceId)).toBe(0);
  });

  it('after a connection reset it reads the instance before sending the POST again', async () => {
    const instanceId = fx.instance();
    fx.sim.inject({ method: 'POST', path: /\/connector$/, fault: { kind: 'reset' } });
    const result = await enablerFor().enable(requestFor(instanceId), { trigger: 'cli', deadline: deadlineIn(10_000) });

    expect(result.status).toBe('accepted');
    expect(calls()).toEqual(['POST connector:0', `GET ${instanceId}:200`, 'POST connector:200']);
  });

  it('a POST that timed out but started the job ends with one job, not two', async () => {
    const instanceId = fx.instance();
    fx.sim.inject({ method: 'POST', path: /\/connector$/, fault: { kind: 'delay', ms: 700 } });
    const result = await enablerFor({}, 300).enable(requestFor(instanceId), { trigger: 'cli', deadline: deadlineIn(15_000) });

    expect(['accepted', 'already_enabled']).toContain(result.status);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(fx.sim.acceptedEnableCalls(instanceId)).toBe(1);
  });

  it('an unreadable 200 is checked against the instance rather than trusted or repeated blindly', async () => {
    const instanceId = fx.instance();
    fx.sim.inject({ method: 'POST', path: /\/connector$/, fault: { kind: 'malformed' } });
    const result = await enablerFor().enable(requestFor(instanceId), { trigger: 'cli', deadline: deadlineIn(10_000) });

    expect(result.status).toBe('accepted');
    expect(calls()).toEqual(['POST connector:200', `GET ${instanceId}:200`, 'POST connector:200']);
  });

  it('no call outlives its deadline', async () => {
    const instanceId = fx.instance();
    fx.sim.inject({ fault: { kind: 'delay', ms: 10_000 }, times: 20 });
    const started = Date.now();
    const result = await enablerFor().enable(requestFor(instanceId), { trigger: 'cli', deadline: deadlineIn(1_000) });

    expect(Date.now() - started).toBeLessThan(1_400);
    expect(result).toMatchObject({ status: 'failed', retryable: true });
  });

  it("a wrong secret ends failed with CREDENTIALS_REJECTED (Huawei's APIG.0301 in its message) after one request, and the key cools down", async () => {
    const enabler = enablerFor({ HUAWEICLOUD_SDK_SK: 'not-the-right-secret' });
    const result = await enabler.enable(requestFor(fx.instance()), { trigger: 'cli', deadline: deadlineIn(10_000) });

    expect(result).toMatchObject({
      status: 'failed',
      error: { code: 'CREDENTIALS_REJECTED', message: expect.stringContaining('APIG.0301') },
      retryable: true,
      retry_after_ms: 300_000,
    });
    expect(fx.sim.requests).toHaveLength(1);
    // Not failed for good, but nothing more is sent with the key while it cools down.
    const again = await enabler.enable(requestFor(fx.instance()), { trigger: 'cli', deadline: deadlineIn(10_000) });
    expect(again).toMatchObject({ status: 'failed', error: { code: 'CREDENTIALS_REJECTED' }, retryable: true });
    expect(fx.sim.requests).toHaveLength(1);
  });

  it('sends and signs the security token of temporary credentials', async () => {
    const instanceId = fx.instance();
    const env = { HUAWEICLOUD_SDK_AK: TEMP.ak, HUAWEICLOUD_SDK_SK: TEMP.sk, HUAWEICLOUD_SDK_SECURITY_TOKEN: TEMP.securityToken };
    const result = await enablerFor(env).enable(requestFor(instanceId), { trigger: 'cli', deadline: deadlineIn(10_000) });

    expect(result.status).toBe('accepted');
    const sent = fx.sim.requests[0];
    expect(sent?.authorized).toBe(true);
    expect(sent?.headers).toHaveProperty('x-security-token');
    expect(sent?.headers.authorization).toMatch(/SignedHeaders=[^,]*x-security-token/);
  });

  it('temporary credentials without their token are refused by the gateway', async () => {
    const instanceId = fx.instance();
    const result = await enablerFor({ HUAWEICLOUD_SDK_AK: TEMP.ak, HUAWEICLOUD_SDK_SK: TEMP.sk }).enable(requestFor(instanceId), {
      trigger: 'cli',
      deadline: deadlineIn(10_000),
    });
    expect(result).toMatchObject({ status: 'failed', error: { code: 'CREDENTIALS_REJECTED', message: expect.stringContaining('APIG.0301') } });
  });

  it('an unknown instance fails with Huawei error and one request', async () => {
    const result = await enablerFor().enable(requestFor('00000000-0000-4000-8000-000000000000'), { trigger: 'cli', deadline: deadlineIn(10_000) });
    expect(result).toMatchObject({ status: 'failed', error: { code: 'DMS.00404022' }, retryable: false, upstream_status: 404 });
    expect(fx.sim.requests).toHaveLength(1);
  });

  it('a yearly/monthly instance fails with a clear pay-per-use message', async () => {
    const instanceId = fx.instance({ chargingMode: 0 });
    const result = await enablerFor().enable(requestFor(instanceId), { trigger: 'cli', deadline: deadlineIn(10_000) });
    expect(result.status).toBe('failed');
    expect(result.error?.message).toMatch(/pay-per-use/);
    expect(result.retryable).toBe(false);
  });

  it('an instance busy with another operation is a transient failure and no job is started', async () => {
    const instanceId = fx.instance({ status: 'RESTARTING' });
    const result = await enablerFor().enable(requestFor(instanceId), { trigger: 'cli', deadline: deadlineIn(10_000) });
    expect(result).toMatchObject({ status: 'failed', error: { code: 'DMS.00400026' }, retryable: true });
    expect(fx.sim.acceptedEnableCalls(instanceId)).toBe(0);
  });

  it('retries a throttled or failing instance read, which is safe to repeat', async () => {
    const instanceId = fx.instance({ connectorEnabled: true, connectorId: 'c0ffee00-0000-4000-8000-000000000002' });
    fx.sim.inject({ method: 'GET', fault: { kind: 'status', status: 429 } });
    fx.sim.inject({ method: 'GET', fault: { kind: 'status', status: 500 } });
    const result = await enablerFor().enable(requestFor(instanceId), { trigger: 'cli', deadline: deadlineIn(10_000) });
    expect(result).toMatchObject({ status: 'already_enabled', connector_id: 'c0ffee00-0000-4000-8000-000000000002' });
    expect(calls().filter((c) => c.startsWith('GET'))).toEqual([`GET ${instanceId}:429`, `GET ${instanceId}:500`, `GET ${instanceId}:200`]);
  });

  it('retries by the one policy the deployment was wired with: the client and the use case alike', async () => {
    const deployment = wireDeployment(loadConfig(fx.env()), {}, { retry: { callRetries: 1, enableRounds: 2, backoff: { baseMs: 1, capMs: 1 } } });
    const enable = (instanceId: string) => enableOne(requestFor(instanceId), { deployment, trigger: 'cli', deadline: deadlineIn(10_000) });

    // The client: one retry of a read, where its default takes four.
    const enabled = fx.instance({ connectorEnabled: true, connectorId: 'c0ffee00-0000-4000-8000-000000000003' });
    fx.sim.inject({ method: 'GET', path: new RegExp(enabled), fault: { kind: 'status', status: 503 }, times: 3 });
    expect(await enable(enabled)).toMatchObject({ status: 'failed', retryable: true });
    expect(calls()).toEqual(['POST connector:400', `GET ${enabled}:503`, `GET ${enabled}:503`]);

    // The use case: two rounds, where its default takes five.
    const busy = fx.instance({ status: 'RESTARTING' });
    expect(await enable(busy)).toMatchObject({ status: 'failed', error: { code: 'DMS.00400026' }, retryable: true });
    expect(calls().filter((call) => call.startsWith(`GET ${busy}`))).toEqual([`GET ${busy}:200`, `GET ${busy}:200`]);
  });

  it('reads the background task of an accepted job', async () => {
    const instanceId = fx.instance();
    const enabler = enablerFor();
    const accepted = await enabler.enable(requestFor(instanceId), { trigger: 'cli', deadline: deadlineIn(10_000) });
    const target = { projectId: PROJECT, instanceId };
    const { data } = await enabler.deployment.dmsIn('cn-north-4').showTask(target, accepted.job_id ?? '', deadlineIn(5_000));
    expect(data.tasks?.[0]).toMatchObject({ id: accepted.job_id, status: 'EXECUTING' });
  });

  it('keeps the SK, the token and Authorization values out of every log line and result', async () => {
    const lines: string[] = [];
    const logger = createJsonLogger({ write: (line) => lines.push(line), secrets: () => [TEMP.sk, TEMP.securityToken] });
    const env = { HUAWEICLOUD_SDK_AK: TEMP.ak, HUAWEICLOUD_SDK_SK: TEMP.sk, HUAWEICLOUD_SDK_SECURITY_TOKEN: TEMP.securityToken };
    const enabler = enablerFor(env);
    const instanceId = fx.instance();
    fx.sim.inject({ method: 'POST', fault: { kind: 'status', status: 503 } });
    const results = [
      await enabler.enable(requestFor(instanceId), { trigger: 'cli', deadline: deadlineIn(10_000), logger }),
      await enabler.enable(requestFor(instanceId), { trigger: 'cli', deadline: deadlineIn(10_000), logger }),
      await enablerFor({ ...env, HUAWEICLOUD_SDK_SK: `${TEMP.sk}-wrong` }).enable(requestFor(instanceId), {
        trigger: 'cli',
        deadline: deadlineIn(10_000),
        logger,
      }),
    ];
    const everything = [...lines, ...results.map((r) => JSON.stringify(r))].join('\n');
    expect(lines.length).toBeGreaterThan(2);
    for (const secret of [TEMP.sk, TEMP.securityToken, KEY.sk]) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/Signature=[0-9a-f]{16}/);
    expect(everything).not.toMatch(/SDK-HMAC-SHA256 Access/);
  });
});
