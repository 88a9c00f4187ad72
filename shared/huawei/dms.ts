// The DMS for Kafka calls the project makes, with the parts of each answer it relies on checked.
import * as v from 'valibot';
import type { HuaweiAnswer, HuaweiClient } from './client.ts';
import type { Deadline } from '../retry.ts';

export interface DmsTarget {
  readonly endpoint: string;
  readonly projectId: string;
  readonly instanceId: string;
}

const enableAnswer = v.looseObject({ job_id: v.string(), connector_id: v.string() });

// Huawei documents more fields; these are the ones decisions are made on.
const instanceAnswer = v.looseObject({
  instance_id: v.optional(v.string()),
  status: v.string(),
  charging_mode: v.optional(v.union([v.number(), v.string()])),
  connector_enable: v.optional(v.boolean()),
  connector_id: v.optional(v.nullable(v.string())),
  connector_node_num: v.optional(v.union([v.number(), v.string()])),
});

const taskAnswer = v.looseObject({
  task_count: v.optional(v.union([v.string(), v.number()])),
  tasks: v.optional(
    v.array(
      v.looseObject({
        id: v.string(),
        name: v.optional(v.string()),
        status: v.string(),
        created_at: v.optional(v.union([v.string(), v.number()])),
        updated_at: v.optional(v.union([v.string(), v.number()])),
      }),
    ),
  ),
});

export type EnableAnswer = v.InferOutput<typeof enableAnswer>;
export type InstanceDetail = v.InferOutput<typeof instanceAnswer>;
export type TaskAnswer = v.InferOutput<typeof taskAnswer>;

export interface EnableBody {
  readonly node_cnt: string;
  readonly specification?: string | undefined;
  readonly spec_code?: string | undefined;
}

export interface DmsApi {
  /** Enable Smart Connect (pay-per-use). One attempt: the use case decides whether to send it again. */
  enableConnector(target: DmsTarget, body: EnableBody, deadline: Deadline): Promise<HuaweiAnswer<EnableAnswer>>;
  showInstance(target: DmsTarget, deadline: Deadline): Promise<HuaweiAnswer<InstanceDetail>>;
  showTask(target: DmsTarget, taskId: string, deadline: Deadline): Promise<HuaweiAnswer<TaskAnswer>>;
}

export function createDmsApi(client: HuaweiClient): DmsApi {
  const instancePath = (t: DmsTarget) => ['v2', t.projectId, 'instances', t.instanceId];
  return {
    enableConnector: (target, body, deadline) =>
      client.call({
        method: 'POST',
        endpoint: target.endpoint,
        path: [...instancePath(target), 'connector'],
        projectId: target.projectId,
        body: withoutUndefined(body),
        response: enableAnswer,
        deadline,
        retry: 'never',
      }),
    showInstance: (target, deadline) =>
      client.call({
        method: 'GET',
        endpoint: target.endpoint,
        path: instancePath(target),
        projectId: target.projectId,
        response: instanceAnswer,
        deadline,
        retry: 'idempotent',
      }),
    showTask: (target, taskId, deadline) =>
      client.call({
        method: 'GET',
        endpoint: target.endpoint,
        path: [...instancePath(target), 'tasks', taskId],
        projectId: target.projectId,
        response: taskAnswer,
        deadline,
        retry: 'idempotent',
      }),
  };
}

/** Whether the instance is pay-per-use (charging_mode 1); undefined when the detail does not say. */
export function isPayPerUse(detail: InstanceDetail): boolean | undefined {
  if (detail.charging_mode === undefined) return undefined;
  return Number(detail.charging_mode) === 1;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
