// Hostile input, generated (fast-check) for tests/integration/hostile-*.test.ts: JSON text (valid,
// near valid, wrong and broken), HTTP events in API Gateway's two payload formats, and queue
// records and schedule targets, bare or in the envelopes SNS and EventBridge put around them. Their
// placeholders (the receiver's URL, fresh instances) are filled on the stage (hostile-stage.ts).
import { randomBytes, randomUUID } from 'node:crypto';
import { sample } from './events.ts';
import fc from 'fast-check';
import { KAFKA_REGIONS } from '../../shared/huawei/index.ts';
import { PROJECT } from './fixtures.ts';
import { KNOWN_FIELDS, POOL, PROJECT_RE, prepareInstance, receiver, seed, UUID_RE } from './hostile-stage.ts';

// ---- JSON text generators (text, so that 3.0, 1e999, duplicate keys and __proto__ can be sent) ---

const RECEIVER = '@@RECEIVER@@';
export const FRESH = '@@FRESH@@';
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
  .map(
    ({ spec, ...rest }): Array<readonly [string, string]> => [
      ...Object.entries(rest),
      ...(spec
        ? ([
            ['specification', spec[0]],
            ['spec_code', spec[1]],
          ] as const)
        : []),
    ],
  );

const nodeCntText = fc.oneof(
  fc.integer({ min: -10, max: 100 }).map(String),
  fc.constantFrom(
    '1',
    '0',
    '-2',
    '2.5',
    '1e999',
    '-1e999',
    '9007199254740993',
    '1e308',
    '1e-7',
    '"1"',
    '"2.5"',
    '"1e3"',
    '"0x10"',
    '"Infinity"',
    '"NaN"',
    '"-3"',
    '"+3"',
    '"\uff13"',
    '"2\\u0000"',
    '"9999999999999999"',
    '""',
    'null',
    'true',
    'false',
    '[]',
    '[3]',
    '{}',
    '{"n":3}',
  ),
  validNodeCntText,
  anyJsonText,
);
const specificationText = fc.oneof(
  fc.constantFrom(
    '"100MB"',
    '"1200MB"',
    '"100 MB"',
    '"\uff11\uff10\uff10MB"',
    '"100M"',
    '"100MBB"',
    '"MB"',
    '""',
    '50',
    '1e2',
    '100.0',
    '-100',
    'null',
    'true',
    '[]',
    '{}',
  ),
  quoted(fc.string({ maxLength: 12 })),
);
const specCodeText = fc.oneof(
  fc.constantFrom(
    '"kafka.c3.mini.connector"',
    '""',
    '"  "',
    '"-x"',
    '"a b"',
    '"\u00fc"',
    JSON.stringify('a'.repeat(64)),
    JSON.stringify('a'.repeat(65)),
    '1',
    'null',
    '{}',
  ),
  quoted(fc.string({ maxLength: 70 })),
);
const regionText = fc.oneof(
  validRegionText,
  fc.constantFrom('"CN-NORTH-4"', '" cn-north-4"', '"mars-north-1"', '""', 'null', '4', '[]'),
  quoted(fc.string({ maxLength: 16 })),
);
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
const unknownKey = fc
  .oneof(
    fc.constantFrom(
      'node_count',
      'nodeCnt',
      'Node_Cnt',
      'NODE_CNT',
      'callbackUrl',
      'region ',
      ' region',
      'spec',
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'hasOwnProperty',
      'type',
      '',
      '\u0000',
      'detail',
      'Message',
    ),
    fc.string({ maxLength: 12 }),
  )
  .filter((key) => !KNOWN_FIELDS.has(key));

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

const JSON_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json;charset=UTF-8',
  'APPLICATION/JSON',
  'Application/Json; Charset=ISO-8859-1',
  'application/vnd.api+json',
];
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

const nearValidUuid = fc
  .tuple(fc.uuid(), fc.nat(), fc.constantFrom('swap', 'drop', 'extra', 'braces', 'urn', 'zwsp', 'no-dashes', 'fullwidth', 'newline-inside'))
  .map(([uuid, at, how]) => {
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
const nearValidProject = fc.constantFrom(
  PROJECT.slice(1),
  `${PROJECT}0`,
  PROJECT.replace('a', 'g'),
  `0x${PROJECT.slice(2)}`,
  PROJECT.replace('0', 'O'),
  `${PROJECT.slice(0, 16)} ${PROJECT.slice(16)}`,
  `${PROJECT}\u200b`,
);
const randomProject = fc.oneof(
  fc.stringMatching(/^[0-9a-f]{32}$/),
  nearValidProject,
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', '..', '%2F', '${project_id}', '{project_id}'),
);
const randomInstance = fc.oneof(
  fc.uuid().map((value) => ({ source: 'literal' as const, value })),
  nearValidUuid.map((value) => ({ source: 'literal' as const, value })),
  fc
    .oneof(fc.string({ maxLength: 40 }), fc.constantFrom('', ' ', '..', '../../etc/passwd', '%00', '{instance_id}'))
    .map((value) => ({ source: 'literal' as const, value })),
);

function bodyEncoding(valid: boolean): fc.Arbitrary<Encoding> {
  return valid ? fc.constantFrom<Encoding>('plain', 'base64', 'no-flag') : fc.constantFrom<Encoding>('plain', 'base64', 'base64', 'flag-only', 'no-flag');
}

export const validHttpCase: fc.Arbitrary<HttpCase> = fc
  .record({
    format: fc.constantFrom<HttpCase['format']>('v2', 'v2', 'v1'),
    method: fc.constantFrom('POST', 'POST', 'POST', 'post'),
    project: projectVariant,
    instance: instanceSpec(poolOrFresh),
    contentType: fc.tuple(contentTypeName, fc.constantFrom(...JSON_TYPES)),
    extra: extraHeaders.map((headers) => headers.filter(([name]) => name.toLowerCase() !== 'content-type')),
    body: fc.oneof({
      weight: 6,
      arbitrary: fc.tuple(validBodyEntries, bodyEncoding(true)).map(([entries, encoding]): BodySpec => ({ kind: 'text', text: objectText(entries), encoding })),
    }),
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

export const hostileHttpCase: fc.Arbitrary<HttpCase> = fc
  .record({
    format: fc.constantFrom<HttpCase['format']>('v2', 'v1'),
    method: fc.oneof(
      { weight: 6, arbitrary: fc.constant('POST') },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          'post',
          'Post',
          'GET',
          'PUT',
          'DELETE',
          'PATCH',
          'HEAD',
          'OPTIONS',
          'CONNECT',
          'TRACE',
          '',
          'POST ',
          ' POST',
          'PO ST',
          'P\u0000OST',
        ),
      },
      { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
    ),
    project: fc.option(fc.oneof({ weight: 3, arbitrary: projectVariant }, { weight: 2, arbitrary: randomProject }), { nil: undefined, freq: 10 }),
    instance: fc.option(fc.oneof({ weight: 3, arbitrary: instanceSpec(poolOrFresh) }, { weight: 2, arbitrary: instanceSpec(randomInstance) }), {
      nil: undefined,
      freq: 10,
    }),
    extraPath: fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 2 }),
    pathShape: fc.constantFrom<HttpCase['pathShape']>('params', 'params', 'params', 'params', 'null', 'absent'),
    contentType: fc.option(fc.tuple(contentTypeName, hostileContentType), { nil: undefined, freq: 6 }),
    extra: extraHeaders,
    nullHeaders: fc.boolean(),
    body: fc.oneof(
      // No body says nothing: refused ({} asks for all defaults).
      {
        weight: 1,
        arbitrary: fc.constantFrom<BodySpec>(
          { kind: 'absent' },
          { kind: 'null' },
          { kind: 'text', text: '', encoding: 'plain' },
          { kind: 'text', text: '  \n', encoding: 'plain' },
        ),
      },
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

export const V2_TEMPLATE = sample<V2Event>('http-api-v2-enable.json');
export const V1_TEMPLATE = sample<V1Event>('http-rest-v1-enable.json');

function resolveInstance(spec: InstanceSpec): string {
  const base = spec.source === 'fresh' ? randomUUID() : spec.value;
  return spec.variant === 'upper' ? base.toUpperCase() : spec.variant === 'padded' ? ` ${base}\n` : base;
}

function fillPlaceholders(text: string, callbackPath: string): string {
  return text.replaceAll(RECEIVER, receiver.url(callbackPath));
}

export interface BuiltHttp {
  event: V2Event | V1Event;
  requestId: string;
  otherProject: boolean;
  project: string | undefined;
  instance: string | undefined;
}

let httpCounter = 0;
export function buildHttpEvent(c: HttpCase): BuiltHttp {
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
  .oneof(
    nearValidUuid.map((s) => JSON.stringify(s)),
    quoted(fc.string({ maxLength: 40 })),
    fc.constantFrom('null', '1', 'true', '[]', '{}', `[${JSON.stringify(POOL[0])}]`),
  )
  .filter((text) => {
    const value: unknown = JSON.parse(text);
    return !(typeof value === 'string' && UUID_RE.test(value.trim()));
  });
const definitelyBadProject = fc
  .oneof(
    nearValidProject.map((s) => JSON.stringify(s)),
    quoted(fc.string({ maxLength: 40 })),
    fc.constantFrom('null', '0', '[]', '{}'),
  )
  .filter((text) => {
    const value: unknown = JSON.parse(text);
    return !(typeof value === 'string' && PROJECT_RE.test(value.trim()));
  });
const definitelyBadNodeCnt = fc.constantFrom(
  '1',
  '0',
  '-3',
  '2.5',
  '"1"',
  '"abc"',
  '"2.5"',
  '""',
  'null',
  'true',
  '[]',
  '{}',
  '1e999',
  '9007199254740993',
  '"9999999999999999"',
  '"\uff13"',
);
const definitelyBadCallback = fc
  .constantFrom('http://example.com/hook', 'ftp://example.com/', 'not a url', '', 'javascript:alert(1)', '//x')
  .map((s) => JSON.stringify(s));
const definitelyBadRegion = fc.constantFrom('"mars-north-1"', '"CN-NORTH-4"', '""', 'null', '4');

/** A valid request's entries (ids included); the instance is fresh unless pooled. */
const validRequestEntries = fc
  .tuple(projectVariant, fc.constantFrom(FRESH, FRESH, FRESH_UPPER, ` ${FRESH} `), validBodyEntries)
  .map(
    ([project, instance, rest]): Array<readonly [string, string]> => [
      ['project_id', JSON.stringify(project)],
      ['instance_id', JSON.stringify(instance)],
      ...rest,
    ],
  );

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
      return set(
        { 'bad-instance': 'instance_id', 'bad-project': 'project_id', 'bad-node-cnt': 'node_cnt', 'bad-callback': 'callback_url', 'bad-region': 'region' }[
          defect
        ],
        replacement,
      );
    case 'unknown-key':
      return [...entries, JSON.parse(replacement) as [string, string]];
    case 'spec-without-code':
      return [...without('specification', 'spec_code'), ['specification', '"100MB"']];
    case 'code-without-spec':
      return [...without('specification', 'spec_code'), ['spec_code', '"kafka.c3.mini.connector"']];
  }
}

const defective: fc.Arbitrary<string> = fc
  .constantFrom<Defect>(
    'null-project',
    'no-instance',
    'bad-instance',
    'bad-project',
    'unknown-key',
    'bad-node-cnt',
    'spec-without-code',
    'code-without-spec',
    'bad-callback',
    'bad-region',
  )
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
                  ? fc
                      .tuple(
                        unknownKey.filter((k) => k !== 'type'),
                        anyJsonText,
                      )
                      .map((pair) => JSON.stringify(pair))
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
  {
    weight: 1,
    arbitrary: fc
      .jsonValue({ maxDepth: 2 })
      .filter((v) => typeof v !== 'object' || v === null || Array.isArray(v))
      .map((v) => JSON.stringify(v)),
  },
  { weight: 2, arbitrary: hostileObjectText }, // no instance_id: required
  {
    weight: 1,
    arbitrary: brokenJsonText.filter((t) => !t.startsWith('{"region"') && !t.startsWith('{"node_cnt"') && t !== '{"__proto__": {"polluted": true}}'),
  },
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

export function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const snsText = (message: string) =>
  JSON.stringify({
    Type: 'Notification',
    MessageId: 'mid',
    TopicArn: 'arn:aws:sns:eu-west-1:123456789012:t',
    Message: message,
    Timestamp: '2026-11-25T09:30:00.000Z',
  });

export function wrapText(inner: string, wrap: Wrap | BrokenWrap): string {
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
      return json
        ? `{"Type":"Notification","TopicArn":"arn:aws:sns:eu-west-1:123456789012:t","Message":${inner}}`
        : JSON.stringify({ Type: 'Notification', Message: inner });
    case 'eventbridge-no-source':
      return json ? `{"detail-type":"SmartConnectRequested","detail":${inner}}` : JSON.stringify({ detail: inner });
  }
}

const wrap = fc.constantFrom<Wrap>('none', 'none', 'sns', 'eventbridge', 'sns-in-sns');
export interface RecordSpec {
  valid: boolean;
  text: string;
  wrap: Wrap | BrokenWrap;
}
export const invalidRecord: fc.Arbitrary<RecordSpec> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(invalidInnerText, wrap).map(([text, w]): RecordSpec => ({ valid: false, text, wrap: w })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(validRequestEntries, fc.constantFrom<BrokenWrap>('sns-no-arn', 'sns-message-object', 'eventbridge-no-source'))
      .map(([entries, w]): RecordSpec => ({ valid: false, text: objectText(entries), wrap: w })),
  },
);
export const validRecord: fc.Arbitrary<RecordSpec> = fc
  .tuple(validRequestEntries, wrap)
  .map(([entries, w]): RecordSpec => ({ valid: true, text: objectText(entries), wrap: w }));

export interface BuiltText {
  text: string;
  /** Fresh instances named in it (lower case), seeded in the simulator. */
  fresh: string[];
  callbackPath: string;
}

/** Fills the placeholders of an inner text: fresh (seeded) instances and this item's callback path. */
export function materialise(inner: string, callbackPath: string): BuiltText {
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
