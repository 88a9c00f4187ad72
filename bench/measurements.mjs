// What the benchmark measures, each in fresh child processes against the simulator: cold starts
// (ours / official / floor / the card's minimum alternating), warm CPU per call, queue batches under latency, and the
// first tracking send's SQS client.
import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { progress, WORK } from './setup.mjs';

/** @typedef {import('./children.mjs').Side} Side */
/** @typedef {'ours' | 'official'} Contender */
/** @typedef {ReturnType<typeof import('./children.mjs').children>} Children */

export const WARMUP = 200;
export const SQS_RUNS = 5;
export const LATENCY_MS = 50;

/**
 * @param {{
 *   sim: import('../local/simulator/index.ts').DmsSimulator,
 *   projectId: string,
 *   bundles: Record<Contender, {http: string, queue: string}> & {minimum: {http: string}},
 *   run: Children,
 *   fixtures: string,
 * }} setup
 */
export function measurements({ sim, projectId, bundles, run, fixtures }) {
  /** A fresh RUNNING pay-per-use instance without a connector: enabling it is one POST. */
  const freshInstance = () => {
    const instanceId = randomUUID();
    sim.addInstance({ projectId, instanceId });
    return instanceId;
  };
  /** Seeds `count` instances; the file lists their ids, each for one call. */
  const seededIdsFile = async (/** @type {number} */ count) => {
    const file = join(WORK, `ids-${randomUUID()}.json`);
    await writeFile(file, JSON.stringify(Array.from({ length: count }, freshInstance)));
    return file;
  };
  const fixturesUrl = pathToFileURL(fixtures).href;
  const urlOf = (/** @type {string} */ file) => pathToFileURL(file).href;

  return {
    /**
     * Whole processes, ours / official / floor / minimum alternating, the order rotated every round so no side
     * always follows another; round 0 warms the page cache and is not counted.
     * @param {number} rounds
     */
    async coldStarts(rounds) {
      /** @type {Side[]} */
      const sides = ['ours', 'official', 'floor', 'minimum'];
      const expected = { ours: 202, official: 202, floor: 401, minimum: 202 };
      const empty = () => ({
        wall: /** @type {number[]} */ ([]),
        answered: /** @type {number[]} */ ([]),
        imported: /** @type {number[]} */ ([]),
        rss: /** @type {number[]} */ ([]),
      });
      const cold = { ours: empty(), official: empty(), floor: empty(), minimum: empty() };
      progress(`cold starts: ${rounds} rounds of ${sides.join(' / ')}`);
      for (let round = 0; round <= rounds; round += 1) {
        const shift = round % sides.length;
        for (const side of [...sides.slice(shift), ...sides.slice(0, shift)]) {
          const instanceId = freshInstance();
          const common = { fixtures: fixturesUrl, url: sim.url, projectId, instanceId };
          const spec = side === 'floor' ? { kind: 'floor', ...common } : { kind: 'handler', bundle: urlOf(bundles[side].http), ...common };
          const { wallMs, out } = await run.cold(spec, side);
          if (out.status !== expected[side]) throw new Error(`cold start (${side}) answered ${out.status}, expected ${expected[side]}`);
          if (round === 0) continue;
          cold[side].wall.push(wallMs);
          cold[side].answered.push(out.answered_ms);
          cold[side].imported.push(out.import_ms);
          cold[side].rss.push(out.max_rss_kb);
        }
      }
      return cold;
    },

    /**
     * One process per side, two each (ours, official, official, ours); every call enables a fresh
     * instance: one POST, answered 200 by DMS and 202 by the function.
     * @param {number} calls
     */
    async warmCpu(calls) {
      sim.reset();
      progress(`warm CPU: ${calls} calls after ${WARMUP} warm-up, 2 processes per side`);
      const cpu = { ours: /** @type {number[]} */ ([]), official: /** @type {number[]} */ ([]) };
      for (const side of /** @type {Contender[]} */ (['ours', 'official', 'official', 'ours'])) {
        const idsFile = await seededIdsFile(WARMUP + calls);
        const out = await run.cpu({ mode: 'cpu', fixtures: fixturesUrl, bundle: urlOf(bundles[side].http), idsFile, projectId, warmup: WARMUP, calls }, side);
        if (out.statuses['202'] !== calls) throw new Error(`warm calls (${side}) answered ${JSON.stringify(out.statuses)}, expected ${calls} x 202`);
        cpu[side].push(out.cpu_us_per_call);
        await rm(idsFile, { force: true });
      }
      return cpu;
    },

    /**
     * A batch of 1 and a batch of 10 records, alternately, while every simulator answer waits LATENCY_MS.
     * @param {number} reps
     */
    async queueBatches(reps) {
      sim.reset();
      progress(`queue batches: ${reps} x (1 record, 10 records) per side, ${LATENCY_MS} ms on every answer`);
      sim.chaos({ seed: 1, faults: [{ probability: 1, fault: { kind: 'delay', ms: LATENCY_MS } }] });
      /** @type {Record<Contender, {one: number, ten: number}>} */
      const batches = { ours: { one: NaN, ten: NaN }, official: { one: NaN, ten: NaN } };
      for (const side of /** @type {Contender[]} */ (['ours', 'official'])) {
        const idsFile = await seededIdsFile(11 * (reps + 1));
        const out = await run.batch({ mode: 'batch', fixtures: fixturesUrl, bundle: urlOf(bundles[side].queue), idsFile, projectId, reps }, side);
        if (out.failures !== 0) throw new Error(`queue batches (${side}) reported ${out.failures} failed records`);
        batches[side] = { one: out.one_ms, ten: out.ten_ms };
        await rm(idsFile, { force: true });
      }
      sim.chaos(undefined);
      return batches;
    },

    /** The lazily imported SQS client, what the first tracking send pays. */
    async sqsClient() {
      progress(`SQS client: ${SQS_RUNS} fresh processes`);
      const sqs = { ms: /** @type {number[]} */ ([]), rss: /** @type {number[]} */ ([]) };
      for (let i = 0; i < SQS_RUNS; i += 1) {
        const out = await run.sqs();
        sqs.ms.push(out.ms);
        sqs.rss.push(out.rss_added_kb);
      }
      return sqs;
    },
  };
}
