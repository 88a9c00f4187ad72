// What each error code of the catalogue (codes.ts) means, in words, and what whoever receives it
// should do: docs/errors.md is written from these (npm run docs:errors). Every code has its words
// here, and nothing else does: the type holds the two files to the same codes.
import type { ErrorCode } from './codes.ts';

export interface ErrorMeaning {
  readonly meaning: string;
  /** What a caller (or an operator, where it says so) should do. */
  readonly action: string;
}

export const ERROR_MEANINGS = {
  // The request
  INVALID_REQUEST: {
    meaning: 'The input is not a valid request (a field missing, malformed or unknown); nothing was sent to Huawei Cloud.',
    action: 'Fix the fields the issues name (HTTP `issues`, or the message), then send it again.',
  },
  INVALID_JSON: {
    meaning: 'The HTTP body is not valid JSON.',
    action: 'Send a JSON object.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    meaning: 'The HTTP request names a content type other than JSON.',
    action: 'Send `content-type: application/json` (or none); `curl -d` needs it said.',
  },
  METHOD_NOT_ALLOWED: {
    meaning: 'An HTTP method other than GET or POST on the route.',
    action: 'Use POST to enable, GET to read the status (the `Allow` header says so).',
  },
  CALLBACK_URL_REFUSED: {
    meaning:
      "The callback's address is not public (private, loopback, link-local, ...) and its host is not allowed: refused when the request is checked (nothing is enabled) or when the callback connects (nothing is sent to it).",
    action: 'Use a public https URL, or add the host to `CALLBACK_ALLOWED_HOSTS`.',
  },
  INTERNAL_ERROR: {
    meaning: 'The HTTP function failed unexpectedly (a fault in this service); the 500 answer says nothing more.',
    action: "Report it with the answer's `request_id`: the function's log has the error.",
  },
  // Calls to Huawei Cloud: no answer, or none that can be read
  UPSTREAM_TIMEOUT: {
    meaning: 'Huawei Cloud did not answer an attempt in time (`HUAWEICLOUD_HTTP_TIMEOUT_MS`), and no retry was left or allowed.',
    action: 'Ask again later (the triggers do).',
  },
  NETWORK_ERROR: {
    meaning:
      "No answer from Huawei Cloud: the connection was refused, reset or closed, the endpoint's name did not resolve, or TLS failed (the message says which, never where).",
    action: "Ask again later (the triggers do). Operator, when it persists: the endpoint and the function's way out.",
  },
  BAD_RESPONSE: {
    meaning: 'Huawei Cloud answered 2xx with something that cannot be read (not JSON, or not the expected shape): the call may have worked.',
    action: 'Ask again later (the triggers do). Safe: the instance is read before a POST goes again.',
  },
  DEADLINE_EXCEEDED: {
    meaning: "No time was left in the invocation's budget to call Huawei Cloud.",
    action: 'Ask again later (the triggers do).',
  },
  'HTTP_<status>': {
    meaning:
      "An error answer that carried no error code of its own (from Huawei Cloud or whatever answered in its place, or IAM's numeric code): `HTTP_` and the status, e.g. `HTTP_502`.",
    action: '429 and 5xx: ask again later. Others: read the message.',
  },
  // The credentials
  CREDENTIALS_UNAVAILABLE: {
    meaning: 'The credentials secret could not be read now: the secrets extension or Secrets Manager did not answer, or answered an error that may pass.',
    action: 'Ask again later (the triggers do). Operator, when it persists: the extension layer and Secrets Manager.',
  },
  CREDENTIALS_INVALID: {
    meaning:
      "The credentials secret is there but unusable: missing, not readable by the function, not JSON, without `ak`/`sk`, or with a value no header can carry (the message names what, never the secret's content). Nothing was sent to Huawei Cloud.",
    action: "Operator: fix the secret or the function's permission to read it, then redrive the parked records. Senders get no callback (HTTP: 502).",
  },
  CREDENTIALS_REJECTED: {
    meaning:
      "Huawei Cloud refused this deployment's signature (401; its code, e.g. `APIG.0301`, in the message), now or within the cool-down since: nothing is sent with those credentials until the cool-down ends.",
    action:
      'Ask again after `Retry-After` (HTTP 502 with it; the queue record comes back; no callback). Operator: the key, its rotation, and the clock (the message says when it is off).',
  },
  // Huawei Cloud's codes that are treated specially
  'DMS.00400026': {
    meaning: "Huawei: the operation is not allowed in the instance's current status (another operation runs on it).",
    action: 'Ask again later (the triggers do). The instance clears by itself.',
  },
  'DMS.00400017': {
    meaning: "Huawei: one of the instance's background tasks is still running.",
    action: 'Ask again later (the triggers do). The instance clears by itself.',
  },
  'APIG.0308': {
    meaning: "Huawei's API gateway throttled the call (as a 429 does): it never reached DMS.",
    action: 'Ask again later (the triggers do). `Retry-After` is honoured.',
  },
  'APIGW.0308': {
    meaning: "Huawei's API gateway throttled the call (APIG.0308 from another gateway).",
    action: 'Ask again later (the triggers do). `Retry-After` is honoured.',
  },
  'APIG.0301': {
    meaning:
      "Huawei's API gateway refused the signature. Never sent again with the same key (a few more lock it), and never reported as such: the result is `CREDENTIALS_REJECTED`, with this code in its message.",
    action: 'See `CREDENTIALS_REJECTED`.',
  },
  'APIGW.0301': {
    meaning: "Huawei's API gateway refused the signature (APIG.0301 from another gateway); reported as `CREDENTIALS_REJECTED`.",
    action: 'See `CREDENTIALS_REJECTED`.',
  },
  // Enabling
  NOT_PAY_PER_USE: {
    meaning: 'The instance is billed yearly/monthly: Smart Connect can be enabled this way only on a pay-per-use instance.',
    action: 'Enable it in the console, or move the instance to pay-per-use billing.',
  },
  ENABLE_FAILED: {
    meaning: 'Enabling an instance ended without an error code of its own (a fault in this service).',
    action: "Look for the instance in the function's log; asking again is safe (enabling is idempotent).",
  },
  // Tracking a job
  JOB_FAILED: {
    meaning:
      'Huawei reports the enable job failed: its task FAILED, the instance went to EXTENDEDFAILED or ERROR, or it is RUNNING without Smart Connect after the job.',
    action: 'Look at the instance in the console; enabling again starts a new job.',
  },
  JOB_TIMEOUT: {
    meaning: 'The enable job did not finish within `JOB_TIMEOUT_MINUTES` (default 50); the result carries the last instance and task status seen.',
    action: 'Look at the instance in the console: the job may still end; a later enable answers `already_enabled` once it has.',
  },
  // Callbacks
  CALLBACK_FAILED: {
    meaning: 'The callback receiver did not take the message in the attempts and time there were (5xx, 429, timeouts, connections that failed).',
    action: 'Receiver: be reachable and answer 2xx. The queue record comes back and the callback goes again, with the same webhook-id.',
  },
  CALLBACK_REFUSED: {
    meaning: 'The callback receiver answered 4xx (other than 429): it refused the message, which is not sent again.',
    action: 'Receiver: accept the message (check its signature verification and the secret).',
  },
  CALLBACK_REDIRECT_REFUSED: {
    meaning: 'The callback receiver answered with a redirect, which is never followed.',
    action: 'Name the final URL as the callback.',
  },
  CALLBACK_LOOKUP_FAILED: {
    meaning:
      "The callback host's name did not resolve in time: checked before enabling, nothing was enabled; checked before a result's callback, nothing was sent.",
    action: "Ask again later (the triggers do). Receiver, when it persists: the host's DNS.",
  },
  // Fleet runs
  FLEET_TOO_LARGE: {
    meaning: 'The project lists more Kafka instances than one run reads (200 pages of 50).',
    action: 'Narrow the selector (`enterprise_project_id`).',
  },
  LISTING_INCOMPLETE: {
    meaning: 'The instance list did not come whole in 3 reads (pages empty, short, repeated, or a total that moved): the run enabled nothing.',
    action: 'Ask again later (the triggers do).',
  },
  LIST_ENTRY_UNREADABLE: {
    meaning: "An instance's list entry could not be read (outcome `skipped_unreadable`): it was left alone.",
    action: 'Look at the instance; every later run reads it again.',
  },
  ENQUEUE_FAILED: {
    meaning: "The instance's enable request could not be put on the enable queue.",
    action: "Ask again later (the triggers do). Operator, when it persists: the queue and the function's permission to send to it.",
  },
  // Projects from regions
  PROJECT_NOT_FOUND: {
    meaning: 'No enabled project is named after the region (IAM); none is ever created.',
    action: "Name `project_id`, or create the region's project.",
  },
  PROJECT_AMBIGUOUS: {
    meaning: 'IAM names more than one enabled project after the region, so none is chosen.',
    action: 'Name `project_id`.',
  },
  DOMAIN_NOT_FOUND: {
    meaning: 'IAM names no account (domain) for the credentials, or one with an id no request could carry.',
    action: 'Operator: set `HUAWEICLOUD_SDK_DOMAIN_ID`.',
  },
} as const satisfies { readonly [Code in ErrorCode]: ErrorMeaning };
