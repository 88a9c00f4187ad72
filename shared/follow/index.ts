// Following a started job: the tracking message, its queue and seal, and the flow each delivery runs.
export { isTrackingMessage, trackingDelaySeconds, trackingMessageFor } from './message.ts';
export type { CallbackRun, FollowDeployment, SealedTrackingMessage, TrackingQueue, TrackingTransport } from './types.ts';
export { openTrackingMessage, sealingTrackingQueue, trackingKeys, type TrackingKeys } from './seal.ts';
export { runFollowFlow, type FollowFlowContext, type FollowFlowOutcome } from './flow.ts';
