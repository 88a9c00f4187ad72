// A fleet of 2,000 instances in one project of the simulator: what a run costs in calls, and that
// applying through the enable queue queues each instance to enable exactly once. Time and memory are
// printed for information only (speed is for `npm run bench`).
import { describe, expect, it } from 'vitest';
import { mixedFleet } from '../../local/simulator/index.ts';
import { runFleet, type SelectorTarget } from '../../shared/fleet/index.ts';
import { useSimulator } from '../support/fixtures.ts';
import { fleetDepsFor, inMemoryEnableQueue, listCalls, newProjectId } from '../support/fleet.ts';

const fx = useSimulator();
const FLEET_SIZE = 2_000;
const project = newProjectId();
const selector: SelectorTarget = { project_id: project, region: 'cn-north-4', select: {}, node_cnt: '2', dry_run: false };

function seedOnce() {
  const seeds = mixedFleet({ projectId: project, count: FLEET_SIZE });
  for (const seed of seeds) fx.sim.addInstance(seed);
  return seeds;
}

function measure() {
  const started = performance.now();
  const heap = process.memoryUsage().heapUsed;
  return (what: string, listCallCount: number) =>
    console.log(
      `fleet of ${FLEET_SIZE}, ${what}: ${listCallCount} list calls, ${Math.round(performance.now() - started)} ms, heap +${Math.round((process.memoryUsage().heapUsed - heap) / 1024 / 1024)} MiB`,
    );
}

describe(`a fleet of ${FLEET_SIZE} instances`, () => {
  let seeds: ReturnType<typeof seedOnce> | undefined;
  const fleet = () => (seeds ??= seedOnce());

  it('a dry run costs at most 40 list calls and nothing else', async () => {
    fleet();
    const report = measure();
    const summary = (await runFleet({ ...selector, dry_run: true }, fleetDepsFor(fx, 'inline', 60_000))).summary;
    const calls = listCalls(fx.sim, project);
    report('dry run', calls.length);

    expect(summary.matched).toBe(FLEET_SIZE);
    expect(calls.length).toBeLessThanOrEqual(40);
    expect(fx.sim.requests).toHaveLength(calls.length);
    expect(summary.counts.would_enable).toBe(FLEET_SIZE / 5);
  });

  it('applying through the enable queue queues each instance to enable exactly once', async () => {
    const toEnable = fleet()
      .filter((s) => s.kind === 'to_enable')
      .map((s) => s.instanceId);
    const queue = inMemoryEnableQueue();
    const report = measure();
    const summary = (await runFleet(selector, fleetDepsFor(fx, { queue: queue.port }, 60_000))).summary;
    const calls = listCalls(fx.sim, project);
    report('applied through the queue', calls.length);

    const queued = queue.messages().map((m) => m.instance_id);
    expect(queued).toHaveLength(toEnable.length);
    expect([...queued].sort()).toEqual([...toEnable].sort());
    expect(summary.counts.queued).toBe(toEnable.length);
    expect(calls.length).toBeLessThanOrEqual(40);
    expect(fx.sim.requests).toHaveLength(calls.length);
  });
});
