// Enabling: the use case (enableInstance) and the flow every trigger runs a request through.
export { enableInstance, type EnableInstanceDeps } from './enable-instance.ts';
export { budgetBeforeCallback, checkCallbackFirst, type CallbackCheck } from './callback-first.ts';
export { reportRejection, runEnableFlow, type EnableFlowContext, type EnableFlowOutcome, type RejectedOutcome } from './flow.ts';
