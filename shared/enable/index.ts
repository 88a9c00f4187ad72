// Enabling: the use case (enableInstance) and the flow every trigger runs a request through.
export { enableInstance, type EnableInstanceDeps } from './enable-instance.ts';
export { budgetBeforeCallback, checkCallbackFirst, type CallbackCheck } from './callback-first.ts';
export { enableOne, reportRejection, runEnableFlow, type EnableFlowOutcome, type RejectedOutcome } from './flow.ts';
export type { EnableDeployment, EnableFlowContext, EnableRun } from './types.ts';
