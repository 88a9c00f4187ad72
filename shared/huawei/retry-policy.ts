// The one retry policy for calls to Huawei Cloud. Two places retry them: the client (ky) repeats a
// call that is safe to repeat, and the enable use case goes round (the POST again after throttling;
// "POST or wait, then read the instance" while it is busy). The composition root (functions/wiring.ts)
// gives both the same value, so their numbers cannot drift; docs/retries.md lists them beside every
// other retry in the system. Which failures are worth another try at all is the error's own word
// (CallError.retryable, from the code catalogue in shared/errors); this says how often and how long.
import { DMS_BUSY_CODES } from '../errors/index.ts';
import { backoffCeiling, backoffDelay, sleep, type BackoffPolicy } from '../runtime/index.ts';

export interface HuaweiRetryPolicy {
  /** Retries after the first attempt, for a call that is safe to repeat (reads); a POST gets none. */
  readonly callRetries: number;
  /** The wait before retry n: at most base * 2^(n-1), capped (runtime/backoff.ts). */
  readonly backoff: BackoffPolicy;
  /** Full jitter: each wait is a random share of that ceiling, so retries of many calls spread out. */
  readonly jitter: boolean;
  /** Answers a repeatable call is tried again after; no answer in time and network errors are too. */
  readonly retriedStatuses: readonly number[];
  /** Huawei's codes, on a 4xx, that say "busy, try later": retried as a 5xx is. */
  readonly retriedCodes: readonly string[];
  /**
   * Answers whose Retry-After is waited for instead of the backoff (Huawei's throttling sends it):
   * whole, when it leaves the deadline time for another attempt; else the call fails now.
   */
  readonly retryAfterStatuses: readonly number[];
  /** No attempt starts with less than this left of the caller's deadline (and no wait that would leave less). */
  readonly minAttemptMs: number;
  /** The enable use case: rounds of "POST or wait, then read the instance" before a transient failure is reported. */
  readonly enableRounds: number;
  /** The enable use case: times the POST goes again after the gateway throttled it (429, APIG.0308). */
  readonly throttleRetries: number;
  /** How the enable use case waits (tests make it instant); the client's waits are ky's own timers. */
  readonly sleep: (ms: number) => Promise<void>;
}

export const HUAWEI_RETRY_POLICY: HuaweiRetryPolicy = {
  callRetries: 4,
  backoff: { baseMs: 200, capMs: 5_000 },
  jitter: true,
  retriedStatuses: [408, 429, 500, 502, 503, 504],
  retriedCodes: DMS_BUSY_CODES,
  retryAfterStatuses: [429, 503],
  minAttemptMs: 250,
  enableRounds: 5,
  throttleRetries: 4,
  sleep,
};

/** The policy with some of its numbers changed (tests shorten the waits); the rest as HUAWEI_RETRY_POLICY. */
export function huaweiRetryPolicy(changes: Partial<HuaweiRetryPolicy> = {}): HuaweiRetryPolicy {
  return { ...HUAWEI_RETRY_POLICY, ...changes };
}

/** The wait before retry (or round) `attempt`, counted from 1: jittered under the ceiling, or the ceiling. */
export function retryWait(policy: HuaweiRetryPolicy, attempt: number): number {
  return policy.jitter ? backoffDelay(attempt, policy.backoff) : backoffCeiling(attempt, policy.backoff);
}
