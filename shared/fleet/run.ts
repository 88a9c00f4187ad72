// The fleet use case: list the project's Kafka instances, keep those the selector matches, decide
// for each from its list entry (one that cannot be read is named and left alone), and (unless a plan)
// enable those that need it. Everything it talks to comes in as ports, so every trigger (and a
// test) can run it.
import { isCredentialsRejected, LIST_ENTRY_UNREADABLE } from '../errors/index.ts';
import type { RegionalDms } from '../huawei/index.ts';
import type { Deadline, Logger } from '../runtime/index.ts';
import { applyFleet, listed, type FleetApplyPort } from './apply.ts';
import { classifyInstance } from './classify.ts';
import { listKafkaInstances } from './listing.ts';
import type { ListedInstance, UnreadableEntry } from './listed.ts';
import { fleetProgress, type OnFleetProgress } from './progress.ts';
import type { SelectorTarget } from './selector.ts';
import { failedFleetSummary, fleetSummary, type FleetInstanceResult, type FleetSummary, type Redact } from './summary.ts';

export interface FleetRunDeps {
  /** The client in the target's region. */
  readonly dms: Pick<RegionalDms, 'listInstances'>;
  readonly deadline: Deadline;
  /** How instances to enable are enabled: fanned out to the enable queue, or here. Unused in a plan. */
  readonly apply: FleetApplyPort;
  readonly logger?: Logger | undefined;
  readonly redact?: Redact | undefined;
  /** A project listing more than this many pages of instances is refused; default DEFAULT_MAX_PAGES. */
  readonly maxPages?: number;
  readonly onProgress?: OnFleetProgress | undefined;
}

/** A run's summary, and whether asking again later may do better (the trigger retries then). */
export interface FleetRun {
  readonly summary: FleetSummary;
  /** The list could not be read for now, or instances to enable could not be queued. */
  readonly transient: boolean;
}

export async function runFleet(target: SelectorTarget, deps: FleetRunDeps): Promise<FleetRun> {
  const listing = await listKafkaInstances({
    dms: deps.dms,
    project: { projectId: target.project_id },
    selection: target.select,
    deadline: deps.deadline,
    logger: deps.logger,
    maxPages: deps.maxPages,
  });
  if (listing.kind === 'failed') return { summary: failedFleetSummary(target, listing.error, deps.redact), transient: listing.retryable };

  const decided: FleetInstanceResult[] = [];
  const toEnable: ListedInstance[] = [];
  for (const entry of listing.instances) {
    if (entry.kind === 'unreadable') {
      decided.push(unreadable(entry));
      continue;
    }
    const classification = classifyInstance(entry);
    if (classification === 'to_enable') {
      toEnable.push(entry);
      decided.push({ ...listed(entry), outcome: 'would_enable' });
      continue;
    }
    // Only an enabled or enabling instance's connector id is its connector (not a failed job's).
    const connectorId = classification === 'already_enabled' || classification === 'enabling' ? entry.connector_id : undefined;
    decided.push({ ...listed(entry), outcome: classification, ...(connectorId ? { connector_id: connectorId } : {}) });
  }
  deps.logger?.info('fleet planned', { listed: listing.listed, matched: decided.length, to_enable: toEnable.length, dry_run: target.dry_run });
  const progress = fleetProgress(deps.onProgress, { listed: listing.listed, matched: decided.length, toEnable: toEnable.length });
  if (target.dry_run || toEnable.length === 0) return { summary: fleetSummary(target, decided, deps.redact), transient: false };

  const results = await applyFleet(target, toEnable, progress.counting(deps.apply), deps.logger);
  progress.finished();
  const applied = new Map(results.map((r) => [r.instance_id, r]));
  const summary = fleetSummary(
    target,
    decided.map((result) => (result.outcome === 'would_enable' ? (applied.get(result.instance_id) ?? result) : result)),
    deps.redact,
  );
  // Credentials Huawei refused stopped the run: it failed as a whole, and runs again after their cool-down.
  const refused = summary.instances.find((r) => isCredentialsRejected(r.error?.code))?.error;
  if (refused) return { summary: { ...summary, error: refused }, transient: true };
  return {
    summary,
    // A queue that did not take a request is a queue to try again; the enable requests are idempotent.
    transient: 'queue' in deps.apply && results.some((r) => r.outcome === 'failed'),
  };
}

// Never enabled: named as far as the entry allows, and why it could not be read.
function unreadable(entry: UnreadableEntry): FleetInstanceResult {
  return {
    instance_id: entry.instance_id,
    name: entry.name,
    outcome: 'skipped_unreadable',
    ...(entry.status !== undefined && { instance_status: entry.status }),
    error: { code: LIST_ENTRY_UNREADABLE, message: entry.problem },
  };
}
