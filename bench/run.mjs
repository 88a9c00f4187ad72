// npm run bench: our bundles against the same Lambda written with Huawei's official SDK
// (bench/official-handler.ts), both measured in the same run on this machine against the loopback DMS
// simulator, which runs in this process. Prints one markdown table, writes it to bench/results.md,
// and exits 0 even when a target is missed, unless --strict is given (then 1).
//
// Options: --strict, --rounds N (cold starts per side, default 21), --calls N (warm calls per process,
// default 500), --reps N (queue batches of each size, default 7).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, stop as stopEsbuild } from 'esbuild';
import { startDmsSimulator } from '../local/simulator/index.ts';
import { BUNDLE_OPTIONS } from '../scripts/bundle-options.mjs';
import { shippedRuntimeEnv } from './shipped-runtime.mjs';

/** @typedef {'ours' | 'official' | 'floor'} Side */
/** @typedef {'ours' | 'official'} Contender */
/** @typedef {{status: number, answered_ms: number, import_ms: number, max_rss_kb: number}} ColdOut */
/** @typedef {{statuses: Record<string, number>, cpu_us_per_call: number, wall_ms_per_call: number}} CpuOut */
/** @typedef {{failures: number, one_ms: number, ten_ms: number}} BatchOut */
/** @typedef {{ms: number, rss_added_kb: number, max_rss_kb: number}} SqsOut */
/** @typedef {{min: number, gzip: number}} Size */
/**
 * @typedef {object} Row
 * @property {string} measure
 * @property {string} ours
 * @property {string} official
 * @property {string} floor
 * @property {string} vsOfficial
 * @property {string} vsFloor
 * @property {string} target
 * @property {string} result
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCH = join(ROOT, 'bench');
const WORK = join(ROOT, '.bench');
const OFFICIAL_DIR = join(WORK, 'official');

const started = performance.now();
const args = process.argv.slice(2);
const strict = args.includes('--strict');
const ROUNDS = intOption('--rounds', 21, 11);
const CALLS = intOption('--calls', 500, 50);
const WARMUP = 200;
const REPS = intOption('--reps', 7, 3);
const SQS_RUNS = 5;
const LATENCY_MS = 50;
const LIMIT_BYTES = 100_000;

const KEY = { ak: 'BENCHAK00000000000001', sk: 'bench-secret-key-000000000001' };
const PROJECT = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';

/** @param {string} name @param {number} fallback @param {number} min */
function intOption(name, fallback, min) {
  const index = args.indexOf(name);
  if (index < 0) return fallback;
  const value = Number(args[index + 1]);
  if (!Number.isInteger(value) || value < min) fail(`${name} takes an integer >= ${min}`);
  return value;
}

/** @param {string} message @returns {never} */
function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(1);
}

/** @param {string} line */
function progress(line) {
  process.stderr.write(`bench: ${line}\n`);
}

if (Number(process.versions.node.split('.')[0]) < 22) fail(`Node.js 22 is needed (this is ${process.version}); run it with npm run bench`);

const OURS = {
  http: join(ROOT, 'dist/http/index.mjs'),
  queue: join(ROOT, 'dist/queue/index.mjs'),
  schedule: join(ROOT, 'dist/schedule/index.mjs'),
};
for (const file of Object.values(OURS)) {
  if (!existsSync(file)) fail(`${relative(ROOT, file)} is missing: npm run bench builds it first (npm run build)`);
}

// What serverless.yml ships to our functions' runtime (NODE_OPTIONS, ...): our processes run with it.
const SHIPPED = await shippedRuntimeEnv(['http', 'queue']);
const shippedLine = Object.entries(SHIPPED.http ?? {}).map(([name, value]) => `${name}=${value}`).join(' ') || 'no NODE_OPTIONS or other runtime variable';
progress(`serverless.yml ships: ${shippedLine}`);
/** @param {Side} side @param {'http' | 'queue'} fn */
const runtimeEnvOf = (side, fn) => (side === 'ours' ? (SHIPPED[fn] ?? {}) : {});

// ---------------------------------------------------------------------------------------------------
// 1. The official SDK's handler, bundled the way scripts/build.mjs bundles ours. The SDK is CommonJS
// and requires Node's built-ins: an ESM bundle needs a real `require` for them (the usual banner).

const REQUIRE_BANNER = "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);";

await rm(OFFICIAL_DIR, { recursive: true, force: true });
await mkdir(OFFICIAL_DIR, { recursive: true });
const OFFICIAL = { http: join(OFFICIAL_DIR, 'http.mjs'), queue: join(OFFICIAL_DIR, 'queue.mjs') };
/** @type {[string, import('esbuild').Metafile][]} */
const metafiles = [];
for (const [name, exported] of [['http', 'handler'], ['queue', 'queueHandler']]) {
  const result = await build({
    ...BUNDLE_OPTIONS,
    stdin: {
      contents: `export { ${exported} as handler } from './official-handler.ts';`,
      resolveDir: BENCH,
      sourcefile: `official-${name}.ts`,
      loader: 'ts',
    },
    outfile: join(OFFICIAL_DIR, `${name}.mjs`),
    banner: { js: REQUIRE_BANNER },
    metafile: true,
  });
  if (result.metafile) metafiles.push([`official ${name}`, result.metafile]);
}
// Ours again, in memory only, for the metafile: dist/ stays exactly as npm run build wrote it.
for (const name of ['http', 'queue']) {
  const result = await build({
    ...BUNDLE_OPTIONS,
    entryPoints: [join(ROOT, `functions/${name}.ts`)],
    outfile: join(WORK, `ours-${name}.mjs`),
    write: false,
    metafile: true,
  });
  if (result.metafile) metafiles.push([`ours ${name}`, result.metafile]);
}
await stopEsbuild();
progress(`built ${relative(ROOT, OFFICIAL.http)} and ${relative(ROOT, OFFICIAL.queue)}`);

// ---------------------------------------------------------------------------------------------------
// 2. Bundle sizes.

/** @param {string} file @returns {Promise<Size>} */
async function sizes(file) {
  const bytes = await readFile(file);
  return { min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}
const size = {
  ours: { http: await sizes(OURS.http), queue: await sizes(OURS.queue), schedule: await sizes(OURS.schedule) },
  official: { http: await sizes(OFFICIAL.http), queue: await sizes(OFFICIAL.queue) },
};

// ---------------------------------------------------------------------------------------------------
// The simulator, in this process (Node 22 runs the TypeScript directly).

const sim = await startDmsSimulator({ credentials: [KEY], jobMs: 60_000 });

/** A fresh RUNNING pay-per-use instance without a connector: enabling it is one POST. */
function freshInstance() {
  const instanceId = randomUUID();
  sim.addInstance({ projectId: PROJECT, instanceId });
  return instanceId;
}

/** @param {number} count */
async function seededIdsFile(count) {
  const file = join(WORK, `ids-${randomUUID()}.json`);
  await writeFile(file, JSON.stringify(Array.from({ length: count }, freshInstance)));
  return file;
}

// What the functions read at cold start; nothing else leaks in from this shell (NODE_OPTIONS, ...).
const CHILD_ENV = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  HUAWEICLOUD_REGION: 'cn-north-4',
  HUAWEICLOUD_DMS_ENDPOINT: sim.url,
  HUAWEICLOUD_SDK_AK: KEY.ak,
  HUAWEICLOUD_SDK_SK: KEY.sk,
  LOG_LEVEL: 'SILENT',
  AWS_REGION: 'eu-west-1',
  TZ: 'UTC',
};

/**
 * Spawns node on a runner script; resolves with the wall time from spawn to exit and the JSON line
 * the runner printed.
 * @param {string} script @param {object} spec @param {Record<string, string>} [runtimeEnv] added to CHILD_ENV
 * @returns {Promise<{wallMs: number, out: unknown}>}
 */
function runChild(script, spec, runtimeEnv = {}) {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    let wallMs = 0;
    const t0 = performance.now();
    const child = spawn(process.execPath, [join(BENCH, script), JSON.stringify(spec)], {
      cwd: WORK,
      env: { ...CHILD_ENV, ...runtimeEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.on('exit', () => {
      wallMs = performance.now() - t0;
    });
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{')) {
        reject(new Error(`${script} exited with ${code}: ${(stderr || stdout).slice(-2000)}`));
        return;
      }
      resolve({ wallMs, out: JSON.parse(line) });
    });
  });
}
/** @param {object} spec @param {Side} side */
const coldRun = async (spec, side) => /** @type {{wallMs: number, out: ColdOut}} */ (await runChild('cold-runner.mjs', spec, runtimeEnvOf(side, 'http')));
/** @param {object} spec @param {Side} side */
const cpuRun = async (spec, side) => /** @type {CpuOut} */ ((await runChild('warm-runner.mjs', spec, runtimeEnvOf(side, 'http'))).out);
/** @param {object} spec @param {Side} side */
const batchRun = async (spec, side) => /** @type {BatchOut} */ ((await runChild('warm-runner.mjs', spec, runtimeEnvOf(side, 'queue'))).out);
const sqsRun = async () => /** @type {SqsOut} */ ((await runChild('sqs-runner.mjs', {})).out);

/** @param {readonly number[]} values */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

/** Spread of a sample, (p75 - p25) / median: tells a steady number from a noisy one. */
function spread(/** @type {readonly number[]} */ values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (/** @type {number} */ q) => sorted[Math.round(q * (sorted.length - 1))] ?? NaN;
  return (at(0.75) - at(0.25)) / median(values);
}

const pct = (/** @type {number} */ x) => `${Math.round(x * 100)}%`;
const ratio = (/** @type {number} */ a, /** @type {number} */ b) => `${(a / b).toFixed(2)}×`;
const kb = (/** @type {number} */ n) => `${(n / 1000).toFixed(1)} kB`;
const ms = (/** @type {number} */ n) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;
const mib = (/** @type {number} */ kib) => `${(kib / 1024).toFixed(1)} MiB`;

let exitCode = 0;
try {
  // -------------------------------------------------------------------------------------------------
  // 3. Cold starts: whole processes, ours / official / floor alternating, the order rotated every
  // round so no side always follows another; round 0 warms the page cache and is not counted.
  /** @type {Side[]} */
  const SIDES = ['ours', 'official', 'floor'];
  const EXPECTED = { ours: 202, official: 202, floor: 401 };
  const emptyCold = () => ({ wall: /** @type {number[]} */ ([]), answered: /** @type {number[]} */ ([]), imported: /** @type {number[]} */ ([]), rss: /** @type {number[]} */ ([]) });
  const cold = { ours: emptyCold(), official: emptyCold(), floor: emptyCold() };
  progress(`cold starts: ${ROUNDS} rounds of ${SIDES.join(' / ')}`);
  for (let round = 0; round <= ROUNDS; round += 1) {
    const shift = round % SIDES.length;
    for (const side of [...SIDES.slice(shift), ...SIDES.slice(0, shift)]) {
      const instanceId = freshInstance();
      const spec =
        side === 'floor'
          ? { kind: 'floor', url: sim.url, projectId: PROJECT, instanceId }
          : { kind: 'handler', bundle: pathToFileURL(bundlesOf(side).http).href, url: sim.url, projectId: PROJECT, instanceId };
      const { wallMs, out } = await coldRun(spec, side);
      if (out.status !== EXPECTED[side]) throw new Error(`cold start (${side}) answered ${out.status}, expected ${EXPECTED[side]}`);
      if (round === 0) continue;
      cold[side].wall.push(wallMs);
      cold[side].answered.push(out.answered_ms);
      cold[side].imported.push(out.import_ms);
      cold[side].rss.push(out.max_rss_kb);
    }
  }

  // -------------------------------------------------------------------------------------------------
  // 4. Warm CPU per call: one process per side, two each (ours, official, official, ours); every call
  // enables a fresh instance: one POST, answered 200 by DMS and 202 by the function.
  sim.reset();
  progress(`warm CPU: ${CALLS} calls after ${WARMUP} warm-up, 2 processes per side`);
  const cpu = { ours: /** @type {number[]} */ ([]), official: /** @type {number[]} */ ([]) };
  /** @type {Contender[]} */
  const cpuOrder = ['ours', 'official', 'official', 'ours'];
  for (const side of cpuOrder) {
    const idsFile = await seededIdsFile(WARMUP + CALLS);
    const bundle = pathToFileURL(bundlesOf(side).http).href;
    const out = await cpuRun({ mode: 'cpu', bundle, idsFile, projectId: PROJECT, warmup: WARMUP, calls: CALLS }, side);
    if (out.statuses['202'] !== CALLS) throw new Error(`warm calls (${side}) answered ${JSON.stringify(out.statuses)}, expected ${CALLS} x 202`);
    cpu[side].push(out.cpu_us_per_call);
    await rm(idsFile, { force: true });
  }

  // -------------------------------------------------------------------------------------------------
  // 5. Queue batches under latency: every simulator answer waits LATENCY_MS first.
  sim.reset();
  progress(`queue batches: ${REPS} x (1 record, 10 records) per side, ${LATENCY_MS} ms on every answer`);
  sim.chaos({ seed: 1, faults: [{ probability: 1, fault: { kind: 'delay', ms: LATENCY_MS } }] });
  /** @type {Record<Contender, {one: number, ten: number}>} */
  const batches = { ours: { one: NaN, ten: NaN }, official: { one: NaN, ten: NaN } };
  /** @type {Contender[]} */
  const contenders = ['ours', 'official'];
  for (const side of contenders) {
    const idsFile = await seededIdsFile(11 * (REPS + 1));
    const bundle = pathToFileURL(bundlesOf(side).queue).href;
    const out = await batchRun({ mode: 'batch', bundle, idsFile, projectId: PROJECT, reps: REPS }, side);
    if (out.failures !== 0) throw new Error(`queue batches (${side}) reported ${out.failures} failed records`);
    batches[side] = { one: out.one_ms, ten: out.ten_ms };
    await rm(idsFile, { force: true });
  }
  sim.chaos(undefined);

  // -------------------------------------------------------------------------------------------------
  // 6. The lazily imported SQS client, what the first tracking send pays.
  progress(`SQS client: ${SQS_RUNS} fresh processes`);
  /** @type {number[]} */
  const sqsMs = [];
  /** @type {number[]} */
  const sqsRss = [];
  for (let i = 0; i < SQS_RUNS; i += 1) {
    const out = await sqsRun();
    sqsMs.push(out.ms);
    sqsRss.push(out.rss_added_kb);
  }

  // -------------------------------------------------------------------------------------------------
  // 7. The table.
  const wall = { ours: median(cold.ours.wall), official: median(cold.official.wall), floor: median(cold.floor.wall) };
  const answered = { ours: median(cold.ours.answered), official: median(cold.official.answered), floor: median(cold.floor.answered) };
  const imported = { ours: median(cold.ours.imported), official: median(cold.official.imported) };
  const rss = { ours: median(cold.ours.rss), official: median(cold.official.rss), floor: median(cold.floor.rss) };
  const cpuPerCall = { ours: median(cpu.ours), official: median(cpu.official) };
  const batchRatio = { ours: batches.ours.ten / batches.ours.one, official: batches.official.ten / batches.official.one };

  /** @type {Row[]} */
  const rows = [];
  /** @type {string[]} */
  const missed = [];
  /** @param {boolean} ok @param {string} what */
  const verdict = (ok, what) => {
    if (!ok) missed.push(what);
    return ok ? 'pass' : '**FAIL**';
  };
  const blank = { floor: '', vsFloor: '', target: '', result: '' };

  for (const name of /** @type {const} */ (['http', 'queue', 'schedule'])) {
    const ours = size.ours[name];
    /** @type {Size | undefined} */
    const official = name === 'schedule' ? undefined : size.official[name];
    rows.push({
      ...blank,
      measure: `bundle ${name}, minified`,
      ours: kb(ours.min),
      official: official ? kb(official.min) : '– (no variant)',
      vsOfficial: official ? ratio(ours.min, official.min) : '',
      target: 'ours ≤ 100 kB',
      result: verdict(ours.min <= LIMIT_BYTES, `bundle ${name} ≤ 100 kB`),
    });
    rows.push({
      ...blank,
      measure: `bundle ${name}, gzip -9`,
      ours: kb(ours.gzip),
      official: official ? kb(official.gzip) : '–',
      vsOfficial: official ? ratio(ours.gzip, official.gzip) : '',
    });
  }
  rows.push({
    measure: `cold start to first answer: spawn → exit, median of ${ROUNDS}`,
    ours: ms(wall.ours),
    official: ms(wall.official),
    floor: ms(wall.floor),
    vsOfficial: ratio(wall.ours, wall.official),
    vsFloor: ratio(wall.ours, wall.floor),
    target: '≤ 0.55× official; ≤ 1.10× floor',
    result: `${verdict(wall.ours <= 0.55 * wall.official, 'cold start ≤ 0.55× official')}; ${verdict(wall.ours <= 1.1 * wall.floor, 'cold start ≤ 1.10× floor')}`,
  });
  rows.push({
    measure: 'cold start in process: process start → answer (of which: importing the bundle)',
    ours: `${ms(answered.ours)} (${ms(imported.ours)})`,
    official: `${ms(answered.official)} (${ms(imported.official)})`,
    floor: ms(answered.floor),
    vsOfficial: ratio(answered.ours, answered.official),
    vsFloor: ratio(answered.ours, answered.floor),
    target: '(diagnosis)',
    result: '',
  });
  rows.push({
    measure: 'peak RSS of the cold-start process (maxRSS), median',
    ours: mib(rss.ours),
    official: mib(rss.official),
    floor: mib(rss.floor),
    vsOfficial: ratio(rss.ours, rss.official),
    vsFloor: ratio(rss.ours, rss.floor),
    target: '≤ 0.8× official',
    result: verdict(rss.ours <= 0.8 * rss.official, 'peak RSS ≤ 0.8× official'),
  });
  rows.push({
    ...blank,
    measure: `warm CPU per call (user+system): ${CALLS} sequential calls after ${WARMUP}, 2 processes per side`,
    ours: `${Math.round(cpuPerCall.ours)} µs`,
    official: `${Math.round(cpuPerCall.official)} µs`,
    vsOfficial: ratio(cpuPerCall.ours, cpuPerCall.official),
    target: '≤ 1.0× official',
    result: verdict(cpuPerCall.ours <= cpuPerCall.official, 'warm CPU ≤ 1.0× official'),
  });
  rows.push({
    ...blank,
    measure: `queue: batch of 10 / batch of 1 (wall), ${LATENCY_MS} ms latency on every answer, median of ${REPS}`,
    ours: `${batchRatio.ours.toFixed(2)}× (${ms(batches.ours.ten)} / ${ms(batches.ours.one)})`,
    official: `${batchRatio.official.toFixed(2)}× (${ms(batches.official.ten)} / ${ms(batches.official.one)})`,
    vsOfficial: ratio(batchRatio.ours, batchRatio.official),
    target: 'ours ≤ 1.3×',
    result: verdict(batchRatio.ours <= 1.3, 'queue batch of 10 ≤ 1.3× batch of 1'),
  });
  rows.push({
    ...blank,
    measure: `first tracking send: import @aws-sdk/client-sqs + new SQSClient, fresh process, median of ${SQS_RUNS}`,
    ours: `${ms(median(sqsMs))}, +${mib(median(sqsRss))} RSS`,
    official: '–',
    vsOfficial: '',
    target: '(none)',
  });

  const cpuInfo = os.cpus();
  const machine =
    `Machine: ${cpuInfo[0]?.model.trim() ?? 'unknown cpu'}, ${cpuInfo.length} cores, ` +
    `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, Node.js ${process.version} (${process.platform} ${process.arch}), ` +
    `${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`;
  const header = ['measure', 'ours', 'official SDK', 'floor (node + fetch)', 'ours / official', 'ours / floor', 'target', 'result'];
  const table = [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 || i >= 6 ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${[r.measure, r.ours, r.official, r.floor, r.vsOfficial, r.vsFloor, r.target, r.result].join(' | ')} |`),
  ].join('\n');
  const notes = [
    'Ours: dist/http, dist/queue, dist/schedule as `npm run build` writes them. Official SDK: bench/official-handler.ts',
    '(@huaweicloud/huaweicloud-sdk-kafka, one KafkaClient per project; its queue variant runs the records with Promise.all),',
    `bundled with the same esbuild options. Every process is a fresh \`node\` ${process.version} against the DMS simulator on`,
    `${new URL(sim.url).hostname}, every call enabling a fresh instance (one signed POST). Cold starts alternate the three sides,`,
    'the order rotated every round, after one uncounted warm-up round; the runner exits as soon as it has the answer.',
    `Ours run with the runtime settings serverless.yml ships (read with \`serverless print\`): ${shippedLine}.`,
    `Spread (IQR / median) of the cold-start wall times: ours ${pct(spread(cold.ours.wall))}, official`,
    `${pct(spread(cold.official.wall))}, floor ${pct(spread(cold.floor.wall))}. 1 kB = 1000 bytes. \`npm run bench\` regenerates this file.`,
  ].join('\n');
  const report = `${machine}\n\n${table}\n\n${notes}\n`;

  process.stdout.write(`\n${report}\n`);
  await writeFile(join(BENCH, 'results.md'), report);

  // Diagnosis: where the bytes of each function bundle come from (esbuild metafile).
  process.stdout.write('Bundle composition (bytes in the minified output, by package):\n');
  for (const [name, metafile] of metafiles) {
    const output = Object.entries(metafile.outputs).find(([file]) => file.endsWith('.mjs'))?.[1];
    /** @type {Map<string, number>} */
    const byPackage = new Map();
    for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? `(project) ${input.split('/')[0] ?? input}`;
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + bytesInOutput);
    }
    const top = [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 8);
    process.stdout.write(`  ${name}: ${top.map(([pkg, bytes]) => `${pkg} ${kb(bytes)}`).join(', ')}\n`);
  }
  const missedLine = missed.length ? `missed targets: ${missed.join('; ')}` : 'every target met';
  process.stdout.write(`\n${missedLine}\nwrote bench/results.md in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  if (strict && missed.length) exitCode = 1;
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  exitCode = 1;
} finally {
  await sim.close();
}
process.exit(exitCode);

/** @param {Contender} side */
function bundlesOf(side) {
  return side === 'ours' ? OURS : OFFICIAL;
}
