// Unit tests of shared/runtime/backoff.ts and deadline.ts (full-jitter backoff, Retry-After,
// deadlines), and of the Huawei retry policy against its table in docs/retries.md. Random numbers
// and clocks are injected; expected values are worked out by hand.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HUAWEI_RETRY_POLICY, huaweiRetryPolicy, retryWait } from '../../shared/huawei/index.ts';
import { DEFAULT_BACKOFF, backoffCeiling, backoffDelay, retryAfterMs, type BackoffPolicy, deadlineIn, withinDeadline } from '../../shared/runtime/index.ts';
import { manualClock } from '../support/clock.ts';

describe('backoffCeiling', () => {
  const policy: BackoffPolicy = { baseMs: 100, capMs: 1_000 };
  it.each([
    [1, 100],
    [2, 200],
    [3, 400],
    [4, 800],
    [5, 1_000],
    [6, 1_000],
    [30, 1_000],
  ])('attempt %i -> %i', (attempt, ceiling) => {
    expect(backoffCeiling(attempt, policy)).toBe(ceiling);
  });

  it('doubles from 200 ms and caps at 5 s by default', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((attempt) => backoffCeiling(attempt))).toEqual([200, 400, 800, 1600, 3200, 5000, 5000]);
    expect(DEFAULT_BACKOFF).toEqual({ baseMs: 200, capMs: 5_000 });
  });

  it('treats attempt 0 like attempt 1', () => {
    expect(backoffCeiling(0, policy)).toBe(100);
  });
});

describe('backoffDelay (full jitter)', () => {
  const policy: BackoffPolicy = { baseMs: 100, capMs: 1_000 };
  const ceilings = [100, 200, 400, 800, 1_000, 1_000];

  it.each(ceilings.map((ceiling, index) => [index + 1, ceiling]))('attempt %i: random 0 gives 0', (attempt) => {
    expect(backoffDelay(attempt, policy, () => 0)).toBe(0);
  });

  it.each(ceilings.map((ceiling, index) => [index + 1, ceiling]))('attempt %i: random 0.999 stays below the ceiling %i', (attempt, ceiling) => {
    const delay = backoffDelay(attempt, policy, () => 0.999);
    expect(delay).toBeLessThan(ceiling);
    expect(delay).toBe(Math.floor(0.999 * ceiling));
  });

  it('scales linearly with the random number in between', () => {
    expect(backoffDelay(3, policy, () => 0.5)).toBe(200);
    expect(backoffDelay(2, policy, () => 0.25)).toBe(50);
  });

  it('is always an integer in [0, ceiling) with the real random', () => {
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      for (let i = 0; i < 50; i += 1) {
        const delay = backoffDelay(attempt);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(Math.min(5_000, 200 * 2 ** (attempt - 1)));
      }
    }
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-24T09:55:55Z');

  it.each([
    ['0', 0],
    ['3', 3_000],
    ['120', 120_000],
    [' 5 ', 5_000],
    ['1.5', 1_500],
    ['0.25', 250],
  ])('delta-seconds %j -> %i ms', (value, ms) => {
    expect(retryAfterMs(value, now)).toBe(ms);
  });

  it('reads an HTTP date as the time left until it', () => {
    expect(retryAfterMs('Tue, 24 Nov 2026 09:56:05 GMT', now)).toBe(10_000);
  });

  it('gives 0 for an HTTP date in the past', () => {
    expect(retryAfterMs('Tue, 24 Nov 2026 09:55:00 GMT', now)).toBe(0);
  });

  it.each([['soon'], ['abc'], ['3 seconds'], ['-'], [''], ['   ']])('is undefined for %j', (value) => {
    expect(retryAfterMs(value, now)).toBeUndefined();
  });

  it('is undefined when absent', () => {
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});

describe('deadlineIn', () => {
  it('counts down with the clock and stops at 0', () => {
    const clock = manualClock(1_000_000);
    const deadline = deadlineIn(1_000, clock.now);
    expect(deadline.remainingMs()).toBe(1_000);
    clock.advance(400);
    expect(deadline.remainingMs()).toBe(600);
    clock.advance(600);
    expect(deadline.remainingMs()).toBe(0);
    clock.advance(5_000);
    expect(deadline.remainingMs()).toBe(0);
  });

  it('is already over for a budget of 0 or less', () => {
    const clock = manualClock(1_000_000);
    expect(deadlineIn(0, clock.now).remainingMs()).toBe(0);
    expect(deadlineIn(-50, clock.now).remainingMs()).toBe(0);
  });
});

describe('withinDeadline', () => {
  it('is bounded by its own limit when the outer deadline is further away', () => {
    const clock = manualClock(1_000_000);
    const outer = deadlineIn(10_000, clock.now);
    const inner = withinDeadline(outer, 2_000, clock.now);
    expect(inner.remainingMs()).toBe(2_000);
    clock.advance(1_500);
    expect(inner.remainingMs()).toBe(500);
    expect(outer.remainingMs()).toBe(8_500);
    clock.advance(1_000);
    expect(inner.remainingMs()).toBe(0);
    expect(outer.remainingMs()).toBe(7_500);
  });

  it('is bounded by the outer deadline when that comes first', () => {
    const clock = manualClock(1_000_000);
    const outer = deadlineIn(1_000, clock.now);
    const inner = withinDeadline(outer, 5_000, clock.now);
    expect(inner.remainingMs()).toBe(1_000);
    clock.advance(700);
    expect(inner.remainingMs()).toBe(300);
    clock.advance(300);
    expect(inner.remainingMs()).toBe(0);
  });

  it('starts its own limit when it is made, not when the outer deadline was', () => {
    const clock = manualClock(1_000_000);
    const outer = deadlineIn(10_000, clock.now);
    clock.advance(3_000);
    const inner = withinDeadline(outer, 4_000, clock.now);
    expect(inner.remainingMs()).toBe(4_000);
    clock.advance(3_500);
    expect(inner.remainingMs()).toBe(500);
  });
});

// The one retry policy of calls to Huawei (shared/huawei/retry-policy.ts) and the table that
// documents it (docs/retries.md): a number changed in one and not the other fails here.
describe('the Huawei retry policy and docs/retries.md', () => {
  const table = readFileSync(resolve(import.meta.dirname, '../../docs/retries.md'), 'utf8');
  const policy = HUAWEI_RETRY_POLICY;

  it('says how often a call, a throttled POST and the rounds are tried, as the policy does', () => {
    expect(table).toContain(`${policy.callRetries} retries (${policy.callRetries + 1} attempts)`);
    expect(table).toContain(`${policy.throttleRetries} more POSTs`);
    expect(table).toContain(`${policy.enableRounds} rounds in all`);
  });

  it('says which answers are retried and which Retry-After is honoured, as the policy does', () => {
    expect(table).toContain(policy.retriedStatuses.join(', '));
    expect(table).toContain(`on ${policy.retryAfterStatuses.join(' and ')} Huawei's \`Retry-After\``);
    for (const code of policy.retriedCodes) expect(table).toContain(`\`${code}\``);
  });

  it('says how long the waits are and how much time an attempt needs, as the policy does', () => {
    expect(policy.jitter).toBe(true);
    expect(table).toContain(`a ceiling of ${policy.backoff.baseMs} ms × 2^(n−1), capped at ${policy.backoff.capMs / 1000} s`);
    expect(table).toContain(`less than ${policy.minAttemptMs} ms left`);
    expect(table).toContain(`${2 * policy.minAttemptMs} ms (two calls' ${policy.minAttemptMs} ms)`);
  });

  it('waits with jitter under the ceiling, or at the ceiling without it', () => {
    const jittered = huaweiRetryPolicy({ backoff: { baseMs: 100, capMs: 1_000 } });
    for (let i = 0; i < 50; i += 1) expect(retryWait(jittered, 3)).toBeLessThan(400);
    expect(retryWait(huaweiRetryPolicy({ jitter: false, backoff: { baseMs: 100, capMs: 1_000 } }), 3)).toBe(400);
    expect(retryWait(huaweiRetryPolicy({ jitter: false, backoff: { baseMs: 100, capMs: 1_000 } }), 9)).toBe(1_000);
  });

  it('changes only what it is asked to', () => {
    expect(huaweiRetryPolicy()).toEqual(HUAWEI_RETRY_POLICY);
    expect(huaweiRetryPolicy({ enableRounds: 2 })).toEqual({ ...HUAWEI_RETRY_POLICY, enableRounds: 2 });
  });
});
