// Warm measurements, one process per side, spawned by bench/run.mjs with the instance ids it seeded
// in the simulator (a JSON file, each id used once, so every call is the same one-POST enable).
//   cpu:   after warm-up, N sequential HTTP handler calls; process.cpuUsage() delta / N (user+system).
//   batch: the queue handler on a batch of 1 and a batch of 10 records, alternately, while the
//          simulator delays every answer; medians of the wall times.
// Prints one JSON line.
import { readFileSync } from 'node:fs';
import { median } from './stats.mjs';

/** @type {{mode: 'cpu' | 'batch', fixtures: string, bundle: string, idsFile: string, projectId: string, warmup: number, calls: number, reps: number}} */
const spec = JSON.parse(process.argv[2] ?? '{}');
/** @type {typeof import('./fixtures.ts')} */
const { httpEvent, contextFor, queueEvent } = await import(spec.fixtures);
/** @type {string[]} */
const ids = JSON.parse(readFileSync(spec.idsFile, 'utf8'));
let next = 0;
const take = () => {
  const id = ids[next++];
  if (!id) throw new Error('warm-runner: out of seeded instance ids');
  return id;
};

const { handler } = await import(spec.bundle);

if (spec.mode === 'cpu') {
  /** @type {Record<string, number>} */
  const statuses = {};
  const call = async () => {
    const instanceId = take();
    const requestId = `bench-${instanceId}`;
    const answer = await handler(httpEvent(spec.projectId, instanceId, requestId), contextFor('http', requestId));
    statuses[answer.statusCode] = (statuses[answer.statusCode] ?? 0) + 1;
  };
  for (let i = 0; i < spec.warmup; i += 1) await call();
  for (const key of Object.keys(statuses)) delete statuses[key];
  const cpu = process.cpuUsage();
  const wallStart = performance.now();
  for (let i = 0; i < spec.calls; i += 1) await call();
  const wallMs = performance.now() - wallStart;
  const used = process.cpuUsage(cpu);
  process.stdout.write(
    `${JSON.stringify({
      statuses,
      cpu_us_per_call: (used.user + used.system) / spec.calls,
      user_us_per_call: used.user / spec.calls,
      system_us_per_call: used.system / spec.calls,
      wall_ms_per_call: wallMs / spec.calls,
    })}\n`,
  );
} else {
  let failures = 0;
  let batches = 0;
  /** @param {number} size */
  const batch = async (size) => {
    const records = Array.from({ length: size }, take);
    const event = queueEvent(spec.projectId, records, `batch-${(batches += 1)}`);
    const started = performance.now();
    const answer = await handler(event, contextFor('queue', `batch-${batches}`));
    const ms = performance.now() - started;
    failures += answer.batchItemFailures.length;
    return ms;
  };
  await batch(1);
  await batch(10);
  failures = 0;
  /** @type {number[]} */
  const one = [];
  /** @type {number[]} */
  const ten = [];
  for (let r = 0; r < spec.reps; r += 1) {
    one.push(await batch(1));
    ten.push(await batch(10));
  }
  process.stdout.write(`${JSON.stringify({ failures, one_ms: median(one), ten_ms: median(ten), one, ten })}\n`);
}
process.exit(0);
