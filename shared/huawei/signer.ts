// SDK-HMAC-SHA256, the AK/SK scheme Huawei Cloud's API gateway verifies. Every rule here mirrors
// @huaweicloud/huaweicloud-sdk-core's auth/AKSKSigner (tests/contract compares the two); the
// comments mark where that signer's behaviour is not what one would guess.
import { createHmac, hash } from 'node:crypto';

export const SIGNING_ALGORITHM = 'SDK-HMAC-SHA256';
const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export interface Credentials {
  readonly ak: string;
  readonly sk: string;
  /** Temporary credentials: sent as X-Security-Token, which is then signed like any other header. */
  readonly securityToken?: string | undefined;
}

export interface SignableRequest {
  readonly method: string;
  /** The URL as sent: path segments encoded with {@link encodeRfc3986}, query in canonical form. */
  readonly url: URL;
  /** Headers to sign, as they will be sent. Host, X-Sdk-Date and X-Security-Token are added here. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array | undefined;
}

/** The headers a signed request carries on top of its own. */
export interface SigningHeaders {
  readonly 'X-Sdk-Date': string;
  readonly 'X-Security-Token'?: string;
  readonly Authorization: string;
}

// Text of unreserved characters only (ids, hex, names): every encoding here leaves it as it is.
const UNRESERVED = /^[A-Za-z0-9\-._~]*$/;
const UNRESERVED_PATH = /^[A-Za-z0-9\-._~/]*$/;

// RFC 3986 unreserved characters stay; everything else is %XX of its UTF-8 bytes, upper-case hex.
export function encodeRfc3986(value: string): string {
  if (UNRESERVED.test(value)) return value;
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

// Every request is signed with the date to the second: within a second it is the same text.
let lastDate = { second: NaN, text: '' };

/** Huawei's date format, UTC to the second: 20261124T095555Z. */
export function formatSdkDate(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second === lastDate.second) return lastDate.text;
  // 2026-11-24T09:55:55.123Z -> 20261124T095555Z
  const iso = date.toISOString();
  const text = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  lastDate = { second, text };
  return text;
}

/**
 * Builds a path from raw segments. The official signer encodes each segment as given, so the URL
 * must be built from raw values (never pre-encoded) for what is signed to be what is sent.
 */
export function buildPath(segments: readonly string[]): string {
  return `/${segments.map(encodeRfc3986).join('/')}`;
}

/** The canonical query (keys and repeated values sorted by code unit), used as the URL's query too. */
export function canonicalQuery(params: Iterable<readonly [string, string]>): string {
  const byKey = new Map<string, string[]>();
  for (const [key, value] of params) {
    const values = byKey.get(key);
    if (values) values.push(value);
    else byKey.set(key, [value]);
  }
  return [...byKey.keys()]
    .sort(compareCodeUnits)
    .flatMap((key) =>
      byKey
        .get(key)!
        .sort(compareCodeUnits)
        .map((value) => `${encodeRfc3986(key)}=${encodeRfc3986(value)}`),
    )
    .join('&');
}

// The URL holds segments encoded by encodeRfc3986, so decoding then re-encoding each segment gives
// the official signer's canonical URI for the raw segments; a trailing '/' is always added.
export function canonicalUri(pathname: string): string {
  // Without an escape or a character to encode, decoding and re-encoding leave every segment as it is.
  const path = UNRESERVED_PATH.test(pathname)
    ? pathname
    : pathname
        .split('/')
        .map((segment) => encodeRfc3986(decodeURIComponent(segment)))
        .join('/');
  return path.endsWith('/') ? path : `${path}/`;
}

export function sha256Hex(data: string | Uint8Array): string {
  return hash('sha256', data, 'hex');
}

function bodyHash(body: string | Uint8Array | undefined, headers: Readonly<Record<string, string>>): string {
  const declared = headerValue(headers, 'x-sdk-content-sha256');
  if (declared !== undefined) return declared;
  if (body === undefined || body.length === 0) return EMPTY_BODY_SHA256;
  return sha256Hex(body);
}

/** The canonical request string: exposed for tests and for servers that verify signatures. */
export function canonicalRequest(request: SignableRequest, signed: ReadonlyArray<readonly [string, string]>): string {
  return canonicalText(request, signedParts(signed));
}

/** The signed headers' canonical lines, and their names as SignedHeaders lists them. */
function signedParts(signed: ReadonlyArray<readonly [string, string]>): { lines: string; names: string } {
  let lines = '';
  let names = '';
  for (const [name, value] of signed) {
    lines += `${name}:${value}\n`;
    names += names ? `;${name}` : name;
  }
  return { lines, names };
}

function canonicalText(request: SignableRequest, { lines, names }: { lines: string; names: string }): string {
  const query = request.url.search ? canonicalQuery(request.url.searchParams) : '';
  return `${request.method.toUpperCase()}\n${canonicalUri(request.url.pathname)}\n${query}\n${lines}\n${names}\n${bodyHash(request.body, request.headers)}`;
}

/**
 * Signs a request: returns X-Sdk-Date, X-Security-Token (when the credentials are temporary) and
 * Authorization. Every header given is signed, together with host and those two.
 */
export function signRequest(request: SignableRequest, credentials: Credentials, now: Date = new Date()): SigningHeaders {
  const sdkDate = formatSdkDate(now);
  const all = new Map<string, string>();
  for (const [name, value] of Object.entries(request.headers)) all.set(name.toLowerCase(), value);
  all.set('host', all.get('host') ?? request.url.host);
  all.set('x-sdk-date', sdkDate);
  if (credentials.securityToken) all.set('x-security-token', credentials.securityToken);
  // Authorization can never sign itself (a retry may still carry the previous one).
  all.delete('authorization');

  const parts = signedParts([...all.entries()].sort(([a], [b]) => compareCodeUnits(a, b)));
  const stringToSign = `${SIGNING_ALGORITHM}\n${sdkDate}\n${sha256Hex(canonicalText(request, parts))}`;
  const signature = createHmac('sha256', credentials.sk).update(stringToSign).digest('hex');
  return {
    'X-Sdk-Date': sdkDate,
    ...(credentials.securityToken ? { 'X-Security-Token': credentials.securityToken } : {}),
    Authorization: `${SIGNING_ALGORITHM} Access=${credentials.ak}, SignedHeaders=${parts.names}, Signature=${signature}`,
  };
}

function headerValue(headers: Readonly<Record<string, string>>, lowerName: string): string | undefined {
  for (const [name, value] of Object.entries(headers)) if (name.toLowerCase() === lowerName) return value;
  return undefined;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
