// true or false, as valibot's boolean schema reads them, made of its picklist schema (a schema, so a
// wrong value fails the same way): the boolean schema is a function more in the bundle.
import * as v from 'valibot';

const BOOLEANS = [true, false] as const;

/** `message` says what is wrong; by default, as valibot's boolean says it. */
export function trueOrFalse(message: string | ((issue: v.BaseIssue<unknown>) => string) = (issue) => `Invalid type: Expected boolean but received ${issue.received}`) {
  // picklist's types take strings and numbers only; at run time it compares any value with ===.
  return v.picklist(BOOLEANS as unknown as [string], message) as unknown as v.GenericSchema<boolean, boolean>;
}
