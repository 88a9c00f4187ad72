// The status use case (shared/status) against the simulator: DESIGN.md's Status object read from the
// instance detail, and Huawei's 404 passed through as the client's HuaweiApiError.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config/index.ts';
import { enableOne } from '../../shared/enable/index.ts';
import { wireDeployment } from '../../functions/wiring.ts';
import { HuaweiApiError } from '../../shared/huawei/index.ts';
import { deadlineIn } from '../../shared/runtime/index.ts';
import { smartConnectStatus, type StatusRequest } from '../../shared/status/index.ts';
import { PROJECT, newInstanceId, useSimulator } from '../support/fixtures.ts';

const fx = useSimulator();

function status(instanceId: string, projectId = PROJECT) {
  const config = loadConfig(fx.env());
  const request: StatusRequest = { project_id: projectId, instance_id: instanceId, region: 'cn-north-4' };
  return smartConnectStatus(request, { dms: wireDeployment(config, {}).dmsIn(request.region), deadline: deadlineIn(5_000) });
}

describe('smartConnectStatus against the simulator', () => {
  it('not_enabled: a pay-per-use instance without a connector, in one signed GET', async () => {
    const instanceId = fx.instance();
    expect(await status(instanceId)).toEqual({
      project_id: PROJECT,
      instance_id: instanceId,
      state: 'not_enabled',
      instance_status: 'RUNNING',
      pay_per_use: true,
    });
    expect(fx.sim.requests.map((r) => [r.method, r.path, r.authorized])).toEqual([['GET', `/v2/${PROJECT}/instances/${instanceId}`, true]]);
  });

  it('enabled, with its connector', async () => {
    const instanceId = fx.instance({ connectorEnabled: true, connectorId: 'c0ffee00-0000-4000-8000-000000000001' });
    expect(await status(instanceId)).toMatchObject({ state: 'enabled', connector_id: 'c0ffee00-0000-4000-8000-000000000001', instance_status: 'RUNNING' });
  });

  it('enabling while the enable job runs, with the connector the job named', async () => {
    const instanceId = fx.instance();
    const accepted = await enableOne(
      { project_id: PROJECT, instance_id: instanceId, region: 'cn-north-4', node_cnt: '2' },
      { deployment: wireDeployment(loadConfig(fx.env()), {}), trigger: 'cli', deadline: deadlineIn(5_000) },
    );
    expect(await status(instanceId)).toMatchObject({ state: 'enabling', connector_id: accepted.connector_id, instance_status: 'EXTENDING' });
  });

  it('a yearly/monthly instance is not pay-per-use; a busy one shows its status', async () => {
    expect(await status(fx.instance({ chargingMode: 0 }))).toMatchObject({ state: 'not_enabled', pay_per_use: false });
    expect(await status(fx.instance({ status: 'RESTARTING' }))).toMatchObject({ state: 'not_enabled', instance_status: 'RESTARTING' });
  });

  it('a connector id without the connector (a job that failed) is not reported', async () => {
    const result = await status(fx.instance({ connectorId: 'c0ffee00-0000-4000-8000-000000000002' }));
    expect(result.state).toBe('not_enabled');
    expect(result).not.toHaveProperty('connector_id');
  });

  it("an unknown instance is Huawei's 404, passed through", async () => {
    const error = await status(newInstanceId()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HuaweiApiError);
    expect(error).toMatchObject({ status: 404, errorCode: 'DMS.00404022' });
  });

  it('an instance of another project is unknown there too', async () => {
    const instanceId = fx.instance();
    await expect(status(instanceId, 'ffffffffffffffffffffffffffffffff')).rejects.toMatchObject({ status: 404, errorCode: 'DMS.00404022' });
  });
});
