// The reconcile callback: a fleet run's summary as a Standard Webhooks payload (delivered by the
// callback room like every other result).
import type { FleetSummary } from './summary.ts';

export const RECONCILE_CALLBACK_TYPE = 'smart_connect.reconcile.completed';

export interface ReconcileCallbackPayload {
  readonly type: typeof RECONCILE_CALLBACK_TYPE;
  readonly timestamp: string;
  readonly data: FleetSummary;
}

export function reconcileCallbackPayload(summary: FleetSummary, now: Date): ReconcileCallbackPayload {
  return { type: RECONCILE_CALLBACK_TYPE, timestamp: now.toISOString(), data: summary };
}
