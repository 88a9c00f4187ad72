// An account as a platform team has one: Kafka in several regions and a sub-project, next to the
// projects an account-wide run must leave out (a disabled one, MOS, a region without Kafka). Each
// covered project holds a small mixed fleet; ids are derived from positions, never random, so tests,
// the README and the banner can name them.
import { mixedFleet, type FleetSeed } from './fleet-seeds.ts';
import type { AccountSeed, ProjectSeed } from './types.ts';

export const SAMPLE_DOMAIN_ID = 'acc0acc0acc0acc0acc0acc0acc0acc0';

/** The sample account's projects by name (the file's opening says which an account-wide run covers). */
export const SAMPLE_PROJECTS = [
  { name: 'cn-north-4' },
  { name: 'cn-north-4_dev' },
  { name: 'ap-southeast-1' },
  { name: 'eu-west-101' },
  { name: 'la-south-2', enabled: false },
  { name: 'MOS' },
  // Named as Huawei names regions, but not one Huawei's Kafka SDK serves.
  { name: 'cn-north-7' },
] as const;

export type SampleProjectName = (typeof SAMPLE_PROJECTS)[number]['name'];

export interface SampleAccountOptions {
  /** cn-north-4's project id (the local stack gives the project events/ name); default one of the pattern below. */
  readonly homeProjectId?: string;
  /** Kafka instances in each project named after a region, default 5 (one of each kind a fleet run tells apart). */
  readonly instancesPerProject?: number;
  /** Tags every instance carries; default {team: 'data'}. */
  readonly tags?: Record<string, string>;
}

export interface SampleAccount {
  readonly account: AccountSeed;
  /** Project ids by name. */
  readonly projectIds: Readonly<Record<SampleProjectName, string>>;
  /** The instances of every project named after a region (the disabled one's too: a run must not touch them). */
  readonly instances: readonly FleetSeed[];
}

export function sampleAccount(options: SampleAccountOptions = {}): SampleAccount {
  const count = options.instancesPerProject ?? 5;
  const projects: ProjectSeed[] = SAMPLE_PROJECTS.map((project, index) => ({
    id: index === 0 && options.homeProjectId ? options.homeProjectId : projectIdAt(index),
    name: project.name,
    ...('enabled' in project ? { enabled: project.enabled } : {}),
  }));
  const instances = projects.flatMap((project, index) =>
    project.name === 'MOS'
      ? []
      : mixedFleet({
          projectId: project.id,
          count,
          namePrefix: `${project.name}-kafka-`,
          nameDigits: 2,
          tags: options.tags ?? { team: 'data' },
          uuids: (position) => instanceUuids(index, position),
        }),
  );
  const projectIds = Object.fromEntries(projects.map((project) => [project.name, project.id])) as Record<SampleProjectName, string>;
  return { account: { domainId: SAMPLE_DOMAIN_ID, domainName: 'sample-account', projects }, projectIds, instances };
}

// Project n (from 0): acc0000000000000000000000000000NN.
function projectIdAt(index: number): string {
  return `acc0${String(index).padStart(28, '0')}`;
}

// Project p's instance i: acc0f1ee-0000-4000-8000-PPIIIIIIIIII; its enable job's connector acc0c000-...
function instanceUuids(project: number, position: number): { instanceId: string; connectorId: string } {
  const ending = `${String(project).padStart(2, '0')}${String(position).padStart(10, '0')}`;
  return { instanceId: `acc0f1ee-0000-4000-8000-${ending}`, connectorId: `acc0c000-0000-4000-8000-${ending}` };
}
