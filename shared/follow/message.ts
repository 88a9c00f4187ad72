// Following an accepted job without a Lambda waiting in a loop: a tracking message goes to the queue
// with a delay; each delivery checks the job once, then sends the final callback or the next
// delayed message. This module is the message and the port; the check is follow-job.ts.
import * as v from 'valibot';
import { KAFKA_REGIONS } from '../huawei/index.ts';
import type { EnableRequest } from '../request/index.ts';
import type { JobResult, Source } from '../result/index.ts';

export const TRACKING_TYPE = 'smart_connect.tracking';

const SOURCES = ['http', 'queue', 'schedule', 'cli'] as const satisfies readonly Source[];

// Bounds: Huawei's ids are short; a URL as long as a request may give (callback_url <= 2048).
const MAX_ID_LENGTH = 256;
const MAX_URL_LENGTH = 2048;
// Checks back off to 5 min; a week (the longest JOB_TIMEOUT_MINUTES) is about 2,000 of them.
const MAX_CHECKS = 100_000;

export const trackingMessageSchema = v.strictObject({
  type: v.literal(TRACKING_TYPE),
  project_id: v.pipe(v.string(), v.regex(/^[0-9a-f]{32}$/)),
  instance_id: v.pipe(v.string(), v.uuid()),
  region: v.picklist(KAFKA_REGIONS),
  job_id: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ID_LENGTH))),
  connector_id: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ID_LENGTH))),
  callback_url: v.optional(v.pipe(v.string(), v.maxLength(MAX_URL_LENGTH), v.url())),
  source: v.picklist(SOURCES),
  /** When the job was accepted (epoch ms): the job's age decides the timeout. */
  started_at: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  /** Status checks made so far: the next delay backs off with it. */
  checks: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_CHECKS)),
});

export type TrackingMessage = v.InferOutput<typeof trackingMessageSchema>;

/** Where the core sends a tracking message; the message is sealed on its way (tracking-seal.ts). */
export interface TrackingQueue {
  send(message: TrackingMessage, delaySeconds: number): Promise<void>;
}

/** A tracking message with its signature: what actually travels on the queue. */
export type SealedTrackingMessage = TrackingMessage & { readonly signature: string };

/** What carries sealed messages: SQS in AWS, an in-process queue locally and in tests. */
export interface TrackingTransport {
  send(message: SealedTrackingMessage, delaySeconds: number): Promise<void>;
}

const FIRST_DELAY_SECONDS = 10;
const MAX_DELAY_SECONDS = 300;

/** 10 s, 20 s, 40 s, ... up to 5 min (SQS allows at most 15). */
export function trackingDelaySeconds(checks: number): number {
  return Math.min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2 ** Math.max(0, checks));
}

export function isTrackingMessage(input: unknown): boolean {
  return typeof input === 'object' && input !== null && (input as { type?: unknown }).type === TRACKING_TYPE;
}

/** The first tracking message for a job just accepted (or found being enabled). */
export function trackingMessageFor(request: EnableRequest, result: JobResult, now: number): TrackingMessage {
  return {
    type: TRACKING_TYPE,
    project_id: result.project_id,
    instance_id: result.instance_id,
    region: request.region,
    ...(result.job_id ? { job_id: result.job_id } : {}),
    ...(result.connector_id ? { connector_id: result.connector_id } : {}),
    ...(request.callback_url ? { callback_url: request.callback_url } : {}),
    source: result.source,
    started_at: now,
    checks: 0,
  };
}
