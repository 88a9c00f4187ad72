// What Lambda's SQS event source mapping does, against a real SQS API (moto in tests): receive a batch
// with its system attributes, hand it to the handler as an SQSEvent, then delete every record the
// partial batch response does not list (none when the handler throws). Listed records are left alone:
// they come back when their visibility timeout ends, with a higher receive count, and the queue's
// redrive policy moves them to the dead-letter queue after maxReceiveCount receives.
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { sqsRecord } from '../../local/hosting/index.ts';

export interface EventSource {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly region: string;
  readonly handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;
  readonly context: () => Context;
}

export interface Delivery {
  readonly records: SQSRecord[];
  /** The handler's answer, or undefined when it threw. */
  readonly answer: SQSBatchResponse | void | undefined;
  readonly error?: unknown;
  /** messageIds deleted after the handler answered. */
  readonly deleted: string[];
}

/** Receives one batch (waiting up to waitSeconds for it) and delivers it; undefined when none came. */
export async function deliverBatch(source: EventSource, { waitSeconds }: { waitSeconds: number }): Promise<Delivery | undefined> {
  const { Messages: messages = [] } = await source.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: source.queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: waitSeconds,
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    }),
  );
  if (messages.length === 0) return undefined;
  const records = messages.map((message) => toRecord(message, source));
  let answer: SQSBatchResponse | void | undefined;
  let error: unknown;
  try {
    answer = await source.handler({ Records: records }, source.context());
  } catch (thrown) {
    error = thrown;
  }
  const comeBack = new Set((answer?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
  const done = error === undefined ? records.filter((record) => !comeBack.has(record.messageId)) : [];
  if (done.length > 0) {
    const result = await source.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: source.queueUrl,
        Entries: done.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
      }),
    );
    if (result.Failed?.length) throw new Error(`deleting handled records failed: ${JSON.stringify(result.Failed)}`);
  }
  return { records, answer, error, deleted: done.map((record) => record.messageId) };
}

/** Keeps receiving until a batch comes or the time is up (long polls of at most 20 s, as SQS allows). */
export async function awaitBatch(source: EventSource, { withinSeconds }: { withinSeconds: number }): Promise<Delivery> {
  const until = Date.now() + withinSeconds * 1000;
  for (;;) {
    const left = Math.ceil((until - Date.now()) / 1000);
    if (left <= 0) throw new Error(`no message arrived on ${source.queueUrl} within ${withinSeconds} s`);
    const delivery = await deliverBatch(source, { waitSeconds: Math.min(20, left) });
    if (delivery) return delivery;
  }
}

/** An SQS event record as Lambda builds it from a ReceiveMessage answer. */
function toRecord(message: Message, source: Pick<EventSource, 'queueArn' | 'region'>): SQSRecord {
  const system = message.Attributes ?? {};
  const pick = (...names: string[]) =>
    Object.fromEntries(names.flatMap((name) => (system[name as keyof typeof system] === undefined ? [] : [[name, system[name as keyof typeof system]]])));
  return sqsRecord({
    messageId: required(message.MessageId, 'MessageId'),
    receiptHandle: required(message.ReceiptHandle, 'ReceiptHandle'),
    body: message.Body ?? '',
    receiveCount: Number(required(system.ApproximateReceiveCount, 'ApproximateReceiveCount')),
    sentAt: Number(required(system.SentTimestamp, 'SentTimestamp')),
    firstReceivedAt: Number(required(system.ApproximateFirstReceiveTimestamp, 'ApproximateFirstReceiveTimestamp')),
    senderId: system.SenderId ?? '',
    attributes: pick('AWSTraceHeader', 'SequenceNumber', 'MessageGroupId', 'MessageDeduplicationId', 'DeadLetterQueueSourceArn'),
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, attribute]) => [
        name,
        {
          dataType: attribute.DataType ?? 'String',
          ...(attribute.StringValue === undefined ? {} : { stringValue: attribute.StringValue }),
          ...(attribute.BinaryValue === undefined ? {} : { binaryValue: Buffer.from(attribute.BinaryValue).toString('base64') }),
          stringListValues: attribute.StringListValues ?? [],
          binaryListValues: (attribute.BinaryListValues ?? []).map((value) => Buffer.from(value).toString('base64')),
        },
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes === undefined ? {} : { md5OfMessageAttributes: message.MD5OfMessageAttributes }),
    queueArn: source.queueArn,
    region: source.region,
  });
}

function required(value: string | undefined, name: string): string {
  if (value === undefined) throw new Error(`ReceiveMessage answered a message without ${name}`);
  return value;
}
