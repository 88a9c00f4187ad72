// The DMS simulator in a process of its own (tests/load/fleet-memory.test.ts starts it with
// script-process.ts), seeded with one project of the largest fleet one run reads: `count` instances
// of every kind in rotation, each with the largest tags Huawei allows (largestTags). Argument:
// {projectId, count, ak, sk}. Prints "simulator ready on <url>" and serves until it is killed.
import { largestTags, mixedFleet, startDmsSimulator } from '../../local/simulator/index.ts';

const { projectId, count, ak, sk } = JSON.parse(process.argv[2] ?? '{}') as { projectId: string; count: number; ak: string; sk: string };

// One set of strings for every instance: the simulator's memory is not what is measured.
const tags = largestTags();
const sim = await startDmsSimulator({ credentials: [{ ak, sk }], jobMs: 60_000 });
for (const seed of mixedFleet({ projectId, count, tags })) sim.addInstance(seed);
process.stdout.write(`simulator ready on ${sim.url}\n`);
