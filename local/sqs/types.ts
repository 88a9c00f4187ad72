// The local queue's shapes: its options, what send takes, what it shows of its messages, and the
// message as the store keeps it (shared by the store, the records and the delivery loop).
import type { Context, SQSBatchResponse, SQSEvent, SQSMessageAttributes } from 'aws-lambda';
import type { HostTimers } from '../hosting/index.ts';

export type LocalQueueHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

/** Timer functions, injectable with a clock (vitest's fake timers work through the defaults too). */
export type LocalQueueTimers = HostTimers;

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
  /**
   * How long one second of DelaySeconds lasts here, 1..1000 ms (default 1000): tests shorten the
   * tracking delays (10 s, 20 s, ...) with it and keep their order. Other timeouts are not scaled.
   */
  msPerDelaySecond?: number;
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

/** A message as the store keeps it (internal: what the local queue shows is LocalQueueMessage). */
export interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly messageAttributes: DeadLetter['messageAttributes'];
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
