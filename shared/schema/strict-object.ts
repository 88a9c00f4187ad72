// valibot's strictObject, built from its object schema and two raw checks: the object schema is
// bundled anyway (DMS answers, the credentials secret), and a second object schema costs a function
// about a kilobyte. Same issues in the same order, same typing: the fields' issues first, then the
// first unknown key's (valibot's own message and path, or the given message called with it), and a
// shape with an unknown key is untyped, as a failed schema is.
import * as v from 'valibot';

type Message = v.ErrorMessage<v.ObjectIssue>;
/** A strict object's schema, its entries at hand as valibot's own schema has them. */
type Shape<E extends v.ObjectEntries> = v.GenericSchema<v.InferInput<v.ObjectSchema<E, undefined>>, v.InferOutput<v.ObjectSchema<E, undefined>>> & {
  readonly entries: E;
};

export function strictObject<const E extends v.ObjectEntries>(entries: E, message?: Message): Shape<E> {
  // The input as it came, for the check after the object schema (which keeps the known keys only),
  // found by the dataset the pipe hands from step to step.
  const inputs = new WeakMap<object, Record<string, unknown>>();
  const schema = v.pipe(
    v.unknown(),
    v.rawCheck(({ dataset }) => {
      const input = dataset.value;
      if (input && typeof input === 'object') inputs.set(dataset, input as Record<string, unknown>);
    }),
    v.object(entries, message),
    v.rawCheck(({ dataset, addIssue }) => {
      const input = inputs.get(dataset);
      if (!input) return;
      for (const key in input) {
        if (Object.hasOwn(entries, key)) continue;
        const path: [v.ObjectPathItem] = [{ type: 'object', origin: 'key', input, key, value: input[key] }];
        addIssue({ label: 'key', input: key, expected: 'never', path, ...(message === undefined ? {} : { message: message as v.ErrorMessage<v.RawCheckIssue<unknown>> }) });
        (dataset as { typed: boolean }).typed = false;
        break;
      }
    }),
  );
  return Object.assign(schema, { entries }) as unknown as Shape<E>;
}
