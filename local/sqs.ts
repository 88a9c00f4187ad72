// An in-process SQS queue that drives a Lambda-style handler the way Lambda's SQS event source
// mapping does: receive a batch, invoke, delete what succeeded, let the rest come back after the
// visibility timeout, park what keeps failing in a dead-letter list (the redrive policy). Used by the
// local stack (enable requests and delayed tracking messages) and by tests. Dev tooling only; never
// bundled into a function.
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
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Context, SQSBatchResponse, SQSEvent, SQSMessageAttribute, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { LOCAL_AWS, lambdaContext } from './lambda-context.ts';

export type LocalQueueHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

/** Timer functions, injectable with a clock (vitest's fake timers work through the defaults too). */
export interface LocalQueueTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface LocalQueueOptions {
  /** The queue's name (FIFO queues end in .fifo); it names the eventSourceARN and the function. */
  name: string;
  handler: LocalQueueHandler;
  /** Records per invocation, 1..10 (default 10). */
  batchSize?: number;
  /** How long the function may run (default 120000, the queue function's timeout in serverless.yml). */
  functionTimeoutMs?: number;
  /** Default 6 x functionTimeoutMs (AWS's advice, as serverless.yml); at least functionTimeoutMs. */
  visibilityTimeoutMs?: number;
  /** Receives before a failing message moves to the dead-letter list (default 5). */
  maxReceiveCount?: number;
  /**
   * Longest sleep between receives while messages wait (delayed or invisible); default 1000. The
   * queue also wakes when a message is sent, when an invocation ends and when the next message is
   * due, so this matters only with a clock that does not move with the timers.
   */
  pollIntervalMs?: number;
  /** Concurrent invocations, as the event source mapping's MaximumConcurrency (default 5). */
  maxConcurrency?: number;
  fifo?: boolean;
  /** Default 'smart-connect-enabler-local-queue'. */
  functionName?: string;
  /** Default LOCAL_AWS.region / LOCAL_AWS.accountId. */
  region?: string;
  accountId?: string;
  /** Clock (default Date.now) and timers (default the global ones). */
  now?: () => number;
  timers?: LocalQueueTimers;
  /** One line for notable events: a batch failed as a whole, a message was dead-lettered. */
  log?: (line: string) => void;
}

/** A message attribute as SendMessage takes it. */
export interface LocalMessageAttribute {
  dataType: 'String' | 'Number' | 'Binary' | `${'String' | 'Number' | 'Binary'}.${string}`;
  stringValue?: string;
  /** Base64, as Lambda hands binary attributes over. */
  binaryValue?: string;
}

export interface SendOptions {
  /** 0..900, as SQS; standard queues only. */
  delaySeconds?: number;
  /** Required on FIFO queues. */
  messageGroupId?: string;
  /** FIFO: default the SHA-256 of the body (content-based deduplication). */
  messageDeduplicationId?: string;
  messageAttributes?: Record<string, LocalMessageAttribute>;
}

export type LocalMessageState = 'delayed' | 'visible' | 'in_flight';

export interface LocalQueueMessage {
  readonly messageId: string;
  readonly body: string;
  readonly state: LocalMessageState;
  /** Times received so far. */
  readonly receiveCount: number;
  readonly sentAt: number;
  /** When it becomes visible (delayed, in flight) or became visible. */
  readonly visibleAt: number;
  /** A handler invocation has it right now. */
  readonly invoking: boolean;
  readonly messageGroupId?: string;
  /** Why its last delivery failed. */
  readonly lastError?: string;
}

export interface DeadLetter {
  readonly messageId: string;
  readonly body: string;
  /** Receives before it was parked (its last ApproximateReceiveCount). */
  readonly receiveCount: number;
  readonly sentAt: number;
  readonly deadLetteredAt: number;
  readonly messageGroupId?: string;
  readonly messageAttributes: SQSMessageAttributes;
  readonly lastError?: string;
}

/** Running totals; `received` counts every delivery of a record, redeliveries included. */
export interface LocalQueueDeliveries {
  readonly sent: number;
  readonly duplicatesDropped: number;
  readonly invocations: number;
  readonly received: number;
  /** Records the handler processed: deleted from the queue. */
  readonly deleted: number;
  /** Record deliveries that failed: they come back after the visibility timeout. */
  readonly failed: number;
  /** Invocations that threw, timed out or answered an invalid batch response. */
  readonly failedInvocations: number;
  readonly deadLettered: number;
}

export interface LocalQueue {
  readonly name: string;
  readonly arn: string;
  readonly fifo: boolean;
  /** Enqueues a message and returns its MessageId (for a FIFO duplicate, the original's). */
  send(body: string, options?: SendOptions): string;
  /** Starts delivering to the handler (idempotent). */
  start(): void;
  /** Stops delivering; resolves when the invocations under way have ended. Messages stay queued. */
  stop(): Promise<void>;
  /** Resolves when nothing is pending, delayed or in flight; rejects after timeoutMs (default 30000). */
  drain(timeoutMs?: number): Promise<void>;
  /** Messages waiting to be received: visible, or delayed and never received yet. */
  pending(): LocalQueueMessage[];
  /** Messages received and not yet deleted: with a handler now, or failed and invisible until their timeout ends. */
  inFlight(): LocalQueueMessage[];
  deadLetters(): DeadLetter[];
  readonly deliveries: LocalQueueDeliveries;
}

// SQS limits.
const MAX_DELAY_SECONDS = 900;
const MAX_BATCH_SIZE = 10;
// SQS raised its payload limit from 256 KiB to 1 MiB in 2025; Lambda's event source takes it too.
const MAX_BODY_BYTES = 1_048_576;
const MAX_ATTRIBUTES = 10;
const DEDUPLICATION_WINDOW_MS = 5 * 60_000;
// Characters SQS accepts in a body (XML 1.0's).
const INVALID_BODY_CHAR = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const SENDER_ID = 'AIDALOCALQUEUESENDER';

interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly messageAttributes: SQSMessageAttributes;
  readonly md5OfMessageAttributes: string | undefined;
  readonly sentAt: number;
  readonly groupId: string | undefined;
  readonly deduplicationId: string | undefined;
  readonly sequenceNumber: string | undefined;
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt: number | undefined;
  receiptHandle: string | undefined;
  invoking: boolean;
  lastError: string | undefined;
}

const defaultTimers: LocalQueueTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

class InvocationTimeout extends Error {
  override readonly name = 'InvocationTimeout';
}

export function createLocalQueue(options: LocalQueueOptions): LocalQueue {
  const fifo = options.fifo ?? false;
  const name = options.name;
  const baseName = fifo ? name.replace(/\.fifo$/, '') : name;
  if (fifo && !name.endsWith('.fifo')) throw new Error(`a FIFO queue's name ends in .fifo: ${name}`);
  if (!QUEUE_NAME.test(baseName) || (!fifo && name.endsWith('.fifo'))) {
    throw new Error(`invalid queue name ${JSON.stringify(name)}: 1 to 80 letters, digits, - and _ (FIFO queues end in .fifo, and only they)`);
  }
  const batchSize = integerIn('batchSize', options.batchSize ?? MAX_BATCH_SIZE, 1, MAX_BATCH_SIZE);
  const functionTimeoutMs = integerIn('functionTimeoutMs', options.functionTimeoutMs ?? 120_000, 1, 15 * 60_000);
  const visibilityTimeoutMs = integerIn('visibilityTimeoutMs', options.visibilityTimeoutMs ?? 6 * functionTimeoutMs, 0, 12 * 60 * 60_000);
  if (visibilityTimeoutMs < functionTimeoutMs) {
    throw new Error(`visibilityTimeoutMs (${visibilityTimeoutMs}) must be at least functionTimeoutMs (${functionTimeoutMs}), as Lambda requires of an SQS event source`);
  }
  const maxReceiveCount = integerIn('maxReceiveCount', options.maxReceiveCount ?? 5, 1, 1000);
  const pollIntervalMs = integerIn('pollIntervalMs', options.pollIntervalMs ?? 1000, 1, 60 * 60_000);
  const maxConcurrency = integerIn('maxConcurrency', options.maxConcurrency ?? 5, 1, 1000);
  const now = options.now ?? Date.now;
  const timers = options.timers ?? defaultTimers;
  const log = options.log ?? (() => {});
  const region = options.region ?? LOCAL_AWS.region;
  const accountId = options.accountId ?? LOCAL_AWS.accountId;
  const arn = `arn:aws:sqs:${region}:${accountId}:${name}`;
  const functionName = options.functionName ?? 'smart-connect-enabler-local-queue';

  // Insertion order is send order: the order messages are received in (FIFO: strictly).
  const messages = new Map<string, StoredMessage>();
  const dead: DeadLetter[] = [];
  const deduplication = new Map<string, { messageId: string; at: number }>();
  const counters = { sent: 0, duplicatesDropped: 0, invocations: 0, received: 0, deleted: 0, failed: 0, failedInvocations: 0, deadLettered: 0 };
  const running = new Set<Promise<void>>();
  const drainWaiters = new Set<() => void>();
  let sequence = 0n;
  let started = false;
  let timer: unknown;
  let timerAt = Number.POSITIVE_INFINITY;

  function send(body: string, sendOptions: SendOptions = {}): string {
    if (typeof body !== 'string' || body.length === 0) throw new Error('a message body is a non-empty string');
    if (Buffer.byteLength(body) > MAX_BODY_BYTES) throw new Error(`a message body is at most ${MAX_BODY_BYTES} bytes`);
    if (INVALID_BODY_CHAR.test(body)) throw new Error('the message body contains characters SQS does not accept');
    const delaySeconds = sendOptions.delaySeconds ?? 0;
    if (!Number.isInteger(delaySeconds) || delaySeconds < 0 || delaySeconds > MAX_DELAY_SECONDS) {
      throw new RangeError(`delaySeconds must be a whole number from 0 to ${MAX_DELAY_SECONDS}, not ${delaySeconds}`);
    }
    if (fifo && delaySeconds > 0) throw new Error('FIFO queues do not support per-message delays (DelaySeconds)');
    const groupId = sendOptions.messageGroupId;
    if (fifo && !groupId) throw new Error('a message sent to a FIFO queue needs a messageGroupId');
    const attributes = messageAttributes(sendOptions.messageAttributes ?? {});
    const at = now();

    let deduplicationId: string | undefined;
    if (fifo) {
      deduplicationId = sendOptions.messageDeduplicationId ?? createHash('sha256').update(body).digest('hex');
      for (const [key, entry] of deduplication) if (at - entry.at >= DEDUPLICATION_WINDOW_MS) deduplication.delete(key);
      const earlier = deduplication.get(deduplicationId);
      if (earlier) {
        counters.duplicatesDropped += 1;
        return earlier.messageId;
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
      visibleAt: at + delaySeconds * 1000,
      receiveCount: 0,
      firstReceivedAt: undefined,
      receiptHandle: undefined,
      invoking: false,
      lastError: undefined,
    });
    counters.sent += 1;
    // A timer rather than now: messages sent in one go share a batch, as they would on SQS.
    wake(at + delaySeconds * 1000);
    return messageId;
  }

  function wake(at: number): void {
    if (!started) return;
    if (timer !== undefined && timerAt <= at) return;
    if (timer !== undefined) timers.clearTimeout(timer);
    timerAt = at;
    timer = timers.setTimeout(() => {
      timer = undefined;
      timerAt = Number.POSITIVE_INFINITY;
      pump();
    }, Math.max(0, at - now()));
  }

  function isInFlight(message: StoredMessage, at: number): boolean {
    return message.invoking || (message.receiveCount > 0 && message.visibleAt > at);
  }

  /** Receives the next batch; moves messages past maxReceiveCount to the dead-letter list on the way. */
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

  function pump(): void {
    if (!started) return;
    const at = now();
    while (running.size < maxConcurrency) {
      const batch = receive(at);
      if (!batch.length) break;
      const invocation = invoke(batch, at).finally(() => {
        running.delete(invocation);
        settleDrains();
        wake(now());
      });
      running.add(invocation);
    }
    // Sleep until the next message is due (a delay or a visibility timeout ending).
    let next = Number.POSITIVE_INFINITY;
    for (const message of messages.values()) if (!message.invoking && message.visibleAt > at) next = Math.min(next, message.visibleAt);
    if (next !== Number.POSITIVE_INFINITY) wake(Math.min(next, at + pollIntervalMs));
    settleDrains();
  }

  async function invoke(batch: StoredMessage[], at: number): Promise<void> {
    const handles = new Map<string, string>();
    for (const message of batch) {
      message.receiveCount += 1;
      message.firstReceivedAt ??= at;
      message.receiptHandle = `AQEB${randomBytes(96).toString('base64')}`;
      message.visibleAt = at + visibilityTimeoutMs;
      message.invoking = true;
      handles.set(message.messageId, message.receiptHandle);
    }
    counters.invocations += 1;
    counters.received += batch.length;
    const event: SQSEvent = { Records: batch.map(toRecord) };
    const context = lambdaContext({ functionName, timeoutMs: functionTimeoutMs, region, accountId, now });

    let failed: Set<string>;
    let reason: string;
    try {
      const answer = await withTimeout(Promise.resolve().then(() => options.handler(event, context)));
      const verdict = failuresIn(answer, batch);
      failed = verdict.failed;
      reason = verdict.reason;
      if (verdict.invalid) {
        counters.failedInvocations += 1;
        log(`queue ${name}: invalid batch response, all ${batch.length} records come back: ${verdict.reason}`);
      }
    } catch (error) {
      failed = new Set(batch.map((message) => message.messageId));
      reason = error instanceof InvocationTimeout ? error.message : `handler threw: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
      counters.failedInvocations += 1;
      log(`queue ${name}: invocation failed, all ${batch.length} records come back: ${reason}`);
    }
    for (const message of batch) {
      message.invoking = false;
      if (failed.has(message.messageId)) {
        // Left alone: visible again when its visibility timeout ends.
        message.lastError = reason;
        counters.failed += 1;
      } else if (messages.get(message.messageId)?.receiptHandle === handles.get(message.messageId)) {
        messages.delete(message.messageId);
        counters.deleted += 1;
      }
    }
  }

  function withTimeout<T>(work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const handle = timers.setTimeout(
        () => reject(new InvocationTimeout(`Task timed out after ${(functionTimeoutMs / 1000).toFixed(2)} seconds`)),
        functionTimeoutMs,
      );
      work.then(
        (value) => {
          timers.clearTimeout(handle);
          resolve(value);
        },
        (error: unknown) => {
          timers.clearTimeout(handle);
          reject(error);
        },
      );
    });
  }

  function toRecord(message: StoredMessage): SQSRecord {
    return {
      messageId: message.messageId,
      receiptHandle: message.receiptHandle ?? '',
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt),
        SenderId: SENDER_ID,
        ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
        ...(message.sequenceNumber ? { SequenceNumber: message.sequenceNumber } : {}),
        ...(message.groupId ? { MessageGroupId: message.groupId } : {}),
        ...(message.deduplicationId ? { MessageDeduplicationId: message.deduplicationId } : {}),
      },
      messageAttributes: message.messageAttributes,
      md5OfBody: message.md5OfBody,
      ...(message.md5OfMessageAttributes ? { md5OfMessageAttributes: message.md5OfMessageAttributes } : {}),
      eventSource: 'aws:sqs',
      eventSourceARN: arn,
      awsRegion: region,
    };
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

  function settleDrains(): void {
    if (messages.size > 0 || running.size > 0) return;
    for (const resolve of drainWaiters) resolve();
    drainWaiters.clear();
  }

  function describe(): string {
    const at = now();
    const views = [...messages.values()].map((message) => view(message, at));
    const count = (state: LocalMessageState) => views.filter((v) => v.state === state).length;
    return `${count('visible')} visible, ${count('delayed')} delayed, ${count('in_flight')} in flight, ${dead.length} dead letters${started ? '' : ' (the queue is stopped)'}`;
  }

  return {
    name,
    arn,
    fifo,
    send,
    start() {
      if (started) return;
      started = true;
      wake(now());
    },
    async stop() {
      started = false;
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
      timerAt = Number.POSITIVE_INFINITY;
      await Promise.allSettled([...running]);
    },
    drain(timeoutMs = 30_000) {
      if (messages.size === 0 && running.size === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const done = () => {
          timers.clearTimeout(handle);
          resolve();
        };
        const handle = timers.setTimeout(() => {
          drainWaiters.delete(done);
          reject(new Error(`queue ${name} did not drain within ${timeoutMs} ms: ${describe()}`));
        }, timeoutMs);
        drainWaiters.add(done);
      });
    },
    pending() {
      const at = now();
      return [...messages.values()].map((message) => view(message, at)).filter((message) => message.state !== 'in_flight');
    },
    inFlight() {
      const at = now();
      return [...messages.values()].map((message) => view(message, at)).filter((message) => message.state === 'in_flight');
    },
    deadLetters() {
      return [...dead];
    },
    deliveries: counters,
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

function integerIn(option: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${option} must be a whole number from ${min} to ${max}, not ${value}`);
  return value;
}

function messageAttributes(input: Record<string, LocalMessageAttribute>): SQSMessageAttributes {
  const entries = Object.entries(input);
  if (entries.length > MAX_ATTRIBUTES) throw new Error(`a message has at most ${MAX_ATTRIBUTES} attributes`);
  const out: SQSMessageAttributes = {};
  for (const [key, attribute] of entries) {
    const binary = attribute.dataType.startsWith('Binary');
    if (!/^(String|Number|Binary)(\..+)?$/.test(attribute.dataType)) throw new Error(`message attribute ${key}: unknown dataType ${attribute.dataType}`);
    if (binary ? attribute.binaryValue === undefined : attribute.stringValue === undefined) {
      throw new Error(`message attribute ${key}: ${binary ? 'binaryValue' : 'stringValue'} is required for ${attribute.dataType}`);
    }
    const value: SQSMessageAttribute = {
      ...(binary ? { binaryValue: attribute.binaryValue } : { stringValue: attribute.stringValue }),
      stringListValues: [],
      binaryListValues: [],
      dataType: attribute.dataType,
    };
    out[key] = value;
  }
  return out;
}

/** MD5OfMessageAttributes as SQS computes it: names sorted, each field length-prefixed. */
function md5OfAttributes(attributes: SQSMessageAttributes): string {
  const hash = createHash('md5');
  const field = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length);
    hash.update(bytes);
  };
  for (const key of Object.keys(attributes).sort()) {
    const attribute = attributes[key];
    if (!attribute) continue;
    const binary = attribute.dataType.startsWith('Binary');
    field(Buffer.from(key, 'utf8'));
    field(Buffer.from(attribute.dataType, 'utf8'));
    hash.update(Buffer.from([binary ? 2 : 1]));
    field(binary ? Buffer.from(attribute.binaryValue ?? '', 'base64') : Buffer.from(attribute.stringValue ?? '', 'utf8'));
  }
  return hash.digest('hex');
}
