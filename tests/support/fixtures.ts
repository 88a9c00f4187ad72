// Shared test fixtures: ids, keys and a simulator with the environment that points the project at it.
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { DEFAULT_PROJECT_ID } from '../../local/hosting/index.ts';
import { startDmsSimulator, type DmsSimulator, type InstanceSeed, type SimulatorOptions } from '../../local/simulator/index.ts';

/** The project of the samples in events/. */
export const PROJECT = DEFAULT_PROJECT_ID;
export const KEY = { ak: 'TESTAK00000000000001', sk: 'test-secret-key-do-not-log-0001' };
export const TEMP = { ak: 'TESTTEMPAK0000000001', sk: 'temp-secret-key-do-not-log-0002', securityToken: 'temp-security-token-do-not-log-0003' };
/** Temporary credentials as STS issues them: the security token is over 1 KB of base64 (+, / and = included). */
export const STS = {
  ak: 'TESTSTSAK00000000001',
  sk: 'sts-secret-key-do-not-log-0004',
  // Random-looking but the same every run, so a failing case replays.
  securityToken: Buffer.concat(Array.from({ length: 38 }, (_, i) => createHash('sha256').update(`sts-token-${i}`).digest())).toString('base64'),
};

export function newInstanceId(): string {
  return randomUUID();
}

export interface SimulatorFixture {
  readonly sim: DmsSimulator;
  /** Environment for loadConfig / the CLI / the functions, pointed at this simulator. */
  env(extra?: Record<string, string>): Record<string, string>;
  instance(seed?: Partial<InstanceSeed>): string;
}

export async function startSimulatorFixture(options: Partial<SimulatorOptions> = {}): Promise<SimulatorFixture> {
  const sim = await startDmsSimulator({ credentials: [KEY, TEMP, STS], jobMs: 60_000, ...options });
  return {
    sim,
    env: (extra = {}) => ({
      HUAWEICLOUD_REGION: 'cn-north-4',
      HUAWEICLOUD_DMS_ENDPOINT: sim.url,
      // IAM on the same server: a request naming no project asks it, never Huawei's endpoint.
      HUAWEICLOUD_SDK_IAM_ENDPOINT: sim.url,
      HUAWEICLOUD_SDK_AK: KEY.ak,
      HUAWEICLOUD_SDK_SK: KEY.sk,
      ...extra,
    }),
    instance: (seed = {}) => {
      const instanceId = seed.instanceId ?? newInstanceId();
      sim.addInstance({ projectId: PROJECT, ...seed, instanceId });
      return instanceId;
    },
  };
}

/**
 * One simulator for the whole test file, started before its tests, closed after them, with faults
 * and recorded requests cleared after each test. Returns the fixture to use inside tests.
 */
export function useSimulator(options: Partial<SimulatorOptions> = {}): SimulatorFixture {
  let current: SimulatorFixture | undefined;
  const started = () => {
    if (!current) throw new Error('the simulator starts in beforeAll: use it inside tests');
    return current;
  };
  beforeAll(async () => {
    current = await startSimulatorFixture(options);
  });
  afterAll(async () => {
    await current?.sim.close();
  });
  afterEach(() => {
    current?.sim.clearFaults();
    current?.sim.reset();
  });
  return {
    get sim() {
      return started().sim;
    },
    env: (extra) => started().env(extra),
    instance: (seed) => started().instance(seed),
  };
}
