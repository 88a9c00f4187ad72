// Every failure of a call to Huawei Cloud is a CallError: a HuaweiApiError when Huawei answered with
// an error or did not answer (its error_code, error_msg, X-Request-Id, the HTTP status), a
// CredentialsError (shared/credentials) when the credentials could not be read and nothing was sent;
// each says whether trying again can help, as the code catalogue (shared/errors) has it.
import { CREDENTIALS_INVALID, CREDENTIALS_UNAVAILABLE, errorCodeInfo, httpStatusCode, isCredentialsRejected } from '../errors/index.ts';
import { isJsonObject, quote, retryAfterMs } from '../runtime/index.ts';

/**
 * Whether an error code says the credentials failed, not the call (unusable or unreadable as
 * configured, unreadable now, refused): every other call would fail the same way until they change.
 */
export function isCredentialsFailure(errorCode: string | undefined): boolean {
  return errorCode === CREDENTIALS_INVALID || errorCode === CREDENTIALS_UNAVAILABLE || isCredentialsRejected(errorCode);
}

export interface HuaweiErrorDetails {
  /** 0 when no answer arrived (timeout, reset, refused). */
  readonly status: number;
  readonly errorCode: string;
  readonly errorMsg: string;
  readonly requestId?: string | undefined;
  /** Whether the call may have taken effect although it failed (no answer, or a 5xx). */
  readonly ambiguous?: boolean;
  /** How long the answer asked us to wait before trying again (Retry-After), when it said. */
  readonly retryAfterMs?: number | undefined;
  /** A refused signature's answer: how far its Date is ahead of our clock (negative: behind). */
  readonly clockSkewMs?: number | undefined;
}

/** Why a call to Huawei Cloud did not succeed: what every caller reads of a failure, whatever failed. */
export class CallError extends Error {
  override readonly name: string = 'CallError';
  declare readonly status: number;
  declare readonly errorCode: string;
  declare readonly errorMsg: string;
  declare readonly requestId: string | undefined;
  declare readonly retryable: boolean;
  declare readonly ambiguous: boolean;
  declare readonly retryAfterMs: number | undefined;

  constructor(details: HuaweiErrorDetails) {
    super(`${details.errorCode}: ${details.errorMsg}${details.status ? ` (HTTP ${details.status})` : ''}`);
    this.status = details.status;
    this.errorCode = details.errorCode;
    this.errorMsg = details.errorMsg;
    this.requestId = details.requestId;
    this.retryable = isRetryable(details.status, details.errorCode);
    this.ambiguous = details.ambiguous ?? (details.status === 0 || details.status >= 500);
    this.retryAfterMs = details.retryAfterMs;
  }

  toJSON() {
    return {
      status: this.status,
      error_code: this.errorCode,
      error_msg: this.errorMsg,
      request_id: this.requestId,
      retryable: this.retryable,
    };
  }
}

/** Huawei answered with an error (or did not answer): its code and words, or ours for no answer. */
export class HuaweiApiError extends CallError {
  override readonly name: string = 'HuaweiApiError';
  declare readonly clockSkewMs: number | undefined;

  constructor(details: HuaweiErrorDetails) {
    super(details);
    this.clockSkewMs = details.clockSkewMs;
  }

  /** Refused by the gateway's throttling before it reached DMS: nothing happened, try again later. */
  get throttled(): boolean {
    return this.status === 429 || gatewayCode(this.errorCode) === '0308';
  }

  /** Huawei's own refusal of the signature (401, APIG.0301): a few more lock the key. */
  get signatureRefused(): boolean {
    return isSignatureRefusal(this.status, this.errorCode);
  }
}

/** Gateway codes come as APIG.0308 or APIGW.0308 depending on the gateway; compare on the number. */
export function gatewayCode(errorCode: string): string | undefined {
  return /^APIGW?\.(\d{4})$/.exec(errorCode)?.[1];
}

/** A 401, or the gateway's APIG.0301 on whatever status: Huawei refused the signature. */
export function isSignatureRefusal(status: number, errorCode: string): boolean {
  return status === 401 || gatewayCode(errorCode) === '0301';
}

/** Whether trying again may help: the catalogue's word for the codes it holds, else the status's. */
export function isRetryable(status: number, errorCode: string): boolean {
  const known = errorCodeInfo(errorCode);
  // Ours (CREDENTIALS_REJECTED among them: after its cool-down the work may succeed).
  if (known?.source === 'ours' && known.kind !== 'by-status') return known.kind === 'transient';
  // A 401 is never retried: more than 5 signature failures lock the AK/SK for 5 minutes.
  if (isSignatureRefusal(status, errorCode)) return false;
  // Huawei's busy and throttling codes, whatever status they come with.
  if (known?.source === 'huawei') return known.kind === 'transient';
  if (status === 0 || status === 429 || status >= 500) return true;
  // A 2xx that could not be read: it may have worked, so look, then try again if it did not.
  return status >= 200 && status < 300;
}

// What Huawei (or whatever answered in its place) said is kept whole up to this, well above the
// longest secret it could echo (STS tokens run to a few KB): cutting first would leave part of an
// echoed token that redaction, where the text leaves, can no longer recognise. Where it leaves, it
// is redacted, then cut short (redact.ts).
export const RAW_TEXT_MAX = 16 * 1024;

/** Reads Huawei's `{error_code, error_msg}` (gateway errors add request_id) from an error answer. */
export function errorFromResponse(status: number, body: string, headers: Headers): HuaweiApiError {
  const parsed = parseErrorBody(body);
  const requestId = headers.get('x-request-id') ?? parsed?.requestId;
  const errorCode = parsed ? bounded(parsed.code) : httpStatusCode(status);
  // A signature is refused when its date is too far from the gateway's: the answer's Date says so.
  const date = isSignatureRefusal(status, errorCode) ? Date.parse(headers.get('date') ?? '') : Number.NaN;
  return new HuaweiApiError({
    status,
    errorCode,
    errorMsg: parsed ? bounded(parsed.message) : body.trim() ? bounded(body.trim()) : `HTTP ${status} with no error body`,
    requestId: requestId === undefined ? undefined : bounded(requestId),
    retryAfterMs: retryAfterMs(headers.get('retry-after')),
    ...(Number.isNaN(date) ? {} : { clockSkewMs: date - Date.now() }),
  });
}

function parseErrorBody(body: string): { code: string; message: string; requestId?: string } | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isJsonObject(json)) return undefined;
  const record = json;
  // Some services nest the error ({"error": {"code", "message"}}); DMS and the gateway do not.
  // IAM's Keystone APIs give the HTTP status as a number there, read as our HTTP_<status> codes are.
  const nested = isJsonObject(record.error) ? record.error : undefined;
  const nestedCode = Number.isInteger(nested?.code) ? httpStatusCode(Number(nested?.code)) : nested?.code;
  const code = record.error_code ?? nestedCode;
  const message = record.error_msg ?? nested?.message;
  if (typeof code !== 'string' || !code) return undefined;
  return {
    code,
    message: typeof message === 'string' ? message : '',
    ...(typeof record.request_id === 'string' ? { requestId: record.request_id } : {}),
  };
}

function bounded(text: string): string {
  return quote(text, RAW_TEXT_MAX);
}

// Codes of failures our transport (node-fetch.ts) detects itself, while reading an answer.
export const TransportCode = {
  answerTooLarge: 'ERR_ANSWER_TOO_LARGE',
  answerIncomplete: 'ERR_ANSWER_INCOMPLETE',
} as const;

// What happened to a call that got no answer, by the code Node, undici or our transport gave it.
// Never their messages: those carry the method and the URL (a private endpoint's host, port, path
// and query).
const TRANSPORT_FAILURES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^ECONNREFUSED$/, 'the connection was refused'],
  [/^(ECONNRESET|EPIPE|ECONNABORTED)$/, 'the connection was reset'],
  [/^(ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL|EAI_NODATA)$/, "the endpoint's name could not be resolved"],
  [/^(ETIMEDOUT|ESOCKETTIMEDOUT|UND_ERR_CONNECT_TIMEOUT)$/, 'the connection timed out'],
  [/^(UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT)$/, 'Huawei Cloud did not answer in time'],
  [/^(EHOSTUNREACH|ENETUNREACH|ENETDOWN|EHOSTDOWN|EADDRNOTAVAIL)$/, 'the endpoint could not be reached'],
  [/^(UND_ERR_SOCKET|UND_ERR_CLOSED|ERR_SOCKET_CLOSED|ERR_STREAM_PREMATURE_CLOSE)$/, 'the connection was closed'],
  [new RegExp(`^${TransportCode.answerTooLarge}$`), 'the answer was too large'],
  [new RegExp(`^(${TransportCode.answerIncomplete}|UND_ERR_RES_CONTENT_LENGTH_MISMATCH)$`), 'the connection closed before the answer was complete'],
  [/^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|EPROTO$)/, 'the TLS connection could not be set up'],
];
// A code is safe to quote: upper-case letters, digits and underscores, never a host or a URL.
const SAFE_CODE = /^[A-Z][A-Z0-9_]{1,47}$/;

/** The codes on an error and its causes, outermost first (undici nests the socket's a level or two down). */
function causeCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && SAFE_CODE.test(code)) codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

/** What happened to a call that got no answer, in fixed words, with the code when there is one. */
export function describeTransportFailure(error: unknown): string {
  // Deepest first: the socket's own code says more than a wrapper's.
  const codes = causeCodes(error).reverse();
  for (const code of codes) {
    const known = TRANSPORT_FAILURES.find(([pattern]) => pattern.test(code));
    if (known) return `network error: ${known[1]} (${code})`;
  }
  const code = codes[0];
  return `network error: the request failed before an answer arrived${code ? ` (${code})` : ''}`;
}
