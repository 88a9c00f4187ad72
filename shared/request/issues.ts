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

const MORE_FIELD = 'request';
const MORE = /^and (\d+) more issues?$/;

function moreIssue(count: number): RequestIssue {
  return { field: MORE_FIELD, message: `and ${count} more ${count === 1 ? 'issue' : 'issues'}` };
}

/** How many issues an entry stands for beyond itself: an "and N more" entry's N, else undefined. */
function moreCount(issue: RequestIssue): number | undefined {
  if (issue.field !== MORE_FIELD) return undefined;
  const match = MORE.exec(issue.message);
  return match ? Number(match[1]) : undefined;
}

/**
 * At most ISSUES_MAX issues, then "and N more" when there were more. Bounding a bounded list (or one
 * joined from bounded lists) keeps the count right: an earlier "and N more" adds its N.
 */
export function boundIssues(issues: readonly RequestIssue[]): readonly RequestIssue[] {
  if (issues.length <= ISSUES_MAX && !issues.some((issue) => moreCount(issue) !== undefined)) return issues;
  const listed: RequestIssue[] = [];
  let more = 0;
  for (const issue of issues) {
    const stands = moreCount(issue);
    if (stands !== undefined) more += stands;
    else if (listed.length < ISSUES_MAX) listed.push(issue);
    else more += 1;
  }
  return more > 0 ? [...listed, moreIssue(more)] : listed;
}

export function toRequestIssues(issues: readonly v.BaseIssue<unknown>[]): readonly RequestIssue[] {
  // Only what will be listed is described; the rest is counted.
  const listed = issues.slice(0, ISSUES_MAX).map((issue) => ({ field: quote(v.getDotPath(issue) ?? 'request'), message: issue.message }));
  // An unknown key is the input itself: quoted, never echoed whole.
  return issues.length > ISSUES_MAX ? [...listed, moreIssue(issues.length - ISSUES_MAX)] : listed;
}

/** One line for logs and stderr: "node_cnt must be ...; spec_code is required ...", bounded as a list is. */
export function describeIssues(issues: readonly RequestIssue[]): string {
  return boundIssues(issues)
    .map((issue) => `${issue.field} ${issue.message}`)
    .join('; ');
}
