// The reconcile callback: a fleet run's summary as a Standard Webhooks message (delivered by the
// callback room like every other result), under one id per run.
import { webhookIdOf } from '../callback/index.ts';
import type { SelectorTarget } from './selector.ts';
import type { FleetSummary } from './summary.ts';

export const RECONCILE_CALLBACK_TYPE = 'smart_connect.reconcile.completed';

export interface ReconcileWebhook {
  readonly id: string;
  readonly type: typeof RECONCILE_CALLBACK_TYPE;
  readonly data: FleetSummary;
}

/**
 * The run's summary under a webhook-id that every delivery of the same run repeats (a retried
 * schedule event, a redelivered queue message), so receivers can drop duplicates: the run's key (the
 * event or message id) with the project, region and selection it reconciled.
 */
export function reconcileWebhook(target: SelectorTarget, summary: FleetSummary, runKey: string): ReconcileWebhook {
  const id = webhookIdOf([RECONCILE_CALLBACK_TYPE, target.project_id, target.region, canonicalSelection(target.select), target.dry_run, runKey]);
  return { id, type: RECONCILE_CALLBACK_TYPE, data: summary };
}

// The same conditions written in another order are the same selection.
function canonicalSelection(select: SelectorTarget['select']): unknown[] {
  const tags = Object.entries(select.tags ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return [tags, select.name_prefix ?? null, select.enterprise_project_id ?? null];
}
