// The metrics this service writes, by name, and where the flows record them. Dimensions stay few
// and bounded (the function's Trigger, an Outcome), never an instance or a project.
import type { Metrics } from './metrics.ts';

export const METRIC_NAMESPACE = 'SmartConnectEnabler';

/** What CloudWatch takes as a namespace of one's own (AWS/ is AWS's). */
export function isMetricNamespace(value: string): boolean {
  return /^[0-9A-Za-z._\-/#: ]{1,255}$/.test(value) && value.trim() !== '' && !value.startsWith('AWS/');
}

export const MetricName = {
  /** One per enable request, by Outcome: accepted, already_enabled, failed, rejected. */
  enables: 'Enables',
  /**
   * One per fleet run (a selector), by Outcome: completed, failed (the run, or one of its instances),
   * rejected. Its instances are no Enables: those it queues are counted when their own requests run.
   */
  fleetRuns: 'FleetRuns',
  /** Seconds from a job's start to its end as tracking saw it, by Outcome: succeeded, failed. */
  jobDuration: 'JobDuration',
  /** Answers from Huawei Cloud that refused a call for throttling (429, APIG.0308), retried or not. */
  huaweiThrottled: 'HuaweiThrottled',
  /** Calls to Huawei Cloud that got no usable answer: none in time, a broken connection, a 5xx, an unreadable answer, refused credentials. */
  huaweiFailures: 'HuaweiFailures',
  /**
   * Answers from Huawei Cloud that refused a signature (401, APIG.0301): one each. Its gateway locks
   * a key after a few, so after one the key cools down (HUAWEICLOUD_AUTH_COOLDOWN_SECONDS).
   */
  huaweiAuthFailures: 'HuaweiAuthFailures',
  /** Callbacks given up on (the receiver did not take them in the time there was). */
  callbackFailures: 'CallbackFailures',
} as const;

export const OUTCOME = 'Outcome';

interface Delivered {
  readonly callback?: { readonly kind: 'delivered' | 'undelivered' } | undefined;
}

interface Reported extends Delivered {
  readonly result: { readonly status: string; readonly duration_seconds?: number | undefined };
}

export type FleetRunOutcome = 'completed' | 'failed' | 'rejected';

/** A request's end: its outcome, and its callback if it was not delivered. Returns the outcome. */
export function countEnable<const T extends Reported>(metrics: Metrics, outcome: T): T {
  metrics.count(MetricName.enables, { [OUTCOME]: outcome.result.status });
  countCallback(metrics, outcome);
  return outcome;
}

/** A fleet run's end: its outcome, and its callback if it was not delivered. Returns what it was given. */
export function countFleetRun<const T extends Delivered>(metrics: Metrics, outcome: FleetRunOutcome, reported: T): T {
  metrics.count(MetricName.fleetRuns, { [OUTCOME]: outcome });
  countCallback(metrics, reported);
  return reported;
}

/** A tracked job's end: how long it took, and its final callback if it was not delivered. Returns the outcome. */
export function observeJobEnd<const T extends Reported>(metrics: Metrics, outcome: T): T {
  const seconds = outcome.result.duration_seconds;
  if (seconds !== undefined) metrics.observe(MetricName.jobDuration, 'Seconds', seconds, { [OUTCOME]: outcome.result.status });
  countCallback(metrics, outcome);
  return outcome;
}

function countCallback(metrics: Metrics, outcome: Delivered): void {
  if (outcome.callback?.kind === 'undelivered') metrics.count(MetricName.callbackFailures);
}
