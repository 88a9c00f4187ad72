// Hostile input, property-based (fast-check), against the BUILT bundles (dist/http, dist/queue,
// dist/schedule), the DMS simulator and a callback receiver, all on loopback. Whatever arrives, a
// trigger answers in its contract's shape and sends nothing to Huawei for input it refuses: the
// simulator records every request, so "nothing was sent" is observed, not assumed.
//
// Reproduce a failure with the seed fast-check prints (HOSTILE_SEED=<seed>, and the path it
// gives in HOSTILE_PATH); every property also runs a share of VALID requests so that it cannot
// pass by refusing everything.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverCallback } from '../../shared/callback/delivery.ts';
import { KAFKA_REGIONS } from '../../shared/huawei/regions.ts';
import type { JobResult } from '../../shared/result/result.ts';
import { deadlineIn } from '../../shared/runtime/deadline.ts';
import type { Resolve } from '../../shared/callback/lookup.ts';
import { checkCallbackText } from '../support/callback-check.ts';
import { dottedQuad, ipv4Notation, ipv6Notation, privateIpv4, privateIpv6, publicIpv4, publicIpv6 } from '../support/addresses.ts';
import { installFakeDns } from '../support/fake-dns.ts';
import type { Fault } from '../../local/simulator/types.ts';
import { PROJECT, STS, startSimulatorFixture, type SimulatorFixture } from '../support/fixtures.ts';
import { leakFinder, type NamedSecret } from '../support/leaks.ts';
import { capturing } from '../support/output.ts';
import { installLoopbackGuard, type LoopbackGuard } from '../support/loopback-guard.ts';
import { functionContext, loadHandler, sqsRecord, startCallbackReceiver, webhookHeaders, type CallbackReceiver, type Handler, type HttpAnswer } from '../../local/hosting/index.ts';

// ---- fast-check settings: fixed seed (printed by fast-check on failure), runs sized for 2 cores --

const SEED = Number(process.env.HOSTILE_SEED ?? 20261125);
const PATH = process.env.HOSTILE_PATH;
const RUNS = { http: 600, queueInvalid: 200, queueMixed: 150, scheduleInvalid: 200, scheduleMixed: 150, addressLiterals: 300, addressNames: 200, addressModule: 300, anyShape: 300, secrets: 60 };
function settings<T>(numRuns: number): fc.Parameters<T> {
  return { seed: SEED, numRuns, ...(PATH ? { path: PATH } : {}) };
}

// ---- the bundles, the simulator, the receiver -----------------------------------------------------


const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
/** SCHEDULE_TARGETS: what the schedule ensures when its input names no targets. */
const DEFAULT_TARGET = '7e57ab1e-0000-4000-8000-0000000000d1';
/** Instances seeded under PROJECT up front: RUNNING, some already enabled. */
const POOL = Array.from({ length: 6 }, (_, i) => `5c1f3a9e-7b2d-4e8a-9f10-${String(i).padStart(12, '0')}`);

let fx: SimulatorFixture;
let receiver: CallbackReceiver;
let guard: LoopbackGuard;
let http: Handler<unknown, HttpAnswer>;
let queue: Handler<SQSEvent, SQSBatchResponse>;
let schedule: Handler<unknown, { targets: number; counts: Record<string, number>; results: unknown[] }>;
/** instance id (lower case) -> the project it was seeded under */
const seeded = new Map<string, string>();


function seed(projectId: string, instanceId: string, connectorEnabled = false): void {
  fx.sim.addInstance({ projectId, instanceId, connectorEnabled });
  seeded.set(instanceId, projectId);
}

beforeAll(async () => {
  guard = installLoopbackGuard();
  fx = await startSimulatorFixture();
  receiver = await startCallbackReceiver();
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

/** A handler that hit an unexpected exception logs it; that is a bug even when the answer looks fine. */
function expectNoCrashLogged(lines: readonly string[]): void {
  const crashes = lines.filter((line) => /"message":"(unhandled error|record threw)"/.test(line));
  expect(crashes, 'a handler logged an unexpected exception').toEqual([]);
}

function expectLoopbackOnly(before: { refused: number; lookups: number }): void {
  expect(guard.refused.slice(before.refused), 'a non-loopback connection was attempted').toEqual([]);
  expect(guard.lookups.slice(before.lookups), 'a DNS name was resolved').toEqual([]);
}

const guardMark = () => ({ refused: guard.refused.length, lookups: guard.lookups.length });

// ---- the schema's rules, independently: which path parameters are well-formed ------------------

const PROJECT_RE = /^[0-9a-f]{32}$/i;
const UUID_RE = /^[\da-f]{8}(?:-[\da-f]{4}){3}-[\da-f]{12}$/i;
const KNOWN_FIELDS = new Set(['project_id', 'instance_id', 'region', 'node_cnt', 'specification', 'spec_code', 'callback_url']);

/**
 * For well-formed path parameters, makes sure the simulator knows the instance (so a request that
 * passes validation reaches a real instance): true when the instance exists under another
 * project, where Huawei's own 404 is the right answer.
 */
function prepareInstance(projectId: unknown, instanceId: unknown): boolean {
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

// ---- JSON text generators (text, so that 3.0, 1e999, duplicate keys and __proto__ can be sent) ---

const RECEIVER = '@@RECEIVER@@';
const FRESH = '@@FRESH@@';
const FRESH_UPPER = '@@FRESH_UPPER@@';

const objectText = (entries: ReadonlyArray<readonly [string, string]>) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
const quoted = (arb: fc.Arbitrary<string>) => arb.map((s) => JSON.stringify(s));
const anyJsonText = fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value));
const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

const projectVariant = fc.constantFrom(PROJECT, PROJECT.toUpperCase(), ` ${PROJECT}\t`, `\u00a0${PROJECT}`);
const validNodeCntText = fc.oneof(
  fc.integer({ min: 2, max: 2 ** 31 - 1 }).map(String),
  quoted(fc.integer({ min: 2, max: 999_999 }).map(String)),
  fc.constantFrom('2', '3', '"2"', '" 7 "', '"007"', '3.0', '3e0', '30e-1', '9007199254740991', '"999999999999999"'),
);
const validSpecPair = fc.tuple(
  fc.constantFrom('"100MB"', '"300MB"', '"600MB"', '"1200MB"', '"100 MB"', '"100mb"', '"1200 mb"', '"600Mb"', '100', '300', '"300"'),
  fc.oneof(fc.constant('"kafka.c3.mini.connector"'), quoted(fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,20}$/))),
);
const validRegionText = fc.constantFrom(...KAFKA_REGIONS).map((r) => JSON.stringify(r));

/** Entries of a valid body (HTTP) or, with the ids, of a valid queue message / schedule target. */
const validBodyEntries = fc
  .record(
    {
      node_cnt: validNodeCntText,
      region: validRegionText,
      spec: validSpecPair,
      callback_url: fc.constant(JSON.stringify(RECEIVER)),
    },
    { requiredKeys: [] },
  )
  .map(({ spec, ...rest }): Array<readonly [string, string]> => [
    ...Object.entries(rest),
    ...(spec ? ([['specification', spec[0]], ['spec_code', spec[1]]] as const) : []),
  ]);

const nodeCntText = fc.oneof(
  fc.integer({ min: -10, max: 100 }).map(String),
  fc.constantFrom(
    '1', '0', '-2', '2.5', '1e999', '-1e999', '9007199254740993', '1e308', '1e-7', '"1"', '"2.5"', '"1e3"', '"0x10"', '"Infinity"',
    '"NaN"', '"-3"', '"+3"', '"\uff13"', '"2\\u0000"', '"9999999999999999"', '""', 'null', 'true', 'false', '[]', '[3]', '{}', '{"n":3}',
  ),
  validNodeCntText,
  anyJsonText,
);
const specificationText = fc.oneof(
  fc.constantFrom('"100MB"', '"1200MB"', '"100 MB"', '"\uff11\uff10\uff10MB"', '"100M"', '"100MBB"', '"MB"', '""', '50', '1e2', '100.0', '-100', 'null', 'true', '[]', '{}'),
  quoted(fc.string({ maxLength: 12 })),
);
const specCodeText = fc.oneof(
  fc.constantFrom('"kafka.c3.mini.connector"', '""', '"  "', '"-x"', '"a b"', '"\u00fc"', JSON.stringify('a'.repeat(64)), JSON.stringify('a'.repeat(65)), '1', 'null', '{}'),
  quoted(fc.string({ maxLength: 70 })),
);
const regionText = fc.oneof(validRegionText, fc.constantFrom('"CN-NORTH-4"', '" cn-north-4"', '"mars-north-1"', '""', 'null', '4', '[]'), quoted(fc.string({ maxLength: 16 })));
// Never a public host: a valid https URL to one would be resolved and called (the loopback guard
// would stop it, but the property is about refusals). Private and odd forms are all refused.
const hostileCallbackText = fc.oneof(
  fc.constantFrom(
    ...[
      RECEIVER,
      'https://10.0.0.1/hook',
      'https://169.254.169.254/latest/meta-data/',
      'http://169.254.169.254/latest/meta-data/',
      'https://[::1]/',
      'https://[::ffff:127.0.0.1]/',
      'https://0x7f000001/',
      'https://2130706433/',
      'https://127.1/',
      'https://0.0.0.0/',
      'https://[fd00::1]/',
      'https://100.64.0.1/',
      'http://example.com/hook',
      'ftp://example.com/hook',
      'javascript:alert(1)',
      'data:text/plain,hi',
      'file:///etc/passwd',
      'https://user:pass@10.0.0.1/',
      '//example.com/hook',
      '/relative/hook',
      'not a url',
      '',
      'https://',
      'https://[::1',
    ].map((url) => JSON.stringify(url)),
  ),
  quoted(fc.string({ maxLength: 30 })),
  anyJsonText,
);
const misplacedIdText = fc.oneof(fc.constant(JSON.stringify(PROJECT)), fc.constant(JSON.stringify(POOL[0])), anyJsonText);
const unknownKey = fc.oneof(
  fc.constantFrom('node_count', 'nodeCnt', 'Node_Cnt', 'NODE_CNT', 'callbackUrl', 'region ', ' region', 'spec', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'type', '', '\u0000', 'detail', 'Message'),
  fc.string({ maxLength: 12 }),
).filter((key) => !KNOWN_FIELDS.has(key));

/** Objects with known keys (random values, right or wrong) and unknown keys. */
const hostileObjectText: fc.Arbitrary<string> = fc
    .tuple(
      fc.record(
        {
          region: regionText,
          node_cnt: nodeCntText,
          specification: specificationText,
          spec_code: specCodeText,
          callback_url: hostileCallbackText,
          project_id: misplacedIdText,
        },
        { requiredKeys: [] },
      ),
      fc.array(fc.tuple(unknownKey, anyJsonText), { maxLength: 2 }),
    )
    .map(([known, unknown]) => objectText([...Object.entries(known), ...unknown]));

const brokenJsonText = fc.constantFrom(
  '{',
  '{"node_cnt":',
  '{"node_cnt": 3,}',
  "{'node_cnt': 3}",
  '{node_cnt: 3}',
  '{"node_cnt": 3} trailing',
  '{} {}',
  '\ufeff{}',
  'NaN',
  'undefined',
  '{"a":undefined}',
  '{"__proto__": {"polluted": true}}',
  '{"constructor": {"prototype": {"polluted": true}}}',
  '{"node_cnt": 3, "node_cnt": 1}',
  '{"node_cnt":"\\ud800"}',
  `{"node_cnt":${deep(5_000)}}`,
  deep(20_000),
  `{"region":"${'x'.repeat(300_000)}"}`,
  `{"${'k'.repeat(10_000)}": 1}`,
  'null',
  'true',
  '0',
  '-0',
  '1e999',
  '"{}"',
  '[]',
  '[{}]',
  ' ',
  '\u0000',
);

const hostileBodyText = fc.oneof(
  { weight: 5, arbitrary: hostileObjectText },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: anyJsonText },
  { weight: 2, arbitrary: brokenJsonText },
);

// ---- HTTP events -----------------------------------------------------------------------------

type Encoding = 'plain' | 'base64' | 'flag-only' | 'no-flag';
type BodySpec = { kind: 'absent' } | { kind: 'null' } | { kind: 'text'; text: string; encoding: Encoding };
type PathSpec = Record<string, string> | null | undefined;
interface InstanceSpec {
  source: 'pool' | 'fresh' | 'literal';
  value: string;
  variant: 'as-is' | 'upper' | 'padded';
}
interface HttpCase {
  valid: boolean;
  format: 'v2' | 'v1';
  method: string;
  project: string | undefined;
  instance: InstanceSpec | undefined;
  extraPath: Record<string, string>;
  pathShape: 'params' | 'null' | 'absent';
  headers: ReadonlyArray<readonly [string, string]>;
  nullHeaders: boolean;
  body: BodySpec;
}

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/json;charset=UTF-8', 'APPLICATION/JSON', 'Application/Json; Charset=ISO-8859-1', 'application/vnd.api+json'];
const contentTypeName = fc.constantFrom('content-type', 'Content-Type', 'CONTENT-TYPE', 'Content-type');
const hostileContentType = fc.oneof(
  fc.constantFrom(
    ...JSON_TYPES,
    'application/problem+json',
    'application/json ; charset=utf-8',
    'text/plain',
    'text/json',
    'text/html',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=xyz',
    'application/jsonp',
    'application/json-patch',
    'application/',
    'json',
    '',
    ' ',
    ';',
    'application/json, text/plain',
    '*/*',
  ),
  fc.string({ maxLength: 30 }),
);
const extraHeaders = fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 16 }), fc.string({ maxLength: 40 })), { maxLength: 3 });

const instanceSpec = (source: fc.Arbitrary<Pick<InstanceSpec, 'source' | 'value'>>) =>
  fc.tuple(source, fc.constantFrom<InstanceSpec['variant']>('as-is', 'as-is', 'upper', 'padded')).map(([s, variant]): InstanceSpec => ({ ...s, variant }));
const poolOrFresh = fc.oneof(
  fc.constantFrom(...POOL).map((value) => ({ source: 'pool' as const, value })),
  fc.constant({ source: 'fresh' as const, value: FRESH }),
);

const nearValidUuid = fc.tuple(fc.uuid(), fc.nat(), fc.constantFrom('swap', 'drop', 'extra', 'braces', 'urn', 'zwsp', 'no-dashes', 'fullwidth', 'newline-inside')).map(([uuid, at, how]) => {
  const i = at % uuid.length;
  switch (how) {
    case 'swap':
      return `${uuid.slice(0, i)}g${uuid.slice(i + 1)}`;
    case 'drop':
      return uuid.slice(0, i) + uuid.slice(i + 1);
    case 'extra':
      return `${uuid}0`;
    case 'braces':
      return `{${uuid}}`;
    case 'urn':
      return `urn:uuid:${uuid}`;
    case 'zwsp':
      return `${uuid}\u200b`;
    case 'no-dashes':
      return uuid.replaceAll('-', '');
    case 'fullwidth':
      return uuid.replace(/\d/, (d) => String.fromCharCode(0xff10 + Number(d)));
    default:
      return `${uuid.slice(0, 8)}\n${uuid.slice(8)}`;
  }
});
const nearValidProject = fc.constantFrom(PROJECT.slice(1), `${PROJECT}0`, PROJECT.replace('a', 'g'), `0x${PROJECT.slice(2)}`, PROJECT.replace('0', 'O'), `${PROJECT.slice(0, 16)} ${PROJECT.slice(16)}`, `${PROJECT}\u200b`);
const randomProject = fc.oneof(fc.stringMatching(/^[0-9a-f]{32}$/), nearValidProject, fc.string({ maxLength: 40 }), fc.constantFrom('', ' ', '..', '%2F', '${project_id}', '{project_id}'));
const randomInstance = fc.oneof(
  fc.uuid().map((value) => ({ source: 'literal' as const, value })),
  nearValidUuid.map((value) => ({ source: 'literal' as const, value })),
  fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('', ' ', '..', '../../etc/passwd', '%00', '{instance_id}')).map((value) => ({ source: 'literal' as const, value })),
);

function bodyEncoding(valid: boolean): fc.Arbitrary<Encoding> {
  return valid ? fc.constantFrom<Encoding>('plain', 'base64', 'no-flag') : fc.constantFrom<Encoding>('plain', 'base64', 'base64', 'flag-only', 'no-flag');
}

const validHttpCase: fc.Arbitrary<HttpCase> = fc
  .record({
    format: fc.constantFrom<HttpCase['format']>('v2', 'v2', 'v1'),
    method: fc.constantFrom('POST', 'POST', 'POST', 'post'),
    project: projectVariant,
    instance: instanceSpec(poolOrFresh),
    contentType: fc.tuple(contentTypeName, fc.constantFrom(...JSON_TYPES)),
    extra: extraHeaders.map((headers) => headers.filter(([name]) => name.toLowerCase() !== 'content-type')),
    body: fc.oneof(
      {
        weight: 6,
        arbitrary: fc
          .tuple(validBodyEntries, bodyEncoding(true))
          .map(([entries, encoding]): BodySpec => ({ kind: 'text', text: objectText(entries), encoding })),
      },
    ),
  })
  .map((c) => ({
    valid: true,
    format: c.format,
    method: c.method,
    project: c.project,
    instance: c.instance,
    extraPath: {},
    pathShape: 'params',
    headers: [c.contentType, ...c.extra],
    nullHeaders: false,
    body: c.body,
  }));

const hostileHttpCase: fc.Arbitrary<HttpCase> = fc
  .record({
    format: fc.constantFrom<HttpCase['format']>('v2', 'v1'),
    method: fc.oneof(
      { weight: 6, arbitrary: fc.constant('POST') },
      { weight: 2, arbitrary: fc.constantFrom('post', 'Post', 'GET', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'CONNECT', 'TRACE', '', 'POST ', ' POST', 'PO ST', 'P\u0000OST') },
      { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
    ),
    project: fc.option(fc.oneof({ weight: 3, arbitrary: projectVariant }, { weight: 2, arbitrary: randomProject }), { nil: undefined, freq: 10 }),
    instance: fc.option(fc.oneof({ weight: 3, arbitrary: instanceSpec(poolOrFresh) }, { weight: 2, arbitrary: instanceSpec(randomInstance) }), { nil: undefined, freq: 10 }),
    extraPath: fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 2 }),
    pathShape: fc.constantFrom<HttpCase['pathShape']>('params', 'params', 'params', 'params', 'null', 'absent'),
    contentType: fc.option(fc.tuple(contentTypeName, hostileContentType), { nil: undefined, freq: 6 }),
    extra: extraHeaders,
    nullHeaders: fc.boolean(),
    body: fc.oneof(
      // No body says nothing: refused ({} asks for all defaults).
      { weight: 1, arbitrary: fc.constantFrom<BodySpec>({ kind: 'absent' }, { kind: 'null' }, { kind: 'text', text: '', encoding: 'plain' }, { kind: 'text', text: '  \n', encoding: 'plain' }) },
      { weight: 8, arbitrary: fc.tuple(hostileBodyText, bodyEncoding(false)).map(([text, encoding]): BodySpec => ({ kind: 'text', text, encoding })) },
    ),
  })
  .map((c) => ({
    valid: false,
    format: c.format,
    method: c.method,
    project: c.project,
    instance: c.instance,
    extraPath: c.extraPath,
    pathShape: c.pathShape,
    headers: [...(c.contentType ? [c.contentType] : []), ...c.extra],
    nullHeaders: c.nullHeaders && c.format === 'v1',
    body: c.body,
  }));

interface V2Event {
  rawPath: string;
  headers: Record<string, string>;
  requestContext: { requestId: string; http: { method: string; path: string } };
  pathParameters?: unknown;
  body?: unknown;
  isBase64Encoded?: unknown;
}
interface V1Event {
  path: string;
  httpMethod: string;
  headers: Record<string, string> | null;
  multiValueHeaders: Record<string, string[]> | null;
  requestContext: { requestId: string; httpMethod: string };
  pathParameters?: unknown;
  body?: unknown;
  isBase64Encoded?: unknown;
}

const sample = <T>(name: string): T => JSON.parse(readFileSync(`events/${name}`, 'utf8')) as T;
const V2_TEMPLATE = sample<V2Event>('http-api-v2-enable.json');
const V1_TEMPLATE = sample<V1Event>('http-rest-v1-enable.json');

function resolveInstance(spec: InstanceSpec): string {
  const base = spec.source === 'fresh' ? randomUUID() : spec.value;
  return spec.variant === 'upper' ? base.toUpperCase() : spec.variant === 'padded' ? ` ${base}\n` : base;
}

function fillPlaceholders(text: string, callbackPath: string): string {
  return text.replaceAll(RECEIVER, receiver.url(callbackPath));
}

interface BuiltHttp {
  event: V2Event | V1Event;
  requestId: string;
  otherProject: boolean;
  project: string | undefined;
  instance: string | undefined;
}

let httpCounter = 0;
function buildHttpEvent(c: HttpCase): BuiltHttp {
  httpCounter += 1;
  const requestId = `hostile-${httpCounter}-${randomBytes(4).toString('hex')}`;
  const project = c.project;
  const instance = c.instance ? resolveInstance(c.instance) : undefined;
  const params: Record<string, string> = { ...c.extraPath };
  if (project !== undefined) params.project_id = project;
  if (instance !== undefined) params.instance_id = instance;
  const path = c.pathShape === 'params' ? params : c.pathShape === 'null' ? null : undefined;
  const otherProject = path ? prepareInstance(path.project_id, path.instance_id) : false;

  const headers: Record<string, string> = { host: 'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com', 'user-agent': 'hostile/1' };
  for (const [name, value] of c.headers) headers[name] = value;
  let body: unknown;
  let isBase64Encoded: unknown;
  if (c.body.kind === 'null') body = null;
  if (c.body.kind === 'text') {
    const text = fillPlaceholders(c.body.text, `/http/${requestId}`);
    body = c.body.encoding === 'base64' ? Buffer.from(text).toString('base64') : text;
    isBase64Encoded = c.body.encoding === 'base64' || c.body.encoding === 'flag-only' ? true : c.body.encoding === 'no-flag' ? undefined : false;
  }

  const rawPath = `/v2/${project ?? ''}/instances/${instance ?? ''}/connector`;
  let event: V2Event | V1Event;
  if (c.format === 'v2') {
    const e = structuredClone(V2_TEMPLATE);
    e.rawPath = rawPath;
    e.requestContext.http.path = rawPath;
    e.requestContext.http.method = c.method;
    e.requestContext.requestId = requestId;
    e.headers = headers;
    event = e;
  } else {
    const e = structuredClone(V1_TEMPLATE);
    e.path = rawPath;
    e.httpMethod = c.method;
    e.requestContext.httpMethod = c.method;
    e.requestContext.requestId = requestId;
    e.headers = c.nullHeaders ? null : headers;
    e.multiValueHeaders = c.nullHeaders ? null : Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]));
    event = e;
  }
  if (path === undefined) delete event.pathParameters;
  else event.pathParameters = path;
  if (body === undefined) delete event.body;
  else event.body = body;
  if (isBase64Encoded === undefined) delete event.isBase64Encoded;
  else event.isBase64Encoded = isBase64Encoded;
  return { event, requestId, otherProject, project, instance };
}

/** Every string inside a JSON value. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

const STACK_TRACE = /\n\s+at \S|node:internal|file:\/\//;
const LOCAL_CODES = new Set(['INVALID_REQUEST', 'INVALID_JSON', 'UNSUPPORTED_MEDIA_TYPE', 'METHOD_NOT_ALLOWED']);

describe('hostile input to the built bundles', () => {
  it('the loopback guard covers what the bundles import (no name is ever resolved)', async () => {
    const { lookup } = await import('node:dns/promises');
    await expect(lookup('example.com')).rejects.toThrow(/loopback guard/);
    guard.lookups.length = 0;
  });

  it('http: never a 5xx, always the contract JSON; a 4xx sends nothing to Huawei; valid requests are accepted', async () => {
    const stats = { total: 0, valid: 0, valid2xx: 0, hostile4xx: 0, hostile400: 0, hostile2xx: 0, otherProject404: 0 };
    const codes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 1, arbitrary: validHttpCase }, { weight: 3, arbitrary: hostileHttpCase }), async (c) => {
        const built = buildHttpEvent(c);
        const before = fx.sim.requests.length;
        const mark = guardMark();
        const { value: answer, lines } = await capturing(() => http(built.event, functionContext('http')));
        const sent = fx.sim.requests.slice(before);
        stats.total += 1;

        expect(typeof answer.statusCode).toBe('number');
        expect(answer.statusCode, `5xx for ${answer.body}`).toBeLessThan(500);
        expect(answer.headers['content-type']).toMatch(/^application\/json/);
        const body = JSON.parse(answer.body) as Record<string, unknown>;
        expect(typeof body).toBe('object');
        for (const text of stringsIn(body)) expect(text, 'a stack trace in the answer').not.toMatch(STACK_TRACE);
        expect(body.request_id).toBe(built.requestId);
        expectNoCrashLogged(lines);
        expectLoopbackOnly(mark);
        // Whatever was sent was signed right (no odd path or body breaks the signature).
        expect(sent.every((r) => r.authorized), 'an upstream request failed its signature check').toBe(true);

        if (answer.statusCode >= 400) {
          expect(body).toMatchObject({ error_code: expect.any(String), error_msg: expect.any(String), request_id: expect.any(String) });
          expect(String(body.error_code)).not.toBe('');
          const upstream404 = built.otherProject && answer.statusCode === 404 && body.error_code === 'DMS.00404022';
          if (upstream404) stats.otherProject404 += 1;
          else {
            expect(sent, `a ${answer.statusCode} ${String(body.error_code)} after calling Huawei`).toHaveLength(0);
            expect(LOCAL_CODES.has(String(body.error_code)), `unexpected error_code ${String(body.error_code)}`).toBe(true);
          }
          if (answer.statusCode === 400) {
            const issues = body.issues as Array<{ field?: unknown; message?: unknown }> | undefined;
            expect(Array.isArray(issues) && issues.length > 0, `a 400 without issues: ${answer.body}`).toBe(true);
            for (const issue of issues ?? []) {
              expect(typeof issue.field === 'string' && issue.field.length > 0, `an issue without a field: ${answer.body}`).toBe(true);
              expect(typeof issue.message === 'string' && issue.message.length > 0, `an issue without a message: ${answer.body}`).toBe(true);
            }
          }
          if (c.valid) throw new Error(`a valid request was refused: ${answer.statusCode} ${answer.body}`);
          stats.hostile4xx += 1;
          codes.set(String(body.error_code), (codes.get(String(body.error_code)) ?? 0) + 1);
          if (answer.statusCode === 400) stats.hostile400 += 1;
        } else if (c.method.toUpperCase() === 'GET') {
          // The status route: it reads, never enables.
          expect(answer.statusCode).toBe(200);
          expect(['enabled', 'enabling', 'not_enabled']).toContain(body.state);
          expect(sent.length).toBeGreaterThan(0);
          expect(sent.every((r) => r.method === 'GET'), 'a GET that sent something else').toBe(true);
          stats.hostile2xx += 1;
        } else {
          expect([200, 202]).toContain(answer.statusCode);
          expect(body.status).toBe(answer.statusCode === 202 ? 'accepted' : 'already_enabled');
          expect(typeof body.connector_id).toBe('string');
          expect(sent.length).toBeGreaterThan(0);
          if (c.valid) {
            stats.valid2xx += 1;
            const post = sent.find((r) => r.method === 'POST');
            if (answer.statusCode === 202) expect(post?.body).toMatch(/^\{"node_cnt":"[1-9]\d*"(,"specification":"\d+MB","spec_code":"[^"]+")?\}$/);
          } else stats.hostile2xx += 1;
        }
        if (c.valid) stats.valid += 1;
      }),
      settings(RUNS.http),
    );
    // Not vacuous: a fair share of valid requests went through, and of hostile ones were refused.
    expect(stats.valid / stats.total, JSON.stringify(stats)).toBeGreaterThanOrEqual(0.15);
    expect(stats.valid2xx).toBe(stats.valid);
    expect(stats.hostile4xx / stats.total, JSON.stringify(stats)).toBeGreaterThanOrEqual(0.4);
    expect(stats.hostile400 / stats.total, JSON.stringify(stats)).toBeGreaterThanOrEqual(0.3);
    // Every way of refusing was reached.
    for (const code of LOCAL_CODES) expect(codes.get(code) ?? 0, `${code} in ${JSON.stringify([...codes])}`).toBeGreaterThan(3);
  });

  // API Gateway always hands the body over as a string (or null), but a direct invoke (aws lambda
  // invoke, a test harness, Step Functions) may carry it already parsed: an object is taken as the
  // JSON it is, anything else is a 400 naming the body; never a 5xx.
  it.each([
    ['an object', { node_cnt: 3 }, false, 'taken'],
    ['an object, flagged base64', { node_cnt: 3 }, true, 'taken'],
    ['a number', 42, false, 'refused'],
  ])('http: a body that is %s, not a string, is never a 5xx', async (_name, value, base64, expected) => {
    const built = buildHttpEvent({
      valid: false,
      format: 'v2',
      method: 'POST',
      project: PROJECT,
      instance: { source: 'pool', value: POOL[0] ?? '', variant: 'as-is' },
      extraPath: {},
      pathShape: 'params',
      headers: [['content-type', 'application/json']],
      nullHeaders: false,
      body: { kind: 'absent' },
    });
    built.event.body = value;
    built.event.isBase64Encoded = base64;
    const before = fx.sim.requests.length;
    const { value: answer, lines } = await capturing(() => http(built.event, functionContext('http')));
    expect(answer.statusCode, answer.body).toBeLessThan(500);
    if (expected === 'taken') {
      expect([200, 202]).toContain(answer.statusCode);
    } else {
      expect(answer.statusCode).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({ error_code: expect.any(String), issues: [expect.objectContaining({ field: 'body' })] });
      expect(fx.sim.requests.length).toBe(before);
    }
    expectNoCrashLogged(lines);
  });
});

// ---- addresses in any notation ------------------------------------------------------------------

/** An address and the URL host that writes it some way WHATWG URL reads (checked against the canonical form). */
interface WrittenAddress {
  readonly host: string;
  /** How a resolver might write it (dotted IPv4, any IPv6 text). */
  readonly answer: string;
  readonly canonical: string;
}
const v4Written = (n: number) => fc.tuple(ipv4Notation(n), fc.constant(dottedQuad(n))).map(([host, dotted]): WrittenAddress => ({ host, answer: dotted, canonical: dotted }));
const v6Written = (groups: readonly number[]) =>
  fc.tuple(ipv6Notation(groups), ipv6Notation(groups)).map(([host, answer]): WrittenAddress => ({
    host: `[${host}]`,
    answer,
    canonical: new URL(`https://[${groups.map((g) => g.toString(16)).join(':')}]/`).hostname,
  }));
const notGlobal = fc.oneof(privateIpv4.chain(v4Written), privateIpv6.chain(v6Written));
const globalAddress = fc.oneof(publicIpv4.chain(v4Written), publicIpv6.chain(v6Written));
const NAMES = 'names.test';

function connectorEvent(callbackUrl: string): BuiltHttp {
  return buildHttpEvent({
    valid: false,
    format: 'v2',
    method: 'POST',
    project: PROJECT,
    instance: { source: 'fresh', value: FRESH, variant: 'as-is' },
    extraPath: {},
    pathShape: 'params',
    headers: [['content-type', 'application/json']],
    nullHeaders: false,
    body: { kind: 'text', text: JSON.stringify({ callback_url: callbackUrl }), encoding: 'plain' },
  });
}

async function expectCallbackRefused(built: BuiltHttp): Promise<void> {
  const before = fx.sim.requests.length;
  const mark = guardMark();
  const connects = guard.connects.length;
  const { value: answer, lines } = await capturing(() => http(built.event, functionContext('http')));
  expect(answer.statusCode, answer.body).toBe(400);
  expect((JSON.parse(answer.body) as { issues: Array<{ field: string }> }).issues.map((i) => i.field)).toEqual(['callback_url']);
  expect(fx.sim.requests.length, 'Huawei was called').toBe(before);
  expect(guard.connects.length, 'a socket was opened').toBe(connects);
  expectLoopbackOnly(mark);
  expectNoCrashLogged(lines);
}

describe('addresses in any notation (IPv4 decimal, octal, hex, short; IPv6 compressed, expanded, embedded IPv4)', () => {
  it('http: a callback_url at a non-global address, however written, is a 400 naming callback_url; nothing is sent or connected', async () => {
    await fc.assert(
      fc.asyncProperty(notGlobal, fc.option(fc.integer({ min: 1, max: 65_535 }), { nil: undefined }), async (address, port) => {
        const url = `https://${address.host}${port ? `:${port}` : ''}/hook`;
        // The generator writes what it means: WHATWG URL reads it back as the same address.
        expect(new URL(url).hostname).toBe(address.canonical);
        await expectCallbackRefused(connectorEvent(url));
      }),
      settings(RUNS.addressLiterals),
    );
  });

  it('http: a name that resolves to a non-global address, alone or among public ones, is a 400; nothing is sent or connected', async () => {
    let names = 0;
    const answers = new Map<string, readonly string[]>();
    const dns = installFakeDns((hostname) => {
      const found = answers.get(hostname);
      return found ? Promise.resolve(found) : undefined;
    });
    try {
      await fc.assert(
        fc.asyncProperty(notGlobal, fc.array(globalAddress, { maxLength: 2 }), fc.nat(), async (bad, good, at) => {
          const name = `n${(names += 1)}.${NAMES}`;
          const all = good.map((g) => g.answer);
          all.splice(at % (all.length + 1), 0, bad.answer);
          answers.set(name, all);
          await expectCallbackRefused(connectorEvent(`https://${name}/hook`));
          expect(dns.asked).toContain(name);
        }),
        settings(RUNS.addressNames),
      );
    } finally {
      dns.restore();
    }
  });

  it('check and connect time: global addresses pass however written, non-global ones are refused at both', async () => {
    const stats = { accepted: 0, refused: 0 };
    const never: Resolve = () => Promise.reject(new Error('a literal must not be resolved'));
    const deadline = () => deadlineIn(5_000);
    const result: JobResult = { status: 'accepted', project_id: PROJECT, instance_id: POOL[0] ?? '', source: 'queue' };
    await fc.assert(
      fc.asyncProperty(fc.oneof(globalAddress.map((a) => ({ a, public: true })), notGlobal.map((a) => ({ a, public: false }))), async ({ a, public: isPublic }) => {
        const literal = await checkCallbackText(`https://${a.host}/hook`, { allowedHosts: [], deadline: deadline(), resolve: never });
        expect(literal.ok, `${a.host} (${a.canonical})`).toBe(isPublic);
        if (literal.ok) expect(literal.target.addresses).toEqual([a.canonical.replace(/^\[(.*)\]$/, '$1')]);
        const named = await checkCallbackText(`https://x.${NAMES}/hook`, { allowedHosts: [], deadline: deadline(), resolve: async () => [a.answer] });
        expect(named.ok, `x.${NAMES} -> ${a.answer}`).toBe(isPublic);
        if (isPublic) {
          stats.accepted += 1;
          return;
        }
        stats.refused += 1;
        // Rebinding: public when checked, this address when the socket looks the name up.
        const target = await checkCallbackText(`https://x.${NAMES}:1/hook`, { allowedHosts: [], deadline: deadline(), resolve: async () => ['93.184.216.34'] });
        if (!target.ok) throw new Error(target.reason);
        const refused = guard.refused.length;
        const outcome = await deliverCallback(target.target, result, { deadline: deadline(), dedupeKey: 'notation', resolve: async () => [a.answer], maxAttempts: 1 });
        expect(outcome, `connect time ${a.answer}`).toMatchObject({ delivered: false, attempts: 1, error: { code: 'CALLBACK_URL_REFUSED' } });
        expect(guard.refused.slice(refused)).toEqual([]);
      }),
      settings(RUNS.addressModule),
    );
    // Not vacuous either way.
    expect(stats.accepted / (stats.accepted + stats.refused), JSON.stringify(stats)).toBeGreaterThan(0.2);
    expect(stats.refused / (stats.accepted + stats.refused), JSON.stringify(stats)).toBeGreaterThan(0.2);
  });
});

// ---- queue records and schedule targets ------------------------------------------------------

// A missing project_id is no defect (the request is for its region's project): a null one is.
type Defect =
  | 'null-project'
  | 'no-instance'
  | 'bad-instance'
  | 'bad-project'
  | 'unknown-key'
  | 'bad-node-cnt'
  | 'spec-without-code'
  | 'code-without-spec'
  | 'bad-callback'
  | 'bad-region';

const definitelyBadInstance = fc
  .oneof(nearValidUuid.map((s) => JSON.stringify(s)), quoted(fc.string({ maxLength: 40 })), fc.constantFrom('null', '1', 'true', '[]', '{}', `[${JSON.stringify(POOL[0])}]`))
  .filter((text) => {
    const value: unknown = JSON.parse(text);
    return !(typeof value === 'string' && UUID_RE.test(value.trim()));
  });
const definitelyBadProject = fc
  .oneof(nearValidProject.map((s) => JSON.stringify(s)), quoted(fc.string({ maxLength: 40 })), fc.constantFrom('null', '0', '[]', '{}'))
  .filter((text) => {
    const value: unknown = JSON.parse(text);
    return !(typeof value === 'string' && PROJECT_RE.test(value.trim()));
  });
const definitelyBadNodeCnt = fc.constantFrom('1', '0', '-3', '2.5', '"1"', '"abc"', '"2.5"', '""', 'null', 'true', '[]', '{}', '1e999', '9007199254740993', '"9999999999999999"', '"\uff13"');
const definitelyBadCallback = fc.constantFrom('http://example.com/hook', 'ftp://example.com/', 'not a url', '', 'javascript:alert(1)', '//x').map((s) => JSON.stringify(s));
const definitelyBadRegion = fc.constantFrom('"mars-north-1"', '"CN-NORTH-4"', '""', 'null', '4');

/** A valid request's entries (ids included); the instance is fresh unless pooled. */
const validRequestEntries = fc
  .tuple(projectVariant, fc.constantFrom(FRESH, FRESH, FRESH_UPPER, ` ${FRESH} `), validBodyEntries)
  .map(([project, instance, rest]): Array<readonly [string, string]> => [['project_id', JSON.stringify(project)], ['instance_id', JSON.stringify(instance)], ...rest]);

function applyDefect(entries: ReadonlyArray<readonly [string, string]>, defect: Defect, replacement: string): Array<readonly [string, string]> {
  const without = (...keys: string[]) => entries.filter(([k]) => !keys.includes(k));
  const set = (key: string, value: string) => [...without(key), [key, value] as const];
  switch (defect) {
    case 'null-project':
      return set('project_id', 'null');
    case 'no-instance':
      return without('instance_id');
    case 'bad-instance':
    case 'bad-project':
    case 'bad-node-cnt':
    case 'bad-callback':
    case 'bad-region':
      return set({ 'bad-instance': 'instance_id', 'bad-project': 'project_id', 'bad-node-cnt': 'node_cnt', 'bad-callback': 'callback_url', 'bad-region': 'region' }[defect], replacement);
    case 'unknown-key':
      return [...entries, JSON.parse(replacement) as [string, string]];
    case 'spec-without-code':
      return [...without('specification', 'spec_code'), ['specification', '"100MB"']];
    case 'code-without-spec':
      return [...without('specification', 'spec_code'), ['spec_code', '"kafka.c3.mini.connector"']];
  }
}

const defective: fc.Arbitrary<string> = fc
  .constantFrom<Defect>('null-project', 'no-instance', 'bad-instance', 'bad-project', 'unknown-key', 'bad-node-cnt', 'spec-without-code', 'code-without-spec', 'bad-callback', 'bad-region')
  .chain((defect) => {
    const replacement: fc.Arbitrary<string> =
      defect === 'bad-instance'
        ? definitelyBadInstance
        : defect === 'bad-project'
          ? definitelyBadProject
          : defect === 'bad-node-cnt'
            ? definitelyBadNodeCnt
            : defect === 'bad-callback'
              ? definitelyBadCallback
              : defect === 'bad-region'
                ? definitelyBadRegion
                : defect === 'unknown-key'
                  ? fc.tuple(unknownKey.filter((k) => k !== 'type'), anyJsonText).map((pair) => JSON.stringify(pair))
                  : fc.constant('');
    // Exactly one thing wrong with an otherwise valid request (so only the defect can stop it),
    // with a callback to the receiver or without.
    return fc.tuple(validRequestEntries, replacement).map(([entries, r]) => objectText(applyDefect(entries, defect, r)));
  });

/** Text of an enable request that is invalid by construction. */
const invalidInnerText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: defective },
  {
    weight: 1,
    arbitrary: fc.string({ maxLength: 40 }).filter((s) => {
      try {
        JSON.parse(s);
        return false;
      } catch {
        return true;
      }
    }),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)).map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: hostileObjectText }, // no instance_id: required
  { weight: 1, arbitrary: brokenJsonText.filter((t) => !t.startsWith('{"region"') && !t.startsWith('{"node_cnt"') && t !== '{"__proto__": {"polluted": true}}') },
  // A forged tracking message that is not well-formed: dropped (told to nobody), never followed.
  {
    weight: 1,
    arbitrary: fc
      .record({ instance_id: fc.constantFrom(JSON.stringify(POOL[0]), '"x"', 'null'), region: regionText, checks: fc.constantFrom('-1', '"0"', '1.5') })
      .map((r) => objectText([['type', '"smart_connect.tracking"'], ['project_id', JSON.stringify(PROJECT)], ...Object.entries(r)])),
  },
);

type Wrap = 'none' | 'sns' | 'eventbridge' | 'sns-in-sns';
type BrokenWrap = 'sns-no-arn' | 'sns-message-object' | 'eventbridge-no-source';

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const snsText = (message: string) =>
  JSON.stringify({ Type: 'Notification', MessageId: 'mid', TopicArn: 'arn:aws:sns:eu-west-1:123456789012:t', Message: message, Timestamp: '2026-11-25T09:30:00.000Z' });

function wrapText(inner: string, wrap: Wrap | BrokenWrap): string {
  const json = isJson(inner);
  switch (wrap) {
    case 'none':
      return inner;
    case 'sns':
      return snsText(inner);
    case 'sns-in-sns':
      return snsText(snsText(inner));
    case 'eventbridge':
      return json ? `{"version":"0","id":"e1","detail-type":"SmartConnectRequested","source":"com.example","detail":${inner}}` : snsText(inner);
    case 'sns-no-arn':
      return JSON.stringify({ Type: 'Notification', Message: inner });
    case 'sns-message-object':
      return json ? `{"Type":"Notification","TopicArn":"arn:aws:sns:eu-west-1:123456789012:t","Message":${inner}}` : JSON.stringify({ Type: 'Notification', Message: inner });
    case 'eventbridge-no-source':
      return json ? `{"detail-type":"SmartConnectRequested","detail":${inner}}` : JSON.stringify({ detail: inner });
  }
}

const wrap = fc.constantFrom<Wrap>('none', 'none', 'sns', 'eventbridge', 'sns-in-sns');
interface RecordSpec {
  valid: boolean;
  text: string;
  wrap: Wrap | BrokenWrap;
}
const invalidRecord: fc.Arbitrary<RecordSpec> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(invalidInnerText, wrap).map(([text, w]): RecordSpec => ({ valid: false, text, wrap: w })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(validRequestEntries, fc.constantFrom<BrokenWrap>('sns-no-arn', 'sns-message-object', 'eventbridge-no-source'))
      .map(([entries, w]): RecordSpec => ({ valid: false, text: objectText(entries), wrap: w })),
  },
);
const validRecord: fc.Arbitrary<RecordSpec> = fc.tuple(validRequestEntries, wrap).map(([entries, w]): RecordSpec => ({ valid: true, text: objectText(entries), wrap: w }));

interface BuiltText {
  text: string;
  /** Fresh instances named in it (lower case), seeded in the simulator. */
  fresh: string[];
  callbackPath: string;
}

/** Fills the placeholders of an inner text: fresh (seeded) instances and this item's callback path. */
function materialise(inner: string, callbackPath: string): BuiltText {
  const fresh: string[] = [];
  const freshId = () => {
    const id = randomUUID();
    seed(PROJECT, id);
    fresh.push(id);
    return id;
  };
  const text = fillPlaceholders(inner, callbackPath)
    .replaceAll(FRESH_UPPER, () => freshId().toUpperCase())
    .replaceAll(FRESH, () => freshId());
  return { text, fresh, callbackPath };
}


function callbacksAt(path: string) {
  return receiver.received.filter((c) => c.path === path);
}
function verifiedType(path: string): string | undefined {
  const [callback] = callbacksAt(path);
  if (!callback) return undefined;
  return (new Webhook(SECRET).verify(callback.body, webhookHeaders(callback)) as { type: string }).type;
}

let batchCounter = 0;
async function runBatch(specs: readonly RecordSpec[]) {
  batchCounter += 1;
  const items = specs.map((spec, index) => {
    const messageId = `b${batchCounter}-r${index}-${randomBytes(3).toString('hex')}`;
    const built = materialise(wrapText(spec.text, spec.wrap), `/queue/${messageId}`);
    return { spec, messageId, built, record: sqsRecord({ messageId, body: built.text }) };
  });
  fx.sim.reset();
  const mark = guardMark();
  let thrown: unknown;
  let answer: SQSBatchResponse | undefined;
  const { lines } = await capturing(async () => {
    try {
      answer = await queue({ Records: items.map((i) => i.record) }, functionContext('queue'));
    } catch (error) {
      thrown = error;
    }
  });
  expect(thrown, 'the queue handler threw').toBeUndefined();
  expectNoCrashLogged(lines);
  expectLoopbackOnly(mark);
  if (!answer) throw new Error('no answer');
  expect(Array.isArray(answer.batchItemFailures)).toBe(true);
  const listed = answer.batchItemFailures.map((f) => f.itemIdentifier);
  const ids = new Set(items.map((i) => i.messageId));
  for (const id of listed) expect(ids.has(id), `listed ${id}, which is not in the batch`).toBe(true);
  expect(new Set(listed).size).toBe(listed.length);
  // Nothing is lost: an invalid record that is not listed must have told someone (a rejected callback),
  // except a forged tracking message, dropped on purpose with one error line and told to nobody.
  const refused = lines.filter((line) => line.includes('"message":"tracking message refused"'));
  for (const item of items.filter((i) => !i.spec.valid && !listed.includes(i.messageId))) {
    if (refused.some((line) => line.includes(`"message_id":"${item.messageId}"`))) {
      expect(item.record.body, `a record refused as a tracking message: ${item.record.body.slice(0, 300)}`).toContain('smart_connect.tracking');
      expect(callbacksAt(item.built.callbackPath)).toEqual([]);
      continue;
    }
    expect(verifiedType(item.built.callbackPath), `invalid record ${item.messageId} vanished: ${item.record.body.slice(0, 300)}`).toBe('smart_connect.enable.rejected');
  }
  return { items, listed };
}

describe('hostile queue records', () => {
  it('invalid-only batches: never throws, lists only ids of the batch, sends nothing to Huawei', async () => {
    let reported = 0;
    let listedCount = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(invalidRecord, { minLength: 1, maxLength: 8 }), async (specs) => {
        const { items, listed } = await runBatch(specs);
        expect(fx.sim.requests, `Huawei was called for an invalid record: ${JSON.stringify(fx.sim.requests.map((r) => r.path))}`).toHaveLength(0);
        listedCount += listed.length;
        reported += items.length - listed.length;
      }),
      settings(RUNS.queueInvalid),
    );
    // Both ends of an invalid record's fate were exercised: parked, and told by a rejected callback.
    expect(listedCount).toBeGreaterThan(50);
    expect(reported).toBeGreaterThan(20);
  });

  it('mixed batches: valid records are enabled once each and not listed; Huawei hears only of them', async () => {
    let validSeen = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(validRecord, invalidRecord), { minLength: 1, maxLength: 8 }), async (specs) => {
        const { items, listed } = await runBatch(specs);
        const valid = items.filter((i) => i.spec.valid);
        const validIds = new Set(valid.flatMap((i) => i.built.fresh));
        for (const item of valid) {
          validSeen += 1;
          expect(listed, `valid record ${item.messageId} came back: ${item.record.body}`).not.toContain(item.messageId);
          for (const id of item.built.fresh) expect(fx.sim.acceptedEnableCalls(id), `instance ${id}`).toBe(1);
          if (item.record.body.includes('/queue/')) expect(verifiedType(item.built.callbackPath)).toBe('smart_connect.enable.accepted');
        }
        for (const request of fx.sim.requests) {
          const instance = request.path.split('/')[4] ?? '';
          expect(validIds.has(decodeURIComponent(instance)), `Huawei was called for ${request.method} ${request.path}, not a valid record's instance`).toBe(true);
        }
      }),
      settings(RUNS.queueMixed),
    );
    expect(validSeen).toBeGreaterThan(50);
  });
});

// ---- schedule ----------------------------------------------------------------------------------

const TRANSIENT = 'TransientScheduleFailure';
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
            : { version: '0', 'detail-type': 'Scheduled Event', source: 'aws.events', ...(shape === 'rule-with-id' ? { id: `ev-${scheduleCounter}` } : {}), detail: payload };
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
  '', 'requestContext', 'requestContext.requestId', 'requestContext.http', 'requestContext.http.method', 'requestContext.httpMethod', 'httpMethod',
  'headers', 'headers.content-type', 'headers.Content-Type', 'multiValueHeaders', 'pathParameters', 'pathParameters.project_id', 'pathParameters.instance_id',
  'body', 'isBase64Encoded',
);
const anyHttpEvent = fc.oneof(
  { weight: 1, arbitrary: anyValue.map((event) => ({ event })) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom('v2', 'v1'), fc.constantFrom(...POOL), HTTP_PATHS, replacement)
      .map(([format, instance, path, value]) => {
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
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('', 'Records'), replacement).map(([key, value]) => ({ event: mutated({ Records: [] }, key ? [key] : [], value), records: [] as AnyRecord[] })) },
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
        const given = new Set(records.map((r) => (typeof r === 'object' && r !== null ? (r as { messageId?: unknown }).messageId : undefined)).filter((id) => typeof id === 'string' && id !== ''));
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
      arbitrary: fc.tuple(SCHEDULE_PATHS, replacement).map(([path, value]) => ({ event: mutated(sample('scheduled-event.json'), path, value), validTarget: undefined as string | undefined })),
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

// ---- secrets in any field and encoding ----------------------------------------------------------
//
// Whatever answers in Huawei's place (a gateway, a proxy, a hostile endpoint) may echo the request's
// credentials, whole or in part, plain or encoded, in any field of its answer. None of it may leave
// in an HTTP answer, a callback, a queue answer or a log line. These bundles are a second cold start
// that knows every secret: temporary credentials with a >1 KB security token, and the callback secret.

describe('secrets in any field and encoding', () => {
  const SECRETS: readonly NamedSecret[] = [
    { name: 'the SK', value: STS.sk },
    { name: 'the security token', value: STS.securityToken },
    { name: 'the callback secret', value: SECRET },
  ];
  const findSecrets = leakFinder(SECRETS);
  let secretHttp: Handler<unknown, HttpAnswer>;
  let secretQueue: Handler<SQSEvent, SQSBatchResponse>;

  beforeAll(async () => {
    const env = { HUAWEICLOUD_SDK_AK: STS.ak, HUAWEICLOUD_SDK_SK: STS.sk, HUAWEICLOUD_SDK_SECURITY_TOKEN: STS.securityToken, LOG_LEVEL: 'INFO' };
    const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
    Object.assign(process.env, env);
    try {
      secretHttp = await loadHandler('http', { coldStart: 'all-secrets' });
      secretQueue = await loadHandler('queue', { coldStart: 'all-secrets' });
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  // The escaped forms keep stretches of plain text between escapes: the leak finder sees those.
  type Encoding = 'plain' | 'percent' | 'percent-lower' | 'percent-partial' | 'percent-twice' | 'base64' | 'base64url' | 'unicode-escaped' | 'html-entities';
  const encode = (piece: string, encoding: Encoding, skew: number): string => {
    const skewed = Buffer.concat([Buffer.from('#'.repeat(skew)), Buffer.from(piece)]);
    switch (encoding) {
      case 'plain':
        return piece;
      case 'percent':
        return encodeURIComponent(piece);
      case 'percent-lower':
        return encodeURIComponent(piece).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
      case 'percent-partial':
        return piece.replaceAll('/', '%2F').replaceAll('+', '%2b');
      case 'percent-twice':
        return encodeURIComponent(encodeURIComponent(piece));
      case 'unicode-escaped':
        return piece.replace(/[+/=-]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      case 'html-entities':
        return piece.replace(/[+/=-]/g, (c) => `&#${c.charCodeAt(0)};`);
      case 'base64':
        return skewed.toString('base64');
      case 'base64url':
        return skewed.toString('base64url');
    }
  };
  /** A run of at least 24 characters of a secret (or all of it), encoded, between other text. */
  const echo = fc
    .record({
      secret: fc.constantFrom(...SECRETS.map((secret) => secret.value)),
      start: fc.nat(),
      length: fc.integer({ min: 24, max: 2_000 }),
      encoding: fc.constantFrom<Encoding>('plain', 'percent', 'percent-lower', 'percent-partial', 'percent-twice', 'base64', 'base64url', 'unicode-escaped', 'html-entities'),
      skew: fc.integer({ min: 0, max: 2 }),
      before: fc.string({ maxLength: 20 }),
      after: fc.string({ maxLength: 20 }),
    })
    .map(({ secret, start, length, encoding, skew, before, after }) => {
      const from = start % (secret.length - 23);
      return `${before}${encode(secret.slice(from, from + length), encoding, skew)}${after}`;
    });
  const headerSafe = (text: string) => /^[\x21-\x7e]+$/.test(text);

  // Where the echo is: in a field of the upstream's answer, or (input-key) in the request's own
  // field name, which the refusal names.
  type Field = 'page' | 'error_msg' | 'error_code' | 'request_id' | 'nested' | 'job_id' | 'input-key';
  const faultFor = (field: Exclude<Field, 'input-key'>, status: number, text: string): Fault => {
    const code = status >= 500 ? 'DMS.00500000' : 'DMS.00400002';
    switch (field) {
      case 'page':
        return { kind: 'status', status, headers: { 'Content-Type': 'text/html' }, raw: `<html><body><pre>${text}</pre></body></html>` };
      case 'error_msg':
        return { kind: 'status', status, body: { error_code: code, error_msg: text } };
      case 'error_code':
        return { kind: 'status', status, body: { error_code: text, error_msg: 'echo' } };
      case 'request_id':
        return { kind: 'status', status, body: { error_code: code, error_msg: 'echo', request_id: text }, ...(headerSafe(text) ? { headers: { 'X-Request-Id': text } } : {}) };
      case 'nested':
        return { kind: 'status', status, body: { error: { code, message: text } } };
      case 'job_id':
        // A 200 whose ids are the echo: they reach the answer and the callback as job_id and connector_id.
        return { kind: 'status', status: 200, body: { job_id: text, connector_id: `c-${text}` } };
    }
  };

  const secretCase = fc.record({
    trigger: fc.constantFrom('http', 'queue'),
    field: fc.constantFrom<Field>('page', 'error_msg', 'error_code', 'request_id', 'nested', 'job_id', 'input-key'),
    // One answer each: 4xx fail the request (the echo goes on to the answer); 5xx are retried and
    // the second POST succeeds (the echo is only in the logs).
    status: fc.constantFrom(400, 401, 403, 404, 409, 500, 502, 503),
    text: echo,
  });

  it('never a 24-character run of a secret in answers, callbacks or logs, whatever field carries it and however encoded', async () => {
    let redacted = 0;
    let counter = 0;
    await fc.assert(
      fc.asyncProperty(secretCase, async (c) => {
        expect(findSecrets(c.text), 'the generated echo holds a secret run').not.toEqual([]);
        counter += 1;
        const instanceId = randomUUID();
        seed(PROJECT, instanceId);
        const extra = c.field === 'input-key' ? { [c.text]: 1 } : {};
        if (c.field !== 'input-key') fx.sim.inject({ method: 'POST', path: instanceId, fault: faultFor(c.field, c.status, c.text) });
        const path = `/secrets/${counter}`;
        const mark = guardMark();
        const { value: answer, lines } = await capturing(async () => {
          if (c.trigger === 'http') {
            const built = buildHttpEvent({
              valid: true,
              format: 'v2',
              method: 'POST',
              project: PROJECT,
              instance: { source: 'literal', value: instanceId, variant: 'as-is' },
              extraPath: {},
              pathShape: 'params',
              headers: [['content-type', 'application/json']],
              nullHeaders: false,
              body: { kind: 'text', text: JSON.stringify({ callback_url: receiver.url(path), ...extra }), encoding: 'plain' },
            });
            return JSON.stringify(await secretHttp(built.event, functionContext('http')));
          }
          const record = sqsRecord({ messageId: `secrets-${counter}`, body: JSON.stringify({ project_id: PROJECT, instance_id: instanceId, callback_url: receiver.url(path), ...extra }) });
          return JSON.stringify(await secretQueue({ Records: [record] }, functionContext('queue', { timeoutMs: 60_000 })));
        });
        fx.sim.clearFaults();
        expectNoCrashLogged(lines);
        expectLoopbackOnly(mark);
        const callbacks = callbacksAt(path).map((callback) => `${JSON.stringify(callback.headers)}\n${callback.body}`);
        // An HTTP caller is told of its own invalid input by the answer alone.
        if (!(c.trigger === 'http' && c.field === 'input-key')) expect(callbacks.length, `no callback for ${JSON.stringify(c).slice(0, 300)}`).toBeGreaterThan(0);
        const leaks = { answer: findSecrets(answer), callbacks: callbacks.flatMap(findSecrets), logs: lines.flatMap(findSecrets) };
        expect(leaks, `${c.trigger} ${c.field} ${c.status}: ${c.text.slice(0, 120)}`).toEqual({ answer: [], callbacks: [], logs: [] });
        if ([answer, ...callbacks, ...lines].some((text) => text.includes('[redacted]'))) redacted += 1;
      }),
      settings(RUNS.secrets),
    );
    // Not vacuous: the echoes did reach what is written, and were taken out there.
    expect(redacted).toBeGreaterThan(RUNS.secrets / 2);
  });
});
