// The built command line (dist/cli/index.mjs, as `npm run build` makes it), run as a process against
// the simulator, which checks every signature with Huawei's own signer code.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { KEY, PROJECT, TEMP, useSimulator } from '../support/fixtures.ts';
import { startCallbackReceiver, webhookHeaders } from '../../local/hosting/index.ts';

const CLI = resolve('dist/cli/index.mjs');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function runCli(args: readonly string[], env: Record<string, string>): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error && typeof error.code === 'number' ? error.code : error ? 1 : 0;
      done({ code, stdout, stderr });
    });
  });
}

const fx = useSimulator();
beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first (npm test does)`);
});

const enableArgs = (instanceId: string, ...extra: string[]) => ['enable', '--project-id', PROJECT, '--instance-id', instanceId, ...extra];

describe('smart-connect enable (the built command line)', () => {
  it('enables an instance, then answers already_enabled without a second job', async () => {
    const instanceId = fx.instance();
    const first = await runCli(enableArgs(instanceId, '--node-cnt', '3'), fx.env());
    expect(first.code).toBe(0);
    const accepted = JSON.parse(first.stdout);
    expect(accepted).toMatchObject({ status: 'accepted', project_id: PROJECT, instance_id: instanceId, source: 'cli' });
    expect(accepted.job_id).toBe(fx.sim.instance(instanceId)?.pendingJob?.jobId);
    expect(fx.sim.requests[0]?.body).toBe('{"node_cnt":"3"}');

    const second = await runCli(enableArgs(instanceId), fx.env());
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ status: 'already_enabled', connector_id: accepted.connector_id });
    expect(fx.sim.acceptedEnableCalls(instanceId)).toBe(1);
    expect(fx.sim.requests.every((r) => r.authorized)).toBe(true);
  });

  it('writes the result to --callback-url, signed per Standard Webhooks', async () => {
    const receiver = await startCallbackReceiver();
    try {
      const secret = `whsec_${Buffer.from('cli-test-secret-0123456789abcdef').toString('base64')}`;
      const instanceId = fx.instance();
      const run = await runCli(
        enableArgs(instanceId, '--callback-url', receiver.url('/cli')),
        fx.env({ CALLBACK_SECRET: secret, CALLBACK_ALLOWED_HOSTS: receiver.host }),
      );
      expect(run.code).toBe(0);
      const callback = await receiver.waitFor((c) => c.path === '/cli');
      const payload = new Webhook(secret).verify(callback.body, webhookHeaders(callback)) as { type: string; data: { job_id: string; source: string } };
      expect(payload.type).toBe('smart_connect.enable.accepted');
      expect(payload.data).toMatchObject({ job_id: JSON.parse(run.stdout).job_id, source: 'cli' });
    } finally {
      await receiver.close();
    }
  });

  it('refuses a callback URL the SSRF guard refuses with exit 2 and sends nothing', async () => {
    const run = await runCli(enableArgs(fx.instance(), '--callback-url', 'https://169.254.169.254/latest/meta-data/'), fx.env());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('invalid callback_url:');
    expect(fx.sim.requests).toHaveLength(0);
  });

  it('with HUAWEICLOUD_SDK_SECURITY_TOKEN sends and signs the token', async () => {
    const instanceId = fx.instance();
    const run = await runCli(
      enableArgs(instanceId),
      fx.env({ HUAWEICLOUD_SDK_AK: TEMP.ak, HUAWEICLOUD_SDK_SK: TEMP.sk, HUAWEICLOUD_SDK_SECURITY_TOKEN: TEMP.securityToken }),
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).status).toBe('accepted');
    expect(fx.sim.requests[0]?.authorized).toBe(true);
    expect(fx.sim.requests[0]?.headers.authorization).toMatch(/SignedHeaders=[^,]*x-security-token/);
  });

  it.each([
    ['node_cnt 1', ['--node-cnt', '1'], 'node_cnt'],
    ['a non-numeric node_cnt', ['--node-cnt', 'three'], 'node_cnt'],
    ['a specification without spec_code', ['--specification', '100MB'], 'spec_code'],
    ['a spec_code without specification', ['--spec-code', 'kafka.c3.mini.connector'], 'specification'],
    ['an unknown region', ['--region', 'mars-north-1'], 'region'],
    ['a plain-http callback to a host not allowed', ['--callback-url', 'http://example.com/hook'], 'callback_url'],
  ])('refuses %s with exit 2, naming the field, and sends nothing', async (_name, extra, field) => {
    const instanceId = fx.instance();
    const run = await runCli(enableArgs(instanceId, ...extra), fx.env());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`invalid ${field}:`);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'rejected', error: { code: 'INVALID_REQUEST' } });
    expect(fx.sim.requests).toHaveLength(0);
  });

  it('refuses a malformed instance id with exit 2 and sends nothing', async () => {
    const run = await runCli(enableArgs('not-a-uuid'), fx.env());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('invalid instance_id:');
    expect(fx.sim.requests).toHaveLength(0);
  });

  it('refuses unknown flags and commands with exit 2', async () => {
    expect((await runCli(['enable', '--node-count', '3'], fx.env())).code).toBe(2);
    expect((await runCli(['disable'], fx.env())).code).toBe(2);
    expect(fx.sim.requests).toHaveLength(0);
  });

  it("with a wrong secret exits 1 showing CREDENTIALS_REJECTED and Huawei's APIG.0301, and tries once", async () => {
    const instanceId = fx.instance();
    const run = await runCli(enableArgs(instanceId), fx.env({ HUAWEICLOUD_SDK_SK: 'a-wrong-secret-key' }));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('APIG.0301');
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'failed', error: { code: 'CREDENTIALS_REJECTED', message: expect.stringContaining('APIG.0301') } });
    expect(fx.sim.requests).toHaveLength(1);
  });

  it('exits 1 with Huawei error_code and error_msg when the instance does not exist', async () => {
    const run = await runCli(enableArgs('00000000-0000-4000-8000-00000000abcd'), fx.env());
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/DMS\.00404022: The instance does not exist/);
  });

  it('names a missing setting in one line and exits 1 before sending anything', async () => {
    const env = fx.env();
    delete env.HUAWEICLOUD_REGION;
    const run = await runCli(enableArgs(fx.instance()), env);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining('HUAWEICLOUD_REGION')]);
    expect(fx.sim.requests).toHaveLength(0);
  });

  it('says at once that a Secrets Manager secret is read only inside Lambda, sending nothing', async () => {
    const run = await runCli(enableArgs(fx.instance()), fx.env({ HUAWEICLOUD_CREDENTIALS_SECRET: 'smart-connect/prod/huawei' }));
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toMatch(/^configuration: HUAWEICLOUD_CREDENTIALS_SECRET .*HUAWEICLOUD_SDK_AK/);
    expect(fx.sim.requests).toHaveLength(0);
  });

  it('never prints the SK, the security token or an Authorization value, even verbose and failing', async () => {
    const instanceId = fx.instance();
    const temp = { HUAWEICLOUD_SDK_AK: TEMP.ak, HUAWEICLOUD_SDK_SK: TEMP.sk, HUAWEICLOUD_SDK_SECURITY_TOKEN: TEMP.securityToken };
    fx.sim.inject({ method: 'POST', fault: { kind: 'status', status: 503 }, times: 2 });
    const runs = [
      await runCli(enableArgs(instanceId, '--verbose'), fx.env(temp)),
      await runCli(enableArgs(instanceId, '--verbose'), fx.env({ ...temp, HUAWEICLOUD_SDK_SK: `${TEMP.sk}x` })),
      await runCli(enableArgs(instanceId, '--verbose'), fx.env()),
    ];
    const output = runs.map((r) => r.stdout + r.stderr).join('\n');
    expect(output).toContain('"level"');
    for (const secret of [TEMP.sk, TEMP.securityToken, KEY.sk]) expect(output).not.toContain(secret);
    expect(output).not.toMatch(/Signature=[0-9a-f]{16}/);
  });
});
