// The built bundles hosted the way the local stack hosts them: createHandler(host) with the
// environment and queues handed in (no process.env, no SQS), and a queue that keeps what it is sent.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FunctionHost, QueueSender } from '../../functions/lambda.ts';
import type { BundleName, Handler } from './bundles.ts';

export type CreateHandler<E, R> = (host?: FunctionHost) => Handler<E, R>;

export async function loadCreateHandler<E, R>(name: BundleName): Promise<CreateHandler<E, R>> {
  const file = resolve(`dist/${name}/index.mjs`);
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first (npm test does)`);
  return ((await import(pathToFileURL(file).href)) as { createHandler: CreateHandler<E, R> }).createHandler;
}

export interface KeptMessage {
  readonly body: string;
  readonly delaySeconds: number | undefined;
}

/** A QueueSender that keeps each message; `failFor(body)` true makes that send throw. */
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
