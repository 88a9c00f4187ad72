// The DMS for Kafka calls the project makes, with the parts of each answer it relies on checked.
import * as v from 'valibot';
import type { HuaweiAnswer, HuaweiClient } from './client.ts';
import type { Deadline } from '../runtime/index.ts';

/** A project in a region: what ListInstances is asked about. */
export interface DmsProject {
  readonly endpoint: string;
  readonly projectId: string;
}

/** An instance of a project in a region: where one instance's call goes. */
export interface DmsInstance {
  readonly endpoint: string;
  readonly projectId: string;
  readonly instanceId: string;
}

const numberOrString = v.union([v.number(), v.string()]);

// Plain objects: the fields checked are kept, any others dropped, never refused.
const enableAnswer = v.object({ job_id: v.string(), connector_id: v.string() });

// Huawei documents more fields; these are the ones decisions are made on. Null where Huawei has
// nothing to say (connector_id while none was made) reads as no value.
const instanceAnswer = v.object({
  instance_id: v.optional(v.string()),
  status: v.string(),
  charging_mode: v.optional(numberOrString),
  connector_enable: v.optional(v.boolean()),
  connector_id: v.nullish(v.string()),
  connector_node_num: v.optional(numberOrString),
});

const taskAnswer = v.object({
  task_count: v.optional(numberOrString),
  tasks: v.optional(
    v.array(
      v.object({
        id: v.string(),
        name: v.optional(v.string()),
        status: v.string(),
        created_at: v.optional(numberOrString),
        updated_at: v.optional(numberOrString),
      }),
    ),
  ),
});

// One ListInstances entry: the same ShowInstanceResp, from which a fleet run classifies alone. Read
// one by one (readInstanceListEntry), so one entry that cannot be read is named, not the page failed;
// its id must be a UUID, since it goes into the enable call's path.
const instanceListEntry = v.object({
  ...instanceAnswer.entries,
  instance_id: v.pipe(v.string(), v.uuid()),
  name: v.string(),
  enterprise_project_id: v.nullish(v.string()),
  tags: v.nullish(v.array(v.object({ key: v.string(), value: v.nullish(v.string()) }))),
});

// The total decides when a listing is whole, so it must be a count, not anything numeric-looking.
const instanceCount = v.pipe(v.union([v.number(), v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number))]), v.integer(), v.minValue(0));

// The page as such: its entries are read one by one (above), the total strictly.
const instanceListAnswer = v.object({
  instances: v.nullish(v.array(v.unknown())),
  instance_num: instanceCount,
});

export type EnableAnswer = v.InferOutput<typeof enableAnswer>;
export type InstanceDetail = v.InferOutput<typeof instanceAnswer>;
export type TaskAnswer = v.InferOutput<typeof taskAnswer>;
export type InstanceListEntry = v.InferOutput<typeof instanceListEntry>;
export type InstanceListAnswer = v.InferOutput<typeof instanceListAnswer>;

/** The fields of a list entry a reader can try one by one when the whole entry cannot be read. */
export const INSTANCE_LIST_FIELDS = instanceListEntry.entries;

/** One ListInstances entry read, or the issues that make it unreadable (valibot's, with their paths). */
export function readInstanceListEntry(value: unknown): v.SafeParseResult<typeof instanceListEntry> {
  return v.safeParse(instanceListEntry, value);
}

/** One page of ListInstances: `limit` 1..50 entries from `offset` (an entry index, not a page number). */
export interface InstancePage {
  readonly offset: number;
  readonly limit: number;
  readonly enterpriseProjectId?: string | undefined;
}

export interface EnableBody {
  readonly node_cnt: string;
  readonly specification?: string | undefined;
  readonly spec_code?: string | undefined;
}

export interface DmsApi {
  /** Enable Smart Connect (pay-per-use). One attempt: the use case decides whether to send it again. */
  enableConnector(instance: DmsInstance, body: EnableBody, deadline: Deadline): Promise<HuaweiAnswer<EnableAnswer>>;
  showInstance(instance: DmsInstance, deadline: Deadline): Promise<HuaweiAnswer<InstanceDetail>>;
  showTask(instance: DmsInstance, taskId: string, deadline: Deadline): Promise<HuaweiAnswer<TaskAnswer>>;
  /** One page of the project's Kafka instances (ListInstances, engine=kafka). */
  listInstances(project: DmsProject, page: InstancePage, deadline: Deadline): Promise<HuaweiAnswer<InstanceListAnswer>>;
}

export function createDmsApi(client: HuaweiClient): DmsApi {
  const instancePath = (i: DmsInstance) => ['v2', i.projectId, 'instances', i.instanceId];
  // The reads: GETs, retried as idempotent.
  const get = <T extends v.GenericSchema>(
    project: DmsProject,
    path: string[],
    response: T,
    deadline: Deadline,
    query?: ReadonlyArray<readonly [string, string]>,
  ) =>
    client.call({
      method: 'GET',
      endpoint: project.endpoint,
      path,
      ...(query ? { query } : {}),
      projectId: project.projectId,
      response,
      deadline,
      retry: 'idempotent',
    });
  return {
    enableConnector: (instance, body, deadline) =>
      client.call({
        method: 'POST',
        endpoint: instance.endpoint,
        path: [...instancePath(instance), 'connector'],
        projectId: instance.projectId,
        body: withoutUndefined(body),
        response: enableAnswer,
        deadline,
        retry: 'never',
      }),
    showInstance: (instance, deadline) => get(instance, instancePath(instance), instanceAnswer, deadline),
    showTask: (instance, taskId, deadline) => get(instance, [...instancePath(instance), 'tasks', taskId], taskAnswer, deadline),
    listInstances: (project, page, deadline) =>
      get(project, ['v2', project.projectId, 'instances'], instanceListAnswer, deadline, [
        ['engine', 'kafka'],
        ['offset', String(page.offset)],
        ['limit', String(page.limit)],
        ...(page.enterpriseProjectId === undefined ? [] : [['enterprise_project_id', page.enterpriseProjectId] as const]),
      ]),
  };
}

/** Whether the instance is pay-per-use (charging_mode 1); undefined when the detail does not say. */
export function isPayPerUse(detail: InstanceDetail): boolean | undefined {
  if (detail.charging_mode === undefined) return undefined;
  return Number(detail.charging_mode) === 1;
}

export type ConnectorState = 'enabled' | 'enabling' | 'not_enabled';

/**
 * Smart Connect on the instance, as the detail (or a list entry) shows it: enabled; being enabled
 * (the enable job has named its connector and the instance is extending for it); or neither.
 */
export function connectorState(detail: Pick<InstanceDetail, 'status' | 'connector_enable' | 'connector_id'>): ConnectorState {
  if (detail.connector_enable === true) return 'enabled';
  if (detail.status === 'EXTENDING' && detail.connector_id) return 'enabling';
  return 'not_enabled';
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
