// The Fleet summary: what one run found and did, per instance and counted by outcome (the CLI's
// output, the schedule's result per selector target, the reconcile callback's data).
import type { KafkaRegion } from '../huawei/index.ts';
import type { SelectorTarget } from './selector.ts';

/** Outcomes in the order the contract lists them (and counts are written in). */
export const FLEET_OUTCOMES = [
  'already_enabled',
  'enabling',
  'would_enable',
  'accepted',
  'queued',
  'skipped_not_pay_per_use',
  'skipped_busy',
  'skipped_unreadable',
  'failed',
] as const;
export type FleetOutcome = (typeof FLEET_OUTCOMES)[number];

export interface FleetError {
  readonly code: string;
  readonly message: string;
}

export interface FleetInstanceResult {
  readonly instance_id: string;
  /** As listed, at most QUOTE_MAX characters (Huawei's text, bounded like input). */
  readonly name: string;
  readonly outcome: FleetOutcome;
  readonly connector_id?: string;
  readonly job_id?: string;
  /** The instance's status when it was listed. */
  readonly instance_status?: string;
  readonly error?: FleetError;
}

export interface FleetSummary {
  readonly project_id: string;
  readonly region: KafkaRegion;
  readonly dry_run: boolean;
  /** Instances the selector matched (0 when the run could not list them). */
  readonly matched: number;
  /** Only outcomes that occurred. */
  readonly counts: Partial<Record<FleetOutcome, number>>;
  readonly instances: readonly FleetInstanceResult[];
  /** Set when the run itself failed (the instances could not all be listed): nothing was done. */
  readonly error?: FleetError;
}

/** Keeps secrets out of the messages a summary carries (Huawei's, a queue's). */
export type Redact = (text: string) => string;

export function fleetSummary(target: SelectorTarget, instances: readonly FleetInstanceResult[], redact?: Redact): FleetSummary {
  const counted = new Map<FleetOutcome, number>();
  for (const instance of instances) counted.set(instance.outcome, (counted.get(instance.outcome) ?? 0) + 1);
  const counts = Object.fromEntries(FLEET_OUTCOMES.filter((o) => counted.has(o)).map((o) => [o, counted.get(o)]));
  return {
    ...header(target),
    matched: instances.length,
    counts,
    instances: redact ? instances.map((i) => (i.error ? { ...i, error: redacted(i.error, redact) } : i)) : instances,
  };
}

/** A run that could not list the fleet: nothing was matched or done, and it says why. */
export function failedFleetSummary(target: SelectorTarget, error: FleetError, redact?: Redact): FleetSummary {
  return { ...header(target), matched: 0, counts: {}, instances: [], error: redact ? redacted(error, redact) : error };
}

/** Whether the run failed as a whole or for any instance (the CLI exits 1, the schedule reports it). */
export function fleetRunFailed(summary: FleetSummary): boolean {
  return summary.error !== undefined || (summary.counts.failed ?? 0) > 0;
}

function header(target: SelectorTarget) {
  return { project_id: target.project_id, region: target.region, dry_run: target.dry_run };
}

function redacted(error: FleetError, redact: Redact): FleetError {
  return { code: error.code, message: redact(error.message) };
}
