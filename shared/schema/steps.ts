// Text steps every shape shares, each built once: valibot's trim and toLowerCase are functions of
// their own in the bundle, and one transform each does the same.
import * as v from 'valibot';

export const TRIMMED = v.transform((text: string) => text.trim());

/** Ids are compared in lower case. */
export const LOWER_CASE = v.transform((text: string) => text.toLowerCase());
