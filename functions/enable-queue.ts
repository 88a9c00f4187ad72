// Where a fleet run sends the instances to enable, one ordinary enable request each: the queue a
// hosting process hands in, else SQS when ENABLE_QUEUE_URL is set; neither: the run enables them
// itself. Wired only by what runs fleets (queue, schedule, the command line).
import { runBatch } from '../shared/batch/index.ts';
import type { Config } from '../shared/config/index.ts';
import { ENQUEUE_FAILED } from '../shared/errors/index.ts';
import type { EnableQueuePort, EnqueueReceipt } from '../shared/fleet/index.ts';
import { quote } from '../shared/runtime/index.ts';
import { sqsQueueSender, type QueueSender } from './queue-sender.ts';

// Sends in flight at once: a fleet of hundreds is queued in seconds, well inside SQS's limits.
const ENQUEUE_CONCURRENCY = 10;

export function enableQueueFor(config: Pick<Config, 'enableQueueUrl'>, hosted: QueueSender | undefined): EnableQueuePort | undefined {
  const sender = hosted ?? (config.enableQueueUrl ? sqsQueueSender(config.enableQueueUrl) : undefined);
  return sender ? enableQueueOn(sender) : undefined;
}

export function enableQueueOn(sender: QueueSender): EnableQueuePort {
  return {
    async enqueue(requests): Promise<EnqueueReceipt> {
      const failed: { instance_id: string; error: { code: string; message: string } }[] = [];
      const items = requests.map((request) => ({ id: request.instance_id, request }));
      await runBatch(
        items,
        ENQUEUE_CONCURRENCY,
        async ({ request }) => {
          await sender.send(JSON.stringify(request));
          return 'done';
        },
        // The error's name only (QueueDoesNotExist, ThrottlingException, ...): its message may carry URLs.
        ({ id }, error) =>
          failed.push({
            instance_id: id,
            error: { code: ENQUEUE_FAILED, message: `the enable request could not be queued (${quote(error instanceof Error ? error.name : 'unknown')})` },
          }),
      );
      return { failed };
    },
  };
}
