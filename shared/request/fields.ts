// The fields every request shape is composed from (the enable request, the fleet selector, the
// status request) and the rules across them, so that a field reads and is checked the same way
// wherever it appears.
import * as v from 'valibot';
import { callbackUrlSchema } from '../callback/index.ts';
import { LOWER_CASE, matching, TRIMMED } from '../schema/index.ts';
import { isNumberOrString, KAFKA_REGION_EXPECTED, KAFKA_REGIONS, type KafkaRegion } from '../huawei/index.ts';

export const SPECIFICATIONS = ['100MB', '300MB', '600MB', '1200MB'] as const;
export const DEFAULT_NODE_CNT = '2';

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
  TRIMMED,
  matching(/^[0-9a-f]{32}$/i, expect(PROJECT_ID)),
  LOWER_CASE,
);

/** A UUID in any case, as valibot's uuid reads one: every UUID check is this one regex. */
export const UUID = /^[\da-f]{8}(?:-[\da-f]{4}){3}-[\da-f]{12}$/iu;

const INSTANCE_ID = 'a UUID (the Kafka instance id)';
const instanceId = v.pipe(
  v.string(expect(INSTANCE_ID)),
  TRIMMED,
  matching(UUID, expect(INSTANCE_ID)),
  LOWER_CASE,
);

const REGION = `${KAFKA_REGION_EXPECTED} or eu-west-101`;
const region = v.picklist(KAFKA_REGIONS, expect(REGION));

const NODE_CNT = 'a whole number of at least 2 (a number or a numeric string)';
// Huawei takes node_cnt as a decimal string.
// A number, or a string of digits once trimmed: one check, where valibot's union would cost a schema.
const nodeCnt = v.pipe(
  v.unknown(),
  v.check((value) => isNumberOrString(value) && (typeof value === 'number' || /^\d{1,15}$/.test(value.trim())), expect(NODE_CNT)),
  v.transform((value) => Number(typeof value === 'string' ? value.trim() : value)),
  // Checks, not valibot's integer/minValue/maxValue: the same issues, fewer functions bundled.
  v.check((count: number) => Number.isInteger(count), expect(NODE_CNT)),
  v.check((count: number) => count >= 2 && count <= Number.MAX_SAFE_INTEGER, expect(NODE_CNT)),
  v.transform(String),
);

const SPECIFICATION = `one of ${SPECIFICATIONS.join(', ')}`;
// "100 MB", "100mb" and 100 all mean 100MB.
const specification = v.pipe(
  v.unknown(),
  v.check(isNumberOrString, expect(SPECIFICATION)),
  v.transform((value) => String(value).replace(/\s+/g, '').toUpperCase().replace(/^(\d+)$/, '$1MB')),
  v.picklist(SPECIFICATIONS, expect(SPECIFICATION)),
);

const SPEC_CODE = 'a flavour code such as kafka.c3.mini.connector';
const specCode = v.pipe(
  v.string(expect(SPEC_CODE)),
  TRIMMED,
  matching(/^[a-z0-9][a-z0-9._-]{0,63}$/i, expect(SPEC_CODE)),
);

export const requestFields = {
  projectId,
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

type SpecificationPair = { specification?: string | undefined; spec_code?: string | undefined };
type PairCheck<T> = v.BaseValidation<T, T, v.BaseIssue<unknown>>;

const PAIR_KEYS: readonly unknown[] = ['specification', 'spec_code'];
const PAIR = 'specification and spec_code go together (old flavours) or not at all';
// [given, missing, what the missing one is told]
const PAIR_HALVES = [
  ['specification', 'spec_code', `is required when specification is given: ${PAIR}`],
  ['spec_code', 'specification', `is required when spec_code is given: ${PAIR}`],
] as const;

/**
 * The rule that specification and spec_code come together (old flavours take both; new ones
 * neither), for any shape that has both: the issue names the field that is missing, and the rule
 * runs even when other fields failed.
 */
export function specificationPairChecks<T extends SpecificationPair>(): [PairCheck<T>] {
  // One raw check rather than valibot's partialCheck and forward: the same issues, fewer bytes.
  const check = v.rawCheck<SpecificationPair>(({ dataset, addIssue }) => {
    // As valibot's partialCheck: skipped when the shape failed at its root or at either field.
    if (!dataset.typed && dataset.issues?.some((issue) => !issue.path || PAIR_KEYS.includes(issue.path[0].key))) return;
    // An object: a value that is not would have failed with an issue of no path.
    const input = dataset.value as SpecificationPair & Record<string, unknown>;
    for (const [given, missing, message] of PAIR_HALVES) {
      if (input[given] !== undefined && input[missing] === undefined) {
        addIssue({ message, path: [{ type: 'object', origin: 'value', input, key: missing, value: undefined }] });
      }
    }
  });
  // Validations pass their input through unchanged: the wider shape T is what comes out.
  return [check as unknown as PairCheck<T>];
}
