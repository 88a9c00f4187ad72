// What every trigger does with a selector target: validate it, check the callback before anything
// is listed, find the project (a selector naming none is for its region's project) or, account-wide,
// the account's projects, run the fleet (fanned out to the enable queue when there is one, else
// enabled here a few at a time), and write the summary to the reconcile callback. Triggers only
// decide what the outcome means for their caller.
import { deliverWebhook, logDelivery, type CallbackDestination, type DeliveryOutcome } from '../callback/index.ts';
import {
  budgetBeforeCallback,
  checkCallbackFirst,
  enableOne,
  reportRejection,
  type EnableDeployment,
  type EnableFlowContext,
  type RejectedOutcome,
} from '../enable/index.ts';
import { CALLBACK_LOOKUP_FAILED, isDeploymentFault, isMisconfigured } from '../errors/index.ts';
import { countFleetRun, type FleetRunOutcome } from '../metrics/index.ts';
import { resolveProject, type ProjectDirectory } from '../projects/index.ts';
import { MESSAGE_MAX, redactBounded } from '../redact/index.ts';
import { runAccount, type AccountRun } from './account.ts';
import type { EnableQueuePort, FleetApplyPort } from './apply.ts';
import { reconcileWebhook } from './callback.ts';
import type { OnFleetProgress } from './progress.ts';
import { runFleet, type FleetRun } from './run.ts';
import type { AccountSelector, SelectorTarget } from './selector.ts';
import { isAccountSelector, parseSelectorTarget, type FleetTarget, type TargetSchemas } from './target.ts';
import { failedAccountSummary, failedFleetSummary, fleetRunFailed, isAccountSummary, type RunSummary } from './summary.ts';

/**
 * What a fleet run needs of the deployment: what one instance needs, the selectors' schemas, the
 * account's projects, and the enable queue.
 */
export interface FleetDeployment extends EnableDeployment {
  /** A queue message body's or a schedule target's schemas, one instance or a selector, with this deployment's defaults. */
  readonly schemas: TargetSchemas;
  readonly projects: ProjectDirectory;
  /** Where instances to enable go as single-instance requests; unset: they are enabled here. */
  readonly enableQueue: EnableQueuePort | undefined;
}

export interface FleetContext extends EnableFlowContext {
  readonly deployment: FleetDeployment;
  /** Instances enabled at a time when enabled here; default DEFAULT_INLINE_CONCURRENCY. */
  readonly inlineConcurrency?: number;
  /** Told how far the run has come (the command line shows it to a person watching). */
  readonly onProgress?: OnFleetProgress | undefined;
}

export type FleetFlowOutcome =
  | RejectedOutcome
  | {
      readonly kind: 'summarized';
      /** The whole summary (the command line prints it); a callback carries it bounded. */
      readonly summary: RunSummary;
      /** The run failed in a way that asking again later may mend (the trigger retries). */
      readonly transient: boolean;
      readonly callback: DeliveryOutcome | undefined;
    };

/** A selector's run, counted (FleetRuns by Outcome) however it ends. */
export async function runFleetFlow(input: unknown, ctx: FleetContext): Promise<FleetFlowOutcome> {
  const outcome = await fleetFlow(input, ctx);
  return countFleetRun(ctx.deployment.metrics, fleetRunOutcome(outcome), outcome);
}

function fleetRunOutcome(outcome: FleetFlowOutcome): FleetRunOutcome {
  if (outcome.kind === 'invalid') return 'rejected';
  return fleetRunFailed(outcome.summary) ? 'failed' : 'completed';
}

async function fleetFlow(input: unknown, ctx: FleetContext): Promise<FleetFlowOutcome> {
  const { deployment } = ctx;
  const parsed = parseSelectorTarget(deployment.schemas, input);
  // Invalid input is reported as for one instance: a rejected result to whichever callback can be told.
  if (parsed.kind === 'invalid') return reportRejection({ input, issues: parsed.issues, callbackUrl: parsed.callbackUrl }, ctx);
  const target = parsed.selector;

  // Checked before anything is listed, as for one instance.
  const check = await checkCallbackFirst(target.callback_url, ctx);
  if (check.kind === 'lookup_failed') {
    const error = { code: CALLBACK_LOOKUP_FAILED, message: check.reason };
    const summary = isAccountSelector(target) ? failedAccountSummary(target.dry_run, error) : failedFleetSummary(unnamed(target), error);
    return { kind: 'summarized', summary, transient: true, callback: undefined };
  }
  // The callback itself was refused: nobody else is told either.
  if (check.kind === 'refused') return reportRejection({ input, issues: check.issues }, ctx, { report: false });
  const destination = check.kind === 'passed' ? check.destination : undefined;

  const deadline = budgetBeforeCallback(ctx.deadline, destination);
  const { run, selector } = await runSelector(target, { ...ctx, deadline });
  const { summary } = run;
  // Credentials that cannot work fail the list first, so the run's own error says it.
  const errors = [summary.error, ...(isAccountSummary(summary) ? summary.projects.map((p) => p.error) : [])];
  const misconfigured = errors.some((e) => isMisconfigured(e?.code));
  ctx.logger.info('fleet run finished', {
    matched: summary.matched,
    counts: summary.counts,
    error: summary.error,
    dry_run: summary.dry_run,
    transient: run.transient,
  });
  if (misconfigured) ctx.logger.error('configuration error: the fleet run could not work and no callback was sent', { error: summary.error });
  const kept = errors.some((e) => isDeploymentFault(e?.code));
  const callback = destination && !kept ? await deliverSummary(destination, selector, summary, ctx) : undefined;
  return { kind: 'summarized', summary, transient: run.transient, callback };
}

/** The run of a selector, and the selector its summary is reported for (one project's, its project found). */
async function runSelector(target: FleetTarget, ctx: FleetContext): Promise<{ run: FleetRun | AccountRun; selector: SelectorTarget | AccountSelector }> {
  const { deployment, deadline, logger } = ctx;
  const apply: FleetApplyPort = deployment.enableQueue
    ? { queue: deployment.enableQueue }
    : {
        enableOne: (request) => enableOne(request, { deployment, trigger: ctx.trigger, deadline, logger: logger.child({ instance_id: request.instance_id }) }),
        ...(ctx.inlineConcurrency ? { concurrency: ctx.inlineConcurrency } : {}),
      };
  // Read when used: credentials fetched during the run (Secrets Manager) are secrets too.
  const redact = (text: string) => redactBounded(text, deployment.secrets(), MESSAGE_MAX);
  if (isAccountSelector(target)) {
    const run = await runAccount(target, { projects: deployment.projects, dmsIn: (region) => deployment.dmsIn(region), deadline, apply, logger, redact });
    return { run, selector: target };
  }
  const found = await resolveProject(target, deployment.projects, { deadline, logger });
  // No project to list: the run fails as a whole, naming the region, and nothing is listed.
  if (found.kind === 'failed') {
    const selector = unnamed(target);
    return { run: { summary: failedFleetSummary(selector, found.error, redact), transient: found.retryable }, selector };
  }
  const run = await runFleet(found.request, { dms: deployment.dmsIn(target.region), deadline, apply, logger, redact, onProgress: ctx.onProgress });
  return { run, selector: found.request };
}

/** A selector whose project was not found: reported with project_id "" (its region names what was looked for). */
function unnamed(target: Exclude<FleetTarget, AccountSelector>): SelectorTarget {
  return { ...target, project_id: target.project_id ?? '' };
}

async function deliverSummary(
  destination: CallbackDestination,
  selector: SelectorTarget | AccountSelector,
  summary: RunSummary,
  ctx: FleetContext,
): Promise<DeliveryOutcome> {
  const webhook = reconcileWebhook(selector, summary, ctx.dedupeKey);
  const outcome = await deliverWebhook(destination, webhook, ctx.deployment.callbackOptions(ctx));
  logDelivery(ctx.logger, webhook.type, outcome);
  return outcome;
}
