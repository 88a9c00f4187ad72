// What a queue record holds and what its outcome means for SQS: pure functions, kept apart from the
// handler's cold start so they can be tested alone.
import type { ItemVerdict } from '../shared/batch/index.ts';
import type { EnableFlowOutcome } from '../shared/enable/index.ts';
import { isMisconfigured } from '../shared/errors/index.ts';
import { isAccountSummary, type FleetFlowOutcome, type TargetOutcome } from '../shared/fleet/index.ts';
import type { TrackingFlowOutcome } from '../shared/tracking/index.ts';
import type { RequestIssue } from '../shared/request/index.ts';
import { isJsonObject } from '../shared/runtime/index.ts';

/** The records of an SQS event, or why there are none to read. */
export type EventRecords = { readonly kind: 'batch'; readonly records: readonly unknown[] } | { readonly kind: 'invalid'; readonly issue: RequestIssue };

export function recordsOf(event: unknown): EventRecords {
  if (!isJsonObject(event)) return { kind: 'invalid', issue: { field: 'event', message: 'must be an object (an SQS event)' } };
  if (!Array.isArray(event.Records)) return { kind: 'invalid', issue: { field: 'Records', message: 'must be a list of SQS records' } };
  return { kind: 'batch', records: event.Records };
}

/** What the handler reads of one SQS record: its id, its FIFO group, its receive count and its body. */
export interface QueueRecord {
  readonly id: string;
  readonly group: string | undefined;
  readonly receiveCount: string | undefined;
  readonly body: string;
}

export type ReadRecord =
  | ({ readonly kind: 'record' } & QueueRecord)
  /** id undefined: nothing SQS could take back, so nothing to list. */
  | { readonly kind: 'malformed'; readonly id: string | undefined; readonly group: string | undefined; readonly issue: RequestIssue };

/**
 * One record of an event, checked field by field: SQS always sends messageId, body and attributes,
 * so a record without them was not delivered by SQS as it is, and must not be guessed at. With its
 * id it can still be listed to come back (and reach the dead-letter queue); its group, when it can
 * be read, keeps FIFO order for the rest of that group.
 */
export function readRecord(value: unknown): ReadRecord {
  if (!isJsonObject(value)) return malformed(undefined, undefined, 'record', 'must be an object (an SQS record)');
  const id = typeof value.messageId === 'string' && value.messageId !== '' ? value.messageId : undefined;
  if (id === undefined) return malformed(undefined, undefined, 'messageId', 'is required: a non-empty string');
  const attributes = value.attributes;
  if (!isJsonObject(attributes)) return malformed(id, undefined, 'attributes', 'is required: an object (ApproximateReceiveCount, MessageGroupId, ...)');
  const group = attributes.MessageGroupId;
  if (group !== undefined && typeof group !== 'string') return malformed(id, undefined, 'attributes.MessageGroupId', 'must be a string');
  if (typeof value.body !== 'string') return malformed(id, group, 'body', 'is required: a string');
  const receiveCount = typeof attributes.ApproximateReceiveCount === 'string' ? attributes.ApproximateReceiveCount : undefined;
  return { kind: 'record', id, group, receiveCount, body: value.body };
}

function malformed(id: string | undefined, group: string | undefined, field: string, message: string): ReadRecord {
  return { kind: 'malformed', id, group, issue: { field, message } };
}

export type Unwrapped = { readonly kind: 'unwrapped'; readonly input: unknown } | { readonly kind: 'invalid'; readonly message: string };

/** The request inside a record body: as sent, or inside an SNS notification or EventBridge event. */
export function unwrapBody(body: string): Unwrapped {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { kind: 'invalid', message: 'is not valid JSON' };
  }
  if (!isJsonObject(json)) return { kind: 'unwrapped', input: json };
  const envelope = json;
  if (envelope.Type === 'Notification' && typeof envelope.Message === 'string' && 'TopicArn' in envelope) {
    return unwrapBody(envelope.Message);
  }
  if ('detail' in envelope && 'detail-type' in envelope && 'source' in envelope) {
    return { kind: 'unwrapped', input: envelope.detail };
  }
  return { kind: 'unwrapped', input: json };
}

/** Whether a record must come back (or, after maxReceiveCount, go to the dead-letter queue). */
export function verdictFor(outcome: EnableFlowOutcome): ItemVerdict {
  const { result, callback } = outcome;
  // A misconfigured deployment parks the record: it comes back until the dead-letter queue takes it,
  // from where it is redriven once the deployment is fixed (no callback was sent: the sender did
  // nothing wrong).
  if (isMisconfigured(result.error?.code)) return 'failed';
  if (callback?.kind === 'undelivered') return 'failed';
  // The job runs but nobody tracks it: come back, find it being enabled, and track it then.
  if (outcome.kind === 'done' && outcome.tracking === 'failed') return 'failed';
  if (result.status === 'failed' && result.retryable) return 'failed';
  // A rejection or a final failure that reached nobody must not vanish.
  if ((result.status === 'rejected' || result.status === 'failed') && !callback) return 'failed';
  return 'done';
}

/** Whether a fleet run's record must come back: as for one instance, and when the run may do better later. */
function fleetVerdict(outcome: FleetFlowOutcome): ItemVerdict {
  if (outcome.kind === 'invalid') return verdictFor(outcome);
  // Parked, as a misconfigured enable record is; a run that failed transiently runs again.
  if (isMisconfigured(outcome.summary.error?.code) || outcome.transient) return 'failed';
  return outcome.callback?.kind === 'undelivered' ? 'failed' : 'done';
}

export function targetVerdict(target: TargetOutcome): ItemVerdict {
  return target.kind === 'fleet' ? fleetVerdict(target.outcome) : verdictFor(target.outcome);
}

/** What a log line says of how a record or target ended. */
export function outcomeFields(target: TargetOutcome): Record<string, unknown> {
  const { outcome } = target;
  if (outcome.kind === 'summarized') {
    const { summary } = outcome;
    const scope = isAccountSummary(summary) ? { scope: summary.scope, projects: summary.projects.length } : { project_id: summary.project_id };
    return { outcome: 'summarized', ...scope, matched: summary.matched, counts: summary.counts, error: summary.error };
  }
  return { outcome: outcome.result.status, project_id: outcome.result.project_id, instance_id: outcome.result.instance_id };
}

/**
 * A tracking record comes back when its final callback or its next check could not be sent, or when
 * this deployment cannot check (parked for the dead-letter queue, as an enable record is).
 */
export function trackingVerdict(outcome: TrackingFlowOutcome): ItemVerdict {
  if (outcome.kind === 'unchecked') return 'failed';
  if (outcome.kind === 'final') return outcome.callback?.kind === 'undelivered' ? 'failed' : 'done';
  return outcome.next === 'sent' ? 'done' : 'failed';
}
