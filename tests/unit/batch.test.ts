// Unit tests of shared/batch.ts: bounded concurrency, failures, ordered groups and skipped items.
// Handlers are driven by deferred promises so the test decides when each item ends.
import { describe, expect, it, vi } from 'vitest';
import type { BatchItem } from '../../shared/batch/batch.ts';
import { runBatch, type ItemVerdict } from '../../shared/batch/index.ts';

interface Item extends BatchItem {
  readonly id: string;
  readonly group?: string | undefined;
}

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending microtask and a macrotask run, so started handlers are registered. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * A handler whose items end only when the test says so; records the start order, the in-flight
 * count and its peak.
 */
function controlledHandler() {
  const pending = new Map<string, Deferred<ItemVerdict>>();
  const started: string[] = [];
  let inFlight = 0;
  let peak = 0;
  const handle = async (item: Item): Promise<ItemVerdict> => {
    started.push(item.id);
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    const d = deferred<ItemVerdict>();
    pending.set(item.id, d);
    try {
      return await d.promise;
    } finally {
      inFlight -= 1;
    }
  };
  const finish = async (id: string, verdict: ItemVerdict | Error = 'done') => {
    const d = pending.get(id);
    if (!d) throw new Error(`item ${id} has not started (started: ${started.join(', ')})`);
    pending.delete(id);
    if (verdict instanceof Error) d.reject(verdict);
    else d.resolve(verdict);
    await settle();
  };
  return {
    handle,
    finish,
    started,
    running: () => [...pending.keys()],
    inFlight: () => inFlight,
    peak: () => peak,
  };
}

const items = (...ids: string[]): Item[] => ids.map((id) => ({ id }));

describe('runBatch concurrency', () => {
  it('never runs more items at once than the bound, and runs every item', async () => {
    const h = controlledHandler();
    const batch = items('a', 'b', 'c', 'd', 'e', 'f', 'g');
    const run = runBatch(batch, 3, h.handle);
    await settle();
    expect(h.inFlight()).toBe(3);
    expect(h.started).toEqual(['a', 'b', 'c']);

    // Finish items one by one, always the oldest running; a new one starts for each.
    while (h.running().length > 0) {
      expect(h.inFlight()).toBeLessThanOrEqual(3);
      const [first] = h.running();
      await h.finish(first as string);
    }
    const report = await run;
    expect(h.peak()).toBe(3);
    expect(new Set(h.started)).toEqual(new Set(batch.map((i) => i.id)));
    expect(h.started).toHaveLength(batch.length);
    expect(report).toEqual({ failed: [], skipped: [] });
  });

  it('keeps the bound with handlers that end in any order', async () => {
    const h = controlledHandler();
    const batch = items('1', '2', '3', '4', '5', '6');
    const run = runBatch(batch, 2, h.handle);
    await settle();
    expect(h.running()).toEqual(['1', '2']);
    await h.finish('2');
    expect(h.running()).toEqual(['1', '3']);
    await h.finish('3');
    await h.finish('4');
    expect(h.running()).toEqual(['1', '5']);
    await h.finish('1');
    await h.finish('6');
    await h.finish('5');
    await expect(run).resolves.toEqual({ failed: [], skipped: [] });
    expect(h.peak()).toBe(2);
    expect(h.started).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  it('with a concurrency of 1 runs strictly one after another', async () => {
    const h = controlledHandler();
    const run = runBatch(items('a', 'b', 'c'), 1, h.handle);
    await settle();
    expect(h.running()).toEqual(['a']);
    await h.finish('a');
    expect(h.running()).toEqual(['b']);
    await h.finish('b');
    await h.finish('c');
    await expect(run).resolves.toEqual({ failed: [], skipped: [] });
    expect(h.peak()).toBe(1);
  });

  it('runs every item at once when the concurrency is larger than the batch', async () => {
    const h = controlledHandler();
    const run = runBatch(items('a', 'b', 'c'), 10, h.handle);
    await settle();
    expect(h.running()).toEqual(['a', 'b', 'c']);
    expect(h.inFlight()).toBe(3);
    for (const id of ['c', 'a', 'b']) await h.finish(id);
    await expect(run).resolves.toEqual({ failed: [], skipped: [] });
    expect(h.started).toHaveLength(3);
  });

  it('answers an empty batch with nothing failed and calls no handler', async () => {
    const handle = vi.fn(async (): Promise<ItemVerdict> => 'done');
    await expect(runBatch([], 5, handle)).resolves.toEqual({ failed: [], skipped: [] });
    expect(handle).not.toHaveBeenCalled();
  });
});

describe('runBatch failures', () => {
  it("puts an item whose handler answers 'failed' in failed, and the others go on", async () => {
    const handle = vi.fn(async (item: Item): Promise<ItemVerdict> => (item.id === 'b' ? 'failed' : 'done'));
    const onError = vi.fn();
    const report = await runBatch(items('a', 'b', 'c'), 2, handle, onError);
    expect(report).toEqual({ failed: ['b'], skipped: [] });
    expect(handle.mock.calls.map(([item]) => item.id).sort()).toEqual(['a', 'b', 'c']);
    // A 'failed' verdict is not an error.
    expect(onError).not.toHaveBeenCalled();
  });

  it('puts an item whose handler throws in failed and tells onError with the item and the error', async () => {
    const boom = new Error('boom');
    const handle = vi.fn(async (item: Item): Promise<ItemVerdict> => {
      if (item.id === 'b') throw boom;
      return 'done';
    });
    const onError = vi.fn();
    const report = await runBatch(items('a', 'b', 'c'), 3, handle, onError);
    expect(report).toEqual({ failed: ['b'], skipped: [] });
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledWith({ id: 'b' }, boom);
  });

  it('counts a handler that throws synchronously (not a rejected promise) as failed too', async () => {
    const boom = new Error('sync boom');
    const handle = (item: Item): Promise<ItemVerdict> => {
      if (item.id === 'a') throw boom;
      return Promise.resolve('done');
    };
    const onError = vi.fn();
    await expect(runBatch(items('a', 'b'), 2, handle, onError)).resolves.toEqual({ failed: ['a'], skipped: [] });
    expect(onError).toHaveBeenCalledWith({ id: 'a' }, boom);
  });

  it('without onError a throwing handler still only fails its item', async () => {
    const handle = async (item: Item): Promise<ItemVerdict> => {
      if (item.id === 'a') throw new Error('boom');
      return 'done';
    };
    await expect(runBatch(items('a', 'b'), 1, handle)).resolves.toEqual({ failed: ['a'], skipped: [] });
  });

  it('reports failures in the order of the batch, not the order they ended in', async () => {
    const h = controlledHandler();
    const run = runBatch(items('a', 'b', 'c', 'd'), 4, h.handle);
    await settle();
    await h.finish('d', 'failed');
    await h.finish('c', 'done');
    await h.finish('b', new Error('late'));
    await h.finish('a', 'failed');
    await expect(run).resolves.toEqual({ failed: ['a', 'b', 'd'], skipped: [] });
  });
});

describe('runBatch ordered groups', () => {
  it('runs the items of one group strictly one after another, in batch order', async () => {
    const h = controlledHandler();
    const batch: Item[] = [
      { id: 'g1', group: 'g' },
      { id: 'x', group: undefined },
      { id: 'g2', group: 'g' },
      { id: 'g3', group: 'g' },
    ];
    const run = runBatch(batch, 4, h.handle);
    await settle();
    // Plenty of room, yet only the group's first item runs beside the ungrouped one.
    expect(h.running().sort()).toEqual(['g1', 'x']);
    await h.finish('x');
    expect(h.running()).toEqual(['g1']);
    await h.finish('g1');
    expect(h.running()).toEqual(['g2']);
    await h.finish('g2');
    expect(h.running()).toEqual(['g3']);
    await h.finish('g3');
    await expect(run).resolves.toEqual({ failed: [], skipped: [] });
    expect(h.peak()).toBe(2);
    expect(h.started.filter((id) => id.startsWith('g'))).toEqual(['g1', 'g2', 'g3']);
  });

  it('after a failure skips the rest of that group without running it; other groups and ungrouped items go on', async () => {
    const handle = vi.fn(async (item: Item): Promise<ItemVerdict> => (item.id === 'a2' ? 'failed' : 'done'));
    const batch: Item[] = [
      { id: 'a1', group: 'A' },
      { id: 'b1', group: 'B' },
      { id: 'a2', group: 'A' },
      { id: 'u1' },
      { id: 'a3', group: 'A' },
      { id: 'b2', group: 'B' },
      { id: 'a4', group: 'A' },
      { id: 'u2' },
    ];
    const report = await runBatch(batch, 2, handle);
    expect(report).toEqual({ failed: ['a2'], skipped: ['a3', 'a4'] });
    const ran = handle.mock.calls.map(([item]) => item.id);
    expect(ran).not.toContain('a3');
    expect(ran).not.toContain('a4');
    expect(ran.sort()).toEqual(['a1', 'a2', 'b1', 'b2', 'u1', 'u2']);
  });

  it('skips the rest of a group after a throwing handler too, and calls onError once', async () => {
    const boom = new Error('boom');
    const handle = vi.fn(async (item: Item): Promise<ItemVerdict> => {
      if (item.id === 'a1') throw boom;
      return 'done';
    });
    const onError = vi.fn();
    const batch: Item[] = [
      { id: 'a1', group: 'A' },
      { id: 'a2', group: 'A' },
      { id: 'b1', group: 'B' },
    ];
    const report = await runBatch(batch, 1, handle, onError);
    expect(report).toEqual({ failed: ['a1'], skipped: ['a2'] });
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledWith({ id: 'a1', group: 'A' }, boom);
    expect(handle.mock.calls.map(([item]) => item.id)).toEqual(['a1', 'b1']);
  });

  it('a failure in one group leaves an identically ordered other group untouched', async () => {
    const h = controlledHandler();
    const batch: Item[] = [
      { id: 'a1', group: 'A' },
      { id: 'b1', group: 'B' },
      { id: 'a2', group: 'A' },
      { id: 'b2', group: 'B' },
    ];
    const run = runBatch(batch, 2, h.handle);
    await settle();
    expect(h.running().sort()).toEqual(['a1', 'b1']);
    await h.finish('a1', 'failed');
    // a2 must never start; B goes on.
    expect(h.running()).toEqual(['b1']);
    await h.finish('b1');
    expect(h.running()).toEqual(['b2']);
    await h.finish('b2');
    await expect(run).resolves.toEqual({ failed: ['a1'], skipped: ['a2'] });
    expect(h.started).not.toContain('a2');
  });

  it('gives skipped and failed ids in the order of the batch', async () => {
    const handle = async (item: Item): Promise<ItemVerdict> => (item.id === 'b1' || item.id === 'a1' ? 'failed' : 'done');
    const batch: Item[] = [
      { id: 'b0', group: 'B' },
      { id: 'a1', group: 'A' },
      { id: 'b1', group: 'B' },
      { id: 'a2', group: 'A' },
      { id: 'b2', group: 'B' },
      { id: 'a3', group: 'A' },
    ];
    // Concurrency 1: group B (first in the batch) ends first, yet the answer follows the batch.
    const report = await runBatch(batch, 1, handle);
    expect(report.failed).toEqual(['a1', 'b1']);
    expect(report.skipped).toEqual(['a2', 'b2', 'a3']);
  });

  it('treats items without a group as independent even when they share nothing else', async () => {
    const handle = async (item: Item): Promise<ItemVerdict> => (item.id === 'u1' ? 'failed' : 'done');
    const report = await runBatch(items('u1', 'u2', 'u3'), 1, handle);
    expect(report).toEqual({ failed: ['u1'], skipped: [] });
  });
});
