// npm run bench: our bundles against the same Lambda written with Huawei's official SDK
// (bench/official-handler.ts), both measured in the same run on this machine against the loopback DMS
// simulator, which runs in this process. Prints one markdown table, writes it to bench/results.md,
// and exits 0 even when a target is missed, unless --strict is given (then 1).
//
// Options: --strict, --rounds N (cold starts per side, default 21), --calls N (warm calls per process,
// default 500), --reps N (queue batches of each size, default 7).
//
// setup.mjs builds what is compared, children.mjs runs the measured processes, measurements.mjs says
// what is measured, report.mjs writes the table.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_PROJECT_ID } from '../local/hosting/index.ts';
import { startDmsSimulator } from '../local/simulator/index.ts';
import { children } from './children.mjs';
import { measurements } from './measurements.mjs';
import { compositionOf, reportOf } from './report.mjs';
import { BENCH, buildContenders, fail, ourBundles, progress, readOptions, sizeOf } from './setup.mjs';
import { shippedRuntimeEnv } from './shipped-runtime.mjs';

const KEY = { ak: 'BENCHAK00000000000001', sk: 'bench-secret-key-000000000001' };

const started = performance.now();
const options = readOptions(process.argv.slice(2));
if (Number(process.versions.node.split('.')[0]) < 22) fail(`Node.js 22 is needed (this is ${process.version}); run it with npm run bench`);
const ours = ourBundles();

// What serverless.yml ships to our functions' runtime (NODE_OPTIONS, ...): our processes run with it.
const shipped = await shippedRuntimeEnv(['http', 'queue']);
const shippedLine =
  Object.entries(shipped.http ?? {})
    .map(([name, value]) => `${name}=${value}`)
    .join(' ') || 'no NODE_OPTIONS or other runtime variable';
progress(`serverless.yml ships: ${shippedLine}`);

const { official, minimum, fixtures, metafiles } = await buildContenders();
const size = {
  ours: { http: await sizeOf(ours.http), queue: await sizeOf(ours.queue), schedule: await sizeOf(ours.schedule) },
  official: { http: await sizeOf(official.http), queue: await sizeOf(official.queue) },
};

// The simulator, in this process (Node 22 runs the TypeScript directly).
const sim = await startDmsSimulator({ credentials: [KEY], jobMs: 60_000 });
const measure = measurements({
  sim,
  projectId: DEFAULT_PROJECT_ID,
  bundles: { ours, official, minimum },
  run: children({ dmsUrl: sim.url, key: KEY, shipped }),
  fixtures,
});

let exitCode = 0;
try {
  const cold = await measure.coldStarts(options.rounds);
  const cpu = await measure.warmCpu(options.calls);
  const batches = await measure.queueBatches(options.reps);
  const sqs = await measure.sqsClient();
  const { report, missed } = reportOf({ options, size, cold, cpu, batches, sqs, dmsHost: new URL(sim.url).hostname, shippedLine });

  process.stdout.write(`\n${report}\n`);
  await writeFile(join(BENCH, 'results.md'), report);
  process.stdout.write(compositionOf(metafiles));
  const missedLine = missed.length ? `missed targets: ${missed.join('; ')}` : 'every target met';
  process.stdout.write(`\n${missedLine}\nwrote bench/results.md in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  if (options.strict && missed.length) exitCode = 1;
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  exitCode = 1;
} finally {
  await sim.close();
}
process.exit(exitCode);
