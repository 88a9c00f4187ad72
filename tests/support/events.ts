// AWS events for calling the built handlers in tests: an SQS batch of one record, and an HTTP API
// request to enable one instance (from the sample in events/).
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2, SQSEvent } from 'aws-lambda';

/** One SQS record whose body is `body` as JSON. */
export function sqsEvent(body: unknown, receiveCount = 1): SQSEvent {
  return {
    Records: [
      {
        messageId: randomUUID(),
        receiptHandle: `rh-${randomUUID()}`,
        body: JSON.stringify(body),
        attributes: { ApproximateReceiveCount: String(receiveCount), SentTimestamp: String(Date.now()), SenderId: 'AIDAEXAMPLE', ApproximateFirstReceiveTimestamp: String(Date.now()) },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:smart-connect-enabler-test-enable',
        awsRegion: 'eu-west-1',
      },
    ],
  };
}

/** POST /v2/{project_id}/instances/{instance_id}/connector with a JSON body, as API Gateway sends it. */
export function enableHttpEvent(projectId: string, instanceId: string, body: unknown): APIGatewayProxyEventV2 {
  const event = JSON.parse(readFileSync('events/http-api-v2-enable.json', 'utf8')) as APIGatewayProxyEventV2;
  const path = `/v2/${projectId}/instances/${instanceId}/connector`;
  const text = JSON.stringify(body);
  event.rawPath = path;
  event.requestContext.http.path = path;
  event.requestContext.requestId = `req-${randomBytes(6).toString('hex')}`;
  event.pathParameters = { project_id: projectId, instance_id: instanceId };
  event.body = text;
  event.isBase64Encoded = false;
  event.headers['content-length'] = String(Buffer.byteLength(text));
  return event;
}
