// SQS event records as Lambda's event source mapping hands them to a function: the one builder for
// the local queue, the moto poller in tests, tests' own events and the benchmark.
import type { SQSEvent, SQSMessageAttributes, SQSRecord, SQSRecordAttributes } from 'aws-lambda';
import { LOCAL_AWS } from '../lambda-context.ts';
import { nodeCrypto } from '../node-crypto.ts';

/** The queue local hosts deliver from, unless they say otherwise. */
export const LOCAL_QUEUE_NAME = 'smart-connect-enabler-local-enable';

export interface SqsRecordFields {
  body: string;
  /** Default a fresh uuid, as SQS's. */
  messageId?: string;
  /** Default a fresh one, shaped as SQS's. */
  receiptHandle?: string;
  /** ApproximateReceiveCount, default 1. */
  receiveCount?: number;
  /** SentTimestamp (epoch ms), default now. */
  sentAt?: number;
  /** ApproximateFirstReceiveTimestamp, default sentAt. */
  firstReceivedAt?: number;
  senderId?: string;
  /** Further system attributes (SequenceNumber, MessageGroupId, MessageDeduplicationId, AWSTraceHeader, ...). */
  attributes?: Partial<SQSRecordAttributes>;
  messageAttributes?: SQSMessageAttributes;
  /** Default the MD5 of the body, as SQS computes it. */
  md5OfBody?: string;
  md5OfMessageAttributes?: string;
  /** Default the local queue's ARN in LOCAL_AWS. */
  queueArn?: string;
  region?: string;
}

export function localQueueArn(name = LOCAL_QUEUE_NAME, region: string = LOCAL_AWS.region, accountId: string = LOCAL_AWS.accountId): string {
  return `arn:aws:sqs:${region}:${accountId}:${name}`;
}

/** A receipt handle shaped as SQS's: it names one receive of a message. */
export function newReceiptHandle(): string {
  return `AQEB${nodeCrypto().randomBytes(96).toString('base64')}`;
}

export function sqsRecord(fields: SqsRecordFields): SQSRecord {
  const sentAt = fields.sentAt ?? Date.now();
  const region = fields.region ?? LOCAL_AWS.region;
  return {
    messageId: fields.messageId ?? nodeCrypto().randomUUID(),
    receiptHandle: fields.receiptHandle ?? newReceiptHandle(),
    body: fields.body,
    attributes: {
      ApproximateReceiveCount: String(fields.receiveCount ?? 1),
      SentTimestamp: String(sentAt),
      SenderId: fields.senderId ?? 'AIDALOCALQUEUESENDER',
      ApproximateFirstReceiveTimestamp: String(fields.firstReceivedAt ?? sentAt),
      ...fields.attributes,
    },
    messageAttributes: fields.messageAttributes ?? {},
    md5OfBody: fields.md5OfBody ?? nodeCrypto().createHash('md5').update(fields.body).digest('hex'),
    ...(fields.md5OfMessageAttributes ? { md5OfMessageAttributes: fields.md5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: fields.queueArn ?? localQueueArn(LOCAL_QUEUE_NAME, region),
    awsRegion: region,
  };
}

/** A batch: one record per entry. */
export function sqsEvent(...records: SqsRecordFields[]): SQSEvent {
  return { Records: records.map(sqsRecord) };
}
