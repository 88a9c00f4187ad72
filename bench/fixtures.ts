// The events and contexts the benchmark's child processes hand the handlers, built by local/hosting
// as every other host builds them: an IAM-authorised HTTP API 2.0 enable request with a base64 body
// (as events/http-api-v2-enable.json), an SQS batch of plain enable requests, the Lambda context with
// the function's timeout. run.mjs bundles this file into .bench/fixtures.mjs, so the measured
// processes import one small plain JavaScript file, the same for every side (importing TypeScript
// would first load Node's type stripper, a cost no deployed function pays).
import type { Context, SQSEvent } from 'aws-lambda';
import { connectorPath, httpApiEvent, type HttpApiEvent } from '../local/hosting/events/http-api.ts';
import { sqsEvent } from '../local/hosting/events/sqs.ts';
import { functionContext } from '../local/hosting/lambda-context.ts';

export function httpEvent(projectId: string, instanceId: string, requestId: string): HttpApiEvent {
  return httpApiEvent(
    {
      url: connectorPath(projectId, instanceId),
      headers: {
        accept: 'application/json',
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'aws-sdk-js/3.700.0 ua/2.1 os/linux lang/js md/nodejs#22.12.0',
      },
      body: '{"node_cnt": 2}',
      bodyEncoding: 'base64',
    },
    { requestId },
  );
}

/** One plain enable request per record; batchId tells the message ids of one batch from another's. */
export function queueEvent(projectId: string, instanceIds: readonly string[], batchId: string): SQSEvent {
  return sqsEvent(
    ...instanceIds.map((instanceId, index) => ({
      messageId: `${batchId}-${index}`,
      body: JSON.stringify({ project_id: projectId, instance_id: instanceId, node_cnt: 2 }),
    })),
  );
}

/** What the Lambda runtime hands the function: its serverless.yml timeout, this request id. */
export function contextFor(fn: 'http' | 'queue', requestId: string): Context {
  return functionContext(fn, { awsRequestId: requestId });
}
