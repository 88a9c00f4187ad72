// The status request, {project_id, instance_id, region?}: the HTTP GET's path and query, the CLI's
// flags. Its fields are the enable request's own schemas.
import * as v from 'valibot';
import { objectIssueMessage, parseRequest, requestFields, type ParsedRequest, type RequestSchemaOptions } from '../request/index.ts';

export function statusRequestSchema(options: Pick<RequestSchemaOptions, 'defaultRegion'>) {
  const entries = {
    project_id: requestFields.projectId,
    instance_id: requestFields.instanceId,
    region: v.optional(requestFields.region, options.defaultRegion),
  };
  return v.strictObject(entries, objectIssueMessage(Object.keys(entries)));
}

export type StatusRequestSchema = ReturnType<typeof statusRequestSchema>;
export type StatusRequest = v.InferOutput<StatusRequestSchema>;

export type ParsedStatusRequest = ParsedRequest<StatusRequest>;

export function parseStatusRequest(schema: StatusRequestSchema, input: unknown): ParsedStatusRequest {
  return parseRequest(schema, input);
}
