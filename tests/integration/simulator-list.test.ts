// The simulator's ListInstances must take exactly what Huawei's official SDK sends (signed, paged by
// offset and limit) and answer as DMS does, or fleet tests against it prove nothing about the cloud.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { Logger4jInstance } from '@huaweicloud/huaweicloud-sdk-core/logger/log4jLogger.js';
import { KafkaClient, ListInstancesRequest } from '@huaweicloud/huaweicloud-sdk-kafka';
import * as v from 'valibot';
import { mixedFleet, startDmsSimulator, type DmsSimulator } from '../../local/simulator/index.ts';
import { createHuaweiClient } from '../../shared/huawei/index.ts';
import { deadlineIn } from '../../shared/runtime/index.ts';
import { KEY } from '../support/fixtures.ts';
import { newProjectId } from '../support/fleet.ts';

// The SDK logs every error answer, signed headers included, at ERROR level to stdout.
Logger4jInstance.level = 'off';

const PROJECT = newProjectId();
const OTHER_PROJECT = newProjectId();
const EPS = '5e7a1c2b-3d4f-4a6b-8c9d-0e1f2a3b4c5d';
const FLEET = mixedFleet({ projectId: PROJECT, count: 23 });

let sim: DmsSimulator;
beforeAll(async () => {
  sim = await startDmsSimulator({ credentials: [KEY] });
  for (const seed of FLEET) sim.addInstance(seed);
  sim.addInstance({
    projectId: PROJECT,
    instanceId: '6b1d5d3c-2f4e-4a8b-9c0d-1e2f3a4b5c6d',
    name: 'tagged',
    tags: { env: 'prod', team: '' },
    enterpriseProjectId: EPS,
  });
  sim.addInstance({ projectId: OTHER_PROJECT, instanceId: '7c2e6e4d-3f5a-4b9c-8d1e-2f3a4b5c6d7e' });
});
afterAll(async () => {
  await sim.close();
});

function sdk(projectId = PROJECT) {
  const credentials = new BasicCredentials().withAk(KEY.ak).withSk(KEY.sk).withProjectId(projectId);
  return KafkaClient.newBuilder().withCredential(credentials).withEndpoint(sim.url).build();
}

interface Page {
  instances: Array<Record<string, unknown>>;
  instance_num: number;
}

async function page(request: ListInstancesRequest, projectId = PROJECT): Promise<Page> {
  return (await sdk(projectId).listInstances(request)) as unknown as Page;
}

const kafka = () => new ListInstancesRequest().withEngine('kafka');

describe("the simulator's ListInstances", () => {
  it("answers the official SDK's signed request with a page and the total", async () => {
    const first = await page(kafka().withOffset('0').withLimit('10'));
    expect(first.instance_num).toBe(24);
    expect(first.instances.map((i) => i['instance_id'])).toEqual(FLEET.slice(0, 10).map((s) => s.instanceId));
    const last = sim.requests.at(-1);
    expect(last).toMatchObject({ method: 'GET', path: `/v2/${PROJECT}/instances`, authorized: true, status: 200 });
    expect(last?.query).toContain('engine=kafka');
  });

  it('pages by entry offset; limit defaults to 10; a page past the end is empty', async () => {
    expect((await page(kafka())).instances).toHaveLength(10);
    const tail = await page(kafka().withOffset('20').withLimit('50'));
    expect(tail.instances.map((i) => i['name'])).toEqual(['kafka-00020', 'kafka-00021', 'kafka-00022', 'tagged']);
    expect((await page(kafka().withOffset('24').withLimit('50'))).instances).toEqual([]);
  });

  it('lists only the project in the path', async () => {
    const other = await page(kafka().withLimit('50'), OTHER_PROJECT);
    expect(other.instance_num).toBe(1);
    expect(other.instances[0]?.['instance_id']).toBe('7c2e6e4d-3f5a-4b9c-8d1e-2f3a4b5c6d7e');
  });

  it('filters by enterprise project, the total counting only what matches', async () => {
    const answer = await page(kafka().withEnterpriseProjectId(EPS).withLimit('50'));
    expect(answer.instance_num).toBe(1);
    expect(answer.instances[0]).toMatchObject({ name: 'tagged', enterprise_project_id: EPS });
    expect((await page(kafka().withEnterpriseProjectId('0').withLimit('50'))).instance_num).toBe(23);
  });

  it('each entry is the instance detail: name, tags, charging mode, state, connector', async () => {
    const { instances } = await page(kafka().withLimit('50'));
    const byId = new Map(instances.map((i) => [i['instance_id'], i]));
    expect(byId.get('6b1d5d3c-2f4e-4a8b-9c0d-1e2f3a4b5c6d')).toMatchObject({
      name: 'tagged',
      tags: [
        { key: 'env', value: 'prod' },
        { key: 'team', value: '' },
      ],
      charging_mode: 1,
      status: 'RUNNING',
      connector_enable: false,
    });
    const [yearly, busy, enabling, enabled] = (['yearly', 'busy', 'enabling', 'enabled'] as const).map((kind) =>
      byId.get(FLEET.find((s) => s.kind === kind)?.instanceId),
    );
    expect(yearly).toMatchObject({ charging_mode: 0, status: 'RUNNING' });
    expect(busy).toMatchObject({ status: 'RESTARTING' });
    expect(enabling).toMatchObject({ status: 'EXTENDING', connector_enable: false, connector_id: FLEET.find((s) => s.kind === 'enabling')?.connectorId });
    expect(enabled).toMatchObject({ status: 'RUNNING', connector_enable: true, connector_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it("refuses a request without engine=kafka, and limits outside 1..50, with DMS's 400", async () => {
    // The SDK will not send one without engine: our own client signs it the same way.
    const client = createHuaweiClient({ credentials: () => KEY });
    const withoutEngine = client.call({
      method: 'GET',
      endpoint: sim.url,
      path: ['v2', PROJECT, 'instances'],
      query: [['limit', '10']],
      projectId: PROJECT,
      response: v.unknown(),
      deadline: deadlineIn(5_000),
      retry: 'never',
    });
    await expect(withoutEngine).rejects.toMatchObject({ status: 400, errorCode: 'DMS.00400002' });
    expect(sim.requests.at(-1)?.authorized).toBe(true);
    for (const request of [
      new ListInstancesRequest().withEngine('rabbitmq'),
      kafka().withLimit('0'),
      kafka().withLimit('51'),
      kafka().withOffset('-1'),
      kafka().withLimit('ten'),
    ]) {
      await expect(sdk().listInstances(request)).rejects.toMatchObject({ httpStatusCode: 400, errorCode: 'DMS.00400002' });
    }
  });

  it('verifies the signature like every route: an unsigned request is refused', async () => {
    const answer = await fetch(`${sim.url}/v2/${PROJECT}/instances?engine=kafka`);
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ error_code: 'APIG.0301' });
  });

  it('injected faults apply to it', async () => {
    sim.inject({ method: 'GET', path: /\/instances$/, fault: { kind: 'status', status: 503 } });
    await expect(sdk().listInstances(kafka())).rejects.toMatchObject({ httpStatusCode: 503 });
    expect((await page(kafka())).instances).toHaveLength(10);
  });

  it('list faults change the answer of the page their query names, as a misbehaving or moving DMS would', async () => {
    const ids = (answer: Page) => answer.instances.map((i) => String(i['instance_id']));
    const all = FLEET.map((seed) => seed.instanceId);
    const list = /\/instances$/;
    sim.inject({ method: 'GET', path: list, query: /offset=10(&|$)/, fault: { kind: 'list', change: { kind: 'empty' } } });
    expect(await page(kafka().withOffset('0').withLimit('10'))).toMatchObject({ instance_num: 24, instances: expect.any(Array) });
    expect(await page(kafka().withOffset('10').withLimit('10'))).toMatchObject({ instances: [], instance_num: 24 });

    sim.inject({ method: 'GET', path: list, fault: { kind: 'list', change: { kind: 'ignore-offset' } } });
    expect(ids(await page(kafka().withOffset('10').withLimit('5')))).toEqual(all.slice(0, 5));

    sim.inject({ method: 'GET', path: list, fault: { kind: 'list', change: { kind: 'duplicate', index: 1, upperCase: true } } });
    expect(ids(await page(kafka().withLimit('3')))).toEqual([all[0], all[1], all[1]?.toUpperCase(), all[2]]);

    sim.inject({
      method: 'GET',
      path: list,
      fault: { kind: 'list', change: { kind: 'entries', fields: { [`${all[1]}`]: { charging_mode: null, name: undefined } } } },
    });
    const [, changed] = (await page(kafka().withLimit('2'))).instances;
    expect(changed).toMatchObject({ instance_id: all[1], charging_mode: null });
    expect(changed).not.toHaveProperty('name');

    const extra = '8d3f7f5e-4a6b-4c0d-9e2f-3a4b5c6d7e8f';
    sim.addInstance({ projectId: PROJECT, instanceId: extra });
    sim.inject({ method: 'GET', path: list, fault: { kind: 'list', change: { kind: 'delete-after', instanceId: extra } } });
    expect(ids(await page(kafka().withOffset('24').withLimit('5')))).toEqual([extra]);
    expect(await page(kafka().withOffset('24').withLimit('5'))).toMatchObject({ instances: [], instance_num: 24 });
    expect(sim.removeInstance(extra)).toBe(false);
  });

  it('a list fault answers only a signed request', async () => {
    sim.inject({ method: 'GET', path: /\/instances$/, fault: { kind: 'list', change: { kind: 'empty' } } });
    const answer = await fetch(`${sim.url}/v2/${PROJECT}/instances?engine=kafka`);
    expect(answer.status).toBe(401);
    sim.clearFaults();
  });
});

describe('the simulator counts requests in flight at once (maxInFlight)', () => {
  it('answers held back by a delay overlap; one after another they do not; a filter picks the requests counted', async () => {
    sim.reset();
    sim.chaos({ faults: [{ probability: 1, fault: { kind: 'delay', ms: 40 }, path: /\/instances$/ }] });
    try {
      await Promise.all([PROJECT, PROJECT, OTHER_PROJECT].map((projectId) => page(kafka(), projectId)));
      expect(sim.maxInFlight()).toBe(3);
      expect(sim.maxInFlight((r) => r.path === `/v2/${OTHER_PROJECT}/instances`)).toBe(1);
      expect(sim.requests.every((r) => r.endedAt >= r.at && r.endedAt > 0)).toBe(true);
      sim.reset();
      for (const projectId of [PROJECT, OTHER_PROJECT]) await page(kafka(), projectId);
      expect(sim.maxInFlight()).toBe(1);
    } finally {
      sim.chaos(undefined);
    }
  });
});
