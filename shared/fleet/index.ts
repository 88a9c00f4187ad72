// Fleets: a selector target names many instances of one project (or of every project of the
// account); a run lists them, decides for each from its list entry, and enables those that need it
// (fanned out to the enable queue, or here).
export { accountSelectorSchema, ALL_PROJECTS, ANY_TAG_VALUE, SELECTOR_LIMITS, selectorTargetSchema } from './selector.ts';
export type {
  AccountSelector,
  AccountSelectorSchema,
  Selection,
  SelectorTarget,
  SelectorTargetInput,
  SelectorTargetSchema,
  UnresolvedSelectorTarget,
} from './selector.ts';
export { isSelectorInput, parseSelectorTarget, parseTarget } from './target.ts';
export type { FleetTarget, ParsedSelectorTarget, ParsedTarget, Target, TargetKind, TargetSchemas } from './target.ts';
export { DEFAULT_MAX_PAGES, MAX_READS, PAGE_LIMIT, listKafkaInstances } from './listing.ts';
export type { Listing, ListingOptions } from './listing.ts';
export type { EntryReading, ListedEntry, ListedInstance, UnreadableEntry } from './listed.ts';
export { matchesSelection } from './match.ts';
export type { Selectable } from './match.ts';
export { classifyInstance } from './classify.ts';
export type { Classification } from './classify.ts';
export { DEFAULT_INLINE_CONCURRENCY, applyFleet, enableRequestFor } from './apply.ts';
export type { EnableOnePort, EnableQueuePort, EnqueueReceipt, FleetApplyPort } from './apply.ts';
export { runFleet } from './run.ts';
export type { FleetRun, FleetRunDeps } from './run.ts';
export type { FleetProgress, OnFleetProgress } from './progress.ts';
export { ACCOUNT_CONCURRENCY, runAccount } from './account.ts';
export type { AccountDeps, AccountRun } from './account.ts';
export {
  ACCOUNT_LISTED,
  accountSummary,
  boundedSummary,
  FLEET_OUTCOMES,
  failedFleetSummary,
  fleetRunFailed,
  fleetSummary,
  isAccountSummary,
  withoutInstances,
} from './summary.ts';
export type { AccountSummary, FleetError, FleetInstanceResult, FleetOutcome, FleetSummary, ProjectFleetSummary, Redact, RunSummary } from './summary.ts';
export { RECONCILE_CALLBACK_TYPE, reconcileWebhook } from './callback.ts';
export type { ReconcileWebhook } from './callback.ts';
export { runFleetFlow } from './flow.ts';
export type { FleetContext, FleetDeployment, FleetFlowOutcome } from './flow.ts';
export { runTarget } from './run-target.ts';
export type { TargetOutcome } from './run-target.ts';
