// What a scheduled run answers: every target's result (a JobResult per instance, a Fleet summary per
// selector), counted, and which outcomes make the run fail so that the scheduler's retry applies. The
// answer does not grow with the input: its lists are capped, and it says how many were left out.
import { boundedSummary, type RunSummary, type TargetOutcome } from '../shared/fleet/index.ts';
import { isMisconfigured } from '../shared/errors/index.ts';
import { boundIssues, type RequestIssue } from '../shared/request/index.ts';
import { jobResultJson, type JobResultJson, type JobStatus } from '../shared/result/index.ts';

export interface ScheduleSummary {
  readonly targets: number;
  /** Instance targets (and refused ones of either kind) by status, and how many failed transiently: only those that occurred. */
  readonly counts: Partial<Record<JobStatus | 'transient', number>>;
  /** One per instance target, and per target refused, in target order. */
  readonly results: JobResultJson[];
  /** One per selector target that ran, in target order (an account-wide one bounded as its callback is). */
  readonly fleets?: RunSummary[];
  /** Why nothing was ensured although the invocation succeeded: no targets anywhere. */
  readonly warning?: string;
  /** Why the input was refused: its targets are not a list. */
  readonly issues?: readonly RequestIssue[];
  /** How many results and fleets are counted but not listed (beyond SUMMARY_LISTS). */
  readonly left_out?: { readonly results?: number; readonly fleets?: number };
}

/** The most results and fleets one answer lists; `counts` still counts every target. */
const SUMMARY_LISTS = { results: 50, fleets: 20 } as const;

/** Whether asking again later may do better: the scheduler's retry is then worth it. */
export function isTransient({ outcome }: TargetOutcome): boolean {
  if (outcome.callback?.kind === 'undelivered' && outcome.callback.retryable) return true;
  if (outcome.kind === 'summarized') return outcome.transient;
  return (outcome.result.status === 'failed' && outcome.result.retryable === true) || (outcome.kind === 'done' && outcome.tracking === 'failed');
}

/** This deployment cannot work as configured: why, or undefined. */
export function misconfiguration({ outcome }: TargetOutcome): string | undefined {
  const error = outcome.kind === 'summarized' ? outcome.summary.error : outcome.result.error;
  return isMisconfigured(error?.code) ? `${error?.code}: ${error?.message}` : undefined;
}

export function scheduleSummary(targets: number, outcomes: readonly TargetOutcome[], extra: Pick<ScheduleSummary, 'warning' | 'issues'>): ScheduleSummary {
  const results: JobResultJson[] = [];
  const fleets: RunSummary[] = [];
  const left = { results: 0, fleets: 0 };
  // Only what occurred, as a fleet's counts: a zero would claim a count nobody needed.
  const counts: Partial<Record<JobStatus | 'transient', number>> = {};
  const transient = outcomes.filter(isTransient).length;
  if (transient) counts.transient = transient;
  for (const { outcome } of outcomes) {
    if (outcome.kind === 'summarized') {
      if (fleets.length < SUMMARY_LISTS.fleets) fleets.push(boundedSummary(outcome.summary));
      else left.fleets += 1;
      continue;
    }
    counts[outcome.result.status] = (counts[outcome.result.status] ?? 0) + 1;
    if (results.length < SUMMARY_LISTS.results) results.push(jobResultJson(outcome.result));
    else left.results += 1;
  }
  const leftOut = { ...(left.results ? { results: left.results } : {}), ...(left.fleets ? { fleets: left.fleets } : {}) };
  return {
    targets,
    counts,
    results,
    ...(fleets.length ? { fleets } : {}),
    ...(extra.warning ? { warning: extra.warning } : {}),
    ...(extra.issues?.length ? { issues: boundIssues(extra.issues) } : {}),
    ...(left.results || left.fleets ? { left_out: leftOut } : {}),
  };
}
