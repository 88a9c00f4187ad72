// Tracking a started job to its end: the tracking message, its queue and seal, and the flow each delivery runs.
export { EXPIRY_MARGIN_MS, isTrackingMessage, trackingDelaySeconds, trackingMessageFor } from './message.ts';
export type { CallbackRun, TrackingDeployment, SealedTrackingMessage, TrackingQueue, TrackingTransport } from './types.ts';
export { openTrackingMessage, sealingTrackingQueue, deploymentName, trackingKeys, type TrackingKeys } from './seal.ts';
export { runTrackingFlow, type TrackingFlowContext, type TrackingFlowOutcome } from './flow.ts';
