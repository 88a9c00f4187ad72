// A POST with no body means "all defaults", as with Huawei's own API: give the JSON parser an empty
// object instead of letting it refuse a body that is not there.
import type { MiddlewareObj } from '@middy/core';

interface EventWithBody {
  body?: string | null | undefined;
  isBase64Encoded?: boolean;
  headers?: Record<string, string | undefined> | null;
}

export function emptyBodyAsObject(): MiddlewareObj<EventWithBody> {
  return {
    before: ({ event }) => {
      // API Gateway always sends text; a direct invocation may hand over the JSON itself.
      const raw: unknown = event.body;
      if (raw !== null && raw !== undefined && typeof raw !== 'string') {
        event.body = JSON.stringify(raw);
        event.isBase64Encoded = false;
        return;
      }
      const body = event.body ?? '';
      const text = event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
      if (text.trim() !== '') return;
      event.body = '{}';
      event.isBase64Encoded = false;
      event.headers = { ...event.headers, 'content-type': 'application/json' };
    },
  };
}
