// Acting on the instances to enable, through one of two ports: fan each out to the enable queue as
// an ordinary single-instance request (each then runs, reports and is tracked on its own), or
// enable them here a few at a time through the single-instance use case.
import { runBatch } from '../batch/index.ts';
import { ENABLE_FAILED, ENQUEUE_FAILED, isCredentialsRejected } from '../errors/index.ts';
import type { Logger } from '../runtime/index.ts';
import type { EnableRequest } from '../request/index.ts';
import type { JobResult } from '../result/index.ts';
import type { ListedInstance } from './listed.ts';
import type { SelectorTarget } from './selector.ts';
import type { FleetError, FleetInstanceResult } from './summary.ts';

/**
 * Sends one enable request per instance to the enable queue (ENABLE_QUEUE_URL). Answers the
 * instances whose message could not be sent; a throw counts as none sent (sending again is safe:
 * enabling is idempotent).
 */
export interface EnableQueuePort {
  enqueue(requests: readonly EnableRequest[]): Promise<EnqueueReceipt>;
}

/** What the enable queue did not take: the instances whose message was not sent, and why. */
export interface EnqueueReceipt {
  readonly failed: ReadonlyArray<{ readonly instance_id: string; readonly error: FleetError }>;
}

/** Enables one instance: the single-instance use case (enableInstance), its result as is. */
export type EnableOnePort = (request: EnableRequest) => Promise<JobResult>;

export type FleetApplyPort =
  | { readonly queue: EnableQueuePort }
  | { readonly enableOne: EnableOnePort /** Enables at a time; default 4. */; readonly concurrency?: number };

export const DEFAULT_INLINE_CONCURRENCY = 4;

/** The single-instance request each matched instance gets: the selector's enable options. */
export function enableRequestFor(target: SelectorTarget, instanceId: string): EnableRequest {
  return {
    project_id: target.project_id,
    instance_id: instanceId,
    region: target.region,
    node_cnt: target.node_cnt,
    ...(target.specification !== undefined && { specification: target.specification }),
    ...(target.spec_code !== undefined && { spec_code: target.spec_code }),
    ...(target.callback_url !== undefined && { callback_url: target.callback_url }),
  };
}

export async function applyFleet(
  target: SelectorTarget,
  instances: readonly ListedInstance[],
  port: FleetApplyPort,
  logger?: Logger,
): Promise<FleetInstanceResult[]> {
  return 'queue' in port ? enqueueAll(target, instances, port.queue, logger) : enableAll(target, instances, port, logger);
}

async function enqueueAll(
  target: SelectorTarget,
  instances: readonly ListedInstance[],
  queue: EnableQueuePort,
  logger?: Logger,
): Promise<FleetInstanceResult[]> {
  if (instances.length === 0) return [];
  let failed: ReadonlyMap<string, FleetError>;
  try {
    const receipt = await queue.enqueue(instances.map((entry) => enableRequestFor(target, entry.instance_id)));
    failed = new Map(receipt.failed.map((f) => [f.instance_id, f.error]));
  } catch (error) {
    logger?.error('enable requests not queued', { error });
    const notQueued: FleetError = { code: ENQUEUE_FAILED, message: 'the enable requests could not be queued' };
    failed = new Map(instances.map((entry) => [entry.instance_id, notQueued]));
  }
  return instances.map((entry) => {
    const error = failed.get(entry.instance_id);
    return error ? { ...listed(entry), outcome: 'failed', error } : { ...listed(entry), outcome: 'queued' };
  });
}

async function enableAll(
  target: SelectorTarget,
  instances: readonly ListedInstance[],
  port: { readonly enableOne: EnableOnePort; readonly concurrency?: number },
  logger?: Logger,
): Promise<FleetInstanceResult[]> {
  const results = new Map<string, FleetInstanceResult>();
  const items = instances.map((entry) => ({ id: entry.instance_id, entry }));
  // Credentials Huawei refused stop the run: the instances not yet tried fail with that error, untried.
  let refused: FleetInstanceResult['error'];
  await runBatch(
    items,
    port.concurrency ?? DEFAULT_INLINE_CONCURRENCY,
    async ({ entry }) => {
      const result = refused
        ? { ...listed(entry), outcome: 'failed' as const, error: refused }
        : fromJobResult(entry, await port.enableOne(enableRequestFor(target, entry.instance_id)));
      if (isCredentialsRejected(result.error?.code)) refused ??= result.error;
      results.set(entry.instance_id, result);
      return 'done';
    },
    // The use case puts Huawei's failures in its result; a throw is a bug, kept out of the summary.
    ({ entry }, error) => {
      logger?.error('enable threw', { instance_id: entry.instance_id, error });
      results.set(entry.instance_id, {
        ...listed(entry),
        outcome: 'failed',
        error: { code: ENABLE_FAILED, message: 'enabling failed unexpectedly' },
      });
    },
  );
  return instances.map((entry) => results.get(entry.instance_id) as FleetInstanceResult);
}

function fromJobResult(entry: ListedInstance, result: JobResult): FleetInstanceResult {
  const ids = {
    ...(result.connector_id && { connector_id: result.connector_id }),
    ...(result.job_id && { job_id: result.job_id }),
  };
  switch (result.status) {
    case 'accepted':
      return { ...listed(entry), outcome: 'accepted', ...ids };
    // Found being enabled since it was listed: the same outcome the list would have given it.
    case 'already_enabled':
      return { ...listed(entry), outcome: result.in_progress ? 'enabling' : 'already_enabled', ...ids };
    default:
      return {
        ...listed(entry),
        outcome: 'failed',
        ...ids,
        error: result.error ?? { code: ENABLE_FAILED, message: `enabling ended ${result.status}` },
      };
  }
}

/** What the list said about an instance, the start of every result for it. */
export function listed(entry: ListedInstance): Pick<FleetInstanceResult, 'instance_id' | 'name' | 'instance_status'> {
  return { instance_id: entry.instance_id, name: entry.name, instance_status: entry.status };
}
