// A stored message as its SQS event record, with the message attributes SendMessage takes checked
// and hashed as SQS does. The record's shape is local/hosting's, shared with every other host.
import { createHash } from 'node:crypto';
import type { SQSMessageAttribute, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { sqsRecord } from '../hosting/index.ts';
import type { LocalMessageAttribute, StoredMessage } from './types.ts';

const MAX_ATTRIBUTES = 10;

export function recordOf(message: StoredMessage, queue: { arn: string; region: string }): SQSRecord {
  return sqsRecord({
    messageId: message.messageId,
    receiptHandle: message.receiptHandle ?? '',
    body: message.body,
    receiveCount: message.receiveCount,
    sentAt: message.sentAt,
    firstReceivedAt: message.firstReceivedAt ?? message.sentAt,
    attributes: {
      ...(message.sequenceNumber ? { SequenceNumber: message.sequenceNumber } : {}),
      ...(message.groupId ? { MessageGroupId: message.groupId } : {}),
      ...(message.deduplicationId ? { MessageDeduplicationId: message.deduplicationId } : {}),
    },
    messageAttributes: message.messageAttributes,
    md5OfBody: message.md5OfBody,
    ...(message.md5OfMessageAttributes ? { md5OfMessageAttributes: message.md5OfMessageAttributes } : {}),
    queueArn: queue.arn,
    region: queue.region,
  });
}

/** SendMessage's attributes as the event record carries them; throws on what SQS refuses. */
export function messageAttributes(input: Record<string, LocalMessageAttribute>): SQSMessageAttributes {
  const entries = Object.entries(input);
  if (entries.length > MAX_ATTRIBUTES) throw new Error(`a message has at most ${MAX_ATTRIBUTES} attributes`);
  const out: SQSMessageAttributes = {};
  for (const [key, attribute] of entries) {
    const binary = attribute.dataType.startsWith('Binary');
    if (!/^(String|Number|Binary)(\..+)?$/.test(attribute.dataType)) throw new Error(`message attribute ${key}: unknown dataType ${attribute.dataType}`);
    if (binary ? attribute.binaryValue === undefined : attribute.stringValue === undefined) {
      throw new Error(`message attribute ${key}: ${binary ? 'binaryValue' : 'stringValue'} is required for ${attribute.dataType}`);
    }
    const value: SQSMessageAttribute = {
      ...(binary ? { binaryValue: attribute.binaryValue } : { stringValue: attribute.stringValue }),
      stringListValues: [],
      binaryListValues: [],
      dataType: attribute.dataType,
    };
    out[key] = value;
  }
  return out;
}

/** MD5OfMessageAttributes as SQS computes it: names sorted, each field length-prefixed. */
export function md5OfAttributes(attributes: SQSMessageAttributes): string {
  const hash = createHash('md5');
  const field = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length);
    hash.update(bytes);
  };
  for (const key of Object.keys(attributes).sort()) {
    const attribute = attributes[key];
    if (!attribute) continue;
    const binary = attribute.dataType.startsWith('Binary');
    field(Buffer.from(key, 'utf8'));
    field(Buffer.from(attribute.dataType, 'utf8'));
    hash.update(Buffer.from([binary ? 2 : 1]));
    field(binary ? Buffer.from(attribute.binaryValue ?? '', 'base64') : Buffer.from(attribute.stringValue ?? '', 'utf8'));
  }
  return hash.digest('hex');
}
