// Seeds for a mixed fleet: one project's instances in every state a fleet run tells apart, in a
// fixed rotation so a test knows how many of each it made.
import { randomUUID } from 'node:crypto';
import type { InstanceSeed } from './types.ts';

/**
 * to_enable: pay-per-use and RUNNING without a connector; enabled: connector on; enabling: EXTENDING
 * with the enable job's connector; yearly: yearly/monthly billing; busy: RESTARTING.
 */
export const FLEET_SEED_KINDS = ['to_enable', 'enabled', 'enabling', 'yearly', 'busy'] as const;
export type FleetSeedKind = (typeof FLEET_SEED_KINDS)[number];

export type FleetSeed = InstanceSeed & { readonly kind: FleetSeedKind };

export interface MixedFleetOptions {
  projectId: string;
  count: number;
  /** Kinds in rotation, instance i gets kinds[i % kinds.length]; default every kind. */
  kinds?: readonly FleetSeedKind[];
  /** Names are the prefix and the instance's position; default 'kafka-'. */
  namePrefix?: string;
  /** Digits of the position in a name, default 5 ('kafka-00007'). */
  nameDigits?: number;
  /** Instance i's UUIDs (its id; its job's connector when enabling); default random ones. */
  uuids?: (index: number) => { instanceId: string; connectorId: string };
  tags?: Record<string, string>;
  enterpriseProjectId?: string;
}

/** Huawei's tag limits: 20 per resource, keys up to 128 characters, values up to 255. */
export const TAG_LIMITS = { count: 20, key: 128, value: 255 } as const;

/**
 * The largest tags an instance can carry: 20 of them, keys of 128 and values of 255 characters
 * outside Latin-1 (three bytes each in UTF-8, two in a JavaScript string). Keys are `00...`, `01...`.
 */
export function largestTags(): Record<string, string> {
  return Object.fromEntries(
    Array.from({ length: TAG_LIMITS.count }, (_, i) => [`${String(i).padStart(2, '0')}${'鍵'.repeat(TAG_LIMITS.key - 2)}`, '値'.repeat(TAG_LIMITS.value)]),
  );
}

export function mixedFleet(options: MixedFleetOptions): FleetSeed[] {
  const kinds = options.kinds ?? FLEET_SEED_KINDS;
  if (kinds.length === 0) throw new RangeError('a mixed fleet needs at least one kind');
  const uuids = options.uuids ?? (() => ({ instanceId: randomUUID(), connectorId: randomUUID() }));
  return Array.from({ length: options.count }, (_, index) => {
    const kind = kinds[index % kinds.length] as FleetSeedKind;
    const { instanceId, connectorId } = uuids(index);
    return {
      kind,
      projectId: options.projectId,
      instanceId,
      name: `${options.namePrefix ?? 'kafka-'}${String(index).padStart(options.nameDigits ?? 5, '0')}`,
      ...(options.tags && { tags: options.tags }),
      ...(options.enterpriseProjectId && { enterpriseProjectId: options.enterpriseProjectId }),
      ...seedFor(kind, connectorId),
    };
  });
}

function seedFor(kind: FleetSeedKind, connectorId: string): Partial<InstanceSeed> {
  switch (kind) {
    case 'to_enable':
      return {};
    case 'enabled':
      return { connectorEnabled: true };
    case 'enabling':
      return { status: 'EXTENDING', connectorId };
    case 'yearly':
      return { chargingMode: 0 };
    case 'busy':
      return { status: 'RESTARTING' };
  }
}
