// Text steps every shape shares, each built once: valibot's trim and toLowerCase are functions of
// their own in the bundle, and one transform each does the same.
import * as v from 'valibot';

export const TRIMMED = v.transform((text: string) => text.trim());

/** Text the pattern matches: valibot's regex as a check, with the message given (if any). */
export const matching = (pattern: RegExp, message?: string | ((issue: v.BaseIssue<unknown>) => string)) =>
  v.check((text: string) => pattern.test(text), message);

/** Ids are compared in lower case. */
export const LOWER_CASE = v.transform((text: string) => text.toLowerCase());
