// Furniture for fleet tests: a project of their own in the shared simulator, the list calls it
// recorded, an in-memory enable queue, and a fleet run wired to the simulator like the functions are.
import { randomBytes } from 'node:crypto';
import type { DmsSimulator, FaultRule, ListChange, RecordedRequest } from '../../local/simulator/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { enableOne } from '../../shared/enable/index.ts';
import { wireDeployment, type WireOptions } from '../../functions/wiring.ts';
import type { EnableQueuePort, FleetApplyPort, FleetRunDeps } from '../../shared/fleet/index.ts';
import type { EnableRequest } from '../../shared/request/index.ts';
import { deadlineIn } from '../../shared/runtime/index.ts';
import type { SimulatorFixture } from './fixtures.ts';

/** A project no other test uses: a fleet is everything a project holds. */
export function newProjectId(): string {
  return randomBytes(16).toString('hex');
}

/** The ListInstances calls the simulator received for a project. */
export function listCalls(sim: DmsSimulator, projectId: string): RecordedRequest[] {
  return sim.requests.filter((r) => r.method === 'GET' && r.path === `/v2/${projectId}/instances`);
}

/** Changes the project's ListInstances answers (default: the next one; `query: 'offset=50'` for one page). */
export function changeList(sim: DmsSimulator, projectId: string, change: ListChange, rule: Pick<FaultRule, 'query' | 'times'> = {}): void {
  sim.inject({ method: 'GET', path: new RegExp(`^/v2/${projectId}/instances$`), fault: { kind: 'list', change }, ...rule });
}

/** An enable queue that keeps what it is sent (one entry per enqueue call). */
export function inMemoryEnableQueue() {
  const batches: EnableRequest[][] = [];
  const port: EnableQueuePort = {
    enqueue: async (requests) => {
      batches.push([...requests]);
      return { failed: [] };
    },
  };
  return { port, batches, messages: () => batches.flat() };
}

// Short waits so retried calls do not slow the suite.
const FAST: WireOptions = { retry: { backoff: { baseMs: 20, capMs: 100 } } };

/** A fleet run against the fixture's simulator: its DMS client, and the use case as the inline port. */
export function fleetDepsFor(fx: SimulatorFixture, apply: 'inline' | { queue: EnableQueuePort }, budgetMs = 20_000): FleetRunDeps {
  const config = loadConfig(fx.env());
  const deployment = wireDeployment(config, {}, FAST);
  const deadline = deadlineIn(budgetMs);
  const port: FleetApplyPort = apply === 'inline' ? { enableOne: (request) => enableOne(request, { deployment, trigger: 'schedule', deadline }) } : apply;
  return { dms: deployment.dmsIn(config.region), deadline, apply: port };
}
