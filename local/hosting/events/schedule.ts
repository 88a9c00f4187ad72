// What the schedule function receives: EventBridge Scheduler's input as it is ({targets: [...]}), or
// an EventBridge rule's "Scheduled Event" (its input, if any, in detail). Never bundled into a function.
import type { ScheduledEvent } from 'aws-lambda';
import { LOCAL_AWS } from '../lambda-context.ts';
import { nodeCrypto } from '../node-crypto.ts';

/** EventBridge Scheduler passes the schedule's input to the function untouched. */
export function schedulerInput(targets: readonly unknown[]): { targets: unknown[] } {
  return { targets: [...targets] };
}

export interface ScheduledEventOptions {
  /** The rule's input; default {} (none: the function uses SCHEDULE_TARGETS). */
  detail?: unknown;
  /** Default 'smart-connect-enabler-local-schedule'. */
  ruleName?: string;
  /** Clock, default Date.now. */
  now?: () => number;
}

/** A rule's Scheduled Event, as EventBridge sends it to the rule's target. */
export function scheduledEvent(options: ScheduledEventOptions = {}): ScheduledEvent {
  const { region, accountId } = LOCAL_AWS;
  return {
    version: '0',
    id: nodeCrypto().randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: accountId,
    time: new Date((options.now ?? Date.now)()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [`arn:aws:events:${region}:${accountId}:rule/${options.ruleName ?? 'smart-connect-enabler-local-schedule'}`],
    detail: options.detail ?? {},
  };
}
