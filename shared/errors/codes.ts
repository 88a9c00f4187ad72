// Every error code this service emits, each once, with one meaning: what happened, what kind of
// failure it is (transient or not), and what whoever receives it should do. Ours, and the few of
// Huawei's that are treated specially; Huawei's other codes pass through as Huawei gave them. Code
// that emits one imports its constant from here, and the triggers ask errorKind what a code means
// for them. docs/errors.md is this catalogue as a page (scripts/errors-doc.ts writes its table;
// tests/unit/error-codes.test.ts holds the two together).

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
  readonly meaning: string;
  /** What a caller (or an operator, where it says so) should do. */
  readonly action: string;
}

/** The family of codes for an answer that carried no error code of its own: `HTTP_` and its status. */
export const HTTP_STATUS_CODES = 'HTTP_<status>';

const ASK_AGAIN = 'Ask again later (the triggers do).';

export const ERROR_CATALOGUE = {
  // The request
  INVALID_REQUEST: {
    kind: 'invalid',
    source: 'ours',
    meaning: 'The input is not a valid request (a field missing, malformed or unknown); nothing was sent to Huawei Cloud.',
    action: 'Fix the fields the issues name (HTTP `issues`, or the message), then send it again.',
  },
  INVALID_JSON: {
    kind: 'invalid',
    source: 'ours',
    meaning: 'The HTTP body is not valid JSON.',
    action: 'Send a JSON object.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    kind: 'invalid',
    source: 'ours',
    meaning: 'The HTTP request names a content type other than JSON.',
    action: 'Send `content-type: application/json` (or none); `curl -d` needs it said.',
  },
  METHOD_NOT_ALLOWED: {
    kind: 'invalid',
    source: 'ours',
    meaning: 'An HTTP method other than GET or POST on the route.',
    action: 'Use POST to enable, GET to read the status (the `Allow` header says so).',
  },
  CALLBACK_URL_REFUSED: {
    kind: 'invalid',
    source: 'ours',
    meaning:
      "The callback's address is not public (private, loopback, link-local, ...) and its host is not allowed: refused when the request is checked (nothing is enabled) or when the callback connects (nothing is sent to it).",
    action: 'Use a public https URL, or add the host to `CALLBACK_ALLOWED_HOSTS`.',
  },
  INTERNAL_ERROR: {
    kind: 'permanent',
    source: 'ours',
    meaning: 'The HTTP function failed unexpectedly (a fault in this service); the 500 answer says nothing more.',
    action: "Report it with the answer's `request_id`: the function's log has the error.",
  },

  // Calls to Huawei Cloud: no answer, or none that can be read
  UPSTREAM_TIMEOUT: {
    kind: 'transient',
    source: 'ours',
    meaning: 'Huawei Cloud did not answer an attempt in time (`HUAWEICLOUD_HTTP_TIMEOUT_MS`), and no retry was left or allowed.',
    action: ASK_AGAIN,
  },
  NETWORK_ERROR: {
    kind: 'transient',
    source: 'ours',
    meaning:
      "No answer from Huawei Cloud: the connection was refused, reset or closed, the endpoint's name did not resolve, or TLS failed (the message says which, never where).",
    action: `${ASK_AGAIN} Operator, when it persists: the endpoint and the function's way out.`,
  },
  BAD_RESPONSE: {
    kind: 'transient',
    source: 'ours',
    meaning: 'Huawei Cloud answered 2xx with something that cannot be read (not JSON, or not the expected shape): the call may have worked.',
    action: `${ASK_AGAIN} Safe: the instance is read before a POST goes again.`,
  },
  DEADLINE_EXCEEDED: {
    kind: 'transient',
    source: 'ours',
    meaning: "No time was left in the invocation's budget to call Huawei Cloud.",
    action: ASK_AGAIN,
  },
  [HTTP_STATUS_CODES]: {
    kind: 'by-status',
    source: 'ours',
    meaning:
      'An error answer that carried no error code of its own (from Huawei Cloud or whatever answered in its place, or IAM\'s numeric code): `HTTP_` and the status, e.g. `HTTP_502`.',
    action: '429 and 5xx: ask again later. Others: read the message.',
  },

  // The credentials
  CREDENTIALS_UNAVAILABLE: {
    kind: 'transient',
    source: 'ours',
    meaning: 'The credentials secret could not be read now: the secrets extension or Secrets Manager did not answer, or answered an error that may pass.',
    action: `${ASK_AGAIN} Operator, when it persists: the extension layer and Secrets Manager.`,
  },
  CREDENTIALS_INVALID: {
    kind: 'misconfigured',
    source: 'ours',
    meaning:
      "The credentials secret is there but unusable: missing, not readable by the function, not JSON, without `ak`/`sk`, or with a value no header can carry (the message names what, never the secret's content). Nothing was sent to Huawei Cloud.",
    action: 'Operator: fix the secret or the function\'s permission to read it, then redrive the parked records. Senders get no callback (HTTP: 502).',
  },
  CREDENTIALS_REJECTED: {
    kind: 'transient',
    source: 'ours',
    meaning:
      "Huawei Cloud refused this deployment's signature (401; its code, e.g. `APIG.0301`, in the message), now or within the cool-down since: nothing is sent with those credentials until the cool-down ends.",
    action:
      'Ask again after `Retry-After` (HTTP 502 with it; the queue record comes back; no callback). Operator: the key, its rotation, and the clock (the message says when it is off).',
  },

  // Huawei Cloud's codes that are treated specially
  'DMS.00400026': {
    kind: 'transient',
    source: 'huawei',
    meaning: "Huawei: the operation is not allowed in the instance's current status (another operation runs on it).",
    action: `${ASK_AGAIN} The instance clears by itself.`,
  },
  'DMS.00400017': {
    kind: 'transient',
    source: 'huawei',
    meaning: "Huawei: one of the instance's background tasks is still running.",
    action: `${ASK_AGAIN} The instance clears by itself.`,
  },
  'APIG.0308': {
    kind: 'transient',
    source: 'huawei',
    meaning: "Huawei's API gateway throttled the call (as a 429 does): it never reached DMS.",
    action: `${ASK_AGAIN} \`Retry-After\` is honoured.`,
  },
  'APIGW.0308': {
    kind: 'transient',
    source: 'huawei',
    meaning: "Huawei's API gateway throttled the call (APIG.0308 from another gateway).",
    action: `${ASK_AGAIN} \`Retry-After\` is honoured.`,
  },
  'APIG.0301': {
    kind: 'permanent',
    source: 'huawei',
    meaning:
      "Huawei's API gateway refused the signature. Never sent again with the same key (a few more lock it), and never reported as such: the result is `CREDENTIALS_REJECTED`, with this code in its message.",
    action: 'See `CREDENTIALS_REJECTED`.',
  },
  'APIGW.0301': {
    kind: 'permanent',
    source: 'huawei',
    meaning: "Huawei's API gateway refused the signature (APIG.0301 from another gateway); reported as `CREDENTIALS_REJECTED`.",
    action: 'See `CREDENTIALS_REJECTED`.',
  },

  // Enabling
  NOT_PAY_PER_USE: {
    kind: 'permanent',
    source: 'ours',
    meaning: 'The instance is billed yearly/monthly: Smart Connect can be enabled this way only on a pay-per-use instance.',
    action: 'Enable it in the console, or move the instance to pay-per-use billing.',
  },
  ENABLE_FAILED: {
    kind: 'permanent',
    source: 'ours',
    meaning: 'Enabling an instance ended without an error code of its own (a fault in this service).',
    action: "Look for the instance in the function's log; asking again is safe (enabling is idempotent).",
  },

  // Following a job
  JOB_FAILED: {
    kind: 'permanent',
    source: 'ours',
    meaning:
      'Huawei reports the enable job failed: its task FAILED, the instance went to EXTENDEDFAILED or ERROR, or it is RUNNING without Smart Connect after the job.',
    action: 'Look at the instance in the console; enabling again starts a new job.',
  },
  JOB_TIMEOUT: {
    kind: 'permanent',
    source: 'ours',
    meaning: 'The enable job did not finish within `JOB_TIMEOUT_MINUTES` (default 50); the result carries the last instance and task status seen.',
    action: 'Look at the instance in the console: the job may still end; a later enable answers `already_enabled` once it has.',
  },

  // Callbacks
  CALLBACK_FAILED: {
    kind: 'transient',
    source: 'ours',
    meaning: 'The callback receiver did not take the message in the attempts and time there were (5xx, 429, timeouts, connections that failed).',
    action: 'Receiver: be reachable and answer 2xx. The queue record comes back and the callback goes again, with the same webhook-id.',
  },
  CALLBACK_REFUSED: {
    kind: 'permanent',
    source: 'ours',
    meaning: 'The callback receiver answered 4xx (other than 429): it refused the message, which is not sent again.',
    action: 'Receiver: accept the message (check its signature verification and the secret).',
  },
  CALLBACK_REDIRECT_REFUSED: {
    kind: 'permanent',
    source: 'ours',
    meaning: 'The callback receiver answered with a redirect, which is never followed.',
    action: 'Name the final URL as the callback.',
  },
  CALLBACK_LOOKUP_FAILED: {
    kind: 'transient',
    source: 'ours',
    meaning: "The callback host's name did not resolve in time: checked before enabling, nothing was enabled; checked before a result's callback, nothing was sent.",
    action: `${ASK_AGAIN} Receiver, when it persists: the host's DNS.`,
  },

  // Fleet runs
  FLEET_TOO_LARGE: {
    kind: 'permanent',
    source: 'ours',
    meaning: 'The project lists more Kafka instances than one run reads (200 pages of 50).',
    action: 'Narrow the selector (`enterprise_project_id`).',
  },
  LISTING_INCOMPLETE: {
    kind: 'transient',
    source: 'ours',
    meaning: 'The instance list did not come whole in 3 reads (pages empty, short, repeated, or a total that moved): the run enabled nothing.',
    action: ASK_AGAIN,
  },
  LIST_ENTRY_UNREADABLE: {
    kind: 'permanent',
    source: 'ours',
    meaning: "An instance's list entry could not be read (outcome `skipped_unreadable`): it was left alone.",
    action: 'Look at the instance; every later run reads it again.',
  },
  ENQUEUE_FAILED: {
    kind: 'transient',
    source: 'ours',
    meaning: "The instance's enable request could not be put on the enable queue.",
    action: `${ASK_AGAIN} Operator, when it persists: the queue and the function's permission to send to it.`,
  },

  // Projects from regions
  PROJECT_NOT_FOUND: {
    kind: 'permanent',
    source: 'ours',
    meaning: 'No enabled project is named after the region (IAM); none is ever created.',
    action: "Name `project_id`, or create the region's project.",
  },
  PROJECT_AMBIGUOUS: {
    kind: 'permanent',
    source: 'ours',
    meaning: 'IAM names more than one enabled project after the region, so none is chosen.',
    action: 'Name `project_id`.',
  },
  DOMAIN_NOT_FOUND: {
    kind: 'permanent',
    source: 'ours',
    meaning: 'IAM names no account (domain) for the credentials, or one with an id no request could carry.',
    action: 'Operator: set `HUAWEICLOUD_SDK_DOMAIN_ID`.',
  },
} as const satisfies Readonly<Record<string, ErrorCodeInfo>>;

/** A code in the catalogue (HTTP_<status> stands for its family). */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;

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
// Following a job
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
  if (Object.hasOwn(ERROR_CATALOGUE, code)) return ERROR_CATALOGUE[code as ErrorCode];
  return HTTP_STATUS_CODE.test(code) ? ERROR_CATALOGUE[HTTP_STATUS_CODES] : undefined;
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
