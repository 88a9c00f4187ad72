// Unit tests of shared/batch's plain bounds (limit.ts): each item a few at a time, in order, a throw
// passed on; and one bound shared by every caller of a function, handed over in the order asked.
import { describe, expect, it } from 'vitest';
import { atMostAtOnce, eachAtMost } from '../../shared/batch/index.ts';

const tick = (ms = 2) => new Promise((resolve) => setTimeout(resolve, ms));

describe('eachAtMost', () => {
  it('runs every item once, starting them in list order, at most `limit` at once', async () => {
    let inFlight = 0;
    let most = 0;
    const started: number[] = [];
    await eachAtMost(
      Array.from({ length: 11 }, (_, i) => i),
      3,
      async (item, index) => {
        expect(index).toBe(item);
        started.push(item);
        inFlight += 1;
        most = Math.max(most, inFlight);
        await tick((item % 3) + 1);
        inFlight -= 1;
      },
    );
    expect(started).toEqual(Array.from({ length: 11 }, (_, i) => i));
    expect(most).toBe(3);
  });

  it('passes on the first throw; an empty list or a limit below one still works', async () => {
    await expect(
      eachAtMost([1, 2, 3], 2, async (item) => {
        if (item === 2) throw new Error('two');
      }),
    ).rejects.toThrow('two');
    await eachAtMost([], 4, async () => {
      throw new Error('never');
    });
    const seen: number[] = [];
    await eachAtMost([1, 2], 0, async (item) => void seen.push(item));
    expect(seen).toEqual([1, 2]);
  });
});

describe('atMostAtOnce', () => {
  it('keeps at most `limit` calls in flight across callers running side by side, each answered as its own', async () => {
    let inFlight = 0;
    let most = 0;
    const limited = atMostAtOnce(async (n: number) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await tick();
      inFlight -= 1;
      return n * 2;
    }, 2);
    const callers = Array.from({ length: 4 }, (_, c) => Promise.all(Array.from({ length: 5 }, (_, i) => limited(c * 10 + i))));
    expect(await Promise.all(callers)).toEqual(Array.from({ length: 4 }, (_, c) => Array.from({ length: 5 }, (_, i) => (c * 10 + i) * 2)));
    expect(most).toBe(2);
  });

  it('a call that throws frees its slot for the next', async () => {
    const limited = atMostAtOnce(async (n: number) => {
      await tick();
      if (n % 2) throw new Error(`odd ${n}`);
      return n;
    }, 1);
    const settled = await Promise.allSettled([1, 2, 3, 4].map((n) => limited(n)));
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'fulfilled', 'rejected', 'fulfilled']);
  });
});
