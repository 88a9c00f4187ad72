// Parsing any request shape: its value, or every issue by field (and, when the shape failed, the
// callback URL it names if that field itself passed, so the sender can still be told).
import * as v from 'valibot';
import type { CallbackUrl } from '../callback/index.ts';
import { toRequestIssues, type RequestIssue } from './issues.ts';

export type ParsedRequest<T> =
  | { readonly kind: 'parsed'; readonly request: T }
  | { readonly kind: 'invalid'; readonly issues: readonly RequestIssue[]; readonly callbackUrl?: CallbackUrl };

export function parseRequest<S extends v.GenericSchema>(schema: S, input: unknown): ParsedRequest<v.InferOutput<S>> {
  // valibot's object schemas take arrays for objects; a list of requests is not one request.
  if (Array.isArray(input)) return { kind: 'invalid', issues: [{ field: 'request', message: 'must be a JSON object' }] };
  const result = v.safeParse(schema, input, { abortEarly: false });
  if (result.success) return { kind: 'parsed', request: result.output };
  return { kind: 'invalid', issues: toRequestIssues(result.issues), ...passedCallbackUrl(result) };
}

/**
 * valibot checks every field (abortEarly off) and keeps each field's own output, so a callback_url
 * without an issue of its own is one that met the rule: read, not parsed again.
 */
function passedCallbackUrl(result: { readonly output: unknown; readonly issues: readonly v.BaseIssue<unknown>[] }): { callbackUrl?: CallbackUrl } {
  if (result.issues.some((issue) => issue.path?.[0]?.key === 'callback_url')) return {};
  const url = (result.output as { callback_url?: unknown } | null | undefined)?.callback_url;
  return typeof url === 'string' ? { callbackUrl: url as CallbackUrl } : {};
}
