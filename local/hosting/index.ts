// Hosting the built bundles outside Lambda, for the local stack, tests, the benchmark and scripts:
// loading a bundle (a cold start, or a handler made for a host), where its metric lines go, the
// Lambda context and the functions' timeouts, invoking with a timeout, the events each trigger
// receives, and a verifying callback receiver. Never bundled into a function.
export { assertBuilt, loadBuiltCli, loadFunction, loadHandler, type FunctionModule, type HttpAnswer, type LoadOptions, type RunCli } from './bundles.ts';
export {
  callbackPayload,
  createCallbackRecorder,
  startCallbackReceiver,
  webhookHeaders,
  type CallbackPayload,
  type CallbackReceiver,
  type CallbackRecorder,
  type CallbackRecorderOptions,
  type ReceivedCallback,
} from './callback-receiver.ts';
export { collectMetricLines, dropMetricLines, type MetricLines, type MetricSink } from './metric-lines.ts';
export { FUNCTION_NAMES, FUNCTION_TIMEOUT_MS, localFunctionName, type FunctionName } from './function-timeouts.ts';
export { globalTimers, invokeWithTimeout, InvocationTimeout, type Handler, type HostTimers, type Invocation } from './invoke.ts';
export { functionContext, lambdaContext, LOCAL_AWS, type LambdaContextOptions } from './lambda-context.ts';
export { DEFAULT_INSTANCES, DEFAULT_PROJECT_ID } from './project.ts';
export {
  CONNECTOR_ROUTE_KEY,
  connectorPath,
  connectorRouteKey,
  gatewayRequestId,
  httpApiEvent,
  matchConnectorPath,
  type HttpApiEvent,
  type HttpApiEventOptions,
  type HttpRequest,
} from './events/http-api.ts';
export { scheduledEvent, schedulerInput, type ScheduledEventOptions } from './events/schedule.ts';
export { LOCAL_QUEUE_NAME, localQueueArn, newReceiptHandle, sqsEvent, sqsRecord, type SqsRecordFields } from './events/sqs.ts';
export type { FunctionHost, QueueSender } from '../../functions/lambda.ts';
