// One schema for every trigger: whatever arrives (HTTP body plus path, queue message, schedule
// target, command line) becomes one EnableRequest, or a list of problems named by field.
import * as v from 'valibot';
import { CALLBACK_URL_MAX_LENGTH, isAllowedCallbackHost } from '../callback/index.ts';
import { KAFKA_REGIONS, type KafkaRegion } from '../huawei/index.ts';
import { quote } from '../runtime/index.ts';

export const SPECIFICATIONS = ['100MB', '300MB', '600MB', '1200MB'] as const;
export const DEFAULT_NODE_CNT = '2';

export interface RequestIssue {
  /** Dot path of the field ("node_cnt"), or "request" for the input as a whole. */
  readonly field: string;
  readonly message: string;
}

export interface RequestSchemaOptions {
  readonly defaultRegion: KafkaRegion;
  /** `host` (any port) or `host:port` entries that may be called back over plain http (CALLBACK_ALLOWED_HOSTS). */
  readonly allowedCallbackHosts?: readonly string[];
}

// A missing value and a wrong one read differently to a person; valibot reports both as a type issue.
const expect = (what: string) => (issue: v.BaseIssue<unknown>) =>
  issue.input === undefined ? `is required: ${what}` : `must be ${what}`;

const PROJECT_ID = '32 hexadecimal characters (a Huawei Cloud project id)';
const projectId = v.pipe(
  v.string(expect(PROJECT_ID)),
  v.trim(),
  v.regex(/^[0-9a-f]{32}$/i, expect(PROJECT_ID)),
  v.toLowerCase(),
);

const INSTANCE_ID = 'a UUID (the Kafka instance id)';
const instanceId = v.pipe(
  v.string(expect(INSTANCE_ID)),
  v.trim(),
  v.uuid(expect(INSTANCE_ID)),
  v.toLowerCase(),
);

const NODE_CNT = 'a whole number of at least 2 (a number or a numeric string)';
// Huawei takes node_cnt as a decimal string.
const nodeCnt = v.pipe(
  v.union(
    [v.number(), v.pipe(v.string(), v.trim(), v.regex(/^\d{1,15}$/), v.transform(Number))],
    expect(NODE_CNT),
  ),
  v.integer(expect(NODE_CNT)),
  v.minValue(2, expect(NODE_CNT)),
  v.maxValue(Number.MAX_SAFE_INTEGER, expect(NODE_CNT)),
  v.transform(String),
);

const SPECIFICATION = `one of ${SPECIFICATIONS.join(', ')}`;
// "100 MB", "100mb" and 100 all mean 100MB.
const specification = v.pipe(
  v.union([v.string(), v.number()], expect(SPECIFICATION)),
  v.transform((value) => String(value).replace(/\s+/g, '').toUpperCase().replace(/^(\d+)$/, '$1MB')),
  v.picklist(SPECIFICATIONS, expect(SPECIFICATION)),
);

const SPEC_CODE = 'a flavour code such as kafka.c3.mini.connector';
const specCode = v.pipe(
  v.string(expect(SPEC_CODE)),
  v.trim(),
  v.regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i, expect(SPEC_CODE)),
);

const REGION = "a region Huawei's Kafka SDK knows, such as cn-north-4 or eu-west-101";

/** Whether a callback URL's scheme is acceptable: https, or http to an allowed host. */
export function isAcceptableCallbackUrl(url: URL, allowedHosts: readonly string[]): boolean {
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && isAllowedCallbackHost(url, allowedHosts);
}

/** The longest callback_url taken (as browsers and most servers take URLs). */

const CALLBACK_URL = 'an absolute https URL (plain http only for hosts in CALLBACK_ALLOWED_HOSTS)';
function callbackUrl(allowedHosts: readonly string[]) {
  return v.pipe(
    v.string(expect(CALLBACK_URL)),
    v.trim(),
    v.maxLength(CALLBACK_URL_MAX_LENGTH, `must be at most ${CALLBACK_URL_MAX_LENGTH} characters long`),
    v.url(expect(CALLBACK_URL)),
    // valibot runs the check even after v.url failed (abortEarly off lists every issue): parse safely.
    v.check((value) => URL.canParse(value) && isAcceptableCallbackUrl(new URL(value), allowedHosts), expect(CALLBACK_URL)),
  );
}

export function enableRequestSchema(options: RequestSchemaOptions) {
  const allowedHosts = options.allowedCallbackHosts ?? [];
  const entries = {
    project_id: projectId,
    instance_id: instanceId,
    region: v.optional(v.picklist(KAFKA_REGIONS, expect(REGION)), options.defaultRegion),
    node_cnt: v.optional(nodeCnt, DEFAULT_NODE_CNT),
    specification: v.optional(specification),
    spec_code: v.optional(specCode),
    callback_url: v.optional(callbackUrl(allowedHosts)),
  };
  const allowed = Object.keys(entries).join(', ');
  const requiredWhat: Record<string, string> = { project_id: PROJECT_ID, instance_id: INSTANCE_ID };
  return v.pipe(
    // A typo such as node_count must fail loudly, not fall back to a default.
    v.strictObject(entries, (issue) => {
      if (issue.expected === 'Object') return 'must be a JSON object';
      if (issue.expected === 'never') return `is not a known field (known: ${allowed})`;
      return `is required: ${requiredWhat[String(issue.path?.at(-1)?.key)] ?? 'a value'}`;
    }),
    // Old flavours take both; new ones neither. Each half names the field that is missing.
    v.forward(
      v.partialCheck(
        [['specification'], ['spec_code']],
        (input) => input.specification === undefined || input.spec_code !== undefined,
        'is required when specification is given: specification and spec_code go together (old flavours) or not at all',
      ),
      ['spec_code'],
    ),
    v.forward(
      v.partialCheck(
        [['specification'], ['spec_code']],
        (input) => input.spec_code === undefined || input.specification !== undefined,
        'is required when spec_code is given: specification and spec_code go together (old flavours) or not at all',
      ),
      ['specification'],
    ),
  );
}

export type EnableRequestSchema = ReturnType<typeof enableRequestSchema>;
/** The one normalised request every trigger produces. */
export type EnableRequest = v.InferOutput<EnableRequestSchema>;
/** What a trigger may send: the JSON shape of a queue message body or schedule target. */
export type EnableRequestInput = v.InferInput<EnableRequestSchema>;

export type ParsedRequest =
  | { readonly success: true; readonly request: EnableRequest }
  | { readonly success: false; readonly issues: readonly RequestIssue[] };

export function parseEnableRequest(schema: EnableRequestSchema, input: unknown): ParsedRequest {
  // valibot's object schemas take arrays for objects; a list of requests is not one request.
  if (Array.isArray(input)) return { success: false, issues: [{ field: 'request', message: 'must be a JSON object' }] };
  const result = v.safeParse(schema, input, { abortEarly: false });
  if (result.success) return { success: true, request: result.output };
  return { success: false, issues: toRequestIssues(result.issues) };
}

export function toRequestIssues(issues: readonly v.BaseIssue<unknown>[]): RequestIssue[] {
  // An unknown key is the input itself: quoted, never echoed whole.
  return issues.map((issue) => ({ field: quote(v.getDotPath(issue) ?? 'request'), message: issue.message }));
}

/** One line for logs and stderr: "node_cnt must be ...; spec_code is required ...". */
export function describeIssues(issues: readonly RequestIssue[]): string {
  return issues.map((issue) => `${issue.field} ${issue.message}`).join('; ');
}

// The parts every target shape is composed from (the enable request above, the fleet selector, the
// status request), so that a field reads and is checked the same way wherever it appears.
export const requestFields = {
  projectId,
  instanceId,
  region: v.picklist(KAFKA_REGIONS, expect(REGION)),
  nodeCnt,
  specification,
  specCode,
  callbackUrl,
} as const;

/** What a required field holds, for "is required: ..." messages. */
const REQUIRED_FIELD_WHAT: Readonly<Record<string, string>> = { project_id: PROJECT_ID, instance_id: INSTANCE_ID };

/**
 * The enable request's strict-object messages for another shape: not an object, an unknown field
 * (naming the known ones), a missing one (saying what it holds).
 */
export function objectIssueMessage(known: readonly string[], requiredWhat: Readonly<Record<string, string>> = {}) {
  const allowed = known.join(', ');
  const what = { ...REQUIRED_FIELD_WHAT, ...requiredWhat };
  return (issue: v.BaseIssue<unknown>): string => {
    if (issue.expected === 'Object') return 'must be a JSON object';
    if (issue.expected === 'never') return `is not a known field (known: ${allowed})`;
    return `is required: ${what[String(issue.path?.at(-1)?.key)] ?? 'a value'}`;
  };
}

type SpecificationPair = { specification?: string | undefined; spec_code?: string | undefined };
type PairCheck<T> = v.BaseValidation<T, T, v.BaseIssue<unknown>>;

const PAIR_PATHS = [['specification'], ['spec_code']] as const;
const PAIR = 'specification and spec_code go together (old flavours) or not at all';

/**
 * The enable request's rule that specification and spec_code come together, for any shape that has
 * both: each half names the field that is missing, and runs even when other fields failed.
 */
export function specificationPairChecks<T extends SpecificationPair>(): [PairCheck<T>, PairCheck<T>] {
  const holds = (missing: 'specification' | 'spec_code', given: 'specification' | 'spec_code', message: string) =>
    v.forward(
      v.partialCheck<SpecificationPair, typeof PAIR_PATHS, SpecificationPair, string>(
        PAIR_PATHS,
        (input) => input[given] === undefined || input[missing] !== undefined,
        message,
      ),
      [missing],
    );
  // Validations pass their input through unchanged: the wider shape T is what comes out.
  return [
    holds('spec_code', 'specification', `is required when specification is given: ${PAIR}`) as unknown as PairCheck<T>,
    holds('specification', 'spec_code', `is required when spec_code is given: ${PAIR}`) as unknown as PairCheck<T>,
  ];
}
