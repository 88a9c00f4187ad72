// Sealed tracking messages on SQS. The AWS SDK comes with the Lambda runtime (external in the bundle)
// and is imported on the first send only, so invocations that never track do not pay for loading it.
import type { SealedTrackingMessage, TrackingTransport } from '../shared/follow/index.ts';

type SqsModule = typeof import('@aws-sdk/client-sqs');

export function sqsTrackingQueue(queueUrl: string): TrackingTransport {
  let sqs: Promise<{ client: InstanceType<SqsModule['SQSClient']>; SendMessageCommand: SqsModule['SendMessageCommand'] }> | undefined;
  return {
    async send(message: SealedTrackingMessage, delaySeconds: number) {
      sqs ??= import('@aws-sdk/client-sqs').then(({ SQSClient, SendMessageCommand }) => ({ client: new SQSClient({}), SendMessageCommand }));
      const { client, SendMessageCommand } = await sqs;
      // SQS takes 0..900 seconds; a standard queue is required (FIFO queues ignore per-message delays).
      const delay = Math.max(0, Math.min(900, Math.round(delaySeconds)));
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(message), DelaySeconds: delay }));
    },
  };
}
