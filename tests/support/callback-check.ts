// What a callback URL given as text goes through before anything is sent, as a request's does: the
// callback room's one rule (the schema every request shape uses), then the target check. A URL the
// rule refuses ends as a refusal, like one the target check refuses.
import * as v from 'valibot';
import { callbackUrlSchema, checkCallbackTarget } from '../../shared/callback/index.ts';

// The check's own types, as its face's function declares them.
type TargetCheckOptions = Parameters<typeof checkCallbackTarget>[1];
type TargetCheck = Awaited<ReturnType<typeof checkCallbackTarget>>;

export async function checkCallbackText(text: string, options: TargetCheckOptions): Promise<TargetCheck> {
  const parsed = v.safeParse(callbackUrlSchema(options.allowedHosts), text);
  if (!parsed.success) return { ok: false, reason: `callback URL ${parsed.issues[0]?.message ?? 'is refused'}`, transient: false };
  return checkCallbackTarget(parsed.output, options);
}
