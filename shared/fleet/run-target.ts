// A queue message body or a schedule target is one instance or a selector (a fleet run): each goes
// through its own flow with the same context, and the trigger is told which it was.
import { runEnableFlow, type EnableFlowOutcome } from '../enable/index.ts';
import { runFleetFlow, type FleetContext, type FleetFlowOutcome } from './flow.ts';
import { isSelectorInput } from './target.ts';

export type TargetOutcome = { readonly kind: 'instance'; readonly outcome: EnableFlowOutcome } | { readonly kind: 'fleet'; readonly outcome: FleetFlowOutcome };

export async function runTarget(input: unknown, ctx: FleetContext): Promise<TargetOutcome> {
  if (isSelectorInput(input)) return { kind: 'fleet', outcome: await runFleetFlow(input, ctx) };
  return { kind: 'instance', outcome: await runEnableFlow(input, ctx) };
}
