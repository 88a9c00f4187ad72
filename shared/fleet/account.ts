// An account-wide run: the account's projects from IAM (those named after a Kafka region or a
// sub-project of one; the others skipped, with why), each run as one project's selector in its own
// region, at most ACCOUNT_CONCURRENCY at once. Instances enabled here share one bound across all
// projects (no more at a time than one project's run enables); fanned out, each goes to the enable
// queue naming its own project and region, where the queue's concurrency cap holds. Each project's
// whole summary is logged, its instances in lines of a bounded size.
import { atMostAtOnce, eachAtMost } from '../batch/index.ts';
import type { KafkaRegion, RegionalDms } from '../huawei/index.ts';
import type { AccountProject, ProjectDirectory } from '../projects/index.ts';
import { LOG_LINE_MAX, silentLogger, type Deadline, type Logger } from '../runtime/index.ts';
import { DEFAULT_INLINE_CONCURRENCY, type FleetApplyPort } from './apply.ts';
import { runFleet } from './run.ts';
import type { AccountSelector, SelectorTarget } from './selector.ts';
import { accountSummary, failedAccountSummary, type AccountSummary, type FleetInstanceResult, type ProjectFleetSummary, type Redact } from './summary.ts';

/** Projects listed (and run) at once. */
export const ACCOUNT_CONCURRENCY = 8;

export interface AccountDeps {
  readonly projects: Pick<ProjectDirectory, 'accountProjects'>;
  /** The client in a project's region. */
  dmsIn(region: KafkaRegion): Pick<RegionalDms, 'listInstances'>;
  readonly deadline: Deadline;
  /** How instances to enable are enabled: fanned out, or here (one bound for all projects). */
  readonly apply: FleetApplyPort;
  readonly logger?: Logger | undefined;
  readonly redact?: Redact | undefined;
  /** A project listing more than this many pages is refused; default DEFAULT_MAX_PAGES. */
  readonly maxPages?: number;
  /** Projects run at once; default ACCOUNT_CONCURRENCY. */
  readonly concurrency?: number;
}

/** The account's summary, and whether asking again later may do better. */
export interface AccountRun {
  readonly summary: AccountSummary;
  /** IAM could not list the projects for now, or a project's run failed in a way a retry may mend. */
  readonly transient: boolean;
}

export async function runAccount(target: AccountSelector, deps: AccountDeps): Promise<AccountRun> {
  const logger = deps.logger ?? silentLogger;
  const listing = await deps.projects.accountProjects({ deadline: deps.deadline, logger, regions: target.regions });
  if (listing.kind === 'failed') return { summary: failedAccountSummary(target.dry_run, listing.error, deps.redact), transient: listing.retryable };

  const apply = sharedBound(deps.apply);
  const summaries: ProjectFleetSummary[] = [];
  let transient = false;
  await eachAtMost(listing.projects, deps.concurrency ?? ACCOUNT_CONCURRENCY, async (project, index) => {
    const projectLogger = logger.child({ project_id: project.project_id, region: project.region });
    const run = await runFleet(projectTarget(target, project), {
      dms: deps.dmsIn(project.region),
      deadline: deps.deadline,
      apply,
      logger: projectLogger,
      redact: deps.redact,
      maxPages: deps.maxPages,
    });
    const { project_id, ...rest } = run.summary;
    const summary: ProjectFleetSummary = { project_id, project_name: project.project_name, ...rest };
    summaries[index] = summary;
    transient ||= run.transient;
    logProjectSummary(projectLogger, summary);
  });
  return { summary: accountSummary(target.dry_run, summaries, listing.skipped), transient };
}

// One project's selector: the account's conditions and options, in that project and its region.
function projectTarget(target: AccountSelector, project: AccountProject): SelectorTarget {
  const { projects: _, regions: __, ...run } = target;
  return { project_id: project.project_id, region: project.region, ...run };
}

// Fanned out, the queue bounds what runs at Huawei; enabled here, one bound serves every project.
function sharedBound(apply: FleetApplyPort): FleetApplyPort {
  if ('queue' in apply) return apply;
  const concurrency = apply.concurrency ?? DEFAULT_INLINE_CONCURRENCY;
  return { enableOne: atMostAtOnce(apply.enableOne, concurrency), concurrency };
}

// Instances a log line carries, by their JSON's size: room left for the line's other fields.
const PART_BYTES = LOG_LINE_MAX / 2;

/** The project's summary, whole: one line with its counts, then its instances in parts that each fit a line. */
function logProjectSummary(logger: Logger, summary: ProjectFleetSummary): void {
  if (logger === silentLogger) return;
  const { instances, ...counted } = summary;
  const parts = partsOf(instances);
  logger.info('project run finished', { ...counted, instance_parts: parts.length });
  for (const [index, part] of parts.entries()) {
    logger.info('project run instances', { project_id: summary.project_id, part: index + 1, parts: parts.length, instances: part });
  }
}

function partsOf(instances: readonly FleetInstanceResult[]): FleetInstanceResult[][] {
  const parts: FleetInstanceResult[][] = [];
  let part: FleetInstanceResult[] = [];
  let bytes = 0;
  for (const instance of instances) {
    const size = Buffer.byteLength(JSON.stringify(instance));
    if (part.length > 0 && bytes + size > PART_BYTES) {
      parts.push(part);
      part = [];
      bytes = 0;
    }
    part.push(instance);
    bytes += size;
  }
  if (part.length > 0) parts.push(part);
  return parts;
}
