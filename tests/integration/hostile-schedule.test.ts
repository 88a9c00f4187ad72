// Hostile schedule input (property-based, fast-check) against the BUILT schedule bundle: invalid
// targets, alone or among valid ones, and inputs that are not a target list at all: only
// TransientScheduleFailure may be thrown, and Huawei hears only of valid targets (or of
// SCHEDULE_TARGETS when the input names none). The stage and the generators: tests/support/hostile-*.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { functionContext } from '../../local/hosting/index.ts';
import { invalidRecord, isJson, materialise, validRecord, wrapText, type BuiltText, type RecordSpec } from '../support/hostile-inputs.ts';
import {
  DEFAULT_TARGET,
  expectLoopbackOnly,
  expectNoCrashLogged,
  fx,
  guardMark,
  hostileStage,
  RUNS,
  schedule,
  settings,
  TRANSIENT,
} from '../support/hostile-stage.ts';
import { capturing } from '../support/output.ts';

hostileStage();

// ---- schedule ----------------------------------------------------------------------------------

interface ScheduleCase {
  /** Builds the input; the targets named in it (materialised). */
  build(): { input: unknown; targets: BuiltText[] | undefined; validTargets: BuiltText[] };
  hasTargetsArray: boolean;
}

let scheduleCounter = 0;
const targetValue = (built: BuiltText): unknown => (isJson(built.text) ? JSON.parse(built.text) : built.text);
// Targets are not unwrapped: an envelope around an invalid target keeps it invalid; valid ones go bare.
const materialiseTarget = (spec: RecordSpec, index: number) =>
  materialise(wrapText(spec.text, spec.valid ? 'none' : spec.wrap), `/schedule/${scheduleCounter}/${index}`);

function scheduleCase(targetSpecs: fc.Arbitrary<RecordSpec[]>): fc.Arbitrary<ScheduleCase> {
  const withTargets = fc.tuple(targetSpecs, fc.constantFrom('scheduler', 'rule', 'rule-with-id')).map(
    ([specs, shape]): ScheduleCase => ({
      hasTargetsArray: true,
      build() {
        scheduleCounter += 1;
        const targets = specs.map(materialiseTarget);
        const validTargets = targets.filter((_, i) => specs[i]?.valid);
        const payload = { targets: targets.map(targetValue) };
        const input =
          shape === 'scheduler'
            ? payload
            : {
                version: '0',
                'detail-type': 'Scheduled Event',
                source: 'aws.events',
                ...(shape === 'rule-with-id' ? { id: `ev-${scheduleCounter}` } : {}),
                detail: payload,
              };
        return { input, targets, validTargets };
      },
    }),
  );
  const junk = fc
    .oneof(
      fc.constantFrom<unknown>(undefined, null, 0, '', 'targets', true, [], {}, { targets: null }, { targets: {} }, { targets: 'all' }, { targets: 3 }),
      fc.jsonValue({ maxDepth: 3 }),
      fc.jsonValue({ maxDepth: 2 }).map((targets) => ({ targets })),
      fc.jsonValue({ maxDepth: 2 }).map((detail) => ({ 'detail-type': 'Scheduled Event', id: detail, detail })),
      fc.jsonValue({ maxDepth: 2 }).map((detail) => ({ 'detail-type': 'Scheduled Event', detail: { targets: detail } })),
    )
    .map(
      (input): ScheduleCase => ({
        hasTargetsArray: false,
        build: () => ({ input, targets: undefined, validTargets: [] }),
      }),
    );
  return fc.oneof({ weight: 3, arbitrary: withTargets }, { weight: 1, arbitrary: junk });
}

async function runSchedule(c: ScheduleCase) {
  const { input, targets, validTargets } = c.build();
  fx.sim.reset();
  const mark = guardMark();
  let thrown: unknown;
  let summary: Awaited<ReturnType<typeof schedule>> | undefined;
  const { lines } = await capturing(async () => {
    try {
      summary = await schedule(input, functionContext('schedule'));
    } catch (error) {
      thrown = error;
    }
  });
  if (thrown !== undefined) {
    expect(thrown instanceof Error ? thrown.name : typeof thrown, `the schedule threw ${String(thrown)}`).toBe(TRANSIENT);
  }
  expectNoCrashLogged(lines);
  expectLoopbackOnly(mark);
  // Huawei hears only of valid targets, or of SCHEDULE_TARGETS when the input names none.
  const allowed = new Set([...validTargets.flatMap((t) => t.fresh), ...(c.hasTargetsArray ? [] : [DEFAULT_TARGET])]);
  for (const request of fx.sim.requests) {
    const instance = decodeURIComponent(request.path.split('/')[4] ?? '');
    expect(allowed.has(instance), `Huawei was called for ${request.method} ${request.path} (input ${JSON.stringify(input)?.slice(0, 300)})`).toBe(true);
  }
  return { input, targets, validTargets, summary, thrown };
}

describe('hostile schedule input', () => {
  it('invalid targets: only TransientScheduleFailure may be thrown, and nothing is sent to Huawei for them', async () => {
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(scheduleCase(fc.array(invalidRecord, { minLength: 0, maxLength: 6 })), async (c) => {
        const { targets, summary, thrown } = await runSchedule(c);
        if (c.hasTargetsArray) {
          expect(fx.sim.requests).toHaveLength(0);
          if (!thrown && summary && targets) {
            expect(summary.targets).toBe(targets.length);
            expect(summary.counts.rejected ?? 0).toBe(targets.length);
            rejected += targets.length;
          }
        }
      }),
      settings(RUNS.scheduleInvalid),
    );
    expect(rejected).toBeGreaterThan(100);
  });

  it('mixed targets: each valid target is enabled once, nothing else reaches Huawei', async () => {
    let validSeen = 0;
    await fc.assert(
      fc.asyncProperty(scheduleCase(fc.array(fc.oneof(validRecord, invalidRecord), { minLength: 1, maxLength: 6 })), async (c) => {
        const { validTargets, summary, thrown } = await runSchedule(c);
        expect(thrown, 'no transient failure is possible here').toBeUndefined();
        for (const target of validTargets) {
          validSeen += 1;
          for (const id of target.fresh) expect(fx.sim.acceptedEnableCalls(id), `instance ${id}`).toBe(1);
        }
        if (c.hasTargetsArray) expect(summary?.counts.accepted ?? 0).toBe(validTargets.length);
      }),
      settings(RUNS.scheduleMixed),
    );
    expect(validSeen).toBeGreaterThan(50);
  });
});
