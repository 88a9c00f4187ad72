// The enable request, one schema for every trigger: whatever arrives (HTTP body plus path, queue
// message, schedule target, command line) becomes one EnableRequest, or a list of problems named by
// field.
import * as v from 'valibot';
import {
  DEFAULT_NODE_CNT,
  objectIssueMessage,
  requestFields,
  SPECIFICATION_PAIR,
  specificationPairRule,
  type RequestSchemaOptions,
} from './fields.ts';

export function enableRequestSchema(options: RequestSchemaOptions) {
  const entries = {
    project_id: requestFields.projectId,
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
/** The one normalised request every trigger produces. */
export type EnableRequest = v.InferOutput<EnableRequestSchema>;
/** What a trigger may send: the JSON shape of a queue message body or schedule target. */
export type EnableRequestInput = v.InferInput<EnableRequestSchema>;
