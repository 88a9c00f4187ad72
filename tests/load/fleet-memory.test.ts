// Memory at the declared maximum: one project of 10,000 instances (the most one run reads), each with
// the largest tags Huawei allows (20 tags, keys of 128 and values of 255 characters outside Latin-1),
// selected by a tag so every entry's tags are read. The built schedule function runs a dry run in a
// process of its own, and the DMS simulator answers from another, so the peak resident set measured
// is the run's alone: it keeps the compact facts each page yields, not the pages, and grows by at
// most 150 MB (the function has 256 MB). What is left is the pages' garbage waiting for the
// collector, whose pace varies with the machine's load: the median of three runs is asserted and
// printed (README.md, Performance).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { largestTags } from '../../local/simulator/index.ts';
import { KEY } from '../support/fixtures.ts';
import { newProjectId } from '../support/fleet.ts';
import { mebibytes } from '../support/load.ts';
import { startScript, type ScriptProcess } from '../support/script-process.ts';

const FLEET_SIZE = 10_000;
const MAX_GROWTH_BYTES = 150 * 1_000_000;
const project = newProjectId();
const [firstTag = ''] = Object.keys(largestTags());

interface Measured {
  rss_before: number;
  peak_rss: number;
  fleets: Array<{ matched: number; counts: Record<string, number>; error?: unknown; longest_name: number }>;
}

let simulator: ScriptProcess;
let url = '';

beforeAll(async () => {
  simulator = startScript('./largest-fleet-simulator.ts', { projectId: project, count: FLEET_SIZE, ...KEY }, {});
  url = (await simulator.line(/^simulator ready on (http:\S+)$/, 60_000))[1] ?? '';
}, 90_000);

afterAll(() => simulator?.kill());

describe(`load: memory of a dry run over ${FLEET_SIZE.toLocaleString('en')} instances carrying the largest tags`, () => {
  const dryRun = async (): Promise<Measured> => {
    const run = startScript(
      './measured-schedule-run.ts',
      { project_id: project, select: { tags: { [firstTag]: '*' } }, dry_run: true },
      {
        HUAWEICLOUD_REGION: 'cn-north-4',
        HUAWEICLOUD_DMS_ENDPOINT: url,
        HUAWEICLOUD_SDK_AK: KEY.ak,
        HUAWEICLOUD_SDK_SK: KEY.sk,
        LOG_LEVEL: 'SILENT',
        TZ: 'UTC',
      },
    );
    const measured = JSON.parse((await run.line(/^measured: (.*)$/, 240_000))[1] ?? '{}') as Measured;
    await run.exited;
    return measured;
  };

  it('the run keeps compact facts, not the pages: peak RSS grows by at most 150 MB (median of three runs)', async () => {
    const runs: Measured[] = [];
    for (let i = 0; i < 3; i += 1) runs.push(await dryRun());
    const growths = runs.map((m) => m.peak_rss - m.rss_before).sort((a, b) => a - b);
    const median = growths[1] ?? Infinity;
    console.info(
      `fleet-memory: ${FLEET_SIZE} instances with 20 tags of 128/255 characters each, dry run: RSS ${mebibytes(runs[0]?.rss_before ?? 0)} before, peak +${mebibytes(median)} (median; runs ${growths.map((g) => `+${mebibytes(g)}`).join(', ')})`,
    );

    for (const measured of runs) {
      expect(measured.fleets).toEqual([
        {
          matched: FLEET_SIZE,
          counts: { already_enabled: 2_000, enabling: 2_000, would_enable: 2_000, skipped_not_pay_per_use: 2_000, skipped_busy: 2_000 },
          longest_name: 11,
        },
      ]);
    }
    expect(median, `peak RSS grew by ${mebibytes(median)} (median of three runs)`).toBeLessThanOrEqual(MAX_GROWTH_BYTES);
  }, 600_000);
});
