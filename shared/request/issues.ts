// What is wrong with a request, field by field: the list every trigger answers or reports. A list
// is bounded here, once for every exit (answers, callbacks, logs, the command line, summaries): at
// most ISSUES_MAX issues, then one entry saying how many more there were, so that input with
// thousands of bad entries cannot make an answer or a line that grows with it.
import * as v from 'valibot';
import { quote } from '../runtime/index.ts';

export interface RequestIssue {
  /** Dot path of the field ("node_cnt"), or "request" for the input as a whole. */
  readonly field: string;
  readonly message: string;
}

/** The most issues any list holds; the rest are counted in one last entry. */
export const ISSUES_MAX = 20;

// The "and N more" entries this process made, with their N: an entry stands for itself and N more.
const counted = new WeakMap<RequestIssue, number>();

function moreIssue(count: number): RequestIssue {
  const issue = { field: 'request', message: `and ${count} more` };
  counted.set(issue, count);
  return issue;
}

/**
 * At most ISSUES_MAX issues, then "and N more" when there were more. Bounding a bounded list (or one
 * joined from bounded lists) keeps the count right: an earlier "and N more" adds its N.
 */
export function boundIssues(issues: readonly RequestIssue[]): readonly RequestIssue[] {
  const listed: RequestIssue[] = [];
  let more = 0;
  for (const issue of issues) {
    const stands = counted.get(issue);
    if (stands) more += stands;
    else if (listed.length < ISSUES_MAX) listed.push(issue);
    else more += 1;
  }
  return more ? [...listed, moreIssue(more)] : listed;
}

export function toRequestIssues(issues: readonly v.BaseIssue<unknown>[]): readonly RequestIssue[] {
  // An unknown key is the input itself: quoted, never echoed whole.
  return boundIssues(issues.map((issue) => ({ field: quote(v.getDotPath(issue) ?? 'request'), message: issue.message })));
}

/** One line for logs and stderr: "node_cnt must be ...; spec_code is required ...", bounded as a list is. */
export function describeIssues(issues: readonly RequestIssue[]): string {
  return boundIssues(issues)
    .map((issue) => `${issue.field} ${issue.message}`)
    .join('; ');
}
