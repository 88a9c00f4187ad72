// Instances and their background tasks. Time only moves when someone looks: every read advances a
// job against the injected clock, so tests control transitions by moving `now` instead of waiting.
import { randomUUID } from 'node:crypto';
import type { InstanceSeed, InstanceStatus, InstanceView, JobOutcome, TaskView } from './types.ts';

interface Job {
  jobId: string;
  connectorId: string;
  nodeCnt: number;
  outcome: JobOutcome;
  startedAt: number;
}

export interface InstanceRecord {
  readonly projectId: string;
  readonly instanceId: string;
  readonly name: string;
  readonly chargingMode: 0 | 1;
  readonly tags: Readonly<Record<string, string>>;
  readonly enterpriseProjectId: string;
  readonly createdAt: number;
  /** Stable made-up identifiers for the realistic parts of the detail (VPC, subnet, user...). */
  readonly ids: Readonly<Record<'vpcId' | 'subnetId' | 'securityGroupId' | 'userId' | 'orderId', string>>;
  status: InstanceStatus;
  connectorEnabled: boolean;
  connectorId: string;
  connectorNodeNum: number;
  job?: Job;
  nextOutcome: JobOutcome;
  readonly tasks: Map<string, TaskView>;
}

export interface EnableParams {
  nodeCnt: number;
  specification?: string;
  specCode?: string;
}

export type EnableResult =
  | { kind: 'started'; jobId: string; connectorId: string }
  | { kind: 'refused'; reason: 'not_pay_per_use' | 'wrong_status' | 'already_enabled' };

export type DisableResult = { kind: 'started'; jobId: string } | { kind: 'refused'; reason: 'wrong_status' | 'not_enabled' };

export const DEFAULT_NODE_CNT = 2;
export const USER_NAME = 'dms-simulator';
export const DEFAULT_ENTERPRISE_PROJECT_ID = '0';

export class InstanceStore {
  readonly #jobMs: number;
  readonly #instances = new Map<string, InstanceRecord>();
  #accepted = new Map<string, number>();

  constructor(jobMs: number) {
    this.#jobMs = jobMs;
  }

  add(seed: InstanceSeed, now: number): void {
    if (this.#instances.has(seed.instanceId)) throw new Error(`instance ${seed.instanceId} already exists`);
    const connectorEnabled = seed.connectorEnabled ?? false;
    this.#instances.set(seed.instanceId, {
      projectId: seed.projectId,
      instanceId: seed.instanceId,
      name: seed.name ?? `kafka-${seed.instanceId.slice(0, 8)}`,
      chargingMode: seed.chargingMode ?? 1,
      tags: { ...seed.tags },
      enterpriseProjectId: seed.enterpriseProjectId ?? DEFAULT_ENTERPRISE_PROJECT_ID,
      createdAt: now,
      ids: {
        vpcId: randomUUID(),
        subnetId: randomUUID(),
        securityGroupId: randomUUID(),
        userId: randomUUID().replaceAll('-', ''),
        orderId: seed.chargingMode === 0 ? `CS${now}` : '',
      },
      status: seed.status ?? 'RUNNING',
      connectorEnabled,
      connectorId: seed.connectorId ?? (connectorEnabled ? randomUUID() : ''),
      connectorNodeNum: connectorEnabled ? DEFAULT_NODE_CNT : 0,
      nextOutcome: 'success',
      tasks: new Map(),
    });
  }

  remove(instanceId: string): boolean {
    return this.#instances.delete(instanceId);
  }

  /** The instance as of `now`; an instance answers only under its own project. */
  find(projectId: string, instanceId: string, now: number): InstanceRecord | undefined {
    const record = this.get(instanceId, now);
    return record?.projectId === projectId ? record : undefined;
  }

  /** A project's instances as of `now`, in the order they were added (stable, so pages do not shift). */
  list(projectId: string, now: number): InstanceRecord[] {
    const found: InstanceRecord[] = [];
    for (const record of this.#instances.values()) {
      if (record.projectId !== projectId) continue;
      this.#advance(record, now);
      found.push(record);
    }
    return found;
  }

  get(instanceId: string, now: number): InstanceRecord | undefined {
    const record = this.#instances.get(instanceId);
    if (record) this.#advance(record, now);
    return record;
  }

  view(instanceId: string, now: number): InstanceView | undefined {
    const r = this.get(instanceId, now);
    if (!r) return undefined;
    return {
      projectId: r.projectId,
      instanceId: r.instanceId,
      name: r.name,
      chargingMode: r.chargingMode,
      status: r.status,
      connectorEnabled: r.connectorEnabled,
      connectorId: r.connectorId,
      connectorNodeNum: r.connectorNodeNum,
      tags: { ...r.tags },
      enterpriseProjectId: r.enterpriseProjectId,
      ...(r.job && {
        pendingJob: {
          jobId: r.job.jobId,
          connectorId: r.job.connectorId,
          outcome: r.job.outcome,
          startedAt: r.job.startedAt,
          endsAt: r.job.outcome === 'hang' ? Number.POSITIVE_INFINITY : r.job.startedAt + this.#jobMs,
        },
      }),
      tasks: [...r.tasks.values()].map((t) => ({ ...t })),
    };
  }

  setNextOutcome(instanceId: string, outcome: JobOutcome): void {
    const record = this.#instances.get(instanceId);
    if (!record) throw new Error(`unknown instance ${instanceId}`);
    record.nextOutcome = outcome;
  }

  enable(record: InstanceRecord, params: EnableParams, now: number): EnableResult {
    if (record.chargingMode !== 1) return { kind: 'refused', reason: 'not_pay_per_use' };
    if (record.status !== 'RUNNING') return { kind: 'refused', reason: 'wrong_status' };
    if (record.connectorEnabled) return { kind: 'refused', reason: 'already_enabled' };

    const job: Job = {
      jobId: randomUUID(),
      connectorId: randomUUID(),
      nodeCnt: params.nodeCnt,
      outcome: record.nextOutcome,
      startedAt: now,
    };
    record.nextOutcome = 'success';
    record.job = job;
    record.status = 'EXTENDING';
    // The enable answer names the connector at once; the detail shows it while the job runs, with
    // connector_enable turning true only at the end (how clients tell "being enabled").
    record.connectorId = job.connectorId;
    record.tasks.set(job.jobId, {
      id: job.jobId,
      name: 'kafkaConnector',
      params: JSON.stringify({
        node_cnt: String(params.nodeCnt),
        specification: params.specification ?? null,
        spec_code: params.specCode ?? null,
      }),
      status: 'EXECUTING',
      createdAt: now,
      updatedAt: now,
    });
    this.#accepted.set(record.instanceId, this.acceptedEnableCalls(record.instanceId) + 1);
    return { kind: 'started', jobId: job.jobId, connectorId: job.connectorId };
  }

  // Disabling is modelled as immediate: nothing in this project follows it.
  disable(record: InstanceRecord, now: number): DisableResult {
    if (record.status !== 'RUNNING') return { kind: 'refused', reason: 'wrong_status' };
    if (!record.connectorEnabled) return { kind: 'refused', reason: 'not_enabled' };
    const jobId = randomUUID();
    record.connectorEnabled = false;
    record.connectorId = '';
    record.connectorNodeNum = 0;
    record.tasks.set(jobId, {
      id: jobId,
      name: 'deleteConnector',
      params: JSON.stringify({ instance_id: record.instanceId }),
      status: 'SUCCESS',
      createdAt: now,
      updatedAt: now,
    });
    return { kind: 'started', jobId };
  }

  acceptedEnableCalls(instanceId?: string): number {
    if (instanceId !== undefined) return this.#accepted.get(instanceId) ?? 0;
    let total = 0;
    for (const count of this.#accepted.values()) total += count;
    return total;
  }

  resetCounters(): void {
    this.#accepted = new Map();
  }

  #advance(record: InstanceRecord, now: number): void {
    const job = record.job;
    if (!job || job.outcome === 'hang') return;
    const endsAt = job.startedAt + this.#jobMs;
    if (now < endsAt) return;
    const succeeded = job.outcome === 'success';
    record.status = 'RUNNING';
    record.connectorEnabled = succeeded;
    record.connectorId = succeeded ? job.connectorId : '';
    record.connectorNodeNum = succeeded ? job.nodeCnt : 0;
    delete record.job;
    const task = record.tasks.get(job.jobId);
    if (task) {
      task.status = succeeded ? 'SUCCESS' : 'FAILED';
      task.updatedAt = endsAt;
    }
  }
}
