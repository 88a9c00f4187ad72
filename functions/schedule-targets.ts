// The schedule's targets: an event's {targets: [...]}, or SCHEDULE_TARGETS (a JSON array of targets
// or {targets: [...]}), each one instance or a selector, checked at cold start.
import { ConfigError } from '../shared/config/index.ts';
import { parseTarget, type TargetSchemas } from '../shared/fleet/index.ts';
import { isJsonObject } from '../shared/runtime/index.ts';

export function targetsOf(input: unknown): unknown[] | undefined {
  if (Array.isArray(input)) return input;
  if (isJsonObject(input) && Array.isArray(input.targets)) return input.targets;
  return undefined;
}

/** SCHEDULE_TARGETS: every target valid, or a ConfigError naming the first problem. */
export function readScheduleTargets(value: string | undefined, schemas: TargetSchemas): readonly unknown[] {
  if (!value?.trim()) return [];
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    throw new ConfigError('SCHEDULE_TARGETS', 'is malformed: expected JSON, an array of targets or {"targets": [...]}');
  }
  const targets = targetsOf(json);
  if (!targets) throw new ConfigError('SCHEDULE_TARGETS', 'is malformed: expected an array of targets or {"targets": [...]}');
  targets.forEach((target, index) => {
    const parsed = parseTarget(schemas, target);
    if (parsed.kind === 'invalid') {
      const first = parsed.issues[0];
      throw new ConfigError('SCHEDULE_TARGETS', `is malformed: targets[${index}].${first?.field} ${first?.message}`);
    }
  });
  return targets;
}
