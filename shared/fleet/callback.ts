// The reconcile callback: a fleet run's summary as a Standard Webhooks message (delivered by the
// callback room like every other result), under one id per run; an account-wide run's summary
// bounded as it leaves (boundedSummary).
import { webhookIdOf } from '../callback/index.ts';
import type { AccountSelector, SelectorTarget } from './selector.ts';
import { isAccountSelector } from './target.ts';
import { boundedSummary, type RunSummary } from './summary.ts';

export const RECONCILE_CALLBACK_TYPE = 'smart_connect.reconcile.completed';

export interface ReconcileWebhook {
  readonly id: string;
  readonly type: typeof RECONCILE_CALLBACK_TYPE;
  readonly data: RunSummary;
}

/**
 * The run's summary under a webhook-id that every delivery of the same run repeats (a retried
 * schedule event, a redelivered queue message), so receivers can drop duplicates: the run's key (the
 * event or message id) with the project, region and selection it ran on (for the account: the
 * regions it was narrowed to).
 */
export function reconcileWebhook(target: SelectorTarget | AccountSelector, summary: RunSummary, runKey: string): ReconcileWebhook {
  const scope = isAccountSelector(target) ? ['account', [...(target.regions ?? [])].sort()] : [target.project_id, target.region];
  const id = webhookIdOf([RECONCILE_CALLBACK_TYPE, ...scope, canonicalSelection(target.select), target.dry_run, runKey]);
  return { id, type: RECONCILE_CALLBACK_TYPE, data: boundedSummary(summary) };
}

// The same conditions written in another order are the same selection.
function canonicalSelection(select: SelectorTarget['select']): unknown[] {
  const tags = Object.entries(select.tags ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return [tags, select.name_prefix ?? null, select.enterprise_project_id ?? null];
}
