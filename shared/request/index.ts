// The request: the fields every shape is built from, the enable request, and issues by field.
export {
  DEFAULT_NODE_CNT,
  objectIssueMessage,
  requestFields,
  SPECIFICATION_PAIR,
  specificationPairRule,
  UUID,
  type RequestSchemaOptions,
} from './fields.ts';
export { enableRequestSchema, type EnableRequest, type EnableRequestSchema, type UnresolvedEnableRequest } from './enable-request.ts';
export { parseRequest, type ParsedRequest } from './parse.ts';
export { boundIssues, describeIssues, ISSUES_MAX, type RequestIssue } from './issues.ts';
