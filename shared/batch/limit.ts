// Bounds on how much runs at once, for work that is not a batch of records: each item of a list
// run a few at a time (a throw is the caller's, as with Promise.all), and one bound shared by every
// caller of a function, however many of them run side by side.

/**
 * Runs `run` for every item, at most `limit` at once, in list order; rejects with the first throw. A
 * limit that is not a finite number of at least 1 still runs every item, one at a time.
 */
export async function eachAtMost<T>(items: readonly T[], limit: number, run: (item: T, index: number) => Promise<void>): Promise<void> {
  const bound = Number.isFinite(limit) && limit >= 1 ? Math.floor(limit) : 1;
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) await run(items[index] as T, index);
  };
  await Promise.all(Array.from({ length: Math.min(bound, items.length) }, worker));
}

/** `fn`, with at most `limit` calls in flight across all its callers; the others wait their turn, in order. */
export function atMostAtOnce<A, R>(fn: (arg: A) => Promise<R>, limit: number): (arg: A) => Promise<R> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (arg) => {
    // A slot is taken, or handed over by a call that ends (active then stays as it is).
    if (active < limit) active += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await fn(arg);
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active -= 1;
    }
  };
}
