// SDK-HMAC-SHA256 verification as Huawei's gateway does it: rebuild the canonical request from what
// was received (only the headers the client listed as signed, the raw body bytes) with the official
// signer's primitives, and compare signatures in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { officialSigner } from './official-signer.ts';
import type { SimulatorCredential } from './types.ts';

export interface ReceivedRequest {
  method: string;
  /** As received: percent-encoded path, no query. */
  path: string;
  /** As received, without '?'. */
  query: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface VerifyOptions {
  credentials: readonly SimulatorCredential[];
  now: number;
  maxClockSkewMs: number;
}

/** `signed`: the lower-case names of the headers the signature covers (a route may require one). */
export type Verdict = { kind: 'authorized'; ak: string; signed: readonly string[] } | { kind: 'denied'; reason: string };

const AUTHORIZATION = /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([^,\s]+)$/;

export function verifySignature(req: ReceivedRequest, options: VerifyOptions): Verdict {
  const auth = headerValue(req.headers, 'authorization');
  if (auth === undefined) return deny('the Authorization header is missing');
  const match = AUTHORIZATION.exec(auth);
  if (!match) return deny('the Authorization header is not SDK-HMAC-SHA256');
  const [, ak = '', signedHeaderNames = '', signature = ''] = match;

  const credential = options.credentials.find((c) => c.ak === ak);
  if (!credential) return deny('the access key does not exist');

  const signed = signedHeaderNames.split(';').map((name) => name.toLowerCase());
  if (!signed.includes('host')) return deny('the host header is not signed');

  const date = headerValue(req.headers, 'x-sdk-date');
  if (date === undefined || !signed.includes('x-sdk-date')) return deny('X-Sdk-Date is missing or not signed');
  const signedAt = parseSdkDate(date);
  if (signedAt === undefined) return deny('X-Sdk-Date is not in the format YYYYMMDDTHHMMSSZ');
  if (Math.abs(options.now - signedAt) > options.maxClockSkewMs) return deny('the request has expired (X-Sdk-Date)');

  const tokenVerdict = checkSecurityToken(req.headers, signed, credential);
  if (tokenVerdict) return tokenVerdict;

  const headers: Record<string, string> = {};
  for (const name of signed) {
    const value = headerValue(req.headers, name);
    if (value === undefined) return deny(`the signed header ${name} is missing`);
    headers[name] = value;
  }

  const expected = officialSigner.hmacSHA256(credential.sk, stringToSign(req, headers, signedHeaderNames, date));
  return sameText(expected, signature) ? { kind: 'authorized', ak, signed } : deny('verify aksk signature fail');
}

function stringToSign(req: ReceivedRequest, signedHeaders: Record<string, string>, signedHeaderNames: string, date: string): string {
  const s = officialSigner;
  const canonicalRequest = s.buildCanonicalRequest(
    req.method,
    s.CanonicalURI(decodePath(req.path)),
    s.CanonicalQueryString({ queryParams: parseQuery(req.query) }),
    s.buildCanonicalHeaders(signedHeaders),
    signedHeaderNames,
    payloadHash(req, signedHeaders),
  );
  return s.getStringToSign(s.SDK_SIGNING_ALGORITHM, date, s.Hex(canonicalRequest));
}

// A client may declare the payload hash itself (UNSIGNED-PAYLOAD included), but only a signed
// declaration counts; otherwise the hash is of the bytes that arrived, never of a re-serialisation.
function payloadHash(req: ReceivedRequest, signedHeaders: Record<string, string>): string {
  return signedHeaders['x-sdk-content-sha256'] ?? createHash('sha256').update(req.body).digest('hex');
}

function checkSecurityToken(headers: IncomingHttpHeaders, signed: readonly string[], credential: SimulatorCredential): Verdict | undefined {
  const token = headerValue(headers, 'x-security-token');
  if (credential.securityToken === undefined) {
    // Permanent and temporary access keys are distinct in IAM: a token with a permanent AK is a client bug.
    return token === undefined ? undefined : deny('a security token was sent with a permanent access key');
  }
  if (token === undefined) return deny('the security token is missing');
  if (!signed.includes('x-security-token')) return deny('the security token is not signed');
  if (!sameText(token, credential.securityToken)) return deny('the security token is invalid');
  return undefined;
}

// The official signer encodes raw path segments, so the canonical URI is built from the decoded path.
function decodePath(path: string): string {
  return path.split('/').map(decodeLenient).join('/');
}

// RFC 3986 decoding: '+' stays '+', as the official signer and Node's querystring encode spaces as %20.
export function parseQuery(query: string): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeLenient(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeLenient(pair.slice(eq + 1));
    const existing = params[key];
    if (existing === undefined) params[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else params[key] = [existing, value];
  }
  return params;
}

/** Percent-decodes, keeping the text as is when it is not valid percent-encoding. */
export function decodeLenient(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** An X-Sdk-Date value (YYYYMMDDTHHMMSSZ) as milliseconds since the epoch; undefined when it is not one. */
export function parseSdkDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls over (month 13, second 61); a real date round-trips to the same fields.
  const back = new Date(ms);
  const valid =
    back.getUTCFullYear() === y &&
    back.getUTCMonth() === mo - 1 &&
    back.getUTCDate() === d &&
    back.getUTCHours() === h &&
    back.getUTCMinutes() === mi &&
    back.getUTCSeconds() === s;
  return valid ? ms : undefined;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function sameText(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right);
}

function deny(reason: string): Verdict {
  return { kind: 'denied', reason };
}
