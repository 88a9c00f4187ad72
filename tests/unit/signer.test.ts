// Unit tests of shared/huawei/signer.ts's helpers. Expectations are written out by hand from the
// algorithm in shared/HUAWEI-DMS.md ("Signing, SDK-HMAC-SHA256") or computed here with node:crypto
// and Buffer, never with the signer's own helpers.
import { createHash, createHmac } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  SIGNING_ALGORITHM,
  buildPath,
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  encodeRfc3986,
  formatSdkDate,
  sha256Hex,
  signRequest,
} from '../../shared/huawei/index.ts';
import { parseSdkDate } from '../../local/simulator/verify.ts';
import { DEFAULT_PROJECT_ID } from '../../local/hosting/index.ts';

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Reference encoder: UTF-8 bytes, RFC 3986 unreserved kept, the rest %XX upper-case. */
function referenceEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const isUnreserved =
      (byte >= 0x41 && byte <= 0x5a) ||
      (byte >= 0x61 && byte <= 0x7a) ||
      (byte >= 0x30 && byte <= 0x39) ||
      byte === 0x2d ||
      byte === 0x5f ||
      byte === 0x2e ||
      byte === 0x7e;
    out += isUnreserved ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Reference date formatter, field by field. */
function referenceSdkDate(date: Date): string {
  const p = (n: number, width = 2): string => String(n).padStart(width, '0');
  return (
    `${p(date.getUTCFullYear(), 4)}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}` +
    `T${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}Z`
  );
}

function sha256(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex');
}

afterEach(() => {
  vi.useRealTimers();
});

describe('formatSdkDate', () => {
  it.each([
    ['2026-11-24T09:55:55Z', '20261124T095555Z'],
    ['2025-12-31T23:59:59Z', '20251231T235959Z'],
    ['2026-01-01T00:00:00Z', '20260101T000000Z'],
    ['2024-02-29T12:34:56Z', '20240229T123456Z'],
    ['2026-03-05T04:05:06Z', '20260305T040506Z'],
    ['2026-09-09T23:59:59.999Z', '20260909T235959Z'],
    ['2026-06-15T00:00:00.001Z', '20260615T000000Z'],
    ['1970-01-01T00:00:00Z', '19700101T000000Z'],
    // A non-UTC offset in the input: the format is always UTC.
    ['2026-01-01T01:30:00+02:00', '20251231T233000Z'],
  ])('%s -> %s', (iso, expected) => {
    expect(formatSdkDate(new Date(iso))).toBe(expected);
  });

  it('agrees with a field-by-field formatter over many instants', () => {
    let t = Date.UTC(1999, 11, 31, 23, 59, 59, 999);
    const end = Date.UTC(2101, 0, 1);
    let checked = 0;
    while (t < end) {
      const date = new Date(t);
      expect(formatSdkDate(date)).toBe(referenceSdkDate(date));
      t += 7_654_321_987; // about 88.6 days and an odd number of milliseconds
      checked += 1;
    }
    expect(checked).toBeGreaterThan(400);
  });
});

// Our dates as the gateway reads them: the simulator's parser, which checks what the signer formats.
describe('parseSdkDate (the simulator)', () => {
  it.each(['20261124T095555Z', '20251231T235959Z', '20260101T000000Z', '20240229T000000Z', '19700101T000000Z', '20991231T235959Z'])(
    'parses %s as that UTC instant and formats back to it',
    (value) => {
      const ms = parseSdkDate(value);
      const iso = `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}T${value.slice(9, 11)}:${value.slice(11, 13)}:${value.slice(13, 15)}.000Z`;
      expect(ms).toBe(Date.parse(iso));
      expect(ms === undefined ? undefined : formatSdkDate(new Date(ms))).toBe(value);
    },
  );

  it('round trips formatSdkDate to the second', () => {
    for (const iso of ['2026-11-24T09:55:55.123Z', '2024-02-29T23:59:59.999Z', '2026-01-01T00:00:00.000Z']) {
      const date = new Date(iso);
      expect(parseSdkDate(formatSdkDate(date))).toBe(Math.floor(date.getTime() / 1000) * 1000);
    }
  });

  it.each([
    ['empty', ''],
    ['ISO 8601 extended', '2026-11-24T09:55:55Z'],
    ['with milliseconds', '20261124T095555.000Z'],
    ['no Z', '20261124T095555'],
    ['offset instead of Z', '20261124T095555+0000'],
    ['lower-case t and z', '20261124t095555z'],
    ['missing seconds', '20261124T0955Z'],
    ['extra digit', '202611245T095555Z'],
    ['leading space', ' 20261124T095555Z'],
    ['trailing newline', '20261124T095555Z\n'],
    ['letters', 'YYYYMMDDTHHMMSSZ'],
    ['full-width digits', '２０２６１１２４T０９５５５５Z'],
    ['space for T', '20261124 095555Z'],
  ])('rejects %s', (_name, value) => {
    expect(parseSdkDate(value)).toBeUndefined();
  });

  // Date.UTC alone would roll these over (month 13 -> January next year, years 0000-0099 -> 19xx).
  it.each([
    ['month 13', '20261324T095555Z'],
    ['month 00', '20260024T095555Z'],
    ['February 30', '20260230T000000Z'],
    ['February 29 in a common year', '20250229T000000Z'],
    ['day 00', '20261100T000000Z'],
    ['day 32', '20260132T000000Z'],
    ['hour 24', '20261124T240000Z'],
    ['minute 60', '20261124T096000Z'],
    ['second 60', '20261124T095560Z'],
    ['year 0050 (read as 1950)', '00500101T000000Z'],
  ])('rejects out-of-range fields: %s', (_name, value) => {
    expect(parseSdkDate(value)).toBeUndefined();
  });
});

describe('encodeRfc3986', () => {
  it('keeps exactly the unreserved ASCII characters and encodes every other ASCII character', () => {
    const unreserved = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~';
    for (let code = 0; code < 0x80; code += 1) {
      const c = String.fromCharCode(code);
      const expected = unreserved.includes(c) ? c : `%${code.toString(16).toUpperCase().padStart(2, '0')}`;
      expect(encodeRfc3986(c), `char code ${code}`).toBe(expected);
    }
  });

  it.each([
    [':/?#[]@', '%3A%2F%3F%23%5B%5D%40'],
    ["!$&'()*+,;=", '%21%24%26%27%28%29%2A%2B%2C%3B%3D'],
    ['a b', 'a%20b'],
    ['100%', '100%25'],
    ['a%20b', 'a%2520b'],
    ['é', '%C3%A9'],
    ['ñÅü', '%C3%B1%C3%85%C3%BC'],
    ['中', '%E4%B8%AD'],
    ['实例', '%E5%AE%9E%E4%BE%8B'],
    ['€', '%E2%82%AC'],
    ['\uFFFD', '%EF%BF%BD'],
    ['😀', '%F0%9F%98%80'],
    ['a😀b🚀', 'a%F0%9F%98%80b%F0%9F%9A%80'],
    ['\u{10FFFF}', '%F4%8F%BF%BF'],
    ['', ''],
  ])('%j -> %s', (input, expected) => {
    expect(encodeRfc3986(input)).toBe(expected);
  });

  it('agrees with a byte-wise reference encoder on mixed strings', () => {
    for (const s of ['Kafka 连接器/v2?x=1&y=2#frag', "it's (very) *nice*!", '~._-AZaz09', 'tab\tnew\nline', 'Ωμέγα 😀 ～', '\u0000\u007f\u0080\u07ff\u0800']) {
      expect(encodeRfc3986(s)).toBe(referenceEncode(s));
    }
  });

  it('rejects lone surrogates instead of encoding garbage', () => {
    expect(() => encodeRfc3986('\uD83D')).toThrow(URIError);
    expect(() => encodeRfc3986('a\uDE00b')).toThrow(URIError);
  });
});

describe('canonicalQuery', () => {
  it('sorts keys by UTF-16 code unit, case-sensitively', () => {
    expect(
      canonicalQuery([
        ['b', '1'],
        ['a', '2'],
        ['B', '3'],
        ['_', '4'],
        ['~', '5'],
        ['0', '6'],
      ]),
    ).toBe('0=6&B=3&_=4&a=2&b=1&~=5');
  });

  it('keeps repeated keys, with their values sorted as strings', () => {
    expect(
      canonicalQuery([
        ['k', '2'],
        ['x', 'y'],
        ['k', '10'],
        ['k', '1'],
        ['k', '2'],
      ]),
    ).toBe('k=1&k=10&k=2&k=2&x=y');
  });

  it('sorts raw values, before encoding', () => {
    // '~' (U+007E) < 'é' (U+00E9) raw, while '%C3%A9' < '~' once encoded.
    expect(
      canonicalQuery([
        ['k', 'aé'],
        ['k', 'a~'],
      ]),
    ).toBe('k=a~&k=a%C3%A9');
  });

  it('writes empty values as "k="', () => {
    expect(
      canonicalQuery([
        ['b', ''],
        ['a', ''],
      ]),
    ).toBe('a=&b=');
  });

  it('encodes keys and values', () => {
    expect(
      canonicalQuery([
        ['a key', 'a b+c/d=e&f'],
        ["x'!", '(*)'],
        ['名', '😀'],
      ]),
    ).toBe('a%20key=a%20b%2Bc%2Fd%3De%26f&x%27%21=%28%2A%29&%E5%90%8D=%F0%9F%98%80');
  });

  it('is empty for no parameters', () => {
    expect(canonicalQuery([])).toBe('');
  });

  it("reads a URL's searchParams back to the same canonical query", () => {
    const query = canonicalQuery([
      ['q', 'a b+c'],
      ['tag', 'z'],
      ['tag', 'a'],
      ['empty', ''],
      ['u', '测试'],
    ]);
    expect(query).toBe('empty=&q=a%20b%2Bc&tag=a&tag=z&u=%E6%B5%8B%E8%AF%95');
    expect(canonicalQuery(new URL(`https://h/x?${query}`).searchParams)).toBe(query);
  });
});

describe('buildPath and canonicalUri', () => {
  it.each([
    ['/v2/p/instances', '/v2/p/instances/'],
    ['/v2/p/instances/', '/v2/p/instances/'],
    ['/', '/'],
    ['/v2/a%20b', '/v2/a%20b/'],
    ['/v2/%E4%B8%AD', '/v2/%E4%B8%AD/'],
    ['/v2/%e4%b8%ad', '/v2/%E4%B8%AD/'],
    ['/v2/a%2Fb', '/v2/a%2Fb/'],
    ['/v2/100%25', '/v2/100%25/'],
    ['/v2/a%2520b', '/v2/a%2520b/'],
    ['/v2/a+b', '/v2/a%2Bb/'],
    ['/v2/a!b', '/v2/a%21b/'],
    ['/v2/~._-', '/v2/~._-/'],
  ])('canonicalUri(%s) = %s', (pathname, expected) => {
    expect(canonicalUri(pathname)).toBe(expected);
  });

  it.each([
    [['v2', 'proj', 'instances', 'inst', 'connector']],
    [['v2', 'proj', 'instances', '实例', 'tasks', '任务']],
    [['v2', 'a b', "it's", '100%', 'a%20b', 'x/y', 'q?#', '😀', 'café']],
    [['v2', 'a+b=c&d;e,f@g:h$i!j(k)l*m~n']],
    [['v2', 'trailing', '']],
  ])('a URL built from raw segments %j canonicalises to each segment encoded once', (segments) => {
    const path = buildPath(segments);
    expect(path).toBe(`/${segments.map(referenceEncode).join('/')}`);
    const url = new URL(`https://dms.cn-north-4.myhuaweicloud.com${path}`);
    expect(url.pathname).toBe(path);
    const expected = `/${segments.map(referenceEncode).join('/')}`;
    expect(canonicalUri(url.pathname)).toBe(expected.endsWith('/') ? expected : `${expected}/`);
  });
});

describe('canonicalRequest and the body hash', () => {
  const url = new URL('https://h.example/v2/p');
  const signed = [
    ['host', 'h.example'],
    ['x-sdk-date', '20261124T095555Z'],
  ] as const;
  const lastLine = (s: string): string => s.slice(s.lastIndexOf('\n') + 1);

  it('hashes no body and an empty body as the empty string', () => {
    expect(EMPTY_SHA256).toBe(sha256(''));
    expect(lastLine(canonicalRequest({ method: 'GET', url, headers: {} }, signed))).toBe(EMPTY_SHA256);
    expect(lastLine(canonicalRequest({ method: 'POST', url, headers: {}, body: '' }, signed))).toBe(EMPTY_SHA256);
    expect(lastLine(canonicalRequest({ method: 'POST', url, headers: {}, body: new Uint8Array() }, signed))).toBe(EMPTY_SHA256);
  });

  it('hashes "{}" as "{}", and bytes like the same string in UTF-8', () => {
    expect(lastLine(canonicalRequest({ method: 'POST', url, headers: {}, body: '{}' }, signed))).toBe(sha256('{}'));
    const body = '{"name":"连接器 😀"}';
    expect(lastLine(canonicalRequest({ method: 'POST', url, headers: {}, body: Buffer.from(body, 'utf8') }, signed))).toBe(sha256(body));
    expect(sha256Hex(body)).toBe(sha256(body));
  });

  it('uses a declared X-Sdk-Content-Sha256 (any case) instead of hashing the body', () => {
    for (const name of ['X-Sdk-Content-Sha256', 'x-sdk-content-sha256']) {
      const canonical = canonicalRequest({ method: 'POST', url, headers: { [name]: 'UNSIGNED-PAYLOAD' }, body: '{"a":1}' }, signed);
      expect(lastLine(canonical)).toBe('UNSIGNED-PAYLOAD');
    }
  });

  it('upper-cases the method', () => {
    expect(canonicalRequest({ method: 'get', url, headers: {} }, signed).split('\n')[0]).toBe('GET');
  });
});

describe('signRequest known answers (computed here from the documented algorithm)', () => {
  const AK = 'HPUAEXAMPLEAK1234567';
  const SK = 'exampleSecretKey0123456789abcdefGHIJKLMN';
  const PROJECT = DEFAULT_PROJECT_ID;
  const INSTANCE = '5f3c9a1e-7b2d-4c8e-9f10-2a3b4c5d6e7f';

  function expectedAuthorization(canonical: string, sdkDate: string, signedNames: string): string {
    const stringToSign = `SDK-HMAC-SHA256\n${sdkDate}\n${createHash('sha256').update(canonical, 'utf8').digest('hex')}`;
    const signature = createHmac('sha256', SK).update(stringToSign, 'utf8').digest('hex');
    return `SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=${signedNames}, Signature=${signature}`;
  }

  it('enable with {"node_cnt":"2"}', () => {
    const body = '{"node_cnt":"2"}';
    const canonical = [
      'POST',
      `/v2/${PROJECT}/instances/${INSTANCE}/connector/`,
      '',
      'content-type:application/json',
      'host:dms.cn-north-4.myhuaweicloud.com',
      `x-project-id:${PROJECT}`,
      'x-sdk-date:20261124T095555Z',
      '',
      'content-type;host;x-project-id;x-sdk-date',
      '0b8758de5a756fe857ff9e36ad79b529f0772501e9ec50f2f57f4a74771967be',
    ].join('\n');
    expect(sha256(body)).toBe('0b8758de5a756fe857ff9e36ad79b529f0772501e9ec50f2f57f4a74771967be');

    const request = {
      method: 'POST',
      url: new URL(`https://dms.cn-north-4.myhuaweicloud.com/v2/${PROJECT}/instances/${INSTANCE}/connector`),
      headers: { 'Content-Type': 'application/json', 'X-Project-Id': PROJECT },
      body,
    };
    const signed = signRequest(request, { ak: AK, sk: SK }, new Date('2026-11-24T09:55:55Z'));
    expect(signed).toEqual({
      'X-Sdk-Date': '20261124T095555Z',
      Authorization: expectedAuthorization(canonical, '20261124T095555Z', 'content-type;host;x-project-id;x-sdk-date'),
    });
    expect(
      canonicalRequest(request, [
        ['content-type', 'application/json'],
        ['host', 'dms.cn-north-4.myhuaweicloud.com'],
        ['x-project-id', PROJECT],
        ['x-sdk-date', '20261124T095555Z'],
      ]),
    ).toBe(canonical);
  });

  it('GET with temporary credentials, a non-ASCII segment and a query, on the eu host', () => {
    const token = 'tok/en+==';
    const canonical = [
      'GET',
      `/v2/${PROJECT}/instances/%E5%AE%9E%E4%BE%8B/tasks/`,
      'Z=~&name=a%20b%2Bc&tag=a&tag=b',
      'host:dms.eu-west-101.myhuaweicloud.eu',
      'x-sdk-date:20240229T000000Z',
      `x-security-token:${token}`,
      '',
      'host;x-sdk-date;x-security-token',
      EMPTY_SHA256,
    ].join('\n');
    const url = new URL(
      `https://dms.eu-west-101.myhuaweicloud.eu${buildPath(['v2', PROJECT, 'instances', '实例', 'tasks'])}?${canonicalQuery([
        ['tag', 'b'],
        ['name', 'a b+c'],
        ['tag', 'a'],
        ['Z', '~'],
      ])}`,
    );
    expect(url.pathname).toBe(`/v2/${PROJECT}/instances/%E5%AE%9E%E4%BE%8B/tasks`);
    const signed = signRequest({ method: 'GET', url, headers: {} }, { ak: AK, sk: SK, securityToken: token }, new Date('2024-02-29T00:00:00Z'));
    expect(signed).toEqual({
      'X-Sdk-Date': '20240229T000000Z',
      'X-Security-Token': token,
      Authorization: expectedAuthorization(canonical, '20240229T000000Z', 'host;x-sdk-date;x-security-token'),
    });
  });

  it('signs the current time when no date is given', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-05T04:05:06.789Z'));
    const signed = signRequest({ method: 'GET', url: new URL('https://h.example/v2'), headers: {} }, { ak: AK, sk: SK });
    expect(signed['X-Sdk-Date']).toBe('20260305T040506Z');
    const canonical = ['GET', '/v2/', '', 'host:h.example', 'x-sdk-date:20260305T040506Z', '', 'host;x-sdk-date', EMPTY_SHA256].join('\n');
    expect(signed.Authorization).toBe(expectedAuthorization(canonical, '20260305T040506Z', 'host;x-sdk-date'));
  });

  it('exports the algorithm name', () => {
    expect(SIGNING_ALGORITHM).toBe('SDK-HMAC-SHA256');
  });
});
