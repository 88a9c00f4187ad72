// The schedule tick: with SCHEDULE_TARGETS set, the schedule function runs every interval with what
// EventBridge sends a rule's target without input (the function then uses SCHEDULE_TARGETS). A tick
// still running when the next is due lets that one pass.
import { scheduledEvent } from '../hosting/index.ts';

export interface ScheduleTick {
  readonly intervalSeconds: number;
  run: (event: unknown) => Promise<unknown>;
  print: (line: string) => void;
}

/** Starts ticking; returns what stops it. */
export function startScheduleTick({ intervalSeconds, run, print }: ScheduleTick): () => void {
  let ticking = false;
  const tick = setInterval(() => {
    if (ticking) return;
    ticking = true;
    run(scheduledEvent())
      .then(
        (summary) => print(`schedule tick: ${JSON.stringify(countsOf(summary))}`),
        (error: unknown) => print(`schedule tick failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`),
      )
      .finally(() => {
        ticking = false;
      });
  }, intervalSeconds * 1000);
  return () => clearInterval(tick);
}

function countsOf(summary: unknown): unknown {
  if (typeof summary !== 'object' || summary === null) return summary;
  const { targets, counts } = summary as { targets?: unknown; counts?: unknown };
  return { targets, counts };
}
