// The tracking message: an accepted job is followed without a Lambda waiting in a loop. The message
// goes to the queue with a delay; each delivery checks the job once (check.ts), then the final
// callback goes out or the next delayed message does (flow.ts). It travels sealed (seal.ts), and
// carries its expiry: a copy delivered (or replayed) after it is dropped, whatever it says.
import * as v from 'valibot';
import { asCallbackUrl, CALLBACK_URL_MAX_LENGTH } from '../callback/index.ts';
import { KAFKA_REGIONS } from '../huawei/index.ts';
import { UUID, type EnableRequest } from '../request/index.ts';
import { TRIGGERS, type JobResult } from '../result/index.ts';
import { isJsonObject } from '../runtime/index.ts';

export const TRACKING_TYPE = 'smart_connect.tracking';

// Huawei's ids are short.
const MAX_ID_LENGTH = 256;
// Checks back off to 5 min; a week (the longest JOB_TIMEOUT_MINUTES) is about 2,000 of them.
const MAX_CHECKS = 100_000;

const count = (max: number) => v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(max));

// The request's CallbackUrl, checked when the job was started. A message is read only once its seal
// has been verified, so the seal vouches for it, not a second check: here it is only bounded.
const sealedCallbackUrl = v.pipe(v.string(), v.maxLength(CALLBACK_URL_MAX_LENGTH), asCallbackUrl);
// One of Huawei's ids: 1 to MAX_ID_LENGTH characters.
const huaweiId = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ID_LENGTH));

export const trackingMessageSchema = v.strictObject({
  type: v.picklist([TRACKING_TYPE]),
  project_id: v.pipe(v.string(), v.regex(/^[0-9a-f]{32}$/)),
  instance_id: v.pipe(v.string(), v.regex(UUID)),
  region: v.picklist(KAFKA_REGIONS),
  job_id: v.optional(huaweiId),
  connector_id: v.optional(huaweiId),
  callback_url: v.optional(sealedCallbackUrl),
  source: v.picklist(TRIGGERS),
  /** When the job was accepted (epoch ms): the job's age decides the timeout. */
  started_at: count(Number.MAX_SAFE_INTEGER),
  /** Status checks made so far: the next delay backs off with it. */
  checks: count(MAX_CHECKS),
  /** After this (epoch ms) the message is dropped unread: started_at, the job's timeout, and a margin. */
  expires_at: count(Number.MAX_SAFE_INTEGER),
});

export type TrackingMessage = v.InferOutput<typeof trackingMessageSchema>;

const FIRST_DELAY_SECONDS = 10;
const MAX_DELAY_SECONDS = 300;

/** 10 s, 20 s, 40 s, ... up to 5 min (SQS allows at most 15). */
export function trackingDelaySeconds(checks: number): number {
  return Math.min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2 ** Math.max(0, checks));
}

export function isTrackingMessage(input: unknown): boolean {
  return isJsonObject(input) && input.type === TRACKING_TYPE;
}

/**
 * How long a message outlives its job's timeout. A job unfinished at its timeout is ended by the
 * next check (at most 5 minutes later), and a final callback the receiver did not take makes the
 * message come back (the enable queue: every 12 minutes, 5 receives): an hour covers both, and a
 * genuine message older than that is a replay or a backlog no callback should come from.
 */
export const EXPIRY_MARGIN_MS = 60 * 60_000;

export interface TrackingStart {
  /** When the job was accepted (or found running), epoch ms. */
  readonly now: number;
  /** JOB_TIMEOUT_MINUTES: the message expires this long (and EXPIRY_MARGIN_MS) after `now`. */
  readonly jobTimeoutMs: number;
}

/** The first tracking message for a job just accepted (or found being enabled). */
export function trackingMessageFor(request: EnableRequest, result: JobResult, { now, jobTimeoutMs }: TrackingStart): TrackingMessage {
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
    expires_at: now + jobTimeoutMs + EXPIRY_MARGIN_MS,
  };
}
