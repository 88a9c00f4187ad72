// Scheduled automation: EventBridge Scheduler (the raw input) or an EventBridge rule's
// "Scheduled Event". Input {targets: [...]}; without targets, SCHEDULE_TARGETS (validated at cold
// start). Each target, one instance or a selector (a fleet run), is ensured; a transient failure
// fails the invocation so the scheduler's retry applies, which is safe because enabling is
// idempotent. Any other event shape is answered with a summary that says what was wrong with it.
import type { Context } from 'aws-lambda';
import { runTarget, withoutInstances, type TargetOutcome } from '../shared/fleet/index.ts';
import type { RequestIssue } from '../shared/request/index.ts';
import { isJsonObject, quote } from '../shared/runtime/index.ts';
import { deadlineOf, startFunction, type FunctionHost } from './lambda.ts';
import { isTransient, misconfiguration, scheduleSummary, type ScheduleSummary } from './schedule-summary.ts';
import { readScheduleTargets, targetsOf } from './schedule-targets.ts';
import { flowContext } from './wiring.ts';

export type { ScheduleSummary } from './schedule-summary.ts';

const NO_TARGETS = 'no targets: the event names none and SCHEDULE_TARGETS is not set, so nothing was ensured';

export class TransientScheduleFailure extends Error {
  override readonly name = 'TransientScheduleFailure';
}

/** This deployment cannot enable anything as configured: Lambda reports it as this errorType. */
export class ScheduleConfigurationError extends Error {
  override readonly name = 'ScheduleConfigurationError';
}

export function createHandler(host: FunctionHost = {}) {
  const started = startFunction('schedule', host);
  const defaultTargets = readScheduleTargets(started.env.SCHEDULE_TARGETS, started.deployment.schemas);

  return started.invoked(async function handler(event: unknown, context: Context): Promise<ScheduleSummary> {
    const logger = started.loggerOf(context);
    // A rule's Scheduled Event carries its input in detail (or nothing: use the configured targets).
    const input = isJsonObject(event) && 'detail-type' in event ? event.detail : event;
    const noTargets = input === undefined || input === null || (isJsonObject(input) && !('targets' in input));
    const targets = noTargets ? defaultTargets : targetsOf(input);
    // Nothing to ensure anywhere: a success that did nothing must not look like one that did.
    const warning = noTargets && targets?.length === 0 ? NO_TARGETS : undefined;
    const eventId = isJsonObject(event) && typeof event.id === 'string' && event.id !== '' ? event.id : context.awsRequestId;
    const deadline = deadlineOf(context);

    const outcomes: TargetOutcome[] = [];
    const issues: RequestIssue[] = [];
    if (!targets) {
      issues.push({ field: 'targets', message: 'must be a list of targets ({"targets": [...]})' });
      logger.error('schedule input rejected', { issues });
    } else {
      if (warning) logger.warn(warning);
      // One after another: a schedule is not in a hurry, and Huawei's rate limits are shared.
      for (const [index, target] of targets.entries()) {
        const outcome = await runTarget(
          target,
          flowContext(started.deployment, {
            trigger: 'schedule',
            deadline,
            // Also the run's key: a retried event repeats its webhook-ids.
            dedupeKey: `${eventId}:${index}`,
            logger: logger.child({ schedule_event: quote(eventId), target: index }),
            reportRejections: true,
          }),
        );
        outcomes.push(outcome);
        // Every other target would fail the same way: stop at the first.
        if (misconfiguration(outcome)) break;
      }
    }

    const summary = scheduleSummary(targets?.length ?? 0, outcomes, { warning, issues });
    // Fleets by their counts: a summary lists every instance, too much for one log line.
    const fleets = summary.fleets?.map(withoutInstances);
    logger.info('schedule finished', { ...summary, ...(fleets ? { fleets } : {}) });
    const misconfigured = outcomes.map(misconfiguration).find(Boolean);
    if (misconfigured) throw new ScheduleConfigurationError(`not transient, fix the deployment: ${misconfigured}`);
    const transient = outcomes.filter(isTransient).length;
    if (transient) {
      throw new TransientScheduleFailure(`${transient} of ${outcomes.length} targets failed transiently; the scheduler's retry will ask again`);
    }
    return summary;
  });
}

export const handler = createHandler();
