// shared/projects against the simulator's IAM over real HTTP on loopback, through the same Huawei
// client as DMS calls (signed, retried, deadlines): a region's project asked once per access key and
// region even under concurrency, never invented, a transient failure not kept; the account id read
// once; the account's projects listed with a signed X-Domain-Id and split into covered and skipped.
import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_DOMAIN_ID, sampleAccount, type DmsSimulator } from '../../local/simulator/index.ts';
import { CredentialsError } from '../../shared/credentials/index.ts';
import { CREDENTIALS_UNAVAILABLE, DOMAIN_NOT_FOUND, PROJECT_NOT_FOUND } from '../../shared/errors/index.ts';
import { createHuaweiClient, createIamApi, huaweiRetryPolicy, type Credentials } from '../../shared/huawei/index.ts';
import { createProjectDirectory, type ProjectDirectory, type ProjectDirectoryOptions } from '../../shared/projects/index.ts';
import { deadlineIn } from '../../shared/runtime/index.ts';
import { KEY, startSimulatorFixture, TEMP, useSimulator } from '../support/fixtures.ts';

const sample = sampleAccount({ instancesPerProject: 2 });
const fx = useSimulator({ account: sample.account, instances: [...sample.instances] });
const ask = () => ({ deadline: deadlineIn(10_000) });

// A simulator of its own for a test that adds projects: the shared one's account stays the sample's.
const own: DmsSimulator[] = [];
afterEach(async () => {
  await Promise.all(own.splice(0).map((sim) => sim.close()));
});
async function ownSimulator(): Promise<DmsSimulator> {
  const { sim } = await startSimulatorFixture({ account: sample.account });
  own.push(sim);
  return sim;
}

interface Setup {
  readonly directory: ProjectDirectory;
  /** The credentials calls are signed with from now on (a rotated secret). */
  use(credentials: Credentials): void;
}

function setup(options: Partial<Omit<ProjectDirectoryOptions, 'iam' | 'accessKey'>> = {}, sim: DmsSimulator = fx.sim): Setup {
  let credentials: Credentials = KEY;
  // One retry, and short waits: a test of a transient failure needs no long backoff.
  const client = createHuaweiClient({ credentials: () => credentials, retry: huaweiRetryPolicy({ callRetries: 1, backoff: { baseMs: 10, capMs: 20 } }) });
  const directory = createProjectDirectory({
    iam: createIamApi(client, sim.url),
    accessKey: () => credentials.ak,
    home: { region: 'cn-north-4' },
    ...options,
  });
  return { directory, use: (next) => void (credentials = next) };
}

const lookups = (sim: DmsSimulator, region?: string) =>
  sim.requests.filter((r) => r.path === '/v3/projects' && (region === undefined || r.query === `name=${region}`));
const domainCalls = (sim: DmsSimulator) => sim.requests.filter((r) => r.path === '/v3/auth/domains');
const authProjectCalls = (sim: DmsSimulator) => sim.requests.filter((r) => r.path === '/v3/auth/projects');

describe('projectForRegion', () => {
  it('asks IAM once for ten concurrent asks of one region, signed without X-Project-Id, and keeps the answer', async () => {
    const { directory } = setup();
    const answers = await Promise.all(Array.from({ length: 10 }, () => directory.projectForRegion('ap-southeast-1', ask())));
    expect(answers).toEqual(Array(10).fill({ kind: 'found', projectId: sample.projectIds['ap-southeast-1'], region: 'ap-southeast-1' }));
    expect(await directory.projectForRegion('ap-southeast-1', ask())).toMatchObject({ kind: 'found', projectId: sample.projectIds['ap-southeast-1'] });

    const [call, ...more] = lookups(fx.sim);
    expect(more).toEqual([]);
    expect(call).toMatchObject({ method: 'GET', query: 'name=ap-southeast-1', status: 200, authorized: true });
    expect(call?.headers).not.toHaveProperty('x-project-id');
    expect(call?.headers).not.toHaveProperty('x-domain-id');
    expect(call?.headers['authorization']).toMatch(/SignedHeaders=content-type;host;x-sdk-date,/);
  });

  it('asks once per region: concurrent asks of three regions make three calls', async () => {
    const { directory } = setup();
    const regions = ['cn-north-4', 'ap-southeast-1', 'eu-west-101'] as const;
    const answers = await Promise.all(regions.flatMap((region) => Array.from({ length: 4 }, () => directory.projectForRegion(region, ask()))));
    expect(answers.map((a) => (a.kind === 'found' ? a.projectId : a.error.code))).toEqual(
      regions.flatMap((region) => Array(4).fill(sample.projectIds[region])),
    );
    expect(
      lookups(fx.sim)
        .map((r) => r.query)
        .sort(),
    ).toEqual(regions.map((region) => `name=${region}`).sort());
  });

  it('uses HUAWEICLOUD_SDK_PROJECT_ID for the home region without asking IAM, and IAM for any other region', async () => {
    const configured = 'abcdefabcdefabcdefabcdefabcdef01';
    const { directory } = setup({ home: { region: 'cn-north-4', projectId: configured } });
    expect(await directory.projectForRegion('cn-north-4', ask())).toEqual({ kind: 'found', projectId: configured, region: 'cn-north-4' });
    expect(fx.sim.requests).toEqual([]);
    expect(await directory.projectForRegion('eu-west-101', ask())).toMatchObject({ kind: 'found', projectId: sample.projectIds['eu-west-101'] });
    expect(lookups(fx.sim, 'eu-west-101')).toHaveLength(1);
  });

  it('asks IAM for the home region too when no project id is configured', async () => {
    const { directory } = setup();
    expect(await directory.projectForRegion('cn-north-4', ask())).toMatchObject({ kind: 'found', projectId: sample.projectIds['cn-north-4'] });
    expect(lookups(fx.sim, 'cn-north-4')).toHaveLength(1);
  });

  it('a region with no project is a permanent PROJECT_NOT_FOUND naming the region; nothing is created', async () => {
    const { directory } = setup();
    const answer = await directory.projectForRegion('cn-east-3', ask());
    expect(answer).toMatchObject({ kind: 'failed', retryable: false, error: { code: PROJECT_NOT_FOUND } });
    expect(answer.kind === 'failed' && answer.error.message).toContain('cn-east-3');
    expect(fx.sim.requests.every((r) => r.method === 'GET')).toBe(true);
    expect(lookups(fx.sim, 'cn-east-3')).toHaveLength(1);
  });

  it('a disabled project is not used: PROJECT_NOT_FOUND saying it is disabled', async () => {
    const { directory } = setup();
    const answer = await directory.projectForRegion('la-south-2', ask());
    expect(answer).toMatchObject({ kind: 'failed', retryable: false, error: { code: PROJECT_NOT_FOUND } });
    expect(answer.kind === 'failed' && answer.error.message).toMatch(/la-south-2 is disabled/);
  });

  it('remembers "no such project" for a while only: a project created since is found after that', async () => {
    let now = 1_000_000;
    const sim = await ownSimulator();
    const { directory } = setup({ now: () => now, notFoundKeptMs: 60_000 }, sim);
    expect(await directory.projectForRegion('cn-south-1', ask())).toMatchObject({ kind: 'failed', error: { code: PROJECT_NOT_FOUND } });
    const created = 'c0ffee00000000000000000000000001';
    sim.addProject({ id: created, name: 'cn-south-1' });
    now += 59_999;
    expect(await directory.projectForRegion('cn-south-1', ask())).toMatchObject({ kind: 'failed', error: { code: PROJECT_NOT_FOUND } });
    expect(lookups(sim, 'cn-south-1')).toHaveLength(1);
    now += 1;
    expect(await directory.projectForRegion('cn-south-1', ask())).toEqual({ kind: 'found', projectId: created, region: 'cn-south-1' });
    expect(lookups(sim, 'cn-south-1')).toHaveLength(2);
  });

  it('a transient IAM failure is reported naming IAM, retryable, and not kept: the next ask asks again', async () => {
    const { directory } = setup();
    fx.sim.inject({ path: '/v3/projects', fault: { kind: 'status', status: 503 }, times: 2 });
    const failed = await directory.projectForRegion('ap-southeast-1', ask());
    expect(failed).toMatchObject({ kind: 'failed', retryable: true, error: { code: 'APIG.0202' } });
    expect(failed.kind === 'failed' && failed.error.message).toMatch(/^IAM could not look up the project of region ap-southeast-1: /);
    expect(lookups(fx.sim)).toHaveLength(2);

    expect(await directory.projectForRegion('ap-southeast-1', ask())).toMatchObject({ kind: 'found', projectId: sample.projectIds['ap-southeast-1'] });
    expect(lookups(fx.sim)).toHaveLength(3);
  });

  // What follows a refusal (the key's cool-down) is the client's; here: one call, reported naming IAM.
  it('a signature refused by IAM is reported naming IAM, and never sent again within the ask', async () => {
    const { directory, use } = setup();
    use({ ...KEY, sk: 'a-wrong-secret-key' });
    const refused = await directory.projectForRegion('ap-southeast-1', ask());
    expect(refused).toMatchObject({ kind: 'failed' });
    expect(refused.kind === 'failed' && refused.error.message).toMatch(/^IAM could not look up the project of region ap-southeast-1: /);
    expect(lookups(fx.sim)).toMatchObject([{ status: 401, authorized: false }]);
  });

  it('keeps answers per access key: a rotated key asks IAM again, signed with the new key', async () => {
    const { directory, use } = setup();
    await directory.projectForRegion('eu-west-101', ask());
    use(TEMP);
    expect(await directory.projectForRegion('eu-west-101', ask())).toMatchObject({ kind: 'found', projectId: sample.projectIds['eu-west-101'] });
    const calls = lookups(fx.sim, 'eu-west-101');
    expect(calls.map((c) => c.authorized)).toEqual([true, true]);
    expect(calls.map((c) => /Access=(\S+),/.exec(c.headers['authorization'] ?? '')?.[1])).toEqual([KEY.ak, TEMP.ak]);
  });

  it('fails as the client fails when the access key cannot be read now, without calling IAM', async () => {
    const client = createHuaweiClient({ credentials: () => KEY });
    const directory = createProjectDirectory({
      iam: createIamApi(client, fx.sim.url),
      accessKey: () => {
        throw new CredentialsError(CREDENTIALS_UNAVAILABLE, 'the secret could not be read');
      },
      home: { region: 'cn-north-4' },
    });
    expect(await directory.projectForRegion('eu-west-101', ask())).toEqual({
      kind: 'failed',
      retryable: true,
      error: { code: 'CREDENTIALS_UNAVAILABLE', message: 'the secret could not be read' },
    });
    expect(fx.sim.requests).toEqual([]);
  });
});

describe('domainId', () => {
  it('uses HUAWEICLOUD_SDK_DOMAIN_ID without asking IAM', async () => {
    const { directory } = setup({ domainId: 'dddddddddddddddddddddddddddddddd' });
    expect(await directory.domainId(ask())).toEqual({ kind: 'found', domainId: 'dddddddddddddddddddddddddddddddd' });
    expect(fx.sim.requests).toEqual([]);
  });

  it('reads the account id once with GET /v3/auth/domains, also when five ask at once', async () => {
    const { directory } = setup();
    const answers = await Promise.all(Array.from({ length: 5 }, () => directory.domainId(ask())));
    expect(answers).toEqual(Array(5).fill({ kind: 'found', domainId: SAMPLE_DOMAIN_ID }));
    expect(await directory.domainId(ask())).toEqual({ kind: 'found', domainId: SAMPLE_DOMAIN_ID });
    expect(domainCalls(fx.sim)).toMatchObject([{ method: 'GET', status: 200, authorized: true }]);
    expect(domainCalls(fx.sim)[0]?.headers).not.toHaveProperty('x-project-id');
    expect(domainCalls(fx.sim)[0]?.headers).not.toHaveProperty('x-domain-id');
  });

  it('an answer naming no account is DOMAIN_NOT_FOUND, pointing at HUAWEICLOUD_SDK_DOMAIN_ID', async () => {
    const { directory } = setup();
    fx.sim.inject({ path: '/v3/auth/domains', fault: { kind: 'status', status: 200, body: { domains: [] } } });
    const answer = await directory.domainId(ask());
    expect(answer).toMatchObject({ kind: 'failed', retryable: false, error: { code: DOMAIN_NOT_FOUND } });
    expect(answer.kind === 'failed' && answer.error.message).toContain('HUAWEICLOUD_SDK_DOMAIN_ID');
    // Not kept: the next ask reads it.
    expect(await directory.domainId(ask())).toEqual({ kind: 'found', domainId: SAMPLE_DOMAIN_ID });
  });
});

describe('accountProjects', () => {
  const covered = [
    { project_id: sample.projectIds['cn-north-4'], project_name: 'cn-north-4', region: 'cn-north-4' },
    { project_id: sample.projectIds['cn-north-4_dev'], project_name: 'cn-north-4_dev', region: 'cn-north-4' },
    { project_id: sample.projectIds['ap-southeast-1'], project_name: 'ap-southeast-1', region: 'ap-southeast-1' },
    { project_id: sample.projectIds['eu-west-101'], project_name: 'eu-west-101', region: 'eu-west-101' },
  ];
  const skippedAlways = [
    { project_id: sample.projectIds['la-south-2'], name: 'la-south-2', reason: 'disabled' },
    { project_id: sample.projectIds['MOS'], name: 'MOS', reason: 'not_a_region' },
    { project_id: sample.projectIds['cn-north-7'], name: 'cn-north-7', reason: 'no_kafka_in_region' },
  ];

  it("lists the account's projects with a signed X-Domain-Id and splits them into covered and skipped", async () => {
    const { directory } = setup();
    expect(await directory.accountProjects(ask())).toEqual({ kind: 'listed', projects: covered, skipped: skippedAlways });

    const [call, ...more] = authProjectCalls(fx.sim);
    expect(more).toEqual([]);
    expect(call).toMatchObject({ method: 'GET', status: 200, authorized: true, headers: { 'x-domain-id': SAMPLE_DOMAIN_ID } });
    expect(call?.headers).not.toHaveProperty('x-project-id');
    expect(call?.headers['authorization']).toMatch(/SignedHeaders=content-type;host;x-domain-id;x-sdk-date,/);
  });

  it('narrows to `regions`, the rest skipped as not_in_regions', async () => {
    const { directory } = setup({ domainId: SAMPLE_DOMAIN_ID });
    const listing = await directory.accountProjects({ ...ask(), regions: ['cn-north-4'] });
    expect(listing).toMatchObject({ kind: 'listed', projects: covered.slice(0, 2) });
    expect(listing.kind === 'listed' && listing.skipped.map((p) => [p.name, p.reason])).toEqual([
      ['ap-southeast-1', 'not_in_regions'],
      ['eu-west-101', 'not_in_regions'],
      ...skippedAlways.map((p) => [p.name, p.reason]),
    ]);
  });

  it('reads the account id once but the projects on every run, so a project created since is covered', async () => {
    const sim = await ownSimulator();
    const { directory } = setup({}, sim);
    await directory.accountProjects(ask());
    const created = 'c0ffee00000000000000000000000002';
    sim.addProject({ id: created, name: 'cn-east-3_prod' });
    const later = await directory.accountProjects(ask());
    expect(later.kind === 'listed' && later.projects.at(-1)).toEqual({ project_id: created, project_name: 'cn-east-3_prod', region: 'cn-east-3' });
    expect(domainCalls(sim)).toHaveLength(1);
    expect(authProjectCalls(sim)).toHaveLength(2);
  });

  it('IAM refusing the project list fails the listing, naming IAM, with its code', async () => {
    const { directory } = setup({ domainId: SAMPLE_DOMAIN_ID });
    fx.sim.inject({
      path: '/v3/auth/projects',
      fault: { kind: 'status', status: 403, body: { error: { code: 403, message: 'You are not authorized.', title: 'Forbidden' } } },
    });
    expect(await directory.accountProjects(ask())).toEqual({
      kind: 'failed',
      retryable: false,
      error: { code: 'HTTP_403', message: "IAM could not list the account's projects: You are not authorized." },
    });
  });

  it('a wrong HUAWEICLOUD_SDK_DOMAIN_ID is refused by IAM, and the listing fails naming IAM', async () => {
    const { directory } = setup({ domainId: 'ffffffffffffffffffffffffffffffff' });
    const listing = await directory.accountProjects(ask());
    expect(listing).toMatchObject({ kind: 'failed' });
    expect(listing.kind === 'failed' && listing.error.message).toMatch(/^IAM could not list the account's projects: /);
    expect(authProjectCalls(fx.sim)).toMatchObject([{ status: 401, headers: { 'x-domain-id': 'ffffffffffffffffffffffffffffffff' } }]);
  });

  it('a failure to read the account id fails the listing before any project is asked for', async () => {
    const { directory } = setup();
    fx.sim.inject({ path: '/v3/auth/domains', fault: { kind: 'status', status: 500 }, times: 2 });
    const listing = await directory.accountProjects(ask());
    expect(listing).toMatchObject({ kind: 'failed', retryable: true });
    expect(listing.kind === 'failed' && listing.error.message).toMatch(/^IAM could not name the account/);
    expect(authProjectCalls(fx.sim)).toEqual([]);
  });
});
