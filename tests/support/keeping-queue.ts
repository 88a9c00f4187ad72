// A queue handed to a bundle's createHandler as a host hands one in (the enable queue, the tracking
// queue): it keeps what it is sent, and can be told to refuse some sends as SQS would.
import type { QueueSender } from '../../local/hosting/index.ts';

export interface KeptMessage {
  readonly body: string;
  readonly delaySeconds: number | undefined;
}

/** A QueueSender that keeps each message; `failFor(body)` true makes that send throw (a throttled SQS, its URL in the message). */
export function keepingQueue(failFor: (body: string) => boolean = () => false) {
  const messages: KeptMessage[] = [];
  const sender: QueueSender = {
    send: async (body, options = {}) => {
      if (failFor(body)) throw Object.assign(new Error('https://sqs.eu-west-1.amazonaws.com/123456789012/q is throttled'), { name: 'ThrottlingException' });
      messages.push({ body, delaySeconds: options.delaySeconds });
    },
  };
  return { sender, messages, bodies: () => messages.map((m) => JSON.parse(m.body) as Record<string, unknown>) };
}
