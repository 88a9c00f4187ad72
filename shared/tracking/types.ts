// The tracking room's shapes: where tracking messages go (a TrackingQueue seals each one and gives it
// to a TrackingTransport: SQS in AWS, an in-process queue locally and in tests), and what tracking
// a job needs of the deployment.
import type { ReportOptions } from '../callback/index.ts';
import type { Config } from '../config/index.ts';
import type { KafkaRegion, RegionalDms } from '../huawei/index.ts';
import type { Metrics } from '../metrics/index.ts';
import type { TrackingMessage } from './message.ts';

/** Where a flow sends a tracking message; the message is sealed on its way (seal.ts). */
export interface TrackingQueue {
  send(message: TrackingMessage, delaySeconds: number): Promise<void>;
}

/** A tracking message with its signature: what actually travels on the queue. */
export type SealedTrackingMessage = TrackingMessage & { readonly signature: string };

/** What carries sealed messages. */
export interface TrackingTransport {
  send(message: SealedTrackingMessage, delaySeconds: number): Promise<void>;
}

/** A callback's delivery as one run asks for it; the deployment adds its secrets and allowed hosts. */
export type CallbackRun = Pick<ReportOptions, 'deadline' | 'dedupeKey' | 'logger' | 'resolve'>;

/**
 * What tracking a job needs of the deployment (shared/deployment: built once per process). The
 * enable flow needs all of it too, since it starts tracking what it started.
 */
export interface TrackingDeployment {
  readonly config: Config;
  /** Where the flows count what happens (a function's; none on the command line). */
  readonly metrics: Metrics;
  /** The DMS client bound to a region's endpoint: the same one for every call in that region. */
  dmsIn(region: KafkaRegion): RegionalDms;
  /** Secret values known now (credentials read from Secrets Manager included), for redaction. */
  secrets(): string[];
  /** How a result is reported to a callback here: signed with CALLBACK_SECRET, every secret known now kept out. */
  callbackOptions(run: CallbackRun): ReportOptions;
  /** Where a running job's tracking messages go; undefined: accepted is the last word. */
  readonly tracking: TrackingQueue | undefined;
}
