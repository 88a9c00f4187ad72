// The Fleet summary: what one run found and did, per instance and counted by outcome (the CLI's
// output, the schedule's result per selector target, the reconcile callback's data); and the
// Account summary: a Fleet summary per project of an account-wide run, counts summed, and the
// projects it left out with why.
import type { KafkaRegion } from '../huawei/index.ts';
import type { SkippedProject } from '../projects/index.ts';
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

/** One project's Fleet summary inside an Account summary: named as IAM names the project. */
export type ProjectFleetSummary = FleetSummary & {
  readonly project_name: string;
  /** Where the summary leaves an account (the callback, the schedule's answer): instances not listed, counted all the same. */
  readonly left_out?: { readonly instances: number };
};

export interface AccountSummary {
  readonly scope: 'account';
  readonly dry_run: boolean;
  /** Instances the selector matched in every project run. */
  readonly matched: number;
  /** Summed over the projects. */
  readonly counts: Partial<Record<FleetOutcome, number>>;
  readonly projects: readonly ProjectFleetSummary[];
  readonly skipped_projects: readonly SkippedProject[];
  /** Set when the account's projects could not be listed (IAM): no project was run. */
  readonly error?: FleetError;
}

/** A selector run's summary: one project's, or the account's. */
export type RunSummary = FleetSummary | AccountSummary;

export function isAccountSummary(summary: RunSummary): summary is AccountSummary {
  return 'scope' in summary;
}

export function accountSummary(dryRun: boolean, projects: readonly ProjectFleetSummary[], skipped: readonly SkippedProject[]): AccountSummary {
  const counts: Partial<Record<FleetOutcome, number>> = {};
  for (const outcome of FLEET_OUTCOMES) {
    const sum = projects.reduce((total, project) => total + (project.counts[outcome] ?? 0), 0);
    if (sum) counts[outcome] = sum;
  }
  const matched = projects.reduce((total, project) => total + project.matched, 0);
  return { scope: 'account', dry_run: dryRun, matched, counts, projects, skipped_projects: skipped };
}

/** An account-wide run that could not list the account's projects: nothing was run, and it says why. */
export function failedAccountSummary(dryRun: boolean, error: FleetError, redact?: Redact): AccountSummary {
  return { ...accountSummary(dryRun, [], []), error: redact ? redacted(error, redact) : error };
}

/**
 * Whether the run failed as a whole or for any instance (the CLI exits 1, the schedule counts it as failed);
 * an account-wide run also when any of its projects did.
 */
export function fleetRunFailed(summary: RunSummary): boolean {
  if (isAccountSummary(summary)) return summary.error !== undefined || summary.projects.some(fleetRunFailed);
  return summary.error !== undefined || (summary.counts.failed ?? 0) > 0;
}

/** The most instances an Account summary lists where it leaves the process (callback, schedule answer): per project, and in all. */
export const ACCOUNT_LISTED = { perProject: 50, total: 500 } as const;

/**
 * The summary as it leaves in a callback or the schedule's answer: each project lists at most
 * ACCOUNT_LISTED.perProject instances, and all projects together ACCOUNT_LISTED.total, in project
 * order; what a project does not list is counted in its `left_out.instances`, and counts stay whole.
 * So an account of any size makes a bounded message (the whole lists: the command line, the logs).
 * One project's summary leaves as it is.
 */
export function boundedSummary(summary: RunSummary, limits: { readonly perProject: number; readonly total: number } = ACCOUNT_LISTED): RunSummary {
  if (!isAccountSummary(summary)) return summary;
  let budget = limits.total;
  const projects = summary.projects.map((project) => {
    const keep = Math.min(project.instances.length, limits.perProject, budget);
    budget -= keep;
    if (keep === project.instances.length) return project;
    return { ...project, instances: project.instances.slice(0, keep), left_out: { instances: project.instances.length - keep } };
  });
  return { ...summary, projects };
}

/** The summary by its counts, without instance lists (a log line about a run). */
export function withoutInstances(summary: RunSummary): unknown {
  if (!isAccountSummary(summary)) {
    const { instances: _, ...counted } = summary;
    return counted;
  }
  return { ...summary, projects: summary.projects.map((project) => withoutInstances(project)) };
}

function header(target: SelectorTarget) {
  return { project_id: target.project_id, region: target.region, dry_run: target.dry_run };
}

function redacted(error: FleetError, redact: Redact): FleetError {
  return { code: error.code, message: redact(error.message) };
}
