// What a queue record holds and what its outcome means for SQS: pure functions, kept apart from the
// handler's cold start so they can be tested alone.
import type { ItemVerdict } from '../shared/batch.ts';
import type { ReportOutcome } from '../shared/enable-and-report.ts';

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
  if (callback && !callback.delivered) return 'failed';
  if (result.status === 'failed' && result.retryable) return 'failed';
  // A rejection or a final failure that reached nobody must not vanish.
  if ((result.status === 'rejected' || result.status === 'failed') && !callback) return 'failed';
  return 'done';
}

