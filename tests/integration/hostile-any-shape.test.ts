// Events of any shape (property-based, fast-check) against the BUILT http, queue and schedule
// bundles: anything at all, or a real event with one part replaced by anything. Always an answer in
// the trigger's contract, never a 5xx, a throw or a TypeError; valid siblings still run. The stage
// and the generators: tests/support/hostile-*.ts.
import { randomUUID } from 'node:crypto';
import type { SQSEvent } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { functionContext, sqsRecord } from '../../local/hosting/index.ts';
import { PROJECT } from '../support/fixtures.ts';
import { sample } from '../support/events.ts';
import { V1_TEMPLATE, V2_TEMPLATE } from '../support/hostile-inputs.ts';
import {
  DEFAULT_TARGET,
  expectLoopbackOnly,
  expectNoCrashLogged,
  fx,
  guardMark,
  hostileStage,
  http,
  POOL,
  queue,
  RUNS,
  schedule,
  seed,
  settings,
  STACK_TRACE,
  stringsIn,
  TRANSIENT,
} from '../support/hostile-stage.ts';
import { capturing } from '../support/output.ts';

hostileStage();

let batchCounter = 0;

// ---- events of any shape -----------------------------------------------------------------------
//
// Not what API Gateway, SQS or EventBridge send, but what a direct invoke, a test harness or a
// misconfigured integration may: anything at all, or a real event with one part replaced by anything
// (missing, of the wrong type, circular, nested 100,000 deep).

const anyValue = fc.anything({ withNullPrototype: true, withBigInt: true, withBoxedValues: true });
const circularValue = () => {
  const value: Record<string, unknown> = { node_cnt: 3 };
  value.self = value;
  return value;
};
const DEEP_VALUE = (() => {
  const root: Record<string, unknown> = {};
  let node = root;
  for (let i = 0; i < 100_000; i += 1) node = node.a = {};
  return root;
})();
const ABSENT = Symbol('absent');
/** What replaces one part of a real event. */
const replacement = fc.oneof(
  { weight: 6, arbitrary: anyValue },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(ABSENT, null, '', 0, [], {}, 'x'.repeat(10_000)) },
  { weight: 1, arbitrary: fc.constant(null).map(circularValue) },
  { weight: 1, arbitrary: fc.constant(DEEP_VALUE) },
);

/** A copy of `event` with the part at `path` replaced (ABSENT: removed). */
function mutated<T>(event: T, path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value === ABSENT ? undefined : value;
  const copy: Record<string, unknown> = typeof event === 'object' && event !== null && !Array.isArray(event) ? { ...(event as Record<string, unknown>) } : {};
  const [key = '', ...rest] = path;
  const inner = mutated(copy[key], rest, value);
  if (rest.length === 0 && value === ABSENT) delete copy[key];
  else copy[key] = inner;
  return copy;
}

const paths = (...dotted: string[]) => fc.constantFrom(...dotted.map((p) => (p === '' ? [] : p.split('.'))));

const HTTP_PATHS = paths(
  '',
  'requestContext',
  'requestContext.requestId',
  'requestContext.http',
  'requestContext.http.method',
  'requestContext.httpMethod',
  'httpMethod',
  'headers',
  'headers.content-type',
  'headers.Content-Type',
  'multiValueHeaders',
  'pathParameters',
  'pathParameters.project_id',
  'pathParameters.instance_id',
  'body',
  'isBase64Encoded',
);
const anyHttpEvent = fc.oneof(
  { weight: 1, arbitrary: anyValue.map((event) => ({ event })) },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.constantFrom('v2', 'v1'), fc.constantFrom(...POOL), HTTP_PATHS, replacement).map(([format, instance, path, value]) => {
      const base = structuredClone(format === 'v2' ? V2_TEMPLATE : V1_TEMPLATE) as unknown as Record<string, unknown>;
      base.pathParameters = { project_id: PROJECT, instance_id: instance };
      base.body = '{}';
      base.isBase64Encoded = false;
      return { event: mutated(base, path, value) };
    }),
  },
);

describe('events of any shape', () => {
  it('http: always a 2xx or 4xx JSON answer in the contract shape, never a 5xx or a throw', async () => {
    const seen = { answered2xx: 0, answered4xx: 0 };
    await fc.assert(
      fc.asyncProperty(anyHttpEvent, async ({ event }) => {
        const mark = guardMark();
        const { value: answer, lines } = await capturing(() => http(event, functionContext('http')));
        expect(answer.statusCode, answer.body).toBeGreaterThanOrEqual(200);
        expect(answer.statusCode, answer.body).toBeLessThan(500);
        expect(answer.headers['content-type']).toBe('application/json');
        const body = JSON.parse(answer.body) as Record<string, unknown>;
        expect(typeof body.request_id, answer.body).toBe('string');
        for (const text of stringsIn(body)) expect(text, 'a stack trace in the answer').not.toMatch(STACK_TRACE);
        if (answer.statusCode >= 400) {
          seen.answered4xx += 1;
          expect(body).toMatchObject({ error_code: expect.any(String), error_msg: expect.any(String) });
          if (answer.statusCode === 400) {
            expect(body.issues, answer.body).toEqual(expect.arrayContaining([{ field: expect.any(String), message: expect.any(String) }]));
          }
        } else {
          seen.answered2xx += 1;
          expect(['accepted', 'already_enabled']).toContain(body.status);
        }
        expectNoCrashLogged(lines);
        expectLoopbackOnly(mark);
      }),
      settings(RUNS.anyShape),
    );
    // Not vacuous: some mutations leave a request that still goes through.
    expect(seen.answered2xx, JSON.stringify(seen)).toBeGreaterThan(10);
    expect(seen.answered4xx, JSON.stringify(seen)).toBeGreaterThan(100);
  });

  const RECORD_PATHS = paths('', 'messageId', 'body', 'attributes', 'attributes.MessageGroupId', 'attributes.ApproximateReceiveCount');
  type AnyRecord = { kind: 'valid' } | { kind: 'mutated'; path: readonly string[]; value: unknown } | { kind: 'any'; value: unknown };
  const anyRecord = fc.oneof(
    fc.constant<AnyRecord>({ kind: 'valid' }),
    fc.tuple(RECORD_PATHS, replacement).map(([path, value]): AnyRecord => ({ kind: 'mutated', path, value })),
    anyValue.map((value): AnyRecord => ({ kind: 'any', value })),
  );
  const anyQueueEvent = fc.oneof(
    { weight: 1, arbitrary: anyValue.map((event) => ({ event: event as unknown, records: [] as AnyRecord[] })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('', 'Records'), replacement)
        .map(([key, value]) => ({ event: mutated({ Records: [] }, key ? [key] : [], value), records: [] as AnyRecord[] })),
    },
    { weight: 4, arbitrary: fc.array(anyRecord, { minLength: 1, maxLength: 8 }).map((records) => ({ event: undefined as unknown, records })) },
  );

  it('queue: never throws, lists only message ids of the input, and runs every valid sibling', async () => {
    let validRun = 0;
    await fc.assert(
      fc.asyncProperty(anyQueueEvent, async (c) => {
        batchCounter += 1;
        const valid: Array<{ id: string; instance: string }> = [];
        const records = c.records.map((spec, index) => {
          const id = `any-${batchCounter}-${index}`;
          const instance = randomUUID();
          seed(PROJECT, instance);
          const record = sqsRecord({ messageId: id, body: JSON.stringify({ project_id: PROJECT, instance_id: instance }) });
          if (spec.kind === 'valid') valid.push({ id, instance });
          return spec.kind === 'valid' ? record : spec.kind === 'mutated' ? mutated(record, spec.path, spec.value) : spec.value;
        });
        const event = c.records.length ? { Records: records } : c.event;
        fx.sim.reset();
        const mark = guardMark();
        const { value: answer, lines } = await capturing(() => queue(event as SQSEvent, functionContext('queue')));
        expectNoCrashLogged(lines);
        expectLoopbackOnly(mark);
        const listed = answer.batchItemFailures.map((f) => f.itemIdentifier);
        const given = new Set(
          records
            .map((r) => (typeof r === 'object' && r !== null ? (r as { messageId?: unknown }).messageId : undefined))
            .filter((id) => typeof id === 'string' && id !== ''),
        );
        for (const id of listed) expect(given.has(id), `listed ${String(id)}, which is not a message id of the input`).toBe(true);
        expect(new Set(listed).size).toBe(listed.length);
        for (const { id, instance } of valid) {
          validRun += 1;
          expect(listed, `valid record ${id} came back`).not.toContain(id);
          expect(fx.sim.acceptedEnableCalls(instance), `valid record ${id} was not run`).toBe(1);
        }
      }),
      settings(RUNS.anyShape),
    );
    expect(validRun).toBeGreaterThan(100);
  });

  const SCHEDULE_PATHS = paths('', 'id', 'detail-type', 'detail', 'detail.targets');
  const anyScheduleEvent = fc.oneof(
    { weight: 1, arbitrary: anyValue.map((event) => ({ event, validTarget: undefined as string | undefined })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(SCHEDULE_PATHS, replacement)
        .map(([path, value]) => ({ event: mutated(sample('scheduled-event.json'), path, value), validTarget: undefined as string | undefined })),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.array(anyValue, { maxLength: 3 }), fc.nat()).map(([others, at]) => {
        const validTarget = randomUUID();
        const targets = [...others];
        targets.splice(at % (others.length + 1), 0, { project_id: PROJECT, instance_id: validTarget });
        return { event: { targets }, validTarget };
      }),
    },
  );

  it('schedule: a summary for any event (or only TransientScheduleFailure), never a TypeError; a valid target among odd ones is ensured', async () => {
    let ensured = 0;
    await fc.assert(
      fc.asyncProperty(anyScheduleEvent, async ({ event, validTarget }) => {
        if (validTarget) seed(PROJECT, validTarget);
        fx.sim.reset();
        const mark = guardMark();
        let thrown: unknown;
        const { value: summary, lines } = await capturing(async () => {
          try {
            return await schedule(event, functionContext('schedule'));
          } catch (error) {
            thrown = error;
            return undefined;
          }
        });
        if (thrown !== undefined) expect(thrown instanceof Error ? thrown.name : typeof thrown, String(thrown)).toBe(TRANSIENT);
        else expect(summary).toMatchObject({ targets: expect.any(Number), counts: expect.any(Object), results: expect.any(Array) });
        expectNoCrashLogged(lines);
        expectLoopbackOnly(mark);
        for (const request of fx.sim.requests) {
          const instance = decodeURIComponent(request.path.split('/')[4] ?? '');
          expect([validTarget, DEFAULT_TARGET], `Huawei was called for ${request.method} ${request.path}`).toContain(instance);
        }
        if (validTarget) {
          ensured += 1;
          expect(fx.sim.acceptedEnableCalls(validTarget)).toBe(1);
        }
      }),
      settings(RUNS.anyShape),
    );
    expect(ensured).toBeGreaterThan(100);
  });
});
