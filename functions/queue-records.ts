// What a queue record holds and what its outcome means for SQS: pure functions, kept apart from the
// handler's cold start so they can be tested alone.
import type { ItemVerdict } from '../shared/batch.ts';
import type { ReportOutcome } from '../shared/enable-and-report.ts';
import type { FollowOutcome } from '../shared/follow-and-report.ts';
import { isConfigurationError } from '../shared/huawei/errors.ts';

export type Unwrapped = { readonly ok: true; readonly input: unknown } | { readonly ok: false; readonly message: string };

/** The request inside a record body: as sent, or inside an SNS notification or EventBridge event. */
export function unwrapBody(body: string): Unwrapped {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, message: 'is not valid JSON' };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: true, input: json };
  const envelope = json as Record<string, unknown>;
  if (envelope.Type === 'Notification' && typeof envelope.Message === 'string' && 'TopicArn' in envelope) {
    return unwrapBody(envelope.Message);
  }
  if ('detail' in envelope && 'detail-type' in envelope && 'source' in envelope) {
    return { ok: true, input: envelope.detail };
  }
  return { ok: true, input: json };
}

/** Whether a record must come back (or, after maxReceiveCount, go to the dead-letter queue). */
export function verdictFor(outcome: ReportOutcome): ItemVerdict {
  const { result, callback } = outcome;
  // Parked: it comes back until the dead-letter queue takes it, from where it is redriven once the
  // deployment is fixed (no callback was sent: the sender did nothing wrong).
  if (isConfigurationError(result.error?.code)) return 'failed';
  if (callback && !callback.delivered) return 'failed';
  // The job runs but nobody follows it: come back, find it being enabled, and follow it then.
  if (outcome.kind === 'done' && outcome.tracking === 'failed') return 'failed';
  if (result.status === 'failed' && result.retryable) return 'failed';
  // A rejection or a final failure that reached nobody must not vanish.
  if ((result.status === 'rejected' || result.status === 'failed') && !callback) return 'failed';
  return 'done';
}


/**
 * A tracking record comes back when its final callback or its next check could not be sent, or when
 * this deployment cannot check (parked for the dead-letter queue, as an enable record is).
 */
export function followVerdict(outcome: FollowOutcome): ItemVerdict {
  if (outcome.kind === 'misconfigured') return 'failed';
  if (outcome.kind === 'final') return outcome.callback && !outcome.callback.delivered ? 'failed' : 'done';
  return outcome.next === 'sent' ? 'done' : 'failed';
}
