// What a fleet run does with one matched instance, decided from its list entry alone (the same
// ShowInstanceResp as the detail), so no per-instance call is needed before acting.
import { connectorState, isPayPerUse } from '../huawei/index.ts';
import type { ListedInstance } from './listed.ts';

export type Classification = 'already_enabled' | 'enabling' | 'skipped_not_pay_per_use' | 'skipped_busy' | 'to_enable';

export function classifyInstance(entry: ListedInstance): Classification {
  const state = connectorState(entry);
  if (state === 'enabled') return 'already_enabled';
  if (state === 'enabling') return 'enabling';
  // Enabling this way needs pay-per-use billing; an entry that does not say is left to the enable
  // call, which reads the detail and says why if it cannot.
  if (isPayPerUse(entry) === false) return 'skipped_not_pay_per_use';
  // Enabling is accepted only while RUNNING; the next run tries again.
  if (entry.status !== 'RUNNING') return 'skipped_busy';
  return 'to_enable';
}
