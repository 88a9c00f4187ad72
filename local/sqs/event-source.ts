// What Lambda's SQS event source mapping does with the local queue: receive batches while fewer than
// maxConcurrency invocations run, invoke the handler (at most the function's timeout), delete the
// records it processed, leave the rest to come back when their visibility timeout ends, and sleep
// until the next message is due.
import { invokeWithTimeout, InvocationTimeout, lambdaContext, newReceiptHandle, type HostTimers } from '../hosting/index.ts';
import { recordOf } from './record.ts';
import type { MessageStore } from './store.ts';
import type { LocalMessageState, LocalQueueHandler, StoredMessage } from './types.ts';

/** Counts the event source keeps of the queue's running totals. */
export interface DeliveryCounters {
  invocations: number;
  received: number;
  deleted: number;
  failed: number;
  failedInvocations: number;
}

export interface EventSourceOptions {
  queue: { name: string; arn: string; region: string; accountId: string };
  functionName: string;
  handler: LocalQueueHandler;
  store: MessageStore;
  functionTimeoutMs: number;
  visibilityTimeoutMs: number;
  pollIntervalMs: number;
  maxConcurrency: number;
  now: () => number;
  timers: HostTimers;
  log: (line: string) => void;
  counters: DeliveryCounters;
}

export function createEventSource(options: EventSourceOptions) {
  const { queue, store, now, timers, log, counters } = options;
  const running = new Set<Promise<void>>();
  const drainWaiters = new Set<() => void>();
  let started = false;
  let timer: unknown;
  let timerAt = Number.POSITIVE_INFINITY;

  /** Runs the loop at `at` (a timer rather than now: messages sent in one go share a batch, as on SQS). */
  function wake(at: number): void {
    if (!started) return;
    if (timer !== undefined && timerAt <= at) return;
    if (timer !== undefined) timers.clearTimeout(timer);
    timerAt = at;
    timer = timers.setTimeout(
      () => {
        timer = undefined;
        timerAt = Number.POSITIVE_INFINITY;
        pump();
      },
      Math.max(0, at - now()),
    );
  }

  function pump(): void {
    if (!started) return;
    const at = now();
    while (running.size < options.maxConcurrency) {
      const batch = store.receive(at);
      if (!batch.length) break;
      const invocation = invoke(batch, at).finally(() => {
        running.delete(invocation);
        settleDrains();
        wake(now());
      });
      running.add(invocation);
    }
    // Sleep until the next message is due (a delay or a visibility timeout ending).
    const next = store.nextVisibleAfter(at);
    if (next !== Number.POSITIVE_INFINITY) wake(Math.min(next, at + options.pollIntervalMs));
    settleDrains();
  }

  async function invoke(batch: StoredMessage[], at: number): Promise<void> {
    const handles = new Map<string, string>();
    for (const message of batch) {
      message.receiveCount += 1;
      message.firstReceivedAt ??= at;
      message.receiptHandle = newReceiptHandle();
      message.visibleAt = at + options.visibilityTimeoutMs;
      message.invoking = true;
      handles.set(message.messageId, message.receiptHandle);
    }
    counters.invocations += 1;
    counters.received += batch.length;
    const event = { Records: batch.map((message) => recordOf(message, queue)) };
    const context = lambdaContext({
      functionName: options.functionName,
      timeoutMs: options.functionTimeoutMs,
      region: queue.region,
      accountId: queue.accountId,
      now,
    });

    let failed: Set<string>;
    let reason: string;
    try {
      const answer = await invokeWithTimeout({ handler: options.handler, event, context, timeoutMs: options.functionTimeoutMs, timers });
      const verdict = failuresIn(answer, batch);
      ({ failed, reason } = verdict);
      if (verdict.invalid) {
        counters.failedInvocations += 1;
        log(`queue ${queue.name}: invalid batch response, all ${batch.length} records come back: ${verdict.reason}`);
      }
    } catch (error) {
      failed = new Set(batch.map((message) => message.messageId));
      reason =
        error instanceof InvocationTimeout ? error.message : `handler threw: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
      counters.failedInvocations += 1;
      log(`queue ${queue.name}: invocation failed, all ${batch.length} records come back: ${reason}`);
    }
    for (const message of batch) {
      message.invoking = false;
      if (failed.has(message.messageId)) {
        // Left alone: visible again when its visibility timeout ends.
        message.lastError = reason;
        counters.failed += 1;
      } else if (store.remove(message, handles.get(message.messageId) ?? '')) {
        counters.deleted += 1;
      }
    }
  }

  function settleDrains(): void {
    if (store.size > 0 || running.size > 0) return;
    for (const resolve of drainWaiters) resolve();
    drainWaiters.clear();
  }

  function describe(): string {
    const views = store.views();
    const count = (state: LocalMessageState) => views.filter((v) => v.state === state).length;
    return `${count('visible')} visible, ${count('delayed')} delayed, ${count('in_flight')} in flight, ${store.deadLetters().length} dead letters${started ? '' : ' (the queue is stopped)'}`;
  }

  return {
    wake,
    start(): void {
      if (started) return;
      started = true;
      wake(now());
    },
    async stop(): Promise<void> {
      started = false;
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
      timerAt = Number.POSITIVE_INFINITY;
      await Promise.allSettled([...running]);
    },
    drain(timeoutMs: number): Promise<void> {
      if (store.size === 0 && running.size === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const done = () => {
          timers.clearTimeout(handle);
          resolve();
        };
        const handle = timers.setTimeout(() => {
          drainWaiters.delete(done);
          reject(new Error(`queue ${queue.name} did not drain within ${timeoutMs} ms: ${describe()}`));
        }, timeoutMs);
        drainWaiters.add(done);
      });
    },
  };
}

/**
 * What the event source makes of the handler's answer (AWS's rules for ReportBatchItemFailures):
 * nothing, null, {} or an empty/null list is complete success; an identifier that is empty, missing
 * or not in the batch, or an answer of the wrong shape, fails the whole batch.
 */
function failuresIn(answer: unknown, batch: readonly StoredMessage[]): { failed: Set<string>; reason: string; invalid: boolean } {
  const ids = new Set(batch.map((message) => message.messageId));
  const all = (reason: string) => ({ failed: new Set(ids), reason: `invalid batch response: ${reason}`, invalid: true });
  if (answer === undefined || answer === null) return { failed: new Set(), reason: '', invalid: false };
  if (typeof answer !== 'object' || Array.isArray(answer)) return all('not an object');
  const list: unknown = (answer as { batchItemFailures?: unknown }).batchItemFailures;
  if (list === undefined || list === null) return { failed: new Set(), reason: '', invalid: false };
  if (!Array.isArray(list)) return all('batchItemFailures is not a list');
  const failed = new Set<string>();
  for (const item of list) {
    const id: unknown = item && typeof item === 'object' ? (item as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    if (typeof id !== 'string' || !id) return all('an itemIdentifier is missing or empty');
    if (!ids.has(id)) return all(`itemIdentifier ${id} is not in the batch`);
    failed.add(id);
  }
  return { failed, reason: 'listed in batchItemFailures', invalid: false };
}
