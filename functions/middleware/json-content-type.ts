// A body is read as JSON unless its content type says otherwise: AWS's own sample events and
// signing clients often send none. An explicit other type (a form, text) is refused by name: a body
// sent as something else was not meant as this API's JSON.
import type { MiddlewareObj } from '@middy/core';
import { UNSUPPORTED_MEDIA_TYPE } from '../../shared/errors/index.ts';
import { quote } from '../../shared/runtime/index.ts';
import { InputError } from './json-errors.ts';

interface EventWithHeaders {
  headers?: Record<string, string | undefined> | null;
}

/** A header's value whatever the case of its name; of several spellings, the last given. */
export function headerOf(headers: EventWithHeaders['headers'], name: string): string | undefined {
  let value: string | undefined;
  for (const [key, given] of Object.entries(headers ?? {})) if (key.toLowerCase() === name) value = given;
  return value;
}

export function jsonContentType(): MiddlewareObj<EventWithHeaders> {
  return {
    before: ({ event }) => {
      const type = headerOf(event.headers, 'content-type');
      // An empty header names no type, as no header does.
      if (type === undefined || type.trim() === '' || isJsonMediaType(type)) return;
      throw new InputError(
        [{ field: 'content-type', message: `must be application/json (or application/*+json), not ${quote(type)}` }],
        UNSUPPORTED_MEDIA_TYPE,
      );
    },
  };
}

/** application/json or a structured +json type, whatever its parameters (charset) and case. */
export function isJsonMediaType(value: string): boolean {
  const essence = value.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return /^application\/(?:[a-z0-9!#$&^_.+-]+\+)?json$/.test(essence);
}
