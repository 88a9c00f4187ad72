// The measured processes: a fresh `node` on one of the runner scripts (cold-runner, warm-runner,
// sqs-runner) with only the environment the functions read at cold start (nothing else leaks in from
// this shell: NODE_OPTIONS, ...), plus, for our side, the runtime settings serverless.yml ships.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BENCH, WORK } from './setup.mjs';

/** @typedef {'ours' | 'official' | 'floor' | 'minimum'} Side */
/** @typedef {{status: number, answered_ms: number, import_ms: number, max_rss_kb: number}} ColdOut */
/** @typedef {{statuses: Record<string, number>, cpu_us_per_call: number, wall_ms_per_call: number}} CpuOut */
/** @typedef {{failures: number, one_ms: number, ten_ms: number}} BatchOut */
/** @typedef {{ms: number, rss_added_kb: number, max_rss_kb: number}} SqsOut */

/**
 * @param {{dmsUrl: string, key: {ak: string, sk: string}, shipped: Record<string, Record<string, string>>}} setup
 */
export function children({ dmsUrl, key, shipped }) {
  const childEnv = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    HUAWEICLOUD_REGION: 'cn-north-4',
    HUAWEICLOUD_DMS_ENDPOINT: dmsUrl,
    HUAWEICLOUD_SDK_AK: key.ak,
    HUAWEICLOUD_SDK_SK: key.sk,
    LOG_LEVEL: 'SILENT',
    AWS_REGION: 'eu-west-1',
    TZ: 'UTC',
  };
  // The card's minimum stands in for our function, so it ships as ours does.
  /** @param {Side} side @param {'http' | 'queue'} fn */
  const runtimeEnvOf = (side, fn) => (side === 'ours' || side === 'minimum' ? (shipped[fn] ?? {}) : {});

  /**
   * Spawns node on a runner script; resolves with the wall time from spawn to exit and the JSON line
   * the runner printed.
   * @param {string} script @param {object} spec @param {Record<string, string>} [runtimeEnv] added to the child's environment
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
        env: { ...childEnv, ...runtimeEnv },
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

  return {
    /** @param {object} spec @param {Side} side */
    cold: async (spec, side) => /** @type {{wallMs: number, out: ColdOut}} */ (await runChild('cold-runner.mjs', spec, runtimeEnvOf(side, 'http'))),
    /** @param {object} spec @param {Side} side */
    cpu: async (spec, side) => /** @type {CpuOut} */ ((await runChild('warm-runner.mjs', spec, runtimeEnvOf(side, 'http'))).out),
    /** @param {object} spec @param {Side} side */
    batch: async (spec, side) => /** @type {BatchOut} */ ((await runChild('warm-runner.mjs', spec, runtimeEnvOf(side, 'queue'))).out),
    sqs: async () => /** @type {SqsOut} */ ((await runChild('sqs-runner.mjs', {})).out),
  };
}
