// A queue message body or schedule target is one instance or a selector: `select` says which. Both
// parse here into one target or a list of problems named by field.
import type { CallbackUrl } from '../callback/index.ts';
import { boundIssues, parseRequest, type EnableRequest, type EnableRequestSchema, type RequestIssue } from '../request/index.ts';
import { isJsonObject, quote } from '../runtime/index.ts';
import type { SelectorTarget, SelectorTargetSchema } from './selector.ts';

export type Target =
  | { readonly kind: 'instance'; readonly request: EnableRequest }
  | { readonly kind: 'selector'; readonly selector: SelectorTarget };

export type TargetKind = Target['kind'];

export type ParsedTarget =
  | { readonly success: true; readonly target: Target }
  | {
      readonly success: false;
      readonly kind: TargetKind;
      readonly issues: readonly RequestIssue[];
      /** The callback URL the target names, when that field itself passed: the sender can still be told. */
      readonly callbackUrl?: CallbackUrl;
    };

export interface TargetSchemas {
  readonly instance: EnableRequestSchema;
  readonly selector: SelectorTargetSchema;
}

// Field paths may carry keys from the input (an unknown field, a tag key): quote only their start.
const ISSUE_FIELD_PATH_MAX = 80;
const BOTH = 'must not come with select: a target is one instance (instance_id) or a selector (select), not both';

/** Whether the input asks for a fleet run: an object with a `select` field. */
export function isSelectorInput(input: unknown): boolean {
  return isJsonObject(input) && Object.hasOwn(input, 'select');
}

export function parseTarget(schemas: TargetSchemas, input: unknown): ParsedTarget {
  if (!isSelectorInput(input)) {
    const parsed = parseRequest(schemas.instance, input);
    return parsed.success
      ? { success: true, target: { kind: 'instance', request: parsed.request } }
      : { success: false, kind: 'instance', issues: bounded(parsed.issues), ...withCallbackUrl(parsed.callbackUrl) };
  }
  const parsed = parseSelectorTarget(schemas.selector, input);
  return parsed.success ? { success: true, target: { kind: 'selector', selector: parsed.selector } } : { ...parsed, kind: 'selector' };
}

export type ParsedSelectorTarget =
  | { readonly success: true; readonly selector: SelectorTarget }
  | { readonly success: false; readonly issues: readonly RequestIssue[]; readonly callbackUrl?: CallbackUrl };

/** A fleet run's target: `instance_id` is refused by name (a selector names no instance), the rest checked too. */
export function parseSelectorTarget(schema: SelectorTargetSchema, input: unknown): ParsedSelectorTarget {
  if (!isJsonObject(input)) return { success: false, issues: [{ field: 'request', message: 'must be a JSON object' }] };
  // Named for what it is rather than as an unknown field, and the rest is still checked.
  const { instance_id: instanceId, ...rest } = input;
  const both: RequestIssue[] = instanceId === undefined ? [] : [{ field: 'instance_id', message: BOTH }];
  const parsed = parseRequest(schema, rest);
  if (parsed.success && both.length === 0) return { success: true, selector: parsed.request };
  const issues = [...both, ...(parsed.success ? [] : parsed.issues)];
  const callbackUrl = parsed.success ? parsed.request.callback_url : parsed.callbackUrl;
  return { success: false, issues: bounded(issues), ...withCallbackUrl(callbackUrl) };
}

function withCallbackUrl(callbackUrl: CallbackUrl | undefined): { callbackUrl?: CallbackUrl } {
  return callbackUrl === undefined ? {} : { callbackUrl };
}

function bounded(issues: readonly RequestIssue[]): RequestIssue[] {
  return boundIssues(issues).map((issue) => (issue.field.length > ISSUE_FIELD_PATH_MAX ? { ...issue, field: quote(issue.field, ISSUE_FIELD_PATH_MAX) } : issue));
}
