// Where tracking messages go: the core hands them to a TrackingQueue, which seals each one and gives
// it to a TrackingTransport (SQS in AWS, an in-process queue locally and in tests).
import type { SealedTrackingMessage } from './seal.ts';
import type { TrackingMessage } from './message.ts';

/** Where the core sends a tracking message; the message is sealed on its way (seal.ts). */
export interface TrackingQueue {
  send(message: TrackingMessage, delaySeconds: number): Promise<void>;
}

/** What carries sealed messages. */
export interface TrackingTransport {
  send(message: SealedTrackingMessage, delaySeconds: number): Promise<void>;
}

/**
 * The seam through which a process that hosts the bundled functions (the local stack, tests) hands
 * them an in-process TrackingTransport; in AWS, TRACKING_QUEUE_URL selects SQS instead.
 */
export const TRACKING_QUEUE_SLOT = Symbol.for('smart-connect-enabler.tracking-queue');

export function hostedTrackingTransport(): TrackingTransport | undefined {
  const value: unknown = (globalThis as Record<symbol, unknown>)[TRACKING_QUEUE_SLOT];
  return value && typeof (value as TrackingTransport).send === 'function' ? (value as TrackingTransport) : undefined;
}
