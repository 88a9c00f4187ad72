// Furniture for the load suite (tests/load): the scale `npm run soak` sets, the built queue function
// behind the local queue (as the local stack wires it), waiting for that queue to settle, and memory
// measured after garbage collection.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { loadHandler, type Handler, type QueueSender } from '../../local/hosting/index.ts';
import { createLocalQueue, queueSender, type LocalQueue, type LocalQueueOptions } from '../../local/sqs/index.ts';

/** 1 in `npm test`, 10 in `npm run soak`. */
export const LOAD_SCALE = Number(process.env.LOAD_SCALE ?? 1);

// A settling queue is looked at at least this often (see settleQueue).
const LOOK_EVERY_MS = 20_000;

export interface QueueFunction {
  readonly queue: LocalQueue;
  /** The queue as the functions send to it: hand it to other functions as their tracking and enable queue. */
  readonly sender: QueueSender;
}

/**
 * The local queue delivering to the built queue function, which gets the same queue as its tracking
 * queue and its enable queue (as in AWS and the local stack). Loads the bundle with process.env as
 * it is (a cold start reads it); starts delivering.
 */
export async function startQueueFunction(options: Omit<LocalQueueOptions, 'handler'>): Promise<QueueFunction> {
  let queueFunction: Handler<SQSEvent, SQSBatchResponse> | undefined;
  const queue = createLocalQueue({
    ...options,
    handler: (event, context) => {
      if (!queueFunction) throw new Error('the queue function is not loaded yet');
      return queueFunction(event, context);
    },
  });
  const sender = queueSender(queue);
  queueFunction = await loadHandler<Handler<SQSEvent, SQSBatchResponse>>('queue', { host: { trackingQueue: sender, enableQueue: sender } });
  queue.start();
  return { queue, sender };
}

/**
 * Resolves once nothing is queued, delayed or in flight; rejects, saying what is left, after
 * timeoutMs. `look` runs at least every 20 s meanwhile and once at the end (a Standard Webhooks
 * verifier refuses timestamps older than five minutes, and a soak run lasts longer than that).
 */
export async function settleQueue(queue: LocalQueue, { timeoutMs, look = () => {} }: { timeoutMs: number; look?: () => void }): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const left = until - Date.now();
    try {
      await queue.drain(Math.max(1, Math.min(left, LOOK_EVERY_MS)));
      look();
      return;
    } catch (error) {
      look();
      if (Date.now() >= until) throw error;
    }
  }
}

export function heapUsedAfterGc(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Heap (after garbage collection) and resident set, in bytes. */
export function memoryNow(): { heap: number; rss: number } {
  const heap = heapUsedAfterGc();
  return { heap, rss: process.memoryUsage().rss };
}

export function mebibytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MiB`;
}
