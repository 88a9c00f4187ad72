// A queue on SQS for JSON message bodies (tracking messages; fleet runs' enable requests). The AWS SDK
// comes with the Lambda runtime (external in the bundle) and is imported on the first send only, so
// invocations that never send do not pay for loading it.
import type { QueueSender } from './lambda.ts';

type SqsModule = typeof import('@aws-sdk/client-sqs');

export function sqsQueueSender(queueUrl: string): QueueSender {
  let sqs: Promise<{ client: InstanceType<SqsModule['SQSClient']>; SendMessageCommand: SqsModule['SendMessageCommand'] }> | undefined;
  return {
    async send(body, options = {}) {
      sqs ??= import('@aws-sdk/client-sqs').then(({ SQSClient, SendMessageCommand }) => ({ client: new SQSClient({}), SendMessageCommand }));
      const { client, SendMessageCommand } = await sqs;
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, ...(options.delaySeconds === undefined ? {} : { DelaySeconds: options.delaySeconds }) }));
    },
  };
}
