// Every Kafka instance of a project, page by page through ListInstances. A run that cannot list
// them all reports a failure, never a partial list that would pass for the whole fleet.
import { HuaweiApiError, type InstanceListEntry, type RegionalDms, type RegionalProject } from '../huawei/index.ts';
import type { Deadline, Logger } from '../runtime/index.ts';
import type { FleetError } from './summary.ts';

/** Huawei's largest page. */
export const PAGE_LIMIT = 50;
/** 200 pages: 10,000 instances, far above Huawei's default quota of Kafka instances per project. */
export const DEFAULT_MAX_PAGES = 200;
export const FLEET_TOO_LARGE = 'FLEET_TOO_LARGE';
export const LISTING_INCOMPLETE = 'LISTING_INCOMPLETE';

export interface ListingOptions {
  /** The client in the project's region. */
  readonly dms: Pick<RegionalDms, 'listInstances'>;
  readonly project: RegionalProject;
  readonly enterpriseProjectId?: string | undefined;
  readonly deadline: Deadline;
  readonly maxPages?: number;
  readonly logger?: Logger | undefined;
}

export type Listing =
  | { readonly ok: true; readonly instances: readonly InstanceListEntry[]; readonly pages: number }
  | { readonly ok: false; readonly error: FleetError; readonly retryable: boolean; readonly pages: number };

export async function listKafkaInstances(options: ListingOptions): Promise<Listing> {
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  // Keyed by id: an instance that moves between pages while they are read is counted once.
  const found = new Map<string, InstanceListEntry>();
  let pages = 0;
  let offset = 0;
  let total = Infinity;
  while (offset < total) {
    if (pages >= maxPages) return incomplete(offset, total, pages);
    let answer;
    try {
      answer = await options.dms.listInstances(
        options.project,
        { offset, limit: PAGE_LIMIT, enterpriseProjectId: options.enterpriseProjectId },
        options.deadline,
      );
    } catch (error) {
      if (!(error instanceof HuaweiApiError)) throw error;
      options.logger?.warn('instance list failed', { error: error.toJSON(), offset, pages });
      return { ok: false, error: { code: error.errorCode, message: error.errorMsg }, retryable: error.retryable, pages };
    }
    pages += 1;
    const instances = answer.data.instances ?? [];
    total = answer.data.instance_num;
    if (total > maxPages * PAGE_LIMIT) return tooLarge(total, maxPages, pages);
    for (const entry of instances) found.set(entry.instance_id, entry);
    // A total larger than what is there (instances deleted meanwhile) must not keep us asking.
    if (instances.length === 0) break;
    // Entries, not pages: a short page never makes us skip what follows it.
    offset += instances.length;
  }
  options.logger?.info('instances listed', { instances: found.size, pages });
  return { ok: true, instances: [...found.values()], pages };
}

function tooLarge(total: number, maxPages: number, pages: number): Listing {
  const message = `the project lists ${total} Kafka instances, more than one run reads (${maxPages * PAGE_LIMIT}); narrow the selector with enterprise_project_id`;
  return { ok: false, error: { code: FLEET_TOO_LARGE, message }, retryable: false, pages };
}

// Pages shorter than asked for, and so many that the total was still not reached.
function incomplete(offset: number, total: number, pages: number): Listing {
  const message = `the instance list ended after ${pages} pages with ${offset} of ${total} instances read`;
  return { ok: false, error: { code: LISTING_INCOMPLETE, message }, retryable: true, pages };
}
