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
