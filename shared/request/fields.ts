// The fields every request shape is composed from (the enable request, the fleet selector, the
// status request) and the rules across them, so that a field reads and is checked the same way
// wherever it appears.
import * as v from 'valibot';
import { callbackUrlSchema } from '../callback/index.ts';
import { KAFKA_REGION_EXPECTED, KAFKA_REGIONS, type KafkaRegion } from '../huawei/index.ts';

export const SPECIFICATIONS = ['100MB', '300MB', '600MB', '1200MB'] as const;
export const DEFAULT_NODE_CNT = '2';

export interface RequestSchemaOptions {
  readonly defaultRegion: KafkaRegion;
  /** `host` (any port) or `host:port` entries that may be called back over plain http (CALLBACK_ALLOWED_HOSTS). */
  readonly allowedCallbackHosts?: readonly string[];
}

// A missing value and a wrong one read differently to a person; valibot reports both as a type issue.
const expect = (what: string) => (issue: v.BaseIssue<unknown>) => (issue.input === undefined ? `is required: ${what}` : `must be ${what}`);

const PROJECT_ID = '32 hexadecimal characters (a Huawei Cloud project id)';
const projectId = v.pipe(v.string(expect(PROJECT_ID)), v.trim(), v.regex(/^[0-9a-f]{32}$/i, expect(PROJECT_ID)), v.toLowerCase());

/** A UUID in any case: valibot's own pattern (its uuid action's), for rules that are more than a UUID. */
export const UUID = v.UUID_REGEX;

const INSTANCE_ID = 'a UUID (the Kafka instance id)';
const instanceId = v.pipe(v.string(expect(INSTANCE_ID)), v.trim(), v.uuid(expect(INSTANCE_ID)), v.toLowerCase());

const REGION = `${KAFKA_REGION_EXPECTED} or eu-west-101`;
const region = v.picklist(KAFKA_REGIONS, expect(REGION));

const NODE_CNT = 'a whole number of at least 2 (a number or a numeric string)';
// A number, or a string of digits once trimmed; Huawei takes node_cnt as a decimal string.
const nodeCnt = v.pipe(
  v.union([v.number(), v.pipe(v.string(), v.trim(), v.regex(/^\d{1,15}$/), v.transform(Number))], expect(NODE_CNT)),
  v.integer(expect(NODE_CNT)),
  v.minValue(2, expect(NODE_CNT)),
  v.maxValue(Number.MAX_SAFE_INTEGER, expect(NODE_CNT)),
  v.transform(String),
);

const SPECIFICATION = `one of ${SPECIFICATIONS.join(', ')}`;
// "100 MB", "100mb" and 100 all mean 100MB.
const specification = v.pipe(
  v.union([v.string(), v.number()], expect(SPECIFICATION)),
  v.transform((value) =>
    String(value)
      .replace(/\s+/g, '')
      .toUpperCase()
      .replace(/^(\d+)$/, '$1MB'),
  ),
  v.picklist(SPECIFICATIONS, expect(SPECIFICATION)),
);

const SPEC_CODE = 'a flavour code such as kafka.c3.mini.connector';
const specCode = v.pipe(v.string(expect(SPEC_CODE)), v.trim(), v.regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i, expect(SPEC_CODE)));

/**
 * project_id where a request may leave it out (its region then names the project): an absent key is
 * fine, a key given as undefined is not, so a route that always gives it (the HTTP path) still
 * requires it ("is required").
 */
const optionalProjectId = v.exactOptional(projectId);

export const requestFields = {
  projectId,
  optionalProjectId,
  instanceId,
  region,
  nodeCnt,
  specification,
  specCode,
  /** callback_url: the callback room's one rule for callback URLs. */
  callbackUrl: callbackUrlSchema,
} as const;

/** What a required field holds, for "is required: ..." messages. */
const REQUIRED_FIELD_WHAT: Readonly<Record<string, string>> = { project_id: PROJECT_ID, instance_id: INSTANCE_ID };

/**
 * The strict-object messages every shape gives: not an object, an unknown field (naming the known
 * ones: a typo such as node_count must fail loudly, not fall back to a default), a missing one
 * (saying what it holds).
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

type SpecificationPair = { readonly specification?: string | undefined; readonly spec_code?: string | undefined };
type PairField = keyof SpecificationPair;

const PAIR = 'specification and spec_code go together (old flavours) or not at all';

/**
 * specification and spec_code come together (old flavours take both, new ones neither), in any shape
 * that has both: the shape pipes, after its object, valibot's partialCheck over SPECIFICATION_PAIR
 * (run when other fields failed, not when either of these did) with the rule for each field,
 * forwarded to that field, so the issue names the one that is missing:
 * `v.forward(v.partialCheck(SPECIFICATION_PAIR, ...specificationPairRule('spec_code')), ['spec_code'])`.
 */
export const SPECIFICATION_PAIR = [['specification'], ['spec_code']] as const;

/** The rule that names `missing`: met unless the other field came without it; and what it says. */
export function specificationPairRule(missing: PairField): [requirement: (input: SpecificationPair) => boolean, message: string] {
  const given = missing === 'spec_code' ? 'specification' : 'spec_code';
  return [(input) => input[given] === undefined || input[missing] !== undefined, `is required when ${given} is given: ${PAIR}`];
}
