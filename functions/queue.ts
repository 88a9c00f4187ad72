// SQS batches: each record is an enable request (one instance, or a selector for a fleet run),
// plain or wrapped by SNS or EventBridge, or one of our own tracking messages. The answer is a
// partial batch response listing only the records that should come back: transient failures,
// undelivered callbacks, and invalid or failed requests nobody could be told about (after
// maxReceiveCount those park in the dead-letter queue, so nothing is lost).
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { runBatch, type ItemVerdict } from '../shared/batch/index.ts';
import { reportRejection } from '../shared/enable/index.ts';
import { runTarget } from '../shared/fleet/index.ts';
import { isTrackingMessage, openTrackingMessage, runTrackingFlow } from '../shared/tracking/index.ts';
import { isMisconfigured } from '../shared/errors/index.ts';
import { CallError } from '../shared/huawei/index.ts';
import type { RequestIssue } from '../shared/request/index.ts';
import { countEnable } from '../shared/metrics/index.ts';
import { quote, type Logger } from '../shared/runtime/index.ts';
import { deadlineOf, startFunction, type FunctionHost, type StartedFunction } from './lambda.ts';
import { trackingVerdict, outcomeFields, readRecord, recordsOf, targetVerdict, unwrapBody, verdictFor, type QueueRecord } from './queue-records.ts';
import { flowContext, type FlowContext } from './wiring.ts';

// A whole batch (SQS gives at most 10) at once: a batch costs about one record's latency, and with
// the event source's maximumConcurrency this stays far below Huawei's 200 requests/s.
const RECORD_CONCURRENCY = 10;

export function createHandler(host: FunctionHost = {}) {
  const started = startFunction('queue', host);

  // Any event shape is read: SQS's own, or whatever a direct invoke hands over.
  return started.invoked(async function handler(event: unknown, context: Context): Promise<SQSBatchResponse> {
    const logger = started.loggerOf(context);
    const batchStart = Date.now();
    const records = recordsOf(event);
    if (records.kind === 'invalid') {
      // No record to name: nothing SQS could take back, and an error would only make Lambda run the
      // same unreadable event again. Logged loudly, answered with nothing to retry.
      logger.error('event is not an SQS batch', { issues: [records.issue] });
      return { batchItemFailures: [] };
    }
    const read = records.records.map(readRecord);
    read.forEach((record, index) => {
      if (record.kind === 'malformed' && record.id === undefined)
        logger.error('record unreadable, not listed: it has no messageId', { record: index, issues: [record.issue] });
    });
    // A malformed record with an id runs as a failure of its own, so it comes back (and, after
    // maxReceiveCount, parks in the dead-letter queue) and its FIFO group keeps its order.
    const items = read.flatMap((record) => (record.id === undefined ? [] : [{ id: record.id, group: record.group, record }]));
    const verdicts = await runBatch(
      items,
      RECORD_CONCURRENCY,
      (item) => (item.record.kind === 'record' ? handleRecord(item.record, context, started) : refuseRecord(item.id, item.record.issue, logger)),
      (item, error) => logger.error('record threw', { message_id: quote(item.id), error }),
    );
    // A message id given twice is still one message to SQS: listed once.
    const comeBack = new Set([...verdicts.failed, ...verdicts.skipped]);
    logger.info('batch finished', {
      records: read.length,
      failed: verdicts.failed.length,
      skipped: verdicts.skipped.length,
      duration_ms: Date.now() - batchStart,
    });
    return { batchItemFailures: [...comeBack].map((itemIdentifier) => ({ itemIdentifier })) };
  });
}

export const handler = createHandler();

async function handleRecord(record: QueueRecord, context: Context, started: StartedFunction): Promise<ItemVerdict> {
  const ctx = flowContext(started.deployment, {
    trigger: 'queue',
    deadline: deadlineOf(context),
    dedupeKey: record.id,
    logger: started
      .loggerOf(context)
      .child({ message_id: quote(record.id), receive_count: record.receiveCount === undefined ? undefined : quote(record.receiveCount) }),
    reportRejections: true,
  });
  const body = unwrapBody(record.body);
  if (body.kind === 'unwrapped' && isTrackingMessage(body.input)) return trackingRecord(body.input, ctx);
  // An unreadable body is counted as a rejected enable request: the enable queue's own kind.
  if (body.kind === 'invalid')
    return verdictFor(
      countEnable(started.deployment.metrics, await reportRejection({ input: undefined, issues: [{ field: 'body', message: body.message }] }, ctx)),
    );
  const outcome = await runTarget(body.input, ctx);
  const verdict = targetVerdict(outcome);
  ctx.logger.info('record finished', { ...outcomeFields(outcome), verdict });
  return verdict;
}

// Tracking messages are ours and sealed: one that does not open (forged, altered, malformed) is
// dropped, told to nobody, and does not come back. Keys that cannot be read park the record.
async function trackingRecord(input: unknown, ctx: FlowContext): Promise<ItemVerdict> {
  let opened;
  try {
    opened = await openTrackingMessage(input, ctx.deployment.trackingKeys);
  } catch (error) {
    if (!(error instanceof CallError)) throw error;
    if (isMisconfigured(error.errorCode)) ctx.logger.error('configuration error: tracking record parked', { error: error.toJSON() });
    else ctx.logger.warn('tracking keys unavailable: the record comes back', { error: error.toJSON() });
    return 'failed';
  }
  if (opened.kind === 'refused') {
    ctx.logger.error('tracking message refused', { reason: opened.reason });
    return 'done';
  }
  const outcome = await runTrackingFlow(opened.message, ctx);
  const verdict = trackingVerdict(outcome);
  ctx.logger.info('tracking record finished', { outcome: outcome.kind === 'final' ? outcome.result.status : outcome.kind, verdict });
  return verdict;
}

async function refuseRecord(id: string, issue: RequestIssue, logger: Logger): Promise<ItemVerdict> {
  logger.error('record malformed', { message_id: quote(id), issues: [issue] });
  return 'failed';
}
