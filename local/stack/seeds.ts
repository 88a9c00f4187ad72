// What the local stack seeds its simulator with. In its own project: the instances it is given (the
// ids events/ use unless SIMULATOR_INSTANCES names others), ready to enable, and beside them a small
// mixed fleet for fleet runs: two teams, each with one instance in every state a fleet run tells
// apart. Around it, an account as IAM lists it (sampleAccount): the stack's project is its
// cn-north-4, beside a sub-project and other regions, each with a small team=data fleet, and the
// projects an account-wide run leaves out. Ids are derived from positions, not random, so the README
// and the banner can name them.
import {
  FLEET_SEED_KINDS,
  mixedFleet,
  sampleAccount,
  type AccountSeed,
  type FleetSeed,
  type InstanceSeed,
  type SampleProjectName,
} from '../simulator/index.ts';

/** The given instances: pay-per-use, RUNNING, connector off; named app-kafka-NN, tagged team=app. */
export const READY_TEAM = 'app';
/** The mixed fleet's teams: named <team>-kafka-NN, tagged team=<team>, one instance of each kind. */
export const FLEET_TEAMS = ['data', 'web'] as const;

export interface StackSeeds {
  readonly ready: readonly InstanceSeed[];
  readonly fleet: readonly FleetSeed[];
  /** What IAM serves: the stack's project (named cn-north-4) and the account's others. */
  readonly account: AccountSeed;
  readonly projectIds: Readonly<Record<SampleProjectName, string>>;
  /** The instances of the account's other projects. */
  readonly elsewhere: readonly FleetSeed[];
}

export function stackSeeds({ projectId, instances }: { projectId: string; instances: readonly string[] }): StackSeeds {
  const ready = instances.map((instanceId, index) => ({
    projectId,
    instanceId,
    name: `${namePrefix(READY_TEAM)}${String(index).padStart(2, '0')}`,
    tags: { team: READY_TEAM },
  }));
  const teamSize = FLEET_SEED_KINDS.length;
  const fleet = FLEET_TEAMS.flatMap((team, teamIndex) =>
    mixedFleet({
      projectId,
      count: teamSize,
      namePrefix: namePrefix(team),
      nameDigits: 2,
      tags: { team },
      uuids: (index) => fleetUuids(teamIndex * teamSize + index + 1),
    }),
  );
  // An instance named in SIMULATOR_INSTANCES is seeded as given, once.
  const given = new Set(instances);
  const sample = sampleAccount({ homeProjectId: projectId });
  return {
    ready,
    fleet: fleet.filter((seed) => !given.has(seed.instanceId)),
    account: sample.account,
    projectIds: sample.projectIds,
    elsewhere: sample.instances.filter((seed) => seed.projectId !== projectId && !given.has(seed.instanceId)),
  };
}

/** Names are <team>-kafka-NN, NN the position in the team from 00. */
function namePrefix(team: string): string {
  return `${team}-kafka-`;
}

// Fleet instance n (from 1): f1ee7000-0000-4000-8000-<n in 12 decimal digits>; its enable job's
// connector f1ee7c00-... with the same ending.
function fleetUuids(n: number): { instanceId: string; connectorId: string } {
  const ending = String(n).padStart(12, '0');
  return { instanceId: `f1ee7000-0000-4000-8000-${ending}`, connectorId: `f1ee7c00-0000-4000-8000-${ending}` };
}
