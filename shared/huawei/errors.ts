// Every failure of a call to Huawei Cloud becomes one HuaweiApiError: what Huawei said
// (error_code, error_msg, X-Request-Id), the HTTP status, and whether trying again can help.
import { retryAfterMs } from '../retry.ts';

/** Codes for our own failures, where Huawei said nothing (no answer, or not one we can read). */
export const LocalErrorCode = {
  timeout: 'TIMEOUT',
  network: 'NETWORK_ERROR',
  badResponse: 'BAD_RESPONSE',
  deadline: 'DEADLINE_EXCEEDED',
  /** The credentials could not be read now (the secrets extension or Secrets Manager): transient. */
  credentialsUnavailable: 'CREDENTIALS_UNAVAILABLE',
  /** The credentials secret is there but unusable (missing, not JSON, no sk, ...): permanent. */
  credentialsInvalid: 'CREDENTIALS_INVALID',
  /** This deployment cannot work as configured (e.g. a secret where none can be read). */
  configuration: 'CONFIGURATION_ERROR',
} as const;

// Broken deployments: no retry helps until an operator fixes them, and the sender did nothing wrong.
const CONFIGURATION_CODES: ReadonlySet<string> = new Set([LocalErrorCode.credentialsInvalid, LocalErrorCode.configuration]);

/** Whether an error code says this deployment is misconfigured (not the request, not Huawei). */
export function isConfigurationError(errorCode: string | undefined): boolean {
  return errorCode !== undefined && CONFIGURATION_CODES.has(errorCode);
}

// "Not allowed in the instance's current status" (another operation runs) and "a background task
// is still running": both clear by themselves.
const TRANSIENT_DMS_CODES: ReadonlySet<string> = new Set(['DMS.00400026', 'DMS.00400017']);

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
}

export class HuaweiApiError extends Error {
  override readonly name = 'HuaweiApiError';
  readonly status: number;
  readonly errorCode: string;
  readonly errorMsg: string;
  readonly requestId: string | undefined;
  readonly retryable: boolean;
  readonly ambiguous: boolean;
  readonly retryAfterMs: number | undefined;

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

  /** Refused by the gateway's throttling before it reached DMS: nothing happened, try again later. */
  get throttled(): boolean {
    return this.status === 429 || gatewayCode(this.errorCode) === '0308';
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

/** Gateway codes come as APIG.0308 or APIGW.0308 depending on the gateway; compare on the number. */
export function gatewayCode(errorCode: string): string | undefined {
  return /^APIGW?\.(\d{4})$/.exec(errorCode)?.[1];
}

export function isRetryable(status: number, errorCode: string): boolean {
  if (isConfigurationError(errorCode)) return false;
  // A 401 is never retried: more than 5 signature failures lock the AK/SK for 5 minutes.
  if (status === 401 || gatewayCode(errorCode) === '0301') return false;
  if (status === 0 || status === 429 || status >= 500) return true;
  // A 2xx that could not be read: it may have worked, so look, then try again if it did not.
  if (status >= 200 && status < 300) return true;
  return gatewayCode(errorCode) === '0308' || TRANSIENT_DMS_CODES.has(errorCode);
}

/** Reads Huawei's `{error_code, error_msg}` (gateway errors add request_id) from an error answer. */
export function errorFromResponse(status: number, body: string, headers: Headers): HuaweiApiError {
  const parsed = parseErrorBody(body);
  return new HuaweiApiError({
    status,
    errorCode: parsed?.code ?? `HTTP_${status}`,
    errorMsg: parsed?.message ?? (body.trim() ? truncate(body.trim(), 200) : `HTTP ${status} with no error body`),
    requestId: headers.get('x-request-id') ?? parsed?.requestId,
    retryAfterMs: retryAfterMs(headers.get('retry-after')),
  });
}

function parseErrorBody(body: string): { code: string; message: string; requestId?: string } | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const record = json as Record<string, unknown>;
  // Some services nest the error ({"error": {"code", "message"}}); DMS and the gateway do not.
  const nested = typeof record.error === 'object' && record.error !== null ? (record.error as Record<string, unknown>) : undefined;
  const code = record.error_code ?? nested?.code;
  const message = record.error_msg ?? nested?.message;
  if (typeof code !== 'string' || !code) return undefined;
  return {
    code,
    message: typeof message === 'string' ? message : '',
    ...(typeof record.request_id === 'string' ? { requestId: record.request_id } : {}),
  };
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
