// The benchmark's report: one markdown table (each target's verdict), the notes that say what the
// numbers rest on, and, for diagnosis, where each bundle's bytes come from.
import os from 'node:os';
import { LATENCY_MS, SQS_RUNS, WARMUP } from './measurements.mjs';
import { kb, median, mib, ms, pct, ratio, spread } from './stats.mjs';

/** @typedef {import('./setup.mjs').Size} Size */
/** @typedef {{measure: string, ours: string, official: string, floor: string, vsOfficial: string, vsFloor: string, target: string, result: string}} Row */
/** @typedef {{wall: number[], answered: number[], imported: number[], rss: number[]}} ColdSamples */

/**
 * @typedef {object} Results
 * @property {{rounds: number, calls: number, reps: number}} options
 * @property {{ours: Record<'http' | 'queue' | 'schedule', Size>, official: Record<'http' | 'queue', Size>}} size
 * @property {Record<'ours' | 'official' | 'floor' | 'minimum', ColdSamples>} cold
 * @property {Record<'ours' | 'official', number[]>} cpu
 * @property {Record<'ours' | 'official', {one: number, ten: number}>} batches
 * @property {{ms: number[], rss: number[]}} sqs
 * @property {string} dmsHost
 * @property {string} shippedLine
 */

/** @param {Results} r @returns {{report: string, missed: string[]}} */
export function reportOf(r) {
  /** @type {string[]} */
  const missed = [];
  /** @param {boolean} ok @param {string} what */
  const verdict = (ok, what) => {
    if (!ok) missed.push(what);
    return ok ? 'pass' : '**FAIL**';
  };
  const rows = [...sizeRows(r.size), ...timingRows(r, verdict)];
  const cpuInfo = os.cpus();
  const machine =
    `Machine: ${cpuInfo[0]?.model.trim() ?? 'unknown cpu'}, ${cpuInfo.length} cores, ` +
    `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, Node.js ${process.version} (${process.platform} ${process.arch}), ` +
    `${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`;
  const header = ['measure', 'ours', 'official SDK', 'floor (node + fetch)', 'ours / official', 'ours / floor', 'target', 'result'];
  const table = [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 || i >= 6 ? '---' : '---:')).join('|')}|`,
    ...rows.map((row) => `| ${[row.measure, row.ours, row.official, row.floor, row.vsOfficial, row.vsFloor, row.target, row.result].join(' | ')} |`),
  ].join('\n');
  const notes = [
    "Ours: dist/http, dist/queue, dist/schedule as `npm run build` writes them. The card's minimum: bench/minimum-handler.ts (middy,",
    'valibot, our signer, ky over our node:http transport, nothing else), run as ours are. Official SDK: bench/official-handler.ts',
    '(@huaweicloud/huaweicloud-sdk-kafka, one KafkaClient per project; its queue variant runs the records with Promise.all),',
    `bundled with the same esbuild options. Every process is a fresh \`node\` ${process.version} against the DMS simulator on`,
    `${r.dmsHost}, every call enabling a fresh instance (one signed POST). Cold starts alternate the four sides,`,
    'the order rotated every round, after one uncounted warm-up round; the runner exits as soon as it has the answer.',
    `Ours run with the runtime settings serverless.yml ships (read with \`serverless print\`): ${r.shippedLine}.`,
    `Spread (IQR / median) of the cold-start wall times: ours ${pct(spread(r.cold.ours.wall))}, official`,
    `${pct(spread(r.cold.official.wall))}, floor ${pct(spread(r.cold.floor.wall))}. 1 kB = 1000 bytes. \`npm run bench\` regenerates this file.`,
  ].join('\n');
  return { report: `${machine}\n\n${table}\n\n${notes}\n`, missed };
}

const BLANK = { floor: '', vsFloor: '', target: '', result: '' };

/** Sizes are reported, not a target: cold start is what users feel. @param {Results['size']} size @returns {Row[]} */
function sizeRows(size) {
  return /** @type {const} */ (['http', 'queue', 'schedule']).flatMap((name) => {
    const ours = size.ours[name];
    const official = name === 'schedule' ? undefined : size.official[name];
    return [
      {
        ...BLANK,
        measure: `bundle ${name}, minified`,
        ours: kb(ours.min),
        official: official ? kb(official.min) : '– (no variant)',
        vsOfficial: official ? ratio(ours.min, official.min) : '',
        target: '(reported)',
      },
      {
        ...BLANK,
        measure: `bundle ${name}, gzip -9`,
        ours: kb(ours.gzip),
        official: official ? kb(official.gzip) : '–',
        vsOfficial: official ? ratio(ours.gzip, official.gzip) : '',
      },
    ];
  });
}

/** @param {Results} r @param {(ok: boolean, what: string) => string} verdict @returns {Row[]} */
function timingRows({ options, cold, cpu, batches, sqs }, verdict) {
  /** @param {keyof ColdSamples} what */
  const of = (what) => ({
    ours: median(cold.ours[what]),
    official: median(cold.official[what]),
    floor: median(cold.floor[what]),
    minimum: median(cold.minimum[what]),
  });
  const [wall, answered, imported, rss] = [of('wall'), of('answered'), of('imported'), of('rss')];
  const cpuPerCall = { ours: median(cpu.ours), official: median(cpu.official) };
  const batchRatio = { ours: batches.ours.ten / batches.ours.one, official: batches.official.ten / batches.official.one };
  return [
    {
      measure: `cold start to first answer: spawn → exit, median of ${options.rounds}`,
      ours: ms(wall.ours),
      official: ms(wall.official),
      floor: ms(wall.floor),
      vsOfficial: ratio(wall.ours, wall.official),
      vsFloor: ratio(wall.ours, wall.floor),
      target: '≤ 0.55× official; ≤ 1.10× floor',
      result: `${verdict(wall.ours <= 0.55 * wall.official, 'cold start ≤ 0.55× official')}; ${verdict(wall.ours <= 1.1 * wall.floor, 'cold start ≤ 1.10× floor')}`,
    },
    {
      measure: 'cold start in process: process start → answer (of which: importing the bundle)',
      ours: `${ms(answered.ours)} (${ms(imported.ours)})`,
      official: `${ms(answered.official)} (${ms(imported.official)})`,
      floor: ms(answered.floor),
      vsOfficial: ratio(answered.ours, answered.official),
      vsFloor: ratio(answered.ours, answered.floor),
      target: '(diagnosis)',
      result: '',
    },
    {
      measure: `the card's minimum (bench/minimum-handler.ts) in ours' place: cold start to first answer, spawn → exit, median of ${options.rounds}`,
      ours: ms(wall.minimum),
      official: '',
      floor: ms(wall.floor),
      vsOfficial: '',
      vsFloor: ratio(wall.minimum, wall.floor),
      target: '(diagnosis)',
      result: `ours: ${ratio(wall.ours, wall.minimum)} it`,
    },
    {
      measure: 'peak RSS of the cold-start process (maxRSS), median',
      ours: mib(rss.ours),
      official: mib(rss.official),
      floor: mib(rss.floor),
      vsOfficial: ratio(rss.ours, rss.official),
      vsFloor: ratio(rss.ours, rss.floor),
      target: '≤ 0.8× official',
      result: verdict(rss.ours <= 0.8 * rss.official, 'peak RSS ≤ 0.8× official'),
    },
    {
      ...BLANK,
      measure: `warm CPU per call (user+system): ${options.calls} sequential calls after ${WARMUP}, 2 processes per side`,
      ours: `${Math.round(cpuPerCall.ours)} µs`,
      official: `${Math.round(cpuPerCall.official)} µs`,
      vsOfficial: ratio(cpuPerCall.ours, cpuPerCall.official),
      target: '≤ 1.0× official',
      result: verdict(cpuPerCall.ours <= cpuPerCall.official, 'warm CPU ≤ 1.0× official'),
    },
    {
      ...BLANK,
      measure: `queue: batch of 10 / batch of 1 (wall), ${LATENCY_MS} ms latency on every answer, median of ${options.reps}`,
      ours: `${batchRatio.ours.toFixed(2)}× (${ms(batches.ours.ten)} / ${ms(batches.ours.one)})`,
      official: `${batchRatio.official.toFixed(2)}× (${ms(batches.official.ten)} / ${ms(batches.official.one)})`,
      vsOfficial: ratio(batchRatio.ours, batchRatio.official),
      target: 'ours ≤ 1.3×',
      result: verdict(batchRatio.ours <= 1.3, 'queue batch of 10 ≤ 1.3× batch of 1'),
    },
    {
      ...BLANK,
      measure: `first tracking send: import @aws-sdk/client-sqs + new SQSClient, fresh process, median of ${SQS_RUNS}`,
      ours: `${ms(median(sqs.ms))}, +${mib(median(sqs.rss))} RSS`,
      official: '–',
      vsOfficial: '',
      target: '(none)',
    },
  ];
}

/** Diagnosis: where the bytes of each function bundle come from (esbuild metafile). @param {[string, import('esbuild').Metafile][]} metafiles */
export function compositionOf(metafiles) {
  const lines = ['Bundle composition (bytes in the minified output, by package):'];
  for (const [name, metafile] of metafiles) {
    const output = Object.entries(metafile.outputs).find(([file]) => file.endsWith('.mjs'))?.[1];
    /** @type {Map<string, number>} */
    const byPackage = new Map();
    for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? `(project) ${input.split('/')[0] ?? input}`;
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + bytesInOutput);
    }
    const top = [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 8);
    lines.push(`  ${name}: ${top.map(([pkg, bytes]) => `${pkg} ${kb(bytes)}`).join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}
