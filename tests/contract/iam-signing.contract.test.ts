// Contract tests: the IAM requests our Huawei client sends (shared/huawei/iam.ts through client.ts)
// are the requests Huawei's own SDK builds and signs for the same calls. Huawei's code is the oracle:
// its HcClient builds each request (content type, query) and its credentials add their headers and
// sign (BaseCredentials.processAuthRequest, core 3.1.211): BasicCredentials with no project id for
// GET /v3/projects?name= (as BasicCredentials finds a region's project), GlobalCredentials with no
// domain id for GET /v3/auth/domains (as it reads the account id), GlobalCredentials with the domain
// id for GET /v3/auth/projects (X-Domain-Id added before signing, so signed). Both sign at the same
// faked instant, and every header the SDK sends must be sent by us with the same value.
//
// One difference is by design and kept out of the comparison: the SDK's IAM methods give its HTTP
// client `data: {}`, so it sends "{}" as the body of a GET and hashes that; our client sends a GET
// with no body and hashes the empty body, as its DMS GETs do. Each signs what it sends, so the gateway
// (and the simulator, tests/integration/simulator-iam.test.ts) accepts both. The SDK is given the
// request as we send it: no body.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BasicCredentials, GlobalCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { ClientBuilder } from '@huaweicloud/huaweicloud-sdk-core/ClientBuilder.js';
import type { HcClient, HttpRequestOptions } from '@huaweicloud/huaweicloud-sdk-core/HcClient.js';
import { createDmsApi, createHuaweiClient, createIamApi, DEFAULT_IAM_ENDPOINT, type Credentials } from '../../shared/huawei/index.ts';
import { deadlineIn } from '../../shared/runtime/index.ts';

const AK = 'HPUAEXAMPLEAK1234567';
const SK = 'exampleSecretKey0123456789abcdefGHIJKLMN';
const TOKEN = 'gQpjbi1ub3J0aC00hK5+/Z3cm9vdA==' + 'x'.repeat(200) + '/Pq+0=' + 'AbCdEf0123456789'.repeat(20);
const DOMAIN = '8a2f0c6e5b4d4e3f9a1b2c3d4e5f6a7b';
const PROJECT = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const INSTANCE = '5f3c9a1e-7b2d-4c8e-9f10-2a3b4c5d6e7f';
const INSTANT = new Date('2026-11-24T09:55:55Z');

/** What an HTTP request carries that a signature is about (and that the comparison needs). */
interface Sent {
  readonly method: string;
  readonly url: URL;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
}

type Call = 'projectsByName' | 'authDomains' | 'authProjects';

interface IamCase {
  readonly name: string;
  readonly call: Call;
  readonly endpoint?: string;
  readonly region?: string;
  readonly securityToken?: string;
}

const CASES: readonly IamCase[] = [
  { name: "GET /v3/projects?name=cn-north-4 (a region's project)", call: 'projectsByName', region: 'cn-north-4' },
  { name: 'GET /v3/projects?name=eu-west-101', call: 'projectsByName', region: 'eu-west-101' },
  { name: "GET /v3/projects?name=cn-north-4_dev (a sub-project's name)", call: 'projectsByName', region: 'cn-north-4_dev' },
  { name: 'GET /v3/projects?name=, temporary credentials', call: 'projectsByName', region: 'ap-southeast-1', securityToken: TOKEN },
  {
    name: 'GET /v3/projects?name=, on a regional IAM endpoint',
    call: 'projectsByName',
    region: 'cn-north-4',
    endpoint: 'https://iam.cn-north-4.myhuaweicloud.com',
  },
  { name: 'GET /v3/auth/domains (the account id)', call: 'authDomains' },
  { name: 'GET /v3/auth/domains, temporary credentials', call: 'authDomains', securityToken: TOKEN },
  { name: 'GET /v3/auth/projects with X-Domain-Id', call: 'authProjects' },
  { name: 'GET /v3/auth/projects with X-Domain-Id, temporary credentials', call: 'authProjects', securityToken: TOKEN },
  { name: 'GET /v3/auth/projects on a loopback endpoint with a port (the simulator)', call: 'authProjects', endpoint: 'http://127.0.0.1:9000' },
  { name: 'GET /v3/auth/projects on a private endpoint with a port', call: 'authProjects', endpoint: 'https://iam.vpc.internal:8443' },
];

const ANSWERS: Record<Call, unknown> = {
  projectsByName: { projects: [] },
  authDomains: { domains: [{ id: DOMAIN }] },
  authProjects: { projects: [] },
};

afterEach(() => {
  vi.useRealTimers();
});

/** The request our client sends for the call, at INSTANT, caught before it leaves. */
async function ours(c: IamCase): Promise<Sent> {
  const sent: Sent[] = [];
  const credentials: Credentials = { ak: AK, sk: SK, ...(c.securityToken ? { securityToken: c.securityToken } : {}) };
  const client = createHuaweiClient({
    credentials: () => credentials,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      sent.push({ method: request.method, url: new URL(request.url), headers: Object.fromEntries(request.headers) });
      return new Response(JSON.stringify(ANSWERS[c.call]), { status: 200, headers: { 'content-type': 'application/json' } });
    },
  });
  const iam = createIamApi(client, c.endpoint ?? DEFAULT_IAM_ENDPOINT);
  const deadline = deadlineIn(10_000);
  const call: Record<Call, () => Promise<unknown>> = {
    projectsByName: () => iam.listProjectsByName(c.region ?? '', deadline),
    authDomains: () => iam.listAuthDomains(deadline),
    authProjects: () => iam.listAuthProjects(DOMAIN, deadline),
  };
  await atInstant(call[c.call]);
  expect(sent).toHaveLength(1);
  return sent[0] as Sent;
}

/** The request Huawei's SDK builds and signs for the call, at INSTANT. */
async function sdk(c: IamCase): Promise<Sent> {
  const credential = c.call === 'projectsByName' ? new BasicCredentials() : new GlobalCredentials();
  credential.withAk(AK).withSk(SK);
  if (c.securityToken) credential.withSecurityToken(c.securityToken);
  if (c.call === 'authProjects') (credential as GlobalCredentials).withDomainId(DOMAIN);
  const endpoint = c.endpoint ?? DEFAULT_IAM_ENDPOINT;
  const client = new ClientBuilder<HcClient>((hc) => hc).withCredential(credential).withEndpoint(endpoint).build();
  // As the SDK's IamService asks its HcClient, but with no body (see the header comment).
  const options: HttpRequestOptions = {
    method: 'GET',
    url: c.call === 'projectsByName' ? '/v3/projects' : c.call === 'authDomains' ? '/v3/auth/domains' : '/v3/auth/projects',
    contentType: 'application/json',
    queryParams: c.call === 'projectsByName' ? { name: c.region } : {},
    pathParams: {},
    headers: {},
  };
  const built = await atInstant(() =>
    (
      client as unknown as {
        buildRequest(
          o: HttpRequestOptions,
        ): Promise<{ method: string; endpoint: string; queryParams: Record<string, string>; headers: Record<string, string> }>;
      }
    ).buildRequest(options),
  );
  const url = new URL(built.endpoint);
  for (const [key, value] of Object.entries(built.queryParams)) url.searchParams.append(key, value);
  return { method: built.method, url, headers: Object.fromEntries(Object.entries(built.headers).map(([name, value]) => [name.toLowerCase(), value])) };
}

async function atInstant<T>(run: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(INSTANT);
  try {
    return await run();
  } finally {
    vi.useRealTimers();
  }
}

function signedNames(authorization: string | undefined): string[] {
  return /SignedHeaders=([^,]+),/.exec(authorization ?? '')?.[1]?.split(';') ?? [];
}

describe("IAM requests are signed as Huawei's SDK signs them", () => {
  it.each(CASES)('$name', async (c) => {
    const [our, theirs] = [await ours(c), await sdk(c)];

    // The oracle's own request first: what it signs is what the docs say (HUAWEI-DMS.md, IAM).
    expect(theirs.headers).not.toHaveProperty('x-project-id');
    expect(signedNames(theirs.headers['authorization']).includes('x-domain-id')).toBe(c.call === 'authProjects');

    expect(our.method).toBe(theirs.method);
    expect(our.url.href).toBe(theirs.url.href);
    // Every header the SDK sends, host included (ours is the URL's), is sent by us with its value.
    const sentByUs: Record<string, string> = { ...our.headers, host: our.url.host };
    for (const [name, value] of Object.entries(theirs.headers)) expect(sentByUs[name], name).toBe(value);
    // And beside them only the unsigned User-Agent.
    expect(Object.keys(sentByUs).filter((name) => !(name in theirs.headers))).toEqual(['user-agent']);
    expect(signedNames(our.headers['authorization'])).not.toContain('user-agent');
  });

  it('X-Domain-Id is sent and signed on GET /v3/auth/projects, never on the others; X-Project-Id never', async () => {
    for (const c of CASES) {
      const sent = await ours(c);
      expect(sent.headers, c.name).not.toHaveProperty('x-project-id');
      expect(sent.headers['x-domain-id'], c.name).toBe(c.call === 'authProjects' ? DOMAIN : undefined);
      expect(signedNames(sent.headers['authorization']), c.name).toEqual([
        'content-type',
        'host',
        ...(c.call === 'authProjects' ? ['x-domain-id'] : []),
        'x-sdk-date',
        ...(c.securityToken ? ['x-security-token'] : []),
      ]);
    }
  });

  it('the harness tells requests apart: another domain id signs differently', async () => {
    const ourRequest = await ours({ name: 'ours', call: 'authProjects' });
    const other = await sdk({ name: 'other', call: 'authProjects' });
    expect(ourRequest.headers['authorization']).toBe(other.headers['authorization']);
    const credential = new GlobalCredentials().withAk(AK).withSk(SK).withDomainId('ffffffffffffffffffffffffffffffff');
    const client = new ClientBuilder<HcClient>((hc) => hc).withCredential(credential).withEndpoint(DEFAULT_IAM_ENDPOINT).build();
    const built = await atInstant(() =>
      (client as unknown as { buildRequest(o: HttpRequestOptions): Promise<{ headers: Record<string, string> }> }).buildRequest({
        method: 'GET',
        url: '/v3/auth/projects',
        contentType: 'application/json',
        queryParams: {},
        pathParams: {},
        headers: {},
      }),
    );
    expect(built.headers['Authorization']).not.toBe(ourRequest.headers['authorization']);
  });
});

// The client change that let IAM calls name no project must leave DMS calls as they were: the same
// call through the same client still carries a signed X-Project-Id, as the SDK's BasicCredentials add it.
describe('DMS requests through the same client still carry X-Project-Id, signed as the SDK signs it', () => {
  it('GET /v2/{project_id}/instances/{instance_id}', async () => {
    const sent: Sent[] = [];
    const client = createHuaweiClient({
      credentials: () => ({ ak: AK, sk: SK }),
      fetch: async (input, init) => {
        const request = new Request(input, init);
        sent.push({ method: request.method, url: new URL(request.url), headers: Object.fromEntries(request.headers) });
        return new Response(JSON.stringify({ status: 'RUNNING' }), { status: 200 });
      },
    });
    const endpoint = 'https://dms.cn-north-4.myhuaweicloud.com';
    await atInstant(() => createDmsApi(client).showInstance({ endpoint, projectId: PROJECT, instanceId: INSTANCE }, deadlineIn(10_000)));

    const credential = new BasicCredentials().withAk(AK).withSk(SK).withProjectId(PROJECT);
    const hc = new ClientBuilder<HcClient>((c) => c).withCredential(credential).withEndpoint(endpoint).build();
    const built = await atInstant(() =>
      (hc as unknown as { buildRequest(o: HttpRequestOptions): Promise<{ headers: Record<string, string> }> }).buildRequest({
        method: 'GET',
        url: '/v2/{project_id}/instances/{instance_id}',
        contentType: 'application/json',
        queryParams: {},
        pathParams: { instance_id: INSTANCE },
        headers: {},
      }),
    );

    expect(sent[0]?.headers['x-project-id']).toBe(PROJECT);
    expect(sent[0]?.headers['authorization']).toBe(built.headers['Authorization']);
    expect(signedNames(sent[0]?.headers['authorization'])).toEqual(['content-type', 'host', 'x-project-id', 'x-sdk-date']);
  });
});
