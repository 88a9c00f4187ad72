// Time budgets: every caller that waits, calls or tries again does so inside one.

/** A point in time no work may outlive: a Lambda's remaining time minus a margin, or a CLI budget. */
export interface Deadline {
  remainingMs(): number;
}

export function deadlineIn(ms: number, now: () => number = Date.now): Deadline {
  const at = now() + ms;
  return { remainingMs: () => Math.max(0, at - now()) };
}

/** The earlier of a deadline and a further limit from now (a sub-budget inside a larger one). */
export function withinDeadline(deadline: Deadline, ms: number, now: () => number = Date.now): Deadline {
  const own = deadlineIn(ms, now);
  return { remainingMs: () => Math.min(deadline.remainingMs(), own.remainingMs()) };
}
