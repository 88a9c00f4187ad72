// Contract tests: every request below is signed twice, by shared/huawei/signer.ts and by Huawei's
// own Node signer (AKSKSigner from @huaweicloud/huaweicloud-sdk-core), and the Authorization
// headers must be identical. No expected signature is written down here: Huawei's code is the oracle.
//
// How the SDK is fed (mirrors BaseCredentials.processAuthRequest, core 3.1.211):
// - endpoint: the full URL string with RAW path segments (the SDK percent-encodes each segment of
//   url.parse(endpoint).pathname itself); our side builds the URL with buildPath(raw segments);
// - queryParams: an object, repeated keys as arrays (the query in the endpoint is ignored by it);
// - headers: the request's headers, plus X-Security-Token for temporary credentials (addAuthHeaders
//   adds it before signing) and X-Sdk-Date set to our formatted date so both sign the same instant;
// - data: the JSON body as an object (the SDK hashes JSON.stringify(data)); our side gets the string.
// A second run per case lets the SDK pick the date itself from a faked clock, so the contract does
// not depend on our formatSdkDate either.
//
// Inputs the SDK's url.parse mangles, and which are therefore NOT compared with the plain SDK:
// url.parse (legacy) percent-escapes space, tab, ' " ` < > { } | ^ before the SDK's encoder runs,
// which then encodes the '%' again (a raw segment "a b" is signed as a%2520b while the request goes
// out as a%20b). It also turns '\' into '/', and cuts the path at '?' and '#'. Huawei's Go signer
// encodes the raw segment once (a%20b), which is what we do. For those inputs the SDK's own
// CanonicalURI is given the raw path instead (everything else stays the SDK's code), and a test
// checks that url.parse really does mangle them, so the exclusion cannot outlive its reason.
// Likewise an explicit default port (https://host:443): url.parse keeps ":443" in host while the
// WHATWG URL (and the Host header actually sent) drops it.
import { parse as parseLegacyUrl } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js';
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials.js';
import {
  buildPath,
  canonicalQuery,
  canonicalRequest,
  formatSdkDate,
  signRequest,
  type Credentials,
  type SignableRequest,
  type SigningHeaders,
} from '../../shared/huawei/index.ts';
import { DEFAULT_PROJECT_ID } from '../../local/hosting/index.ts';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type Pairs = ReadonlyArray<readonly [string, string]>;

/** The request object AKSKSigner.sign reads (a narrow view of the SDK's IHttpRequest). */
interface SdkSignInput {
  method: string;
  endpoint: string;
  headers: Record<string, string>;
  queryParams: Record<string, string | string[]>;
  data?: JsonObject;
}

interface ContractCase {
  readonly name: string;
  readonly method?: string;
  readonly endpoint?: string;
  readonly segments: readonly string[];
  readonly query?: Pairs;
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON body: the SDK gets the object, our signer JSON.stringify of it. */
  readonly json?: JsonObject;
  /** How our signer gets the body: the JSON string (default), its UTF-8 bytes, or '' with no json. */
  readonly bodyForm?: 'string' | 'bytes' | 'empty-string';
  readonly ak?: string;
  readonly sk?: string;
  readonly securityToken?: string;
  readonly date?: Date;
  /** url.parse mangles this path (see the header comment): give the SDK's CanonicalURI the raw path. */
  readonly sdkRawPath?: boolean;
}

const ENDPOINT = 'https://dms.cn-north-4.myhuaweicloud.com';
const EU_ENDPOINT = 'https://dms.eu-west-101.myhuaweicloud.eu';
const PROJECT = DEFAULT_PROJECT_ID;
const INSTANCE = '5f3c9a1e-7b2d-4c8e-9f10-2a3b4c5d6e7f';
const TASK = 'ff8080819a1b2c3d019a1b2c3d4e0001';
const AK = 'HPUAEXAMPLEAK1234567';
const SK = 'exampleSecretKey0123456789abcdefGHIJKLMN';
const DATE = new Date('2026-11-24T09:55:55Z');
const TOKEN = 'gQpjbi1ub3J0aC00hK5+/Z3cm9vdA==' + 'x'.repeat(200) + '/Pq+0=' + 'AbCdEf0123456789'.repeat(20);

const JSON_HEADERS = { 'Content-Type': 'application/json', 'X-Project-Id': PROJECT } as const;
const CONNECTOR = ['v2', PROJECT, 'instances', INSTANCE, 'connector'] as const;
const INSTANCE_PATH = ['v2', PROJECT, 'instances', INSTANCE] as const;
const TASK_PATH = ['v2', PROJECT, 'instances', INSTANCE, 'tasks', TASK] as const;
const SEED_SMALL: JsonObject = { node_cnt: '2' };
const SEED_FULL: JsonObject = { specification: '100MB', node_cnt: '3', spec_code: 'kafka.c3.mini.connector' };

const CASES: readonly ContractCase[] = [
  // --- the calls the project makes -------------------------------------------------------------
  { name: 'enable, seed body {"node_cnt":"2"}', method: 'POST', segments: CONNECTOR, headers: JSON_HEADERS, json: SEED_SMALL },
  { name: 'enable, seed body with specification/node_cnt/spec_code', method: 'POST', segments: CONNECTOR, headers: JSON_HEADERS, json: SEED_FULL },
  { name: 'enable, body given to our signer as UTF-8 bytes', method: 'POST', segments: CONNECTOR, headers: JSON_HEADERS, json: SEED_FULL, bodyForm: 'bytes' },
  {
    name: 'enable, lower-case header names as the SDK client sends them',
    method: 'POST',
    segments: CONNECTOR,
    headers: { 'content-type': 'application/json', 'x-project-id': PROJECT },
    json: SEED_SMALL,
  },
  {
    name: 'disable (delete-connector)',
    method: 'POST',
    segments: ['v2', PROJECT, 'kafka', 'instances', INSTANCE, 'delete-connector'],
    headers: JSON_HEADERS,
    json: { instance_id: INSTANCE },
  },
  { name: 'GET instance detail, no body', segments: INSTANCE_PATH, headers: { 'X-Project-Id': PROJECT } },
  { name: 'GET background task', segments: TASK_PATH, headers: { 'X-Project-Id': PROJECT } },
  { name: 'GET connector resources, no headers at all', segments: CONNECTOR },
  // --- bodies ----------------------------------------------------------------------------------
  { name: 'POST with no body', method: 'POST', segments: CONNECTOR, headers: JSON_HEADERS },
  { name: 'POST with the empty string as body', method: 'POST', segments: CONNECTOR, headers: JSON_HEADERS, bodyForm: 'empty-string' },
  { name: 'POST with a {} body (hashed as "{}")', method: 'POST', segments: CONNECTOR, headers: JSON_HEADERS, json: {} },
  {
    name: 'JSON body with non-ASCII, quotes, backslashes, newlines, nesting',
    method: 'POST',
    segments: CONNECTOR,
    headers: JSON_HEADERS,
    json: { name: '连接器 café 😀', note: 'say "hi"\\\n\tend', nested: { list: [1, 2.5, true, null, 'x'] } },
  },
  {
    name: 'X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD replaces the body hash',
    method: 'POST',
    segments: CONNECTOR,
    headers: { ...JSON_HEADERS, 'X-Sdk-Content-Sha256': 'UNSIGNED-PAYLOAD' },
    json: SEED_FULL,
  },
  { name: 'X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD without a body', segments: INSTANCE_PATH, headers: { 'X-Sdk-Content-Sha256': 'UNSIGNED-PAYLOAD' } },
  // --- query strings -----------------------------------------------------------------------------
  {
    name: 'query with repeated keys (values sorted)',
    segments: ['v2', PROJECT, 'instances'],
    query: [
      ['tag', 'b'],
      ['limit', '10'],
      ['tag', 'a'],
      ['tag', 'c'],
      ['offset', '0'],
    ],
  },
  {
    name: 'query with empty values',
    segments: ['v2', PROJECT, 'instances'],
    query: [
      ['name', ''],
      ['offset', '0'],
      ['empty', ''],
      ['empty', 'x'],
    ],
  },
  {
    name: "query keys needing encoding: space + / = & ~ * ' ! (",
    segments: ['v2', PROJECT, 'instances'],
    query: [
      ['a key', '1'],
      ['a+b', '2'],
      ['a/b', '3'],
      ['a=b', '4'],
      ['a&b', '5'],
      ['a~b', '6'],
      ['a*b', '7'],
      ["a'b", '8'],
      ['a!b', '9'],
      ['a(b)', '10'],
    ],
  },
  {
    name: "query values needing encoding: space + / = & ~ * ' ! ( ) % #",
    segments: ['v2', PROJECT, 'instances'],
    query: [
      ['q', "a b+c/d=e&f~g*h'i!j(k)l"],
      ['pct', '100%'],
      ['hash', '#x'],
      ['plus', '+'],
    ],
  },
  {
    name: 'query with unicode values and keys',
    segments: ['v2', PROJECT, 'instances'],
    query: [
      ['name', '测试实例'],
      ['emoji', '😀🚀'],
      ['accent', 'café-ñ-Å'],
      ['名前', 'v'],
    ],
  },
  {
    name: 'query keys sorted case-sensitively by code unit',
    segments: ['v2', PROJECT, 'instances'],
    query: [
      ['b', '1'],
      ['B', '2'],
      ['a', '3'],
      ['_x', '4'],
      ['~y', '5'],
      ['0', '6'],
      ['A-z', '7'],
    ],
  },
  // Raw order, not encoded order: 'a~' < 'aé' raw, but 'a%C3%A9' < 'a~' once encoded.
  {
    name: 'repeated values sorted before encoding',
    segments: ['v2', PROJECT, 'instances'],
    query: [
      ['k', 'aé'],
      ['k', 'a~'],
      ['k', 'a b'],
      ['k', 'a+b'],
      ['k', 'B'],
      ['k', '10'],
      ['k', '9'],
    ],
  },
  // UTF-16 code-unit order (U+FF5E after the U+1F600 surrogate pair), as JS's sort in the SDK.
  {
    name: 'repeated values: BMP-high vs astral characters',
    segments: ['v2', PROJECT, 'instances'],
    query: [
      ['k', '～'],
      ['k', '😀'],
      ['k', '\uE000'],
    ],
  },
  // --- paths -----------------------------------------------------------------------------------
  { name: 'non-ASCII path segment: Chinese', segments: ['v2', PROJECT, 'instances', '实例-一号', 'tasks', '任务'] },
  { name: 'non-ASCII path segment: emoji (surrogate pairs)', segments: ['v2', PROJECT, 'instances', '😀🚀', 'connector'] },
  { name: 'non-ASCII path segment: accented', segments: ['v2', PROJECT, 'instances', 'café-ñ-Å-ü'] },
  { name: 'path segment with a space (SDK CanonicalURI given the raw path)', segments: ['v2', PROJECT, 'instances', 'my instance'], sdkRawPath: true },
  {
    name: 'path segment with sub-delims url.parse leaves alone: + = & ; , @ : $ ! ( ) * ~',
    segments: ['v2', PROJECT, 'instances', 'a+b=c&d;e,f@g:h$i!j(k)l*m~n'],
  },
  { name: 'path segments with a literal % and %20 (encoded once more, never decoded)', segments: ['v2', PROJECT, 'instances', '100%', 'a%20b'] },
  { name: 'path with a trailing slash', segments: ['v2', PROJECT, 'instances', ''] },
  { name: 'root path', segments: [] },
  // --- credentials and headers -----------------------------------------------------------------
  { name: 'temporary credentials (X-Security-Token signed)', segments: INSTANCE_PATH, headers: { 'X-Project-Id': PROJECT }, securityToken: TOKEN },
  { name: 'temporary credentials on enable', method: 'POST', segments: CONNECTOR, headers: JSON_HEADERS, json: SEED_SMALL, securityToken: TOKEN },
  { name: 'X-Project-Id alone', method: 'POST', segments: CONNECTOR, headers: { 'X-Project-Id': PROJECT }, json: SEED_SMALL },
  {
    name: 'extra header, mixed-case name, inner spaces in the value',
    method: 'POST',
    segments: CONNECTOR,
    headers: { ...JSON_HEADERS, 'X-Custom-HEADER': 'a  value, with; punctuation=1' },
    json: SEED_SMALL,
  },
  {
    name: 'long AK/SK (SK longer than the HMAC block)',
    method: 'POST',
    segments: CONNECTOR,
    headers: JSON_HEADERS,
    json: SEED_SMALL,
    ak: 'AK'.repeat(64),
    sk: 'S3cr3t/K+y='.repeat(30),
  },
  // --- dates -----------------------------------------------------------------------------------
  { name: 'date: last second of the year', segments: INSTANCE_PATH, date: new Date('2025-12-31T23:59:59Z') },
  { name: 'date: first second of the year', segments: INSTANCE_PATH, date: new Date('2026-01-01T00:00:00Z') },
  { name: 'date: leap day', method: 'POST', segments: CONNECTOR, headers: JSON_HEADERS, json: SEED_SMALL, date: new Date('2024-02-29T12:34:56Z') },
  { name: 'date: single-digit month, day, hour, minute, second', segments: TASK_PATH, date: new Date('2026-03-05T04:05:06Z') },
  { name: 'date: midnight', segments: TASK_PATH, date: new Date('2026-07-01T00:00:00Z') },
  { name: 'date: 23:59:59.999 (milliseconds truncated, not rounded)', segments: TASK_PATH, date: new Date('2026-09-09T23:59:59.999Z') },
  // --- hosts -----------------------------------------------------------------------------------
  {
    name: 'host with a non-default port',
    endpoint: 'https://dms.cn-north-4.myhuaweicloud.com:8443',
    method: 'POST',
    segments: CONNECTOR,
    headers: JSON_HEADERS,
    json: SEED_SMALL,
  },
  { name: 'plain http loopback host with a port', endpoint: 'http://127.0.0.1:9000', segments: INSTANCE_PATH },
  { name: 'eu-west-101 host on myhuaweicloud.eu', endpoint: EU_ENDPOINT, method: 'POST', segments: CONNECTOR, headers: JSON_HEADERS, json: SEED_FULL },
];

/** AKSKSigner with two hooks: it records the canonical request (for failure messages) and can be
 * given the raw path for the inputs url.parse mangles. Query, headers, hash and HMAC stay the SDK's. */
class ProbeSigner extends AKSKSigner {
  static lastCanonical: string | undefined;
  static rawPath: string | undefined;

  protected static override buildCanonicalRequest(
    method: string | undefined,
    canonicalURI: string | undefined,
    canonicalQueryString: string,
    canonicalHeaders: string,
    signedHeaderNames: string,
    payloadHash: string | undefined,
  ): string {
    const canonical = super.buildCanonicalRequest(method, canonicalURI, canonicalQueryString, canonicalHeaders, signedHeaderNames, payloadHash);
    ProbeSigner.lastCanonical = canonical;
    return canonical;
  }

  protected static override CanonicalURI(inputUri?: string): string | undefined {
    return super.CanonicalURI(ProbeSigner.rawPath ?? inputUri);
  }
}

interface SdkResult {
  readonly headers: Record<string, string>;
  readonly canonical: string | undefined;
}

function sdkCredentials(ak: string, sk: string): BasicCredentials {
  return new BasicCredentials().withAk(ak).withSk(sk);
}

function sdkQueryParams(pairs: Pairs): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of pairs) {
    const previous = out[key];
    out[key] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return out;
}

function rawPathOf(segments: readonly string[]): string {
  return `/${segments.join('/')}`;
}

/** The request as the SDK would sign it. With sdkDate undefined the SDK takes the date from its clock. */
function sdkInput(c: ContractCase, sdkDate: string | undefined): SdkSignInput {
  const headers: Record<string, string> = { ...c.headers };
  if (c.securityToken !== undefined) headers['X-Security-Token'] = c.securityToken;
  if (sdkDate !== undefined) headers['X-Sdk-Date'] = sdkDate;
  return {
    method: c.method ?? 'GET',
    endpoint: `${c.endpoint ?? ENDPOINT}${rawPathOf(c.segments)}`,
    headers,
    queryParams: sdkQueryParams(c.query ?? []),
    ...(c.json !== undefined ? { data: c.json } : {}),
  };
}

function sdkSign(c: ContractCase, sdkDate: string | undefined, rawPath?: string): SdkResult {
  const credential = sdkCredentials(c.ak ?? AK, c.sk ?? SK);
  ProbeSigner.lastCanonical = undefined;
  ProbeSigner.rawPath = rawPath;
  try {
    if (rawPath !== undefined) {
      // url.parse would mangle this path: the SDK's code with the raw path as CanonicalURI's input.
      const headers = ProbeSigner.sign(sdkInput(c, sdkDate), credential) as Record<string, string>;
      return { headers, canonical: ProbeSigner.lastCanonical };
    }
    // The plain SDK signer is the oracle; the probe runs only to record the canonical string.
    const headers = AKSKSigner.sign(sdkInput(c, sdkDate), credential) as Record<string, string>;
    ProbeSigner.sign(sdkInput(c, sdkDate), credential);
    return { headers, canonical: ProbeSigner.lastCanonical };
  } finally {
    ProbeSigner.rawPath = undefined;
  }
}

/** The SDK signing with its own clock set to `date` (no X-Sdk-Date given). */
function sdkSignAt(c: ContractCase, date: Date, rawPath?: string): SdkResult {
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    vi.setSystemTime(date);
    return sdkSign(c, undefined, rawPath);
  } finally {
    vi.useRealTimers();
  }
}

function ourRequest(c: ContractCase): SignableRequest {
  const query = c.query && c.query.length > 0 ? `?${canonicalQuery(c.query)}` : '';
  const url = new URL(`${c.endpoint ?? ENDPOINT}${buildPath(c.segments)}${query}`);
  let body: string | Uint8Array | undefined;
  if (c.json !== undefined) {
    const text = JSON.stringify(c.json);
    body = c.bodyForm === 'bytes' ? new TextEncoder().encode(text) : text;
  } else if (c.bodyForm === 'empty-string') {
    body = '';
  }
  return { method: c.method ?? 'GET', url, headers: { ...c.headers }, body };
}

function ourCredentials(c: ContractCase): Credentials {
  return { ak: c.ak ?? AK, sk: c.sk ?? SK, ...(c.securityToken !== undefined ? { securityToken: c.securityToken } : {}) };
}

/** Our canonical request, for failure messages only (the assertions compare Authorization). */
function ourCanonical(request: SignableRequest, credentials: Credentials, date: Date): string {
  const all = new Map<string, string>();
  for (const [name, value] of Object.entries(request.headers)) all.set(name.toLowerCase(), value);
  if (!all.has('host')) all.set('host', request.url.host);
  all.set('x-sdk-date', formatSdkDate(date));
  if (credentials.securityToken) all.set('x-security-token', credentials.securityToken);
  all.delete('authorization');
  const signed = [...all.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return canonicalRequest(request, signed);
}

function mismatch(sdk: SdkResult, ours: string): string {
  return `Authorization differs from Huawei's signer.\n--- SDK canonical ---\n${sdk.canonical ?? '(not captured)'}\n--- our canonical ---\n${ours}\n`;
}

function signOurs(c: ContractCase): { request: SignableRequest; credentials: Credentials; date: Date; signed: SigningHeaders } {
  const request = ourRequest(c);
  const credentials = ourCredentials(c);
  const date = c.date ?? DATE;
  return { request, credentials, date, signed: signRequest(request, credentials, date) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("signRequest agrees with Huawei's AKSKSigner", () => {
  it('has at least 24 named contract cases with unique names', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(24);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(CASES)('$name', (c) => {
    const { request, credentials, date, signed } = signOurs(c);
    const rawPath = rawPathOf(c.segments);
    const sdkEndpoint = `${c.endpoint ?? ENDPOINT}${rawPath}`;

    // The comparison is only meaningful when the SDK sees the raw path: check that url.parse leaves
    // it alone, or (flagged cases) that it really mangles it and the raw path is handed over instead.
    if (c.sdkRawPath) expect(parseLegacyUrl(sdkEndpoint).pathname).not.toBe(rawPath);
    else expect(parseLegacyUrl(sdkEndpoint).pathname).toBe(rawPath);
    const sdkRaw = c.sdkRawPath ? rawPath : undefined;

    // 1. Same date given to both.
    const sdk = sdkSign(c, formatSdkDate(date), sdkRaw);
    expect(signed.Authorization, mismatch(sdk, ourCanonical(request, credentials, date))).toBe(sdk.headers['Authorization']);

    // 2. The SDK takes the date from its own (faked) clock: same X-Sdk-Date, same Authorization.
    const sdkClock = sdkSignAt(c, date, sdkRaw);
    expect(signed['X-Sdk-Date']).toBe(sdkClock.headers['X-Sdk-Date']);
    expect(signed.Authorization, mismatch(sdkClock, ourCanonical(request, credentials, date))).toBe(sdkClock.headers['Authorization']);

    // 3. The token is returned to be sent, exactly as given; nothing when the credentials are permanent.
    expect(signed['X-Security-Token']).toBe(c.securityToken);
  });
});

describe('X-Sdk-Date matches the SDK date format for the same instant', () => {
  const DATES: ReadonlyArray<readonly [string, Date]> = [
    ['epoch', new Date(0)],
    ['year boundary, last second', new Date('2025-12-31T23:59:59Z')],
    ['year boundary, first second', new Date('2026-01-01T00:00:00Z')],
    ['leap day', new Date('2024-02-29T00:00:00Z')],
    ['day after a leap day', new Date('2024-03-01T00:00:00Z')],
    ['single-digit month and day', new Date('2026-01-02T03:04:05Z')],
    ['midnight', new Date('2026-10-10T00:00:00Z')],
    ['23:59:59.999', new Date('2026-12-31T23:59:59.999Z')],
    ['millisecond after midnight', new Date('2026-06-15T00:00:00.001Z')],
    ['far future', new Date('2099-12-31T23:59:59Z')],
  ];

  it.each(DATES)('%s', (_name, date) => {
    const c: ContractCase = { name: 'date', segments: INSTANCE_PATH };
    const sdk = sdkSignAt(c, date);
    const sdkDate = sdk.headers['X-Sdk-Date'];
    expect(sdkDate).toMatch(/^\d{8}T\d{6}Z$/);
    expect(formatSdkDate(date)).toBe(sdkDate);
    expect(signRequest(ourRequest(c), ourCredentials(c), date)['X-Sdk-Date']).toBe(sdkDate);
  });
});

describe('inputs url.parse mangles before the SDK encodes them (excluded from the plain comparison)', () => {
  // Each character is put inside a path segment. url.parse escapes (or splits/cuts at) it, so the
  // unmodified SDK signs a path other than the one sent; the SDK's own CanonicalURI applied to the
  // raw path must still agree with us.
  const MANGLED: ReadonlyArray<readonly [string, string]> = [
    ['space', 'a b'],
    ['tab', 'a\tb'],
    ['apostrophe', "a'b"],
    ['double quote', 'a"b'],
    ['backtick', 'a`b'],
    ['angle brackets', 'a<b>'],
    ['braces', 'a{b}'],
    ['pipe', 'a|b'],
    ['caret', 'a^b'],
    ['backslash', 'a\\b'],
    ['question mark', 'a?b'],
    ['hash', 'a#b'],
  ];

  it.each(MANGLED)('%s', (_name, segment) => {
    const c: ContractCase = { name: segment, segments: ['v2', PROJECT, 'instances', segment] };
    const rawPath = rawPathOf(c.segments);
    expect(parseLegacyUrl(`${ENDPOINT}${rawPath}`).pathname).not.toBe(rawPath);

    const { request, credentials, date, signed } = signOurs(c);
    const sdk = sdkSign(c, formatSdkDate(date), rawPath);
    expect(signed.Authorization, mismatch(sdk, ourCanonical(request, credentials, date))).toBe(sdk.headers['Authorization']);
    // The unmodified SDK really does sign something else for this input.
    expect(signed.Authorization).not.toBe(sdkSign(c, formatSdkDate(date)).headers['Authorization']);
  });

  it('explicit default port: url.parse keeps ":443", the URL sent (and our host) drops it', () => {
    const withPort = 'https://dms.cn-north-4.myhuaweicloud.com:443';
    expect(parseLegacyUrl(withPort).host).toBe('dms.cn-north-4.myhuaweicloud.com:443');
    expect(new URL(withPort).host).toBe('dms.cn-north-4.myhuaweicloud.com');

    const c: ContractCase = { name: 'default port', endpoint: withPort, segments: INSTANCE_PATH };
    const { signed, date } = signOurs(c);
    expect(signed.Authorization).toBe(sdkSign({ ...c, endpoint: ENDPOINT }, formatSdkDate(date)).headers['Authorization']);
    expect(signed.Authorization).not.toBe(sdkSign(c, formatSdkDate(date)).headers['Authorization']);
  });
});

describe('regressions', () => {
  const BASE: ContractCase = { name: 'base', method: 'POST', segments: CONNECTOR, headers: JSON_HEADERS, json: SEED_SMALL };
  const AUTH = /^SDK-HMAC-SHA256 Access=(?<ak>[^,\s]+), SignedHeaders=(?<names>[a-z0-9-]+(?:;[a-z0-9-]+)*), Signature=(?<sig>[0-9a-f]{64})$/;

  function parts(authorization: string): { ak: string; names: string; sig: string } {
    const m = AUTH.exec(authorization);
    expect(m, `malformed Authorization: ${authorization}`).not.toBeNull();
    const g = m?.groups ?? {};
    return { ak: g['ak'] ?? '', names: g['names'] ?? '', sig: g['sig'] ?? '' };
  }

  function sign(c: ContractCase): string {
    return signOurs(c).signed.Authorization;
  }

  const base = (): string => sign(BASE);

  it.each<readonly [string, ContractCase]>([
    ['body', { ...BASE, json: { node_cnt: '3' } }],
    ['the body, removed', { ...BASE, json: undefined, bodyForm: 'empty-string' }],
    ['SK', { ...BASE, sk: `${SK}x` }],
    ['date, one second later', { ...BASE, date: new Date(DATE.getTime() + 1000) }],
    ['X-Project-Id value', { ...BASE, headers: { ...JSON_HEADERS, 'X-Project-Id': `${PROJECT.slice(0, -1)}0` } }],
    ['Content-Type value', { ...BASE, headers: { ...JSON_HEADERS, 'Content-Type': 'application/json;charset=UTF-8' } }],
    ['an added header', { ...BASE, headers: { ...JSON_HEADERS, 'X-Extra': '1' } }],
    ['a path segment', { ...BASE, segments: ['v2', PROJECT, 'instances', INSTANCE, 'connectors'] }],
    ['the method', { ...BASE, method: 'PUT' }],
    ['a query value', { ...BASE, query: [['a', '1']] }],
    ['the host', { ...BASE, endpoint: EU_ENDPOINT }],
    ['a security token', { ...BASE, securityToken: 'token' }],
    ['UNSIGNED-PAYLOAD', { ...BASE, headers: { ...JSON_HEADERS, 'X-Sdk-Content-Sha256': 'UNSIGNED-PAYLOAD' } }],
  ])('changing %s changes the signature', (_what, changed) => {
    expect(parts(sign(changed)).sig).not.toBe(parts(base()).sig);
  });

  it('changing the AK changes Access but not the signature (the AK is not in the string to sign)', () => {
    const other = parts(sign({ ...BASE, ak: 'OTHERAK0000000000000' }));
    expect(other.ak).toBe('OTHERAK0000000000000');
    expect(other.sig).toBe(parts(base()).sig);
  });

  it('a header named with upper-case letters signs the same as its lower-case form', () => {
    const lower = sign({ ...BASE, headers: { 'content-type': 'application/json', 'x-project-id': PROJECT, 'x-custom': 'v' } });
    const upper = sign({ ...BASE, headers: { 'CONTENT-TYPE': 'application/json', 'X-PROJECT-ID': PROJECT, 'X-Custom': 'v' } });
    expect(upper).toBe(lower);
    // And both are what Huawei's signer produces.
    expect(lower).toBe(
      sdkSign({ ...BASE, headers: { 'Content-Type': 'application/json', 'X-Project-Id': PROJECT, 'X-CUSTOM': 'v' } }, formatSdkDate(DATE)).headers[
        'Authorization'
      ],
    );
  });

  it('the Authorization header is exactly "SDK-HMAC-SHA256 Access=<ak>, SignedHeaders=<names>, Signature=<64 hex>"', () => {
    const authorization = base();
    const { ak, names, sig } = parts(authorization);
    expect(ak).toBe(AK);
    // The header list of the SDK's enable request (HUAWEI-DMS.md, "What the official SDK sends").
    expect(names).toBe('content-type;host;x-project-id;x-sdk-date');
    expect(authorization).toBe(`SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=${names}, Signature=${sig}`);

    const temporary = parts(sign({ name: 'token', segments: INSTANCE_PATH, securityToken: TOKEN }));
    expect(temporary.names).toBe('host;x-sdk-date;x-security-token');
  });

  it('a stale Authorization among the headers is neither signed nor listed', () => {
    const withStale = sign({ ...BASE, headers: { ...JSON_HEADERS, Authorization: 'SDK-HMAC-SHA256 Access=old, SignedHeaders=host, Signature=00' } });
    expect(withStale).toBe(base());
  });

  it('the contract harness itself detects a difference (guards against comparing a value with itself)', () => {
    const sdkOther = sdkSign({ ...BASE, json: { node_cnt: '3' } }, formatSdkDate(DATE)).headers['Authorization'];
    expect(sdkOther).toMatch(AUTH);
    expect(base()).not.toBe(sdkOther);
  });
});
