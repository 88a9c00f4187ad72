// Test shorthands over local/hosting's event builders: an SQS batch of one record whose body is a
// value as JSON, an HTTP API request to enable one instance with a JSON body, and the sample events
// in events/ as they are.
import { readFileSync } from 'node:fs';
import type { SQSEvent } from 'aws-lambda';
import { connectorPath, httpApiEvent, sqsEvent, type HttpApiEvent } from '../../local/hosting/index.ts';

/** A sample event from events/, parsed. */
export const sample = <T>(name: string): T => JSON.parse(readFileSync(`events/${name}`, 'utf8')) as T;

/** One SQS record whose body is `body` as JSON. */
export function jsonSqsEvent(body: unknown, receiveCount = 1): SQSEvent {
  return sqsEvent({ body: JSON.stringify(body), receiveCount });
}

/** POST /v2/{project_id}/instances/{instance_id}/connector with a JSON body, as API Gateway sends it. */
export function enableHttpEvent(projectId: string, instanceId: string, body: unknown): HttpApiEvent {
  return httpApiEvent({
    url: connectorPath(projectId, instanceId),
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  });
}
