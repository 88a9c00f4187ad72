// What a callback URL given as text goes through before anything is sent, as a request's does: the
// callback room's one rule (the schema every request shape uses), then the destination check. A URL
// the rule refuses ends as a refusal, like one the destination check refuses.
import * as v from 'valibot';
import { callbackUrlSchema, checkCallbackDestination } from '../../shared/callback/index.ts';

// The check's own types, as its face's function declares them.
type DestinationCheckOptions = Parameters<typeof checkCallbackDestination>[1];
type DestinationCheck = Awaited<ReturnType<typeof checkCallbackDestination>>;

export async function checkCallbackText(text: string, options: DestinationCheckOptions): Promise<DestinationCheck> {
  const parsed = v.safeParse(callbackUrlSchema(options.allowedHosts), text);
  if (!parsed.success) return { kind: 'refused', reason: `callback URL ${parsed.issues[0]?.message ?? 'is refused'}` };
  return checkCallbackDestination(parsed.output, options);
}
