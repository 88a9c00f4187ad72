// An in-process SQS queue that drives a Lambda-style handler the way Lambda's SQS event source
// mapping does: receive a batch, invoke, delete what succeeded, let the rest come back after the
// visibility timeout, park what keeps failing in a dead-letter list (the redrive policy). Used by the
// local stack (enable requests and delayed tracking messages) and by tests. Dev tooling only; never
// bundled into a function. The messages are store.ts, the delivery loop event-source.ts, the records
// record.ts (built by local/hosting).
//
// Semantics kept from SQS and Lambda:
// - a received message is invisible for the visibility timeout; a failed one (listed in
//   batchItemFailures, or all of the batch when the handler throws, times out or answers an invalid
//   response) becomes visible again when it ends, with ApproximateReceiveCount one higher;
// - a message received maxReceiveCount times that becomes visible again moves to the dead-letter
//   list instead of being delivered (that is when SQS's redrive moves it);
// - DelaySeconds (0..900) keeps a new message invisible that long (standard queues only);
// - FIFO: within a message group, messages are delivered in order, and a group with a message in
//   flight is not delivered from; MessageDeduplicationId (content-based by default) drops duplicate
//   sends for 5 minutes;
// - the visibility timeout must be at least the function timeout (Lambda refuses the mapping
//   otherwise), and an invocation that outlives the function timeout fails its whole batch.
import { FUNCTION_TIMEOUT_MS, globalTimers, LOCAL_AWS, localFunctionName, localQueueArn, type QueueSender } from '../hosting/index.ts';
import { createEventSource } from './event-source.ts';
import { createMessageStore } from './store.ts';
import type { LocalQueue, LocalQueueOptions } from './types.ts';

export type * from './types.ts';

const MAX_BATCH_SIZE = 10;
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

export function createLocalQueue(options: LocalQueueOptions): LocalQueue {
  const fifo = options.fifo ?? false;
  const name = options.name;
  const baseName = fifo ? name.replace(/\.fifo$/, '') : name;
  if (fifo && !name.endsWith('.fifo')) throw new Error(`a FIFO queue's name ends in .fifo: ${name}`);
  if (!QUEUE_NAME.test(baseName) || (!fifo && name.endsWith('.fifo'))) {
    throw new Error(`invalid queue name ${JSON.stringify(name)}: 1 to 80 letters, digits, - and _ (FIFO queues end in .fifo, and only they)`);
  }
  const batchSize = integerIn('batchSize', options.batchSize ?? MAX_BATCH_SIZE, 1, MAX_BATCH_SIZE);
  const functionTimeoutMs = integerIn('functionTimeoutMs', options.functionTimeoutMs ?? FUNCTION_TIMEOUT_MS.queue, 1, 15 * 60_000);
  const visibilityTimeoutMs = integerIn('visibilityTimeoutMs', options.visibilityTimeoutMs ?? 6 * functionTimeoutMs, 0, 12 * 60 * 60_000);
  if (visibilityTimeoutMs < functionTimeoutMs) {
    throw new Error(
      `visibilityTimeoutMs (${visibilityTimeoutMs}) must be at least functionTimeoutMs (${functionTimeoutMs}), as Lambda requires of an SQS event source`,
    );
  }
  const maxReceiveCount = integerIn('maxReceiveCount', options.maxReceiveCount ?? 5, 1, 1000);
  const pollIntervalMs = integerIn('pollIntervalMs', options.pollIntervalMs ?? 1000, 1, 60 * 60_000);
  const maxConcurrency = integerIn('maxConcurrency', options.maxConcurrency ?? 5, 1, 1000);
  const msPerDelaySecond = integerIn('msPerDelaySecond', options.msPerDelaySecond ?? 1000, 1, 1000);
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  const region = options.region ?? LOCAL_AWS.region;
  const accountId = options.accountId ?? LOCAL_AWS.accountId;
  const arn = localQueueArn(name, region, accountId);

  const counters = { sent: 0, duplicatesDropped: 0, invocations: 0, received: 0, deleted: 0, failed: 0, failedInvocations: 0, deadLettered: 0 };
  const store = createMessageStore({ name, fifo, batchSize, maxReceiveCount, msPerDelaySecond, now, log, counters });
  const source = createEventSource({
    queue: { name, arn, region, accountId },
    functionName: options.functionName ?? localFunctionName('queue'),
    handler: options.handler,
    store,
    functionTimeoutMs,
    visibilityTimeoutMs,
    pollIntervalMs,
    maxConcurrency,
    now,
    timers: options.timers ?? globalTimers,
    log,
    counters,
  });

  return {
    name,
    arn,
    fifo,
    send(body, sendOptions) {
      const { messageId, visibleAt } = store.send(body, sendOptions);
      source.wake(visibleAt);
      return messageId;
    },
    start: source.start,
    stop: source.stop,
    drain: (timeoutMs = 30_000) => source.drain(timeoutMs),
    pending: () => store.views().filter((message) => message.state !== 'in_flight'),
    inFlight: () => store.views().filter((message) => message.state === 'in_flight'),
    deadLetters: store.deadLetters,
    deliveries: counters,
  };
}

/** The queue as a function's host hands it over: JSON bodies, with their delay. */
export function queueSender(queue: Pick<LocalQueue, 'send'>): QueueSender {
  return {
    async send(body, options = {}) {
      queue.send(body, options.delaySeconds === undefined ? {} : { delaySeconds: options.delaySeconds });
    },
  };
}

function integerIn(option: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${option} must be a whole number from ${min} to ${max}, not ${value}`);
  return value;
}
