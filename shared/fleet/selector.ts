// The selector targets: one project's Kafka instances chosen by tags, name prefix and enterprise
// project (or, with projects: "all", every project's), and the enable options each chosen instance
// gets. Their fields are the enable request's own schemas, so node_cnt, specification, region, ...
// follow the same rules in every shape.
import * as v from 'valibot';
import {
  DEFAULT_NODE_CNT,
  objectIssueMessage,
  requestFields,
  SPECIFICATION_PAIR,
  specificationPairRule,
  UUID,
  type RequestSchemaOptions,
} from '../request/index.ts';
import { KAFKA_REGIONS } from '../huawei/index.ts';

/** A tag condition with this value holds for any value of the key. */
export const ANY_TAG_VALUE = '*';

// Huawei's tag limits (key 1..128 characters, value up to 255, 20 tags per resource) and instance
// names (4..64 characters): nothing longer can match, so nothing longer is accepted.
export const SELECTOR_LIMITS = { tagKey: 128, tagValue: 255, tags: 20, namePrefix: 64 } as const;

const TAG_KEY = `a tag key of 1 to ${SELECTOR_LIMITS.tagKey} characters`;
const TAG_VALUE = `a tag value of at most ${SELECTOR_LIMITS.tagValue} characters, or "${ANY_TAG_VALUE}" for any value`;
const TAGS = `an object of at most ${SELECTOR_LIMITS.tags} tags, {"KEY": "VALUE"}`;
// valibot's record drops these keys silently, and a dropped condition would widen the selection:
// refused, whatever reads the tags.
const RESERVED_KEYS = ['__proto__', 'prototype', 'constructor'];

const notAList = (what: string) => v.check((input: unknown) => !Array.isArray(input), `must be ${what}`);

const tagKey = v.pipe(v.string(), v.minLength(1, `must be ${TAG_KEY}`), v.maxLength(SELECTOR_LIMITS.tagKey, `must be ${TAG_KEY}`));
const tagValue = v.pipe(v.string(`must be ${TAG_VALUE}`), v.maxLength(SELECTOR_LIMITS.tagValue, `must be ${TAG_VALUE}`));

const tags = v.pipe(
  v.unknown(),
  notAList(TAGS),
  v.check(
    (input) => typeof input !== 'object' || input === null || !RESERVED_KEYS.some((key) => Object.hasOwn(input, key)),
    `must not use ${RESERVED_KEYS.join(', ')} as tag keys`,
  ),
  v.record(tagKey, tagValue, `must be ${TAGS}`),
  v.maxEntries(SELECTOR_LIMITS.tags, `must be ${TAGS}`),
);

const NAME_PREFIX = `the start of an instance name, 1 to ${SELECTOR_LIMITS.namePrefix} characters`;
const namePrefix = v.pipe(
  v.string(`must be ${NAME_PREFIX}`),
  v.minLength(1, `must be ${NAME_PREFIX}`),
  v.maxLength(SELECTOR_LIMITS.namePrefix, `must be ${NAME_PREFIX}`),
);

const ENTERPRISE_PROJECT = '0 (the default enterprise project) or an enterprise project id (a UUID)';
const enterpriseProjectId = v.pipe(
  v.string(`must be ${ENTERPRISE_PROJECT}`),
  v.trim(),
  v.check((input) => input === '0' || UUID.test(input), `must be ${ENTERPRISE_PROJECT}`),
  v.toLowerCase(),
);

const selectionEntries = {
  tags: v.optional(tags),
  name_prefix: v.optional(namePrefix),
  enterprise_project_id: v.optional(enterpriseProjectId),
};

const SELECT = 'an object of conditions, {} for every Kafka instance of the project';
const selection = v.pipe(v.unknown(), notAList(SELECT), v.strictObject(selectionEntries, objectIssueMessage(Object.keys(selectionEntries))));

// What a run gives each instance it enables, and how it runs: the same in both shapes.
function runEntries(options: RequestSchemaOptions) {
  return {
    select: selection,
    node_cnt: v.optional(requestFields.nodeCnt, DEFAULT_NODE_CNT),
    specification: v.optional(requestFields.specification),
    spec_code: v.optional(requestFields.specCode),
    callback_url: v.optional(requestFields.callbackUrl(options.allowedCallbackHosts ?? [])),
    dry_run: v.optional(v.boolean('must be true or false'), false),
  };
}

/** One project's selector: project_id, or none (the project named after `region`). */
export function selectorTargetSchema(options: RequestSchemaOptions) {
  const entries = {
    project_id: requestFields.optionalProjectId,
    region: v.optional(requestFields.region, options.defaultRegion),
    ...runEntries(options),
  };
  return v.pipe(
    v.strictObject(entries, objectIssueMessage(Object.keys(entries), { select: SELECT })),
    v.forward(v.partialCheck(SPECIFICATION_PAIR, ...specificationPairRule('spec_code')), ['spec_code']),
    v.forward(v.partialCheck(SPECIFICATION_PAIR, ...specificationPairRule('specification')), ['specification']),
  );
}

/** Every project the account's IAM lists, as a value of `projects`. */
export const ALL_PROJECTS = 'all';
const PROJECTS = `"${ALL_PROJECTS}" (every project of the account)`;
const REGIONS = `a list of 1 to ${KAFKA_REGIONS.length} regions, such as ["cn-north-4"]`;

/** The whole account's selector: every project of the account (narrowed by `regions`), each run as one project's. */
export function accountSelectorSchema(options: RequestSchemaOptions) {
  const entries = {
    projects: v.literal(ALL_PROJECTS, `must be ${PROJECTS}`),
    regions: v.optional(
      v.pipe(
        v.array(requestFields.region, `must be ${REGIONS}`),
        v.minLength(1, `must be ${REGIONS}`),
        v.maxLength(KAFKA_REGIONS.length, `must be ${REGIONS}`),
      ),
    ),
    ...runEntries(options),
  };
  return v.pipe(
    v.strictObject(entries, objectIssueMessage(Object.keys(entries), { select: SELECT, projects: PROJECTS })),
    v.forward(v.partialCheck(SPECIFICATION_PAIR, ...specificationPairRule('spec_code')), ['spec_code']),
    v.forward(v.partialCheck(SPECIFICATION_PAIR, ...specificationPairRule('specification')), ['specification']),
  );
}

export type SelectorTargetSchema = ReturnType<typeof selectorTargetSchema>;
export type AccountSelectorSchema = ReturnType<typeof accountSelectorSchema>;
/** A normalised one-project selector, as parsed: without project_id, for its region's project. */
export type UnresolvedSelectorTarget = v.InferOutput<SelectorTargetSchema>;
/** What a fleet run runs on: one project's selector, its project named. */
export type SelectorTarget = UnresolvedSelectorTarget & { readonly project_id: string };
/** A normalised account-wide selector. */
export type AccountSelector = v.InferOutput<AccountSelectorSchema>;
/** What a trigger may send for a fleet run: the JSON shape of a queue message body or schedule target. */
export type SelectorTargetInput = v.InferInput<SelectorTargetSchema> | v.InferInput<AccountSelectorSchema>;
/** The conditions an instance must all meet to be part of the fleet. */
export type Selection = SelectorTarget['select'];
