// The enable request, one schema for every trigger: whatever arrives (HTTP body plus path, queue
// message, schedule target, command line) becomes one request, or a list of problems named by field.
// A request may name no project_id: it is then for the project named after its region, found by the
// flow (shared/projects) before the use case, which takes an EnableRequest with its project named.
import * as v from 'valibot';
import { DEFAULT_NODE_CNT, objectIssueMessage, requestFields, SPECIFICATION_PAIR, specificationPairRule, type RequestSchemaOptions } from './fields.ts';

export function enableRequestSchema(options: RequestSchemaOptions) {
  const entries = {
    project_id: requestFields.optionalProjectId,
    instance_id: requestFields.instanceId,
    region: v.optional(requestFields.region, options.defaultRegion),
    node_cnt: v.optional(requestFields.nodeCnt, DEFAULT_NODE_CNT),
    specification: v.optional(requestFields.specification),
    spec_code: v.optional(requestFields.specCode),
    callback_url: v.optional(requestFields.callbackUrl(options.allowedCallbackHosts ?? [])),
  };
  return v.pipe(
    v.strictObject(entries, objectIssueMessage(Object.keys(entries))),
    v.forward(v.partialCheck(SPECIFICATION_PAIR, ...specificationPairRule('spec_code')), ['spec_code']),
    v.forward(v.partialCheck(SPECIFICATION_PAIR, ...specificationPairRule('specification')), ['specification']),
  );
}

export type EnableRequestSchema = ReturnType<typeof enableRequestSchema>;
/** The normalised request every trigger produces; without project_id, it is for its region's project. */
export type UnresolvedEnableRequest = v.InferOutput<EnableRequestSchema>;
/** What the use case takes: the request with the project it is for. */
export type EnableRequest = UnresolvedEnableRequest & { readonly project_id: string };
/** What a trigger may send: the JSON shape of a queue message body or schedule target. */
export type EnableRequestInput = v.InferInput<EnableRequestSchema>;
