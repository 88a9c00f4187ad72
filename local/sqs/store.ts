// The local queue's messages: what SendMessage accepts (size, characters, delays, FIFO groups and
// deduplication), which messages a receive returns, and the dead-letter list that redrive fills.
import { createHash, randomUUID } from 'node:crypto';
import { md5OfAttributes, messageAttributes } from './record.ts';
import type { DeadLetter, LocalMessageState, LocalQueueMessage, SendOptions, StoredMessage } from './types.ts';

// SQS limits.
const MAX_DELAY_SECONDS = 900;
// SQS raised its payload limit from 256 KiB to 1 MiB in 2025; Lambda's event source takes it too.
const MAX_BODY_BYTES = 1_048_576;
const DEDUPLICATION_WINDOW_MS = 5 * 60_000;
// Characters SQS accepts in a body (XML 1.0's).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters XML 1.0 allows are the point
const INVALID_BODY_CHAR = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Counts the store keeps of the queue's running totals. */
export interface StoreCounters {
  sent: number;
  duplicatesDropped: number;
  deadLettered: number;
}

export interface MessageStoreOptions {
  name: string;
  fifo: boolean;
  batchSize: number;
  maxReceiveCount: number;
  msPerDelaySecond: number;
  now: () => number;
  log: (line: string) => void;
  counters: StoreCounters;
}

export type MessageStore = ReturnType<typeof createMessageStore>;

export function createMessageStore({ name, fifo, batchSize, maxReceiveCount, msPerDelaySecond, now, log, counters }: MessageStoreOptions) {
  // Insertion order is send order: the order messages are received in (FIFO: strictly).
  const messages = new Map<string, StoredMessage>();
  const dead: DeadLetter[] = [];
  const deduplication = new Map<string, { messageId: string; at: number }>();
  let sequence = 0n;

  /** Stores a message; its id (for a FIFO duplicate, the original's) and when it becomes visible. */
  function send(body: string, options: SendOptions = {}): { messageId: string; visibleAt: number } {
    if (typeof body !== 'string' || body.length === 0) throw new Error('a message body is a non-empty string');
    if (Buffer.byteLength(body) > MAX_BODY_BYTES) throw new Error(`a message body is at most ${MAX_BODY_BYTES} bytes`);
    if (INVALID_BODY_CHAR.test(body)) throw new Error('the message body contains characters SQS does not accept');
    const delaySeconds = options.delaySeconds ?? 0;
    if (!Number.isInteger(delaySeconds) || delaySeconds < 0 || delaySeconds > MAX_DELAY_SECONDS) {
      throw new RangeError(`delaySeconds must be a whole number from 0 to ${MAX_DELAY_SECONDS}, not ${delaySeconds}`);
    }
    if (fifo && delaySeconds > 0) throw new Error('FIFO queues do not support per-message delays (DelaySeconds)');
    const groupId = options.messageGroupId;
    if (fifo && !groupId) throw new Error('a message sent to a FIFO queue needs a messageGroupId');
    const attributes = messageAttributes(options.messageAttributes ?? {});
    const at = now();
    const visibleAt = at + delaySeconds * msPerDelaySecond;

    let deduplicationId: string | undefined;
    if (fifo) {
      deduplicationId = options.messageDeduplicationId ?? createHash('sha256').update(body).digest('hex');
      for (const [key, entry] of deduplication) if (at - entry.at >= DEDUPLICATION_WINDOW_MS) deduplication.delete(key);
      const earlier = deduplication.get(deduplicationId);
      if (earlier) {
        counters.duplicatesDropped += 1;
        return { messageId: earlier.messageId, visibleAt };
      }
    }
    const messageId = randomUUID();
    if (deduplicationId) deduplication.set(deduplicationId, { messageId, at });
    sequence += 1n;
    messages.set(messageId, {
      messageId,
      body,
      md5OfBody: createHash('md5').update(body).digest('hex'),
      messageAttributes: attributes,
      md5OfMessageAttributes: Object.keys(attributes).length ? md5OfAttributes(attributes) : undefined,
      sentAt: at,
      groupId,
      deduplicationId,
      sequenceNumber: fifo ? String(18_000_000_000_000_000_000n + sequence) : undefined,
      visibleAt,
      receiveCount: 0,
      firstReceivedAt: undefined,
      receiptHandle: undefined,
      invoking: false,
      lastError: undefined,
    });
    counters.sent += 1;
    return { messageId, visibleAt };
  }

  function isInFlight(message: StoredMessage, at: number): boolean {
    return message.invoking || (message.receiveCount > 0 && message.visibleAt > at);
  }

  /** The next batch; moves messages past maxReceiveCount to the dead-letter list on the way. */
  function receive(at: number): StoredMessage[] {
    if (fifo) return receiveFifo(at);
    const batch: StoredMessage[] = [];
    for (const message of messages.values()) {
      if (batch.length >= batchSize) break;
      if (message.invoking || message.visibleAt > at) continue;
      if (message.receiveCount >= maxReceiveCount) {
        deadLetter(message, at);
        continue;
      }
      batch.push(message);
    }
    return batch;
  }

  // FIFO: groups with a message in flight are skipped; as SQS does, a receive returns as many
  // messages of one group as it can (in order) before taking from the next group.
  function receiveFifo(at: number): StoredMessage[] {
    const blocked = new Set<string>();
    for (const message of messages.values()) if (isInFlight(message, at)) blocked.add(message.groupId ?? '');
    const byGroup = new Map<string, StoredMessage[]>();
    for (const message of messages.values()) {
      const group = message.groupId ?? '';
      if (blocked.has(group)) continue;
      if (message.receiveCount >= maxReceiveCount) {
        deadLetter(message, at);
        continue;
      }
      const list = byGroup.get(group) ?? [];
      list.push(message);
      byGroup.set(group, list);
    }
    return [...byGroup.values()].flat().slice(0, batchSize);
  }

  function deadLetter(message: StoredMessage, at: number): void {
    messages.delete(message.messageId);
    dead.push({
      messageId: message.messageId,
      body: message.body,
      receiveCount: message.receiveCount,
      sentAt: message.sentAt,
      deadLetteredAt: at,
      ...(message.groupId ? { messageGroupId: message.groupId } : {}),
      messageAttributes: message.messageAttributes,
      ...(message.lastError ? { lastError: message.lastError } : {}),
    });
    counters.deadLettered += 1;
    log(`queue ${name}: message ${message.messageId} moved to the dead-letter list after ${message.receiveCount} receives (${message.lastError ?? 'failed'})`);
  }

  /** Deletes a processed message, unless it was received again since (its receipt handle changed). */
  function remove(message: StoredMessage, receiptHandle: string): boolean {
    if (messages.get(message.messageId)?.receiptHandle !== receiptHandle) return false;
    return messages.delete(message.messageId);
  }

  /** When the next waiting message becomes visible (a delay or a visibility timeout ending). */
  function nextVisibleAfter(at: number): number {
    let next = Number.POSITIVE_INFINITY;
    for (const message of messages.values()) if (!message.invoking && message.visibleAt > at) next = Math.min(next, message.visibleAt);
    return next;
  }

  function view(message: StoredMessage, at: number): LocalQueueMessage {
    const state: LocalMessageState = isInFlight(message, at) ? 'in_flight' : message.visibleAt > at ? 'delayed' : 'visible';
    return {
      messageId: message.messageId,
      body: message.body,
      state,
      receiveCount: message.receiveCount,
      sentAt: message.sentAt,
      visibleAt: message.visibleAt,
      invoking: message.invoking,
      ...(message.groupId ? { messageGroupId: message.groupId } : {}),
      ...(message.lastError ? { lastError: message.lastError } : {}),
    };
  }

  return {
    send,
    receive,
    remove,
    nextVisibleAfter,
    get size() {
      return messages.size;
    },
    /** Every stored message as seen now. */
    views: (): LocalQueueMessage[] => {
      const at = now();
      return [...messages.values()].map((message) => view(message, at));
    },
    deadLetters: (): DeadLetter[] => [...dead],
  };
}
