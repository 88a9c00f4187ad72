// Which of the account's projects an account-wide run covers, decided from IAM's list alone: every
// enabled project named after a Kafka region, or after one with a suffix (`cn-north-4_dev`, a
// sub-project, is in cn-north-4). Every other project is kept with the reason it is left out, so a
// summary names all that IAM listed.
import { KAFKA_REGIONS, type IamProject, type KafkaRegion } from '../huawei/index.ts';
import { quote } from '../runtime/index.ts';

/**
 * disabled: `enabled: false` in IAM; not_a_region: a name no region has (MOS, a typo); no_kafka_in_region:
 * a region Huawei's Kafka SDK does not serve; not_in_regions: left out by the run's `regions`;
 * unreadable: an id that is no project id (32 hexadecimal characters), so no request could name it.
 */
export type SkipReason = 'disabled' | 'not_a_region' | 'no_kafka_in_region' | 'not_in_regions' | 'unreadable';

/** A project a run covers, as its Fleet summary names it. */
export interface AccountProject {
  readonly project_id: string;
  readonly project_name: string;
  readonly region: KafkaRegion;
}

/** A project a run leaves out, as the Account summary's skipped_projects lists it. */
export interface SkippedProject {
  readonly project_id: string;
  readonly name: string;
  readonly reason: SkipReason;
}

export interface ProjectSplit {
  readonly projects: readonly AccountProject[];
  readonly skipped: readonly SkippedProject[];
}

const KAFKA_REGION_SET: ReadonlySet<string> = new Set(KAFKA_REGIONS);
// How Huawei names regions (cn-north-4, ap-southeast-1, eu-west-101, my-kualalumpur-1): a region with
// no Kafka is told apart from a name that is no region at all.
const REGION_LIKE = /^[a-z]{2}-[a-z]+-\d+$/;
/** A project id as IAM gives it and a request carries it. */
export const PROJECT_ID = /^[0-9a-f]{32}$/i;

/** The region a project's name places it in: the name itself, or what comes before the first `_`. */
export function regionPartOf(name: string): string {
  const cut = name.indexOf('_');
  return cut < 0 ? name : name.slice(0, cut);
}

/**
 * Splits IAM's projects into those a run covers (in IAM's order) and those it skips, with why.
 * `regions` narrows the run to those regions; undefined covers every region. A project listed twice
 * counts once.
 */
export function classifyProjects(listed: readonly IamProject[], regions?: readonly KafkaRegion[]): ProjectSplit {
  const wanted: ReadonlySet<string> | undefined = regions && new Set(regions);
  const projects: AccountProject[] = [];
  const skipped: SkippedProject[] = [];
  const seen = new Set<string>();
  for (const project of listed) {
    // IAM's text is bounded like any listed text before it reaches a summary.
    const id = quote(project.id);
    const name = quote(project.name);
    if (seen.has(id.toLowerCase())) continue;
    seen.add(id.toLowerCase());
    const region = regionPartOf(project.name);
    const reason = skipReason(project, region, wanted);
    if (reason) skipped.push({ project_id: id, name, reason });
    else projects.push({ project_id: id.toLowerCase(), project_name: name, region: region as KafkaRegion });
  }
  return { projects, skipped };
}

// The most basic reason first: an unusable id, then the project's state, then its name, then the run's narrowing.
function skipReason(project: IamProject, region: string, wanted: ReadonlySet<string> | undefined): SkipReason | undefined {
  if (!PROJECT_ID.test(project.id)) return 'unreadable';
  if (!project.enabled) return 'disabled';
  if (!REGION_LIKE.test(region)) return 'not_a_region';
  if (!KAFKA_REGION_SET.has(region)) return 'no_kafka_in_region';
  if (wanted && !wanted.has(region)) return 'not_in_regions';
  return undefined;
}
