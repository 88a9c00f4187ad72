// What is wrong with a request, field by field: the list every trigger answers or reports.
import * as v from 'valibot';
import { quote } from '../runtime/index.ts';

export interface RequestIssue {
  /** Dot path of the field ("node_cnt"), or "request" for the input as a whole. */
  readonly field: string;
  readonly message: string;
}

export function toRequestIssues(issues: readonly v.BaseIssue<unknown>[]): RequestIssue[] {
  // An unknown key is the input itself: quoted, never echoed whole.
  return issues.map((issue) => ({ field: quote(v.getDotPath(issue) ?? 'request'), message: issue.message }));
}

/** One line for logs and stderr: "node_cnt must be ...; spec_code is required ...". */
export function describeIssues(issues: readonly RequestIssue[]): string {
  return issues.map((issue) => `${issue.field} ${issue.message}`).join('; ');
}
