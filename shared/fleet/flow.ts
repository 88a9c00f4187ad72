// What every trigger does with a selector target: validate it, check the callback before anything
// is listed, run the fleet (fanned out to the enable queue when there is one, else enabled here a
// few at a time), and write the summary to the reconcile callback. Triggers only decide what the
// outcome means for their caller.
import { deliverWebhook, logDelivery, type CallbackTarget, type DeliveryOutcome } from '../callback/index.ts';
import {
  budgetBeforeCallback,
  checkCallbackFirst,
  enableOne,
  reportRejection,
  type EnableDeployment,
  type EnableFlowContext,
  type RejectedOutcome,
} from '../enable/index.ts';
import { CALLBACK_LOOKUP_FAILED, errorKind } from '../errors/index.ts';
import { isCredentialsRejected } from '../huawei/index.ts';
import { countFleetRun, type FleetRunOutcome } from '../metrics/index.ts';
import { MESSAGE_MAX, redactBounded } from '../redact/index.ts';
import type { EnableQueuePort, FleetApplyPort } from './apply.ts';
import { reconcileWebhook } from './callback.ts';
import type { OnFleetProgress } from './progress.ts';
import { runFleet } from './reconcile.ts';
import type { SelectorTarget } from './selector.ts';
import { parseSelectorTarget, type TargetSchemas } from './target.ts';
import { failedFleetSummary, fleetRunFailed, type FleetSummary } from './summary.ts';

/** What a fleet run needs of the deployment: what one instance needs, the selector's schema, and the enable queue. */
export interface FleetDeployment extends EnableDeployment {
  /** A queue message body's or a schedule target's schemas, one instance or a selector, with this deployment's defaults. */
  readonly schemas: TargetSchemas;
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

export type FleetReportOutcome =
  | RejectedOutcome
  | {
      readonly kind: 'reconciled';
      readonly summary: FleetSummary;
      /** The run failed in a way that asking again later may mend (the trigger retries). */
      readonly transient: boolean;
      readonly callback: DeliveryOutcome | undefined;
    };

/** A selector's run, counted (FleetRuns by Outcome) however it ends. */
export async function reconcileAndReport(input: unknown, ctx: FleetContext): Promise<FleetReportOutcome> {
  const outcome = await fleetFlow(input, ctx);
  return countFleetRun(ctx.deployment.metrics, fleetRunOutcome(outcome), outcome);
}

function fleetRunOutcome(outcome: FleetReportOutcome): FleetRunOutcome {
  if (outcome.kind === 'invalid') return 'rejected';
  return fleetRunFailed(outcome.summary) ? 'failed' : 'completed';
}

async function fleetFlow(input: unknown, ctx: FleetContext): Promise<FleetReportOutcome> {
  const { deployment } = ctx;
  const parsed = parseSelectorTarget(deployment.schemas.selector, input);
  // Invalid input is reported as for one instance: a rejected result to whichever callback can be told.
  if (!parsed.success) return reportRejection({ input, issues: parsed.issues, callbackUrl: parsed.callbackUrl }, ctx);
  const target = parsed.selector;

  // Checked before anything is listed, as for one instance.
  const check = await checkCallbackFirst(target.callback_url, ctx);
  if (check.kind === 'lookup_failed') {
    const summary = failedFleetSummary(target, { code: CALLBACK_LOOKUP_FAILED, message: check.reason });
    return { kind: 'reconciled', summary, transient: true, callback: undefined };
  }
  // The callback itself was refused: nobody else is told either.
  if (check.kind === 'refused') return reportRejection({ input, issues: check.issues }, ctx, { report: false });
  const callbackTarget = check.kind === 'target' ? check.target : undefined;

  const deadline = budgetBeforeCallback(ctx.deadline, callbackTarget);
  const apply: FleetApplyPort = deployment.enableQueue
    ? { queue: deployment.enableQueue }
    : {
        enableOne: (request) => enableOne(request, { deployment, source: ctx.source, deadline, logger: ctx.logger.child({ instance_id: request.instance_id }) }),
        ...(ctx.inlineConcurrency ? { concurrency: ctx.inlineConcurrency } : {}),
      };
  const run = await runFleet(target, {
    dms: deployment.dmsIn(target.region),
    deadline,
    apply,
    logger: ctx.logger,
    // Read when used: credentials fetched during the run (Secrets Manager) are secrets too.
    redact: (text) => redactBounded(text, deployment.secrets(), MESSAGE_MAX),
    onProgress: ctx.onProgress,
  });
  const { summary } = run;
  // Credentials that cannot work fail the list first, so the run's own error says it.
  const misconfigured = errorKind(summary.error?.code) === 'misconfigured';
  ctx.logger.info('fleet run finished', { matched: summary.matched, counts: summary.counts, error: summary.error, dry_run: summary.dry_run, transient: run.transient });
  // A broken deployment is the operator's to fix, not the receiver's to hear about: no callback.
  if (misconfigured) ctx.logger.error('configuration error: the fleet run could not work and no callback was sent', { error: summary.error });
  // Credentials Huawei refused stopped the run: it runs again after their cool-down, not failed for good.
  const callback = callbackTarget && !misconfigured && !isCredentialsRejected(summary.error?.code) ? await deliverSummary(callbackTarget, target, summary, ctx) : undefined;
  return { kind: 'reconciled', summary, transient: run.transient, callback };
}

async function deliverSummary(callbackTarget: CallbackTarget, target: SelectorTarget, summary: FleetSummary, ctx: FleetContext): Promise<DeliveryOutcome> {
  const webhook = reconcileWebhook(target, summary, ctx.dedupeKey);
  const outcome = await deliverWebhook(callbackTarget, webhook, ctx.deployment.callbackOptions(ctx));
  logDelivery(ctx.logger, webhook.type, outcome);
  return outcome;
}
