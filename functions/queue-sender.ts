// A queue as the functions send to it: a JSON text body and an optional delay. SQS in AWS; a process
// that hosts the functions (the local stack, tests) hands in its own. The AWS SDK comes with the
// Lambda runtime (external in the bundle) and is imported on the first send only, so invocations
// that never send do not pay for loading it.
export interface QueueSender {
  send(body: string, options?: { delaySeconds?: number }): Promise<void>;
}

type SqsModule = typeof import('@aws-sdk/client-sqs');
type Sqs = { client: InstanceType<SqsModule['SQSClient']>; SendMessageCommand: SqsModule['SendMessageCommand'] };

// One client for every queue this process sends to.
let sqs: Promise<Sqs> | undefined;

export function sqsQueueSender(queueUrl: string): QueueSender {
  return {
    async send(body, options = {}) {
      sqs ??= import('@aws-sdk/client-sqs').then(({ SQSClient, SendMessageCommand }) => ({ client: new SQSClient({}), SendMessageCommand }));
      const { client, SendMessageCommand } = await sqs;
      // SQS takes 0..900 seconds; a standard queue is required (FIFO queues ignore per-message delays).
      const delay = options.delaySeconds === undefined ? {} : { DelaySeconds: Math.max(0, Math.min(900, Math.round(options.delaySeconds))) };
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, ...delay }));
    },
  };
}
