// Unit tests of the Deployment (shared/deployment) as the composition root (functions/wiring.ts) builds
// it: its parts are made once per process, the DMS client once per region and bound to that region's
// endpoint, and what it adds to a callback's delivery is this deployment's secret, hosts and secrets.
import { describe, expect, it } from 'vitest';
import { wireDeployment } from '../../functions/wiring.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createDeployment, type DeploymentParts } from '../../shared/deployment/index.ts';
import type { DmsApi, DmsInstance, RegionalDms } from '../../shared/huawei/index.ts';
import { noMetrics } from '../../shared/metrics/index.ts';
import { parseRequest } from '../../shared/request/index.ts';
import { createJsonLogger, deadlineIn } from '../../shared/runtime/index.ts';

const SK = 'sk-Very-Secret-Value-0123456789abcdef';
const WHSEC = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ENV = { HUAWEICLOUD_REGION: 'cn-north-4', HUAWEICLOUD_SDK_AK: 'AKEXAMPLE0123456789', HUAWEICLOUD_SDK_SK: SK };
const PROJECT = '0123456789abcdef0123456789abcdef';
const INSTANCE = '5c1f3a9e-7b2d-4e8a-9f10-2a3b4c5d6e01';

/** A DmsApi that answers nothing and records where each call was sent. */
function recordingDms() {
  const sentTo: string[] = [];
  const record = async (target: Pick<DmsInstance, 'endpoint'>): Promise<never> => {
    sentTo.push(target.endpoint);
    throw new Error('not answered');
  };
  const dms: DmsApi = {
    enableConnector: (target) => record(target),
    showInstance: (target) => record(target),
    showTask: (target) => record(target),
    listInstances: (project) => record(project),
  };
  return { dms, sentTo };
}

/** A deployment of `env` whose DMS calls go to `dms`. */
function deploymentWith(env: Record<string, string>, dms: DmsApi) {
  const config = loadConfig(env);
  const { schemas, trackingKeys, retryPolicy, projects } = wireDeployment(config, env);
  const parts: DeploymentParts = { config, metrics: noMetrics, schemas, dms, projects, tracking: undefined, trackingKeys, enableQueue: undefined, retryPolicy };
  return createDeployment(parts);
}

describe('the deployment', () => {
  it('makes one DMS client per region, the same one every time it is asked', () => {
    const deployment = wireDeployment(loadConfig(ENV), ENV);
    const north = deployment.dmsIn('cn-north-4');
    expect(deployment.dmsIn('cn-north-4')).toBe(north);
    const europe = deployment.dmsIn('eu-west-101');
    expect(europe).not.toBe(north);
    expect(deployment.dmsIn('eu-west-101')).toBe(europe);
    expect([north.region, north.endpoint]).toEqual(['cn-north-4', 'https://dms.cn-north-4.myhuaweicloud.com']);
    expect([europe.region, europe.endpoint]).toEqual(['eu-west-101', 'https://dms.eu-west-101.myhuaweicloud.eu']);
  });

  it("sends every call of a region's client to that region's endpoint (HUAWEICLOUD_DMS_ENDPOINT when set)", async () => {
    const { dms, sentTo } = recordingDms();
    const instance = { projectId: PROJECT, instanceId: INSTANCE };
    const calls = (client: RegionalDms) => [
      client.enableConnector(instance, { node_cnt: '2' }, deadlineIn(1_000)),
      client.showInstance(instance, deadlineIn(1_000)),
      client.showTask(instance, 'job', deadlineIn(1_000)),
      client.listInstances({ projectId: PROJECT }, { offset: 0, limit: 50 }, deadlineIn(1_000)),
    ];
    const deployment = deploymentWith(ENV, dms);
    await Promise.allSettled([...calls(deployment.dmsIn('cn-north-4')), ...calls(deployment.dmsIn('ap-southeast-1'))]);
    expect(sentTo).toEqual([...Array(4).fill('https://dms.cn-north-4.myhuaweicloud.com'), ...Array(4).fill('https://dms.ap-southeast-1.myhuaweicloud.com')]);

    sentTo.length = 0;
    const overridden = deploymentWith({ ...ENV, HUAWEICLOUD_DMS_ENDPOINT: 'http://127.0.0.1:9' }, dms);
    await Promise.allSettled(calls(overridden.dmsIn('eu-west-101')));
    expect(sentTo).toEqual(Array(4).fill('http://127.0.0.1:9'));
  });

  it('builds every request schema once, with its own default region', () => {
    const deployment = wireDeployment(loadConfig({ ...ENV, HUAWEICLOUD_REGION: 'af-south-1' }), ENV);
    const { schemas } = deployment;
    const other = wireDeployment(loadConfig(ENV), ENV).schemas;
    for (const name of ['instance', 'selector', 'status'] as const) {
      expect(deployment.schemas[name], name).toBe(schemas[name]);
      expect(other[name], name).not.toBe(schemas[name]);
    }
    const ids = { project_id: PROJECT, instance_id: INSTANCE };
    expect(parseRequest(schemas.instance, ids)).toMatchObject({ kind: 'parsed', request: { region: 'af-south-1' } });
    expect(parseRequest(schemas.status, ids)).toMatchObject({ kind: 'parsed', request: { region: 'af-south-1' } });
    expect(parseRequest(schemas.selector, { project_id: PROJECT, select: {} })).toMatchObject({ kind: 'parsed', request: { region: 'af-south-1' } });
  });

  it('delivers callbacks signed with CALLBACK_SECRET, to its allowed hosts, with every secret known kept out', () => {
    const env = { ...ENV, CALLBACK_SECRET: WHSEC, CALLBACK_ALLOWED_HOSTS: '127.0.0.1:8080' };
    const deployment = wireDeployment(loadConfig(env), env, { metrics: noMetrics });
    const logger = createJsonLogger({ write: () => {} });
    const deadline = deadlineIn(1_000);
    const options = deployment.callbackOptions({ deadline, dedupeKey: 'delivery-1', logger, resolve: undefined });
    expect(options).toMatchObject({ deadline, dedupeKey: 'delivery-1', logger, secret: WHSEC, allowedHosts: ['127.0.0.1:8080'] });
    expect(options.secrets).toEqual(deployment.secrets());
    expect(deployment.secrets()).toEqual(expect.arrayContaining([SK, WHSEC]));
  });
});
