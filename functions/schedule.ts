// Scheduled automation: EventBridge Scheduler (the raw input) or an EventBridge rule's
// "Scheduled Event". Input {targets: [...]}; without targets, SCHEDULE_TARGETS (validated at cold
// start). Each target is ensured; a transient failure fails the invocation so the scheduler's retry
// applies, which is safe because enabling is idempotent. Any other event shape is answered with a
// summary that says what was wrong with it.
import type { Context } from 'aws-lambda';
import { ConfigError } from '../shared/config/index.ts';
import { enableAndReport, type ReportOutcome } from '../shared/enable/index.ts';
import { quote } from '../shared/runtime/index.ts';
import type { RequestIssue } from '../shared/request/index.ts';
import { isConfigurationError } from '../shared/huawei/index.ts';
import { jobResultJson, type JobStatus } from '../shared/result/index.ts';
import { deadlineOf, startFunction } from './lambda.ts';
import { isJsonObject } from './json-object.ts';

const { enabler, tracking, invoked, loggerOf } = startFunction('schedule');
const defaultTargets = readScheduleTargets(process.env.SCHEDULE_TARGETS);

/** SCHEDULE_TARGETS: a JSON array of targets, or {targets: [...]}; every target valid. */
function readScheduleTargets(value: string | undefined): readonly unknown[] {
  if (!value?.trim()) return [];
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    throw new ConfigError('SCHEDULE_TARGETS', 'is malformed: expected JSON, an array of targets or {"targets": [...]}');
  }
  const targets = targetsOf(json);
  if (!targets) throw new ConfigError('SCHEDULE_TARGETS', 'is malformed: expected an array of targets or {"targets": [...]}');
  targets.forEach((target, index) => {
    const parsed = enabler.parse(target);
    if (!parsed.success) {
      const first = parsed.issues[0];
      throw new ConfigError('SCHEDULE_TARGETS', `is malformed: targets[${index}].${first?.field} ${first?.message}`);
    }
  });
  return targets;
}

function targetsOf(input: unknown): unknown[] | undefined {
  if (Array.isArray(input)) return input;
  if (typeof input === 'object' && input !== null && Array.isArray((input as { targets?: unknown }).targets)) {
    return (input as { targets: unknown[] }).targets;
  }
  return undefined;
}

export interface ScheduleSummary {
  readonly targets: number;
  readonly counts: Partial<Record<JobStatus | 'transient', number>>;
  readonly results: ReturnType<typeof jobResultJson>[];
  /** Why nothing was ensured although the invocation succeeded: no targets anywhere. */
  readonly warning?: string;
  /** Why the input was refused: its targets are not a list. */
  readonly issues?: readonly RequestIssue[];
}

const NO_TARGETS = 'no targets: the event names none and SCHEDULE_TARGETS is not set, so nothing was ensured';

export class TransientScheduleFailure extends Error {
  override readonly name = 'TransientScheduleFailure';
}

/** This deployment cannot enable anything as configured: Lambda reports it as this errorType. */
export class ScheduleConfigurationError extends Error {
  override readonly name = 'ScheduleConfigurationError';
}

export const handler = invoked(ensureTargets);

async function ensureTargets(event: unknown, context: Context): Promise<ScheduleSummary> {
  const logger = loggerOf(context);
  // A rule's Scheduled Event carries its input in detail (or nothing: use the configured targets).
  const input = isJsonObject(event) && 'detail-type' in event ? event.detail : event;
  const noTargets = input === undefined || input === null || (isJsonObject(input) && !('targets' in input));
  const targets = noTargets ? defaultTargets : targetsOf(input);
  // Nothing to ensure anywhere: a success that did nothing must not look like one that did.
  const warning = noTargets && targets?.length === 0 ? NO_TARGETS : undefined;
  const eventId = isJsonObject(event) && typeof event.id === 'string' && event.id !== '' ? event.id : context.awsRequestId;
  const deadline = deadlineOf(context);

  const outcomes: ReportOutcome[] = [];
  const issues: RequestIssue[] = [];
  if (!targets) {
    issues.push({ field: 'targets', message: 'must be a list of targets ({"targets": [...]})' });
    logger.error('schedule input rejected', { issues });
  } else {
    if (warning) logger.warn(warning);
    // One after another: a schedule is not in a hurry, and Huawei's rate limits are shared.
    for (const [index, target] of targets.entries()) {
      const outcome = await enableAndReport(target, {
        enabler,
        source: 'schedule',
        deadline,
        dedupeKey: `${eventId}:${index}`,
        logger: logger.child({ schedule_event: quote(eventId), target: index }),
        reportRejections: true,
        tracking,
      });
      outcomes.push(outcome);
      // Every other target would fail the same way: stop at the first.
      if (isConfigurationError(outcome.result.error?.code)) break;
    }
  }

  const transient = outcomes.filter(
    (o) =>
      (o.result.status === 'failed' && o.result.retryable) ||
      (o.callback && !o.callback.delivered && o.callback.retryable) ||
      (o.kind === 'done' && o.tracking === 'failed'),
  );
  const counts: Partial<Record<JobStatus | 'transient', number>> = { transient: transient.length };
  for (const outcome of outcomes) counts[outcome.result.status] = (counts[outcome.result.status] ?? 0) + 1;
  const summary: ScheduleSummary = {
    targets: targets?.length ?? 0,
    counts,
    results: outcomes.map((o) => jobResultJson(o.result)),
    ...(warning ? { warning } : {}),
    ...(issues.length ? { issues } : {}),
  };
  logger.info('schedule finished', { ...summary });
  const misconfigured = outcomes.find((o) => isConfigurationError(o.result.error?.code));
  if (misconfigured) throw new ScheduleConfigurationError(`not transient, fix the deployment: ${misconfigured.result.error?.code}: ${misconfigured.result.error?.message}`);
  if (transient.length) {
    throw new TransientScheduleFailure(`${transient.length} of ${outcomes.length} targets failed transiently; the scheduler's retry will ask again`);
  }
  return summary;
}
