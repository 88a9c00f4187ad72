// Before middy's JSON parser: a body handed over already parsed (a direct invoke, not API Gateway)
// is taken as the JSON it is; no body at all is refused with a clear 400 naming it, so a request
// that says nothing never enables anything ({} asks for all defaults).
import type { MiddlewareObj } from '@middy/core';
import { InputError } from './json-errors.ts';

interface EventWithBody {
  body?: string | null | undefined;
  isBase64Encoded?: boolean;
}

export function jsonBodyShape(): MiddlewareObj<EventWithBody> {
  return {
    before: ({ event }) => {
      const raw: unknown = event.body;
      if (raw !== null && raw !== undefined && typeof raw !== 'string') {
        event.body = jsonTextOf(raw);
        event.isBase64Encoded = false;
        return;
      }
      const body = event.body ?? '';
      const text = event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
      if (text.trim() === '') {
        throw new InputError([{ field: 'body', message: 'is required: a JSON object ({} for all defaults)' }]);
      }
    },
  };
}

// A value handed over already parsed may be circular or nested too deep to write back as JSON.
function jsonTextOf(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  if (text === undefined) throw new InputError([{ field: 'body', message: 'cannot be read as JSON (circular, nested too deep, or not a JSON value)' }]);
  return text;
}
