// The stage every tests/integration/hostile-*.test.ts file plays on: the BUILT bundles (dist/http,
// dist/queue, dist/schedule), the DMS simulator and a callback receiver, all on loopback behind a
// loopback guard; fast-check's settings; and what every property expects of a handler's run. The
// simulator records every request, so "nothing was sent" is observed, not assumed.
//
// hostileStage() registers the hooks that start the stage and set its bindings (fx, receiver,
// guard, http, queue, schedule: ES module live bindings, so read them in tests and hooks, never at
// import time). Each test file runs in a module graph of its own, so each gets a stage of its own.
//
// Reproduce a failure with the seed fast-check prints (HOSTILE_SEED=<seed>, and the path it
// gives in HOSTILE_PATH); every property also runs a share of VALID requests so that it cannot
// pass by refusing everything.
import { randomBytes } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type fc from 'fast-check';
import { afterAll, beforeAll, expect } from 'vitest';
import { PROJECT, startSimulatorFixture, type SimulatorFixture } from './fixtures.ts';
import { installLoopbackGuard, type LoopbackGuard } from './loopback-guard.ts';
import { loadHandler, startCallbackReceiver, type CallbackReceiver, type Handler, type HttpAnswer } from '../../local/hosting/index.ts';

// ---- fast-check settings: fixed seed (printed by fast-check on failure), runs sized for 2 cores --

const SEED = Number(process.env.HOSTILE_SEED ?? 20261125);
const PATH = process.env.HOSTILE_PATH;
export const RUNS = {
  http: 600,
  queueInvalid: 200,
  queueMixed: 150,
  scheduleInvalid: 200,
  scheduleMixed: 150,
  addressLiterals: 300,
  addressNames: 200,
  addressModule: 300,
  anyShape: 300,
  secrets: 60,
};
export function settings<T>(numRuns: number): fc.Parameters<T> {
  return { seed: SEED, numRuns, ...(PATH ? { path: PATH } : {}) };
}

// ---- the bundles, the simulator, the receiver -----------------------------------------------------

export const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
/** SCHEDULE_TARGETS: what the schedule ensures when its input names no targets. */
export const DEFAULT_TARGET = '7e57ab1e-0000-4000-8000-0000000000d1';
/** Instances seeded under PROJECT up front: RUNNING, some already enabled. */
export const POOL = Array.from({ length: 6 }, (_, i) => `5c1f3a9e-7b2d-4e8a-9f10-${String(i).padStart(12, '0')}`);

export let fx: SimulatorFixture;
export let receiver: CallbackReceiver;
export let guard: LoopbackGuard;
export let http: Handler<unknown, HttpAnswer>;
export let queue: Handler<SQSEvent, SQSBatchResponse>;
export let schedule: Handler<unknown, { targets: number; counts: Record<string, number>; results: unknown[] }>;
/** instance id (lower case) -> the project it was seeded under */
const seeded = new Map<string, string>();

export function seed(projectId: string, instanceId: string, connectorEnabled = false): void {
  fx.sim.addInstance({ projectId, instanceId, connectorEnabled });
  seeded.set(instanceId, projectId);
}

/** Starts the stage before this file's tests (the bundles cold-start as Lambda's would) and stops it after. */
export function hostileStage(): void {
  beforeAll(async () => {
    guard = installLoopbackGuard();
    fx = await startSimulatorFixture();
    receiver = await startCallbackReceiver({ secret: SECRET });
    POOL.forEach((id, i) => seed(PROJECT, id, i % 3 === 2));
    seed(PROJECT, DEFAULT_TARGET);
    // The bundles read their configuration once, at import, as Lambda's cold start does.
    Object.assign(
      process.env,
      fx.env({
        CALLBACK_SECRET: SECRET,
        CALLBACK_ALLOWED_HOSTS: receiver.host,
        SCHEDULE_TARGETS: JSON.stringify([{ project_id: PROJECT, instance_id: DEFAULT_TARGET }]),
        // Errors only: what a handler logs as "record threw" / "unhandled error" is a bug to catch.
        LOG_LEVEL: 'ERROR',
      }),
    );
    for (const name of ['CALLBACK_URL', 'TRACKING_QUEUE_URL', 'HUAWEICLOUD_CREDENTIALS_SECRET', 'HUAWEICLOUD_SDK_SECURITY_TOKEN']) delete process.env[name];
    http = await loadHandler('http');
    queue = await loadHandler('queue');
    schedule = await loadHandler('schedule');
  });
  afterAll(async () => {
    guard?.restore();
    await Promise.all([fx?.sim.close(), receiver?.close()]);
  });
}

// ---- what every property checks of a run ---------------------------------------------------------

/** A handler that hit an unexpected exception logs it; that is a bug even when the answer looks fine. */
export function expectNoCrashLogged(lines: readonly string[]): void {
  const crashes = lines.filter((line) => /"message":"(unhandled error|record threw)"/.test(line));
  expect(crashes, 'a handler logged an unexpected exception').toEqual([]);
}

export function expectLoopbackOnly(before: { refused: number; lookups: number }): void {
  expect(guard.refused.slice(before.refused), 'a non-loopback connection was attempted').toEqual([]);
  expect(guard.lookups.slice(before.lookups), 'a DNS name was resolved').toEqual([]);
}

export const guardMark = () => ({ refused: guard.refused.length, lookups: guard.lookups.length });

/** Every string inside a JSON value. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

export const STACK_TRACE = /\n\s+at \S|node:internal|file:\/\//;
/** The one error the schedule may throw (Lambda retries it); anything else is a bug. */
export const TRANSIENT = 'TransientScheduleFailure';

/** Callbacks the receiver got at one path (each item of a run has its own). */
export function callbacksAt(path: string) {
  return receiver.received.filter((c) => c.path === path);
}
/** The type of the first callback at `path`, when its signature verifies. */
export function verifiedType(path: string): string | undefined {
  const [callback] = callbacksAt(path);
  return callback?.verified ? (callback.type ?? undefined) : undefined;
}

// ---- the schema's rules, independently: which path parameters are well-formed ------------------

export const PROJECT_RE = /^[0-9a-f]{32}$/i;
export const UUID_RE = /^[\da-f]{8}(?:-[\da-f]{4}){3}-[\da-f]{12}$/i;
export const KNOWN_FIELDS = new Set(['project_id', 'instance_id', 'region', 'node_cnt', 'specification', 'spec_code', 'callback_url']);

/**
 * For well-formed path parameters, makes sure the simulator knows the instance (so a request that
 * passes validation reaches a real instance): true when the instance exists under another
 * project, where Huawei's own 404 is the right answer.
 */
export function prepareInstance(projectId: unknown, instanceId: unknown): boolean {
  if (typeof projectId !== 'string' || typeof instanceId !== 'string') return false;
  const project = projectId.trim();
  const instance = instanceId.trim();
  if (!PROJECT_RE.test(project) || !UUID_RE.test(instance)) return false;
  const owner = seeded.get(instance.toLowerCase());
  if (owner === undefined) {
    seed(project.toLowerCase(), instance.toLowerCase());
    return false;
  }
  return owner !== project.toLowerCase();
}
