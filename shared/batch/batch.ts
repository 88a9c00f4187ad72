// Runs a batch of items with bounded concurrency and one failure semantics: an item fails when its
// handler says so or throws; items of one ordered group run one after another, and after a failure
// the rest of that group is not run and fails too (it must come back after the one that failed).
import { eachAtMost } from './limit.ts';

export interface BatchItem {
  readonly id: string;
  /** Items sharing a group run in order; undefined: no ordering constraint. */
  readonly group?: string | undefined;
}

export type ItemVerdict = 'done' | 'failed';

/** The ids of the items that did not end done: failed, or not run after a failure in their group. */
export interface BatchVerdicts {
  readonly failed: readonly string[];
  /** Items not run because an earlier item of their group failed. */
  readonly skipped: readonly string[];
}

export async function runBatch<T extends BatchItem>(
  items: readonly T[],
  concurrency: number,
  handle: (item: T) => Promise<ItemVerdict>,
  onError?: (item: T, error: unknown) => void,
): Promise<BatchVerdicts> {
  // Each group is a lane of its own; ungrouped items are lanes of one.
  const lanes = new Map<string, T[]>();
  items.forEach((item, index) => {
    const key = item.group === undefined ? `\u0000${index}` : `g:${item.group}`;
    const lane = lanes.get(key);
    if (lane) lane.push(item);
    else lanes.set(key, [item]);
  });

  const failed = new Set<string>();
  const skipped = new Set<string>();
  const runLane = async (lane: readonly T[]) => {
    for (const [position, item] of lane.entries()) {
      let verdict: ItemVerdict;
      try {
        verdict = await handle(item);
      } catch (error) {
        onError?.(item, error);
        verdict = 'failed';
      }
      if (verdict === 'failed') {
        failed.add(item.id);
        for (const rest of lane.slice(position + 1)) skipped.add(rest.id);
        return;
      }
    }
  };

  // runLane never throws: a handler's throw is its item's failure.
  await eachAtMost([...lanes.values()], concurrency, runLane);
  // Keep the batch's own order in the answer.
  const order = (ids: Set<string>) => items.map((item) => item.id).filter((id) => ids.has(id));
  return { failed: order(failed), skipped: order(skipped) };
}
