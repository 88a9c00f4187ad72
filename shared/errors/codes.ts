// Every error code this service emits, each once, with one meaning: what kind of failure it says
// (transient or not, invalid input, a misconfigured deployment) and who makes it. Ours, and the few
// of Huawei's that are treated specially; Huawei's other codes pass through as Huawei gave them.
// Code that emits one imports its constant from here, and the triggers ask errorKind what a code
// means for them. What each code means in words, and what to do, is beside it in meanings.ts; the
// two are docs/errors.md (scripts/errors-doc.ts writes it; tests/unit/error-codes.test.ts holds
// them together).

/**
 * What a code says about a failure, for whoever decides what comes next.
 * - `invalid`: the request is wrong; nothing was sent. Fix it, then ask again.
 * - `transient`: may clear by itself; asking again later may succeed (the triggers do).
 * - `permanent`: asking again as it is ends the same way.
 * - `misconfigured`: this deployment cannot work as configured: an operator must fix it, and the
 *   sender (who did nothing wrong) is not told.
 */
export type ErrorKind = 'invalid' | 'transient' | 'permanent' | 'misconfigured';

export interface ErrorCodeInfo {
  /** `by-status`: the HTTP status the code carries decides: 429 and 5xx transient, others permanent. */
  readonly kind: ErrorKind | 'by-status';
  /** Who makes the code: this service, or Huawei Cloud (kept as Huawei gave it). */
  readonly source: 'ours' | 'huawei';
}

export const ERROR_CODES = {
  // The request
  INVALID_REQUEST: { kind: 'invalid', source: 'ours' },
  INVALID_JSON: { kind: 'invalid', source: 'ours' },
  UNSUPPORTED_MEDIA_TYPE: { kind: 'invalid', source: 'ours' },
  METHOD_NOT_ALLOWED: { kind: 'invalid', source: 'ours' },
  CALLBACK_URL_REFUSED: { kind: 'invalid', source: 'ours' },
  INTERNAL_ERROR: { kind: 'permanent', source: 'ours' },
  // Calls to Huawei Cloud: no answer, or none that can be read
  UPSTREAM_TIMEOUT: { kind: 'transient', source: 'ours' },
  NETWORK_ERROR: { kind: 'transient', source: 'ours' },
  BAD_RESPONSE: { kind: 'transient', source: 'ours' },
  DEADLINE_EXCEEDED: { kind: 'transient', source: 'ours' },
  'HTTP_<status>': { kind: 'by-status', source: 'ours' },
  // The credentials
  CREDENTIALS_UNAVAILABLE: { kind: 'transient', source: 'ours' },
  CREDENTIALS_INVALID: { kind: 'misconfigured', source: 'ours' },
  CREDENTIALS_REJECTED: { kind: 'transient', source: 'ours' },
  // Huawei Cloud's codes that are treated specially
  'DMS.00400026': { kind: 'transient', source: 'huawei' },
  'DMS.00400017': { kind: 'transient', source: 'huawei' },
  'APIG.0308': { kind: 'transient', source: 'huawei' },
  'APIGW.0308': { kind: 'transient', source: 'huawei' },
  'APIG.0301': { kind: 'permanent', source: 'huawei' },
  'APIGW.0301': { kind: 'permanent', source: 'huawei' },
  // Enabling
  NOT_PAY_PER_USE: { kind: 'permanent', source: 'ours' },
  ENABLE_FAILED: { kind: 'permanent', source: 'ours' },
  // Tracking a job
  JOB_FAILED: { kind: 'permanent', source: 'ours' },
  JOB_TIMEOUT: { kind: 'permanent', source: 'ours' },
  // Callbacks
  CALLBACK_FAILED: { kind: 'transient', source: 'ours' },
  CALLBACK_REFUSED: { kind: 'permanent', source: 'ours' },
  CALLBACK_REDIRECT_REFUSED: { kind: 'permanent', source: 'ours' },
  CALLBACK_LOOKUP_FAILED: { kind: 'transient', source: 'ours' },
  // Fleet runs
  FLEET_TOO_LARGE: { kind: 'permanent', source: 'ours' },
  LISTING_INCOMPLETE: { kind: 'transient', source: 'ours' },
  LIST_ENTRY_UNREADABLE: { kind: 'permanent', source: 'ours' },
  ENQUEUE_FAILED: { kind: 'transient', source: 'ours' },
  // Projects from regions
  PROJECT_NOT_FOUND: { kind: 'permanent', source: 'ours' },
  PROJECT_AMBIGUOUS: { kind: 'permanent', source: 'ours' },
  DOMAIN_NOT_FOUND: { kind: 'permanent', source: 'ours' },
} as const satisfies Readonly<Record<string, ErrorCodeInfo>>;

/** A code in the catalogue (HTTP_<status> stands for its family). */
export type ErrorCode = keyof typeof ERROR_CODES;

/** The family of codes for an answer that carried no error code of its own: `HTTP_` and its status. */
export const HTTP_STATUS_CODES = 'HTTP_<status>' satisfies ErrorCode;

// The request
export const INVALID_REQUEST = 'INVALID_REQUEST' satisfies ErrorCode;
export const INVALID_JSON = 'INVALID_JSON' satisfies ErrorCode;
export const UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE' satisfies ErrorCode;
export const METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED' satisfies ErrorCode;
export const CALLBACK_URL_REFUSED = 'CALLBACK_URL_REFUSED' satisfies ErrorCode;
export const INTERNAL_ERROR = 'INTERNAL_ERROR' satisfies ErrorCode;
// Calls to Huawei Cloud
export const UPSTREAM_TIMEOUT = 'UPSTREAM_TIMEOUT' satisfies ErrorCode;
export const NETWORK_ERROR = 'NETWORK_ERROR' satisfies ErrorCode;
export const BAD_RESPONSE = 'BAD_RESPONSE' satisfies ErrorCode;
export const DEADLINE_EXCEEDED = 'DEADLINE_EXCEEDED' satisfies ErrorCode;
// The credentials
export const CREDENTIALS_UNAVAILABLE = 'CREDENTIALS_UNAVAILABLE' satisfies ErrorCode;
export const CREDENTIALS_INVALID = 'CREDENTIALS_INVALID' satisfies ErrorCode;
export const CREDENTIALS_REJECTED = 'CREDENTIALS_REJECTED' satisfies ErrorCode;
// Enabling
export const NOT_PAY_PER_USE = 'NOT_PAY_PER_USE' satisfies ErrorCode;
export const ENABLE_FAILED = 'ENABLE_FAILED' satisfies ErrorCode;
// Tracking a job
export const JOB_FAILED = 'JOB_FAILED' satisfies ErrorCode;
export const JOB_TIMEOUT = 'JOB_TIMEOUT' satisfies ErrorCode;
// Callbacks
export const CALLBACK_FAILED = 'CALLBACK_FAILED' satisfies ErrorCode;
export const CALLBACK_REFUSED = 'CALLBACK_REFUSED' satisfies ErrorCode;
export const CALLBACK_REDIRECT_REFUSED = 'CALLBACK_REDIRECT_REFUSED' satisfies ErrorCode;
export const CALLBACK_LOOKUP_FAILED = 'CALLBACK_LOOKUP_FAILED' satisfies ErrorCode;
// Fleet runs
export const FLEET_TOO_LARGE = 'FLEET_TOO_LARGE' satisfies ErrorCode;
export const LISTING_INCOMPLETE = 'LISTING_INCOMPLETE' satisfies ErrorCode;
export const LIST_ENTRY_UNREADABLE = 'LIST_ENTRY_UNREADABLE' satisfies ErrorCode;
export const ENQUEUE_FAILED = 'ENQUEUE_FAILED' satisfies ErrorCode;
// Projects from regions
export const PROJECT_NOT_FOUND = 'PROJECT_NOT_FOUND' satisfies ErrorCode;
export const PROJECT_AMBIGUOUS = 'PROJECT_AMBIGUOUS' satisfies ErrorCode;
export const DOMAIN_NOT_FOUND = 'DOMAIN_NOT_FOUND' satisfies ErrorCode;

/** Huawei's codes that say the instance is busy: they clear by themselves, so they are retried. */
export const DMS_BUSY_CODES: readonly string[] = ['DMS.00400026', 'DMS.00400017'] satisfies readonly ErrorCode[];

/** The code of an error answer that carried none: `HTTP_` and its status. */
export function httpStatusCode(status: number): string {
  return `HTTP_${status}`;
}

const HTTP_STATUS_CODE = /^HTTP_(\d{3})$/;

/** What the catalogue says of `code`: undefined for a code it does not hold (Huawei's others). */
export function errorCodeInfo(code: string | undefined): ErrorCodeInfo | undefined {
  if (code === undefined) return undefined;
  if (Object.hasOwn(ERROR_CODES, code)) return ERROR_CODES[code as ErrorCode];
  return HTTP_STATUS_CODE.test(code) ? ERROR_CODES[HTTP_STATUS_CODES] : undefined;
}

/**
 * The kind of failure a code says, the one question every trigger asks of it (is this deployment
 * misconfigured, may it clear by itself); undefined for a code the catalogue does not hold.
 */
export function errorKind(code: string | undefined): ErrorKind | undefined {
  const info = errorCodeInfo(code);
  if (info?.kind !== 'by-status') return info?.kind;
  const status = Number(HTTP_STATUS_CODE.exec(code ?? '')?.[1]);
  return status === 429 || status >= 500 ? 'transient' : 'permanent';
}

/** Whether a code says this deployment is misconfigured: the operator's to fix, the same on every try. */
export function isMisconfigured(code: string | undefined): boolean {
  return errorKind(code) === 'misconfigured';
}

/** Whether a code says Huawei refused this deployment's credentials (in their cool-down). */
export function isCredentialsRejected(code: string | undefined): boolean {
  return code === CREDENTIALS_REJECTED;
}

/**
 * Whether a code says the deployment failed, not the request: misconfigured (the operator's to fix)
 * or credentials Huawei refused (the work comes back after their cool-down, not failed for good).
 * Such an outcome is kept from the callback, the sender having done nothing wrong, and HTTP answers
 * it 502.
 */
export function isDeploymentFault(code: string | undefined): boolean {
  return isMisconfigured(code) || isCredentialsRejected(code);
}
