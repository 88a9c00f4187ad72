// The simulator's IAM must answer what Huawei's official SDK sends and reads: given only a region,
// the SDK finds the project named after it there and lists that project's Kafka instances; its
// GlobalCredentials read the account id there; and GET /v3/auth/projects needs a signed X-Domain-Id.
import { afterEach, describe, expect, it } from 'vitest';
import { BasicCredentials, GlobalCredentials, Region } from '@huaweicloud/huaweicloud-sdk-core';
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js';
import { ClientBuilder } from '@huaweicloud/huaweicloud-sdk-core/ClientBuilder.js';
import type { HcClient } from '@huaweicloud/huaweicloud-sdk-core/HcClient.js';
import { Logger4jInstance } from '@huaweicloud/huaweicloud-sdk-core/logger/log4jLogger.js';
import { KafkaClient, ListInstancesRequest } from '@huaweicloud/huaweicloud-sdk-kafka';
import { SAMPLE_DOMAIN_ID, sampleAccount, startDmsSimulator, type DmsSimulator } from '../../local/simulator/index.ts';

// The SDK logs every error answer, signed headers included, at ERROR level to stdout.
Logger4jInstance.level = 'off';

const sample = sampleAccount({ instancesPerProject: 3 });
// The SDK keeps what IAM told it per AK and region for the process: each test signs with its own key.
let keys = 0;
const open: DmsSimulator[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((sim) => sim.close()));
});

async function setup(): Promise<{ sim: DmsSimulator; key: { ak: string; sk: string } }> {
  keys += 1;
  const key = { ak: `IAMSIMAK${String(keys).padStart(12, '0')}`, sk: `iam-simulator-secret-${keys}` };
  const sim = await startDmsSimulator({ credentials: [key], account: sample.account, instances: [...sample.instances] });
  open.push(sim);
  return { sim, key };
}

/** A bare HcClient of the SDK (what its service clients wrap), calling the simulator. */
function hcClient(sim: DmsSimulator, credential: BasicCredentials | GlobalCredentials): HcClient {
  return new ClientBuilder<HcClient>((client) => client).withCredential(credential).withEndpoint(sim.url).build();
}

function iamRequest(url: string) {
  return { method: 'GET', url, contentType: 'application/json', queryParams: {}, pathParams: {}, headers: {}, data: {} };
}

/** A request signed by Huawei's signer, X-Domain-Id among the signed headers or not, sent with fetch. */
async function signedGet(sim: DmsSimulator, key: { ak: string; sk: string }, path: string, domain: { id: string; signed: boolean } | undefined) {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(domain?.signed ? { 'X-Domain-Id': domain.id } : {}) };
  const signed = AKSKSigner.sign(
    { method: 'GET', endpoint: `${sim.url}${path}`, headers, queryParams: {} },
    new BasicCredentials().withAk(key.ak).withSk(key.sk),
  ) as Record<string, string>;
  return fetch(`${sim.url}${path}`, { headers: { ...signed, ...(domain && !domain.signed ? { 'X-Domain-Id': domain.id } : {}) } });
}

describe("the simulator's IAM, with the official SDK", () => {
  it.each(['cn-north-4', 'ap-southeast-1', 'eu-west-101'] as const)(
    'the SDK given only region %s finds its project there and lists its instances',
    async (region) => {
      const { sim, key } = await setup();
      const credentials = new BasicCredentials().withAk(key.ak).withSk(key.sk).withIamEndpoint(sim.url);
      const kafka = KafkaClient.newBuilder().withCredential(credentials).withRegion(new Region(region, sim.url)).build();

      const listed = (await kafka.listInstances(new ListInstancesRequest().withEngine('kafka'))) as unknown as { instances: { instance_id: string }[] };

      const projectId = sample.projectIds[region];
      expect(listed.instances.map((i) => i.instance_id)).toEqual(sample.instances.filter((i) => i.projectId === projectId).map((i) => i.instanceId));
      const [lookup, list, ...rest] = sim.requests;
      expect(rest).toEqual([]);
      expect(lookup).toMatchObject({ method: 'GET', path: '/v3/projects', query: `name=${region}`, status: 200, authorized: true });
      expect(lookup?.headers).not.toHaveProperty('x-project-id');
      expect(list).toMatchObject({ path: `/v2/${projectId}/instances`, status: 200, authorized: true, headers: { 'x-project-id': projectId } });
    },
  );

  it("the SDK's GlobalCredentials read the account id from GET /v3/auth/domains", async () => {
    const { sim, key } = await setup();
    const credentials = new GlobalCredentials().withAk(key.ak).withSk(key.sk).withIamEndpoint(sim.url);
    await credentials.processAuthParams(hcClient(sim, credentials), 'cn-north-4');
    expect(credentials.getPathParams()).toEqual({ domain_id: SAMPLE_DOMAIN_ID });
    expect(sim.requests).toMatchObject([{ method: 'GET', path: '/v3/auth/domains', status: 200, authorized: true }]);
  });

  it('GET /v3/auth/projects, sent as the SDK sends it with GlobalCredentials, lists every project of the account', async () => {
    const { sim, key } = await setup();
    const credentials = new GlobalCredentials().withAk(key.ak).withSk(key.sk).withDomainId(SAMPLE_DOMAIN_ID);
    const answer = (await hcClient(sim, credentials).sendRequest(iamRequest('/v3/auth/projects'))) as { projects: Record<string, unknown>[] };

    expect(answer.projects.map((p) => [p['name'], p['id'], p['enabled']])).toEqual(sample.account.projects.map((p) => [p.name, p.id, p.enabled ?? true]));
    expect(answer.projects[0]).toMatchObject({ domain_id: SAMPLE_DOMAIN_ID, is_domain: false, parent_id: SAMPLE_DOMAIN_ID });
    const [request] = sim.requests;
    expect(request).toMatchObject({ path: '/v3/auth/projects', status: 200, authorized: true, headers: { 'x-domain-id': SAMPLE_DOMAIN_ID } });
    expect(request?.headers['authorization']).toMatch(/SignedHeaders=[^,]*x-domain-id/);
  });

  it('refuses GET /v3/auth/projects without X-Domain-Id, with one not signed, or with another account', async () => {
    const { sim, key } = await setup();
    const missing = await signedGet(sim, key, '/v3/auth/projects', undefined);
    expect([missing.status, await missing.json()]).toMatchObject([
      401,
      { error_code: 'APIG.0301', error_msg: expect.stringContaining('X-Domain-Id is missing') },
    ]);
    const unsigned = await signedGet(sim, key, '/v3/auth/projects', { id: SAMPLE_DOMAIN_ID, signed: false });
    expect([unsigned.status, await unsigned.json()]).toMatchObject([401, { error_code: 'APIG.0301', error_msg: expect.stringContaining('not signed') }]);
    const other = await signedGet(sim, key, '/v3/auth/projects', { id: 'ffffffffffffffffffffffffffffffff', signed: true });
    expect([other.status, await other.json()]).toMatchObject([401, { error: { code: 401, title: 'Unauthorized' } }]);
    const fine = await signedGet(sim, key, '/v3/auth/projects', { id: SAMPLE_DOMAIN_ID, signed: true });
    expect(fine.status).toBe(200);
    // All four verified as signed: the refusals are the route's, not the gateway's signature check.
    expect(sim.requests.map((r) => r.authorized)).toEqual([true, true, true, true]);
  });

  it('filters GET /v3/projects by name and enabled as Keystone does, and lists a project added later', async () => {
    const { sim, key } = await setup();
    const names = async (query: string) => {
      const response = await fetch(`${sim.url}/v3/projects${query}`, {
        headers: AKSKSigner.sign(
          {
            method: 'GET',
            endpoint: `${sim.url}/v3/projects${query}`,
            headers: { 'content-type': 'application/json' },
            queryParams: Object.fromEntries(new URLSearchParams(query)),
          },
          new BasicCredentials().withAk(key.ak).withSk(key.sk),
        ) as Record<string, string>,
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as { projects: { name: string }[] }).projects.map((p) => p.name);
    };
    expect(await names('?name=MOS')).toEqual(['MOS']);
    expect(await names('?name=cn-east-3')).toEqual([]);
    expect(await names('?enabled=false')).toEqual(['la-south-2']);
    expect(await names('')).toHaveLength(sample.account.projects.length);
    sim.addProject({ id: 'acc1'.padEnd(32, '0'), name: 'cn-east-3' });
    expect(await names('?name=cn-east-3')).toEqual(['cn-east-3']);
  });

  it('refuses an IAM call whose signature does not verify, as the gateway does', async () => {
    const { sim } = await setup();
    const response = await signedGet(sim, { ak: 'NOSUCHAK000000000000', sk: 'x' }, '/v3/auth/domains', undefined);
    expect([response.status, await response.json()]).toMatchObject([401, { error_code: 'APIG.0301' }]);
  });
});
