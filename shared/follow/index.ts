// Following a started job: the tracking message, its queue and seal, and the flow each delivery runs.
export { EXPIRY_MARGIN_MS, isTrackingMessage, trackingDelaySeconds, trackingMessageFor } from './message.ts';
export type { CallbackRun, FollowDeployment, SealedTrackingMessage, TrackingQueue, TrackingTransport } from './types.ts';
export { openTrackingMessage, sealingTrackingQueue, trackingDeployment, trackingKeys, type TrackingKeys } from './seal.ts';
export { runFollowFlow, type FollowFlowContext, type FollowFlowOutcome } from './flow.ts';
