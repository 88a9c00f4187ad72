// Following a started job: the tracking message, its queue and seal, and the flow each delivery runs.
export { EXPIRY_MARGIN_MS, isTrackingMessage, trackingDelaySeconds, trackingMessageFor } from './message.ts';
export { type TrackingQueue, type TrackingTransport } from './queue.ts';
export { openTrackingMessage, sealingTrackingQueue, trackingDeployment, trackingKeys, type SealedTrackingMessage, type TrackingKeys } from './seal.ts';
export { runFollowFlow, type FollowFlowOutcome } from './flow.ts';
