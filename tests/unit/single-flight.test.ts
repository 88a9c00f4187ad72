// Unit tests of shared/projects/single-flight.ts: one ask per key however many wait for it, answers
// kept as long as they deserve (on an injected clock: nothing here waits for time to pass).
import { describe, expect, it } from 'vitest';
import { singleFlight } from '../../shared/projects/single-flight.ts';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

// Answers are words; 'keep' is kept for ever, 'brief' for 100 ms, anything else not at all.
const keepFor = (answer: string) => (answer === 'keep' ? Infinity : answer === 'brief' ? 100 : 0);

describe('singleFlight', () => {
  it('asks once for ten concurrent askers of one key, and every one gets the answer', async () => {
    const flight = singleFlight(keepFor);
    const pending = deferred<string>();
    let asks = 0;
    const ask = () => {
      asks += 1;
      return pending.promise;
    };
    const answers = Array.from({ length: 10 }, () => flight.get('k', ask));
    pending.resolve('keep');
    expect(await Promise.all(answers)).toEqual(Array(10).fill('keep'));
    expect(asks).toBe(1);
    expect(await flight.get('k', async () => 'asked again')).toBe('keep');
  });

  it('asks separately for separate keys', async () => {
    const flight = singleFlight(keepFor);
    expect(await Promise.all([flight.get('a', async () => 'keep'), flight.get('b', async () => 'brief')])).toEqual(['keep', 'brief']);
  });

  it('forgets an answer not worth keeping once it arrives, but shares it while in flight', async () => {
    const flight = singleFlight(keepFor);
    const pending = deferred<string>();
    const first = flight.get('k', () => pending.promise);
    const joined = flight.get('k', async () => 'not asked');
    pending.resolve('transient');
    expect([await first, await joined]).toEqual(['transient', 'transient']);
    expect(await flight.get('k', async () => 'keep')).toBe('keep');
  });

  it('keeps an answer for as long as it deserves, on the clock given', async () => {
    let now = 1_000;
    const flight = singleFlight(keepFor, () => now);
    expect(await flight.get('k', async () => 'brief')).toBe('brief');
    now += 99;
    expect(await flight.get('k', async () => 'keep')).toBe('brief');
    now += 1;
    expect(await flight.get('k', async () => 'keep')).toBe('keep');
    now += 1e12;
    expect(await flight.get('k', async () => 'other')).toBe('keep');
  });

  it('forgets a throw: every waiting asker sees it, and the next ask tries afresh', async () => {
    const flight = singleFlight(keepFor);
    const pending = deferred<string>();
    const first = flight.get('k', () => pending.promise);
    const joined = flight.get('k', async () => 'not asked');
    pending.reject(new Error('boom'));
    await expect(first).rejects.toThrow('boom');
    await expect(joined).rejects.toThrow('boom');
    expect(await flight.get('k', async () => 'keep')).toBe('keep');
  });
});
