// The status request, {project_id?, instance_id, region?}: the HTTP GET's path and query, the CLI's
// flags. Its fields are the enable request's own schemas (project_id left out: its region's project).
import * as v from 'valibot';
import { objectIssueMessage, parseRequest, requestFields, type ParsedRequest, type RequestSchemaOptions } from '../request/index.ts';

export function statusRequestSchema(options: Pick<RequestSchemaOptions, 'defaultRegion'>) {
  const entries = {
    project_id: requestFields.optionalProjectId,
    instance_id: requestFields.instanceId,
    region: v.optional(requestFields.region, options.defaultRegion),
  };
  return v.strictObject(entries, objectIssueMessage(Object.keys(entries)));
}

export type StatusRequestSchema = ReturnType<typeof statusRequestSchema>;
/** As parsed: without project_id, for its region's project. */
export type UnresolvedStatusRequest = v.InferOutput<StatusRequestSchema>;
/** What the use case takes: the request with its project named. */
export type StatusRequest = UnresolvedStatusRequest & { readonly project_id: string };

export type ParsedStatusRequest = ParsedRequest<UnresolvedStatusRequest>;

export function parseStatusRequest(schema: StatusRequestSchema, input: unknown): ParsedStatusRequest {
  return parseRequest(schema, input);
}
