// The status request, {project_id, instance_id, region?}: the HTTP GET's path and query, the CLI's
// flags. Its fields are the enable request's own schemas.
import * as v from 'valibot';
import { objectIssueMessage, requestFields, toRequestIssues, type RequestIssue, type RequestSchemaOptions } from '../request/index.ts';

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

export type ParsedStatusRequest =
  | { readonly success: true; readonly request: StatusRequest }
  | { readonly success: false; readonly issues: readonly RequestIssue[] };

export function parseStatusRequest(schema: StatusRequestSchema, input: unknown): ParsedStatusRequest {
  // As for the enable request: a list is not one request, whatever valibot makes of it.
  if (Array.isArray(input)) return { success: false, issues: [{ field: 'request', message: 'must be a JSON object' }] };
  const result = v.safeParse(schema, input, { abortEarly: false });
  return result.success ? { success: true, request: result.output } : { success: false, issues: toRequestIssues(result.issues) };
}
