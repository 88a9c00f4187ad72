// A queue message body or schedule target is one instance or a selector: `select` (or `projects`)
// says which, and `projects` whether the selector is one project's or the whole account's. Each
// parses here into one target or a list of problems named by field.
import type { CallbackUrl } from '../callback/index.ts';
import { boundIssues, parseRequest, type EnableRequestSchema, type RequestIssue, type UnresolvedEnableRequest } from '../request/index.ts';
import { isJsonObject, quote } from '../runtime/index.ts';
import type { AccountSelector, AccountSelectorSchema, SelectorTargetSchema, UnresolvedSelectorTarget } from './selector.ts';

/** A selector as parsed: one project's (its project maybe still to find) or the whole account's. */
export type FleetTarget = UnresolvedSelectorTarget | AccountSelector;

export type Target = { readonly kind: 'instance'; readonly request: UnresolvedEnableRequest } | { readonly kind: 'selector'; readonly selector: FleetTarget };

export type TargetKind = Target['kind'];

export type ParsedTarget =
  | { readonly kind: 'parsed'; readonly target: Target }
  | {
      readonly kind: 'invalid';
      /** What the input was read as: one instance, or a selector. */
      readonly shape: TargetKind;
      readonly issues: readonly RequestIssue[];
      /** The callback URL the target names, when that field itself passed: the sender can still be told. */
      readonly callbackUrl?: CallbackUrl;
    };

export interface TargetSchemas {
  readonly instance: EnableRequestSchema;
  readonly selector: SelectorTargetSchema;
  readonly account: AccountSelectorSchema;
}

// Field paths may carry keys from the input (an unknown field, a tag key): quote only their start.
const ISSUE_FIELD_PATH_MAX = 80;
const BOTH = 'must not come with select: a target is one instance (instance_id) or a selector (select), not both';
const NOT_WITH_PROJECTS = 'must not come with projects: an account-wide run covers every project of the account (narrow it with regions)';
const REGIONS_ALONE = 'comes only with projects: "all" (an account-wide run); one project\'s run names its region';

/** Whether the input asks for a fleet run: an object with a `select` (or `projects`) field. */
export function isSelectorInput(input: unknown): boolean {
  return isJsonObject(input) && (Object.hasOwn(input, 'select') || Object.hasOwn(input, 'projects'));
}

/** Whether a selector covers the whole account. */
export function isAccountSelector(target: FleetTarget): target is AccountSelector {
  return 'projects' in target;
}

export function parseTarget(schemas: TargetSchemas, input: unknown): ParsedTarget {
  if (!isSelectorInput(input)) {
    const parsed = parseRequest(schemas.instance, input);
    return parsed.kind === 'parsed'
      ? { kind: 'parsed', target: { kind: 'instance', request: parsed.request } }
      : { kind: 'invalid', shape: 'instance', issues: bounded(parsed.issues), ...withCallbackUrl(parsed.callbackUrl) };
  }
  const parsed = parseSelectorTarget(schemas, input);
  return parsed.kind === 'parsed' ? { kind: 'parsed', target: { kind: 'selector', selector: parsed.selector } } : { ...parsed, shape: 'selector' };
}

export type ParsedSelectorTarget =
  | { readonly kind: 'parsed'; readonly selector: FleetTarget }
  | { readonly kind: 'invalid'; readonly issues: readonly RequestIssue[]; readonly callbackUrl?: CallbackUrl };

/**
 * A fleet run's target, one project's or (with `projects`) the account's. Fields that do not belong
 * are refused by name for what they are (an instance_id: a selector names no instance; project_id or
 * region beside projects; regions without it), and the rest is still checked.
 */
export function parseSelectorTarget(schemas: Pick<TargetSchemas, 'selector' | 'account'>, input: unknown): ParsedSelectorTarget {
  if (!isJsonObject(input)) return { kind: 'invalid', issues: [{ field: 'request', message: 'must be a JSON object' }] };
  const account = Object.hasOwn(input, 'projects');
  const misplaced: Record<string, string> = {
    instance_id: BOTH,
    ...(account ? { project_id: NOT_WITH_PROJECTS, region: NOT_WITH_PROJECTS } : { regions: REGIONS_ALONE }),
  };
  const rest: Record<string, unknown> = {};
  const issues: RequestIssue[] = [];
  for (const [field, value] of Object.entries(input)) {
    const message = Object.hasOwn(misplaced, field) ? misplaced[field] : undefined;
    if (message === undefined) Object.defineProperty(rest, field, { value, enumerable: true, writable: true, configurable: true });
    else if (value !== undefined) issues.push({ field, message });
  }
  const parsed = account ? parseRequest(schemas.account, rest) : parseRequest(schemas.selector, rest);
  if (parsed.kind === 'parsed' && issues.length === 0) return { kind: 'parsed', selector: parsed.request };
  issues.push(...(parsed.kind === 'parsed' ? [] : parsed.issues));
  const callbackUrl = parsed.kind === 'parsed' ? parsed.request.callback_url : parsed.callbackUrl;
  return { kind: 'invalid', issues: bounded(issues), ...withCallbackUrl(callbackUrl) };
}

function withCallbackUrl(callbackUrl: CallbackUrl | undefined): { callbackUrl?: CallbackUrl } {
  return callbackUrl === undefined ? {} : { callbackUrl };
}

function bounded(issues: readonly RequestIssue[]): RequestIssue[] {
  return boundIssues(issues).map((issue) =>
    issue.field.length > ISSUE_FIELD_PATH_MAX ? { ...issue, field: quote(issue.field, ISSUE_FIELD_PATH_MAX) } : issue,
  );
}
