// A request's callback comes first: checked once, before anything is enabled or listed (a URL the
// guard refuses is invalid input), and kept a share of the budget so it still has time to go out at
// the end. Delivery takes the destination as it is. The enable flow and the fleet flow both start here.
import { checkCallbackDestination, type CallbackDestination, type CallbackUrl } from '../callback/index.ts';
import type { RequestIssue } from '../request/index.ts';
import { withinDeadline, type Deadline } from '../runtime/index.ts';
import type { EnableFlowContext } from './types.ts';

export type CallbackCheck =
  /** Neither the request nor CALLBACK_URL names one. */
  | { readonly kind: 'none' }
  | { readonly kind: 'passed'; readonly destination: CallbackDestination }
  /** The name could not be resolved in time: transient, as Huawei's throttling is. */
  | { readonly kind: 'lookup_failed'; readonly reason: string }
  | { readonly kind: 'refused'; readonly issues: readonly RequestIssue[] };

/** The callback of a request that names `given` (else CALLBACK_URL), checked once. */
export async function checkCallbackFirst(given: CallbackUrl | undefined, ctx: EnableFlowContext): Promise<CallbackCheck> {
  const { config } = ctx.deployment;
  const url = given ?? config.callbackUrl;
  if (!url) return { kind: 'none' };
  const check = await checkCallbackDestination(url, { allowedHosts: config.callbackAllowedHosts, deadline: ctx.deadline, resolve: ctx.resolve });
  if (check.kind === 'passed') return check;
  if (check.kind === 'lookup_failed') {
    ctx.logger.warn('callback host not resolved in time', { reason: check.reason });
    return { kind: 'lookup_failed', reason: check.reason };
  }
  // A refused default (CALLBACK_URL) is named as such: the caller did not choose it.
  const issues = [{ field: given ? 'callback_url' : 'CALLBACK_URL', message: `is refused: ${check.reason}` }];
  ctx.logger.warn('callback URL refused', { issues });
  return { kind: 'refused', issues };
}

// Kept back so the callback still has time to go out: 8 s, or less of a short budget.
const CALLBACK_RESERVE_MS = 8_000;
const CALLBACK_RESERVE_SHARE = 0.3;

/** What is left of `deadline` for the work before the callback to `destination` (all of it without one). */
export function budgetBeforeCallback(deadline: Deadline, destination: CallbackDestination | undefined): Deadline {
  const remaining = deadline.remainingMs();
  const reserve = destination ? Math.min(CALLBACK_RESERVE_MS, remaining * CALLBACK_RESERVE_SHARE) : 0;
  return withinDeadline(deadline, Math.max(0, remaining - reserve));
}
