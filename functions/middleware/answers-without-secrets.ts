// The last thing every HTTP answer passes, whatever built it (the handler, the error middleware, a
// parser): no known secret, and no credential-shaped value, leaves in its body or its headers.
import { redact, redactFields } from '../../shared/redact/index.ts';
import type { HttpAnswer } from '../http/answers.ts';

type Handler<E, C> = (event: E, context: C) => Promise<HttpAnswer>;

export function answersWithoutSecrets<E, C>(handler: Handler<E, C>, secrets: () => readonly string[]): Handler<E, C> {
  return async (event, context) => redactAnswer(await handler(event, context), secrets());
}

export function redactAnswer(answer: HttpAnswer, secrets: readonly string[]): HttpAnswer {
  const headers = redactFields(answer.headers, secrets) as Record<string, string>;
  // Almost every answer holds nothing to take out, and one pass over its text says so. Otherwise it
  // is redacted value by value: cutting the JSON text could split an escape and break the document.
  if (redact(answer.body, secrets) === answer.body) return { ...answer, headers };
  let body: unknown;
  try {
    body = JSON.parse(answer.body);
  } catch {
    return { ...answer, headers, body: redact(answer.body, secrets) };
  }
  return { ...answer, headers, body: JSON.stringify(redactFields(body, secrets)) };
}
