// First of all, the event must be API Gateway's (HTTP API payload 2.0 or REST API payload 1.0): a
// direct invoke with a null event, no requestContext or fields of the wrong type is a 400 naming the
// field, not a TypeError and a 500. Only what the function reads is checked; the body is the body
// parsers' to judge.
import type { MiddlewareObj } from '@middy/core';
import * as v from 'valibot';
import { isJsonObject, QUOTE_MAX, quote } from '../../shared/runtime/index.ts';
import type { RequestIssue } from '../../shared/request/index.ts';
import { InputError, isRequestId } from './json-errors.ts';

// A missing value and a wrong one read differently to a person.
const expect = (what: string) => (issue: v.BaseIssue<unknown>) => (issue.input === undefined ? `is required: ${what}` : `must be ${what}`);

// valibot's object schemas take arrays for objects: a JSON object is asked for first.
const object = <const T extends v.ObjectEntries>(what: string, entries: T) =>
  v.pipe(v.custom<Record<string, unknown>>(isJsonObject, expect(what)), v.looseObject(entries));
const method = v.string(expect('a string (the HTTP method)'));
const stringsBy = (keys: string) =>
  v.pipe(v.custom<Record<string, unknown>>(isJsonObject, expect(`an object of ${keys} to strings`)), v.record(v.string(), v.string(expect('a string'))));

const httpEventSchema = object('an API Gateway event (HTTP API payload 2.0 or REST API payload 1.0)', {
  requestContext: object("an object (API Gateway's request context)", {
    requestId: v.custom<string>(isRequestId, expect(`API Gateway's request id (1 to ${QUOTE_MAX} characters)`)),
    http: v.optional(object('an object (payload 2.0: method, path)', { method })),
    httpMethod: v.optional(method),
  }),
  httpMethod: v.nullish(method),
  headers: v.nullish(stringsBy('header names')),
  multiValueHeaders: v.nullish(
    v.pipe(
      v.custom<Record<string, unknown>>(isJsonObject, expect('an object of header names to lists of strings')),
      v.record(v.string(), v.array(v.string(expect('a string')), expect('a list of strings'))),
    ),
  ),
  // The values are the request schema's to judge (project_id, instance_id, region).
  pathParameters: v.nullish(object('an object (project_id, instance_id)', { project_id: v.unknown(), instance_id: v.unknown() })),
  queryStringParameters: v.nullish(stringsBy('query parameters')),
  isBase64Encoded: v.nullish(v.boolean(expect('true or false'))),
});

export type HttpEventShape = v.InferOutput<typeof httpEventSchema>;

export function httpEventShape(): MiddlewareObj<unknown> {
  return {
    before: ({ event }) => {
      // Checked, not replaced: the parsers after this one work on the event as it came.
      const checked = v.safeParse(httpEventSchema, event, { abortEarly: false });
      if (!checked.success) throw new InputError(checked.issues.map(toIssue));
    },
  };
}

// Field names may come from the input (a header's name): quoted, like any input.
function toIssue(issue: v.BaseIssue<unknown>): RequestIssue {
  return { field: quote(v.getDotPath(issue) ?? 'event'), message: issue.message };
}
