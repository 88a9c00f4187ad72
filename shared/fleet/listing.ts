// Every Kafka instance of a project, page by page through ListInstances. A run covers every
// instance that existed for all of it, or fails: distinct ids are counted against `instance_num`,
// and a read whose pages come back empty, short, long, repeated or with a moving total is not
// whole. Such a read makes the listing be read again, until two reads agree (at most three); one
// that never comes whole fails the run, retryably. Only the compact facts of each page are kept.
import { FLEET_TOO_LARGE, LISTING_INCOMPLETE } from '../errors/index.ts';
import { CallError, type RegionalDms, type RegionalProject } from '../huawei/index.ts';
import type { Deadline, Logger } from '../runtime/index.ts';
import { readListedEntry, type ListedEntry } from './listed.ts';
import type { Selection } from './selector.ts';
import type { FleetError } from './summary.ts';

/** Huawei's largest page. */
export const PAGE_LIMIT = 50;
/** 200 pages: 10,000 instances, far above Huawei's default quota of Kafka instances per project. */
export const DEFAULT_MAX_PAGES = 200;
/** Reads of the whole listing one run makes at most, when one does not come whole. */
export const MAX_READS = 3;

export interface ListingOptions {
  /** The client in the project's region. */
  readonly dms: Pick<RegionalDms, 'listInstances'>;
  readonly project: RegionalProject;
  /** Entries the selector rules out are counted, not kept (its enterprise project is asked of DMS too); default: every entry kept. */
  readonly selection?: Selection;
  readonly deadline: Deadline;
  /** A total over this many pages of instances is refused (FLEET_TOO_LARGE); default DEFAULT_MAX_PAGES. */
  readonly maxPages?: number;
  readonly logger?: Logger | undefined;
}

export type Listing =
  | {
      readonly kind: 'listed';
      /** The entries kept (those the selector matches, readable or not), in list order. */
      readonly instances: readonly ListedEntry[];
      /** Distinct instances listed, kept or not: `instance_num`. */
      readonly listed: number;
      /** Pages read, in every read. */
      readonly pages: number;
      readonly reads: number;
    }
  | { readonly kind: 'failed'; readonly error: FleetError; readonly retryable: boolean; readonly pages: number; readonly reads: number };

/** One read of the whole listing: whole, not whole (and what was seen), or failed. */
type Read =
  | { readonly kind: 'whole'; readonly keys: ReadonlySet<string>; readonly kept: readonly ListedEntry[]; readonly pages: number }
  | { readonly kind: 'not_whole'; readonly seen: string; readonly pages: number }
  | { readonly kind: 'failed'; readonly error: FleetError; readonly retryable: boolean; readonly pages: number };

export async function listKafkaInstances(options: ListingOptions): Promise<Listing> {
  let pages = 0;
  const seen: string[] = [];
  // The ids of the last whole read: a whole read after one that was not must agree with another.
  let previous: ReadonlySet<string> | undefined;
  for (let reads = 1; reads <= MAX_READS; reads += 1) {
    const read = await readListing(options);
    pages += read.pages;
    if (read.kind === 'failed') return { kind: 'failed', error: read.error, retryable: read.retryable, pages, reads };
    if (read.kind === 'not_whole') {
      options.logger?.warn('instance list not whole', { read: reads, seen: read.seen, pages: read.pages });
      seen.push(`read ${reads}: ${read.seen}`);
      continue;
    }
    // A first read that comes whole is the listing; after one that did not, the list is moving (or
    // the server misbehaves), and one whole read could still have missed an instance that moved.
    if (reads === 1 || (previous !== undefined && sameKeys(previous, read.keys))) {
      options.logger?.info('instances listed', { instances: read.keys.size, kept: read.kept.length, pages, reads });
      return { kind: 'listed', instances: read.kept, listed: read.keys.size, pages, reads };
    }
    seen.push(`read ${reads}: whole with ${read.keys.size} instances${previous ? ', not those of the read before' : ''}`);
    previous = read.keys;
  }
  const message = `the instance list did not come whole in ${MAX_READS} reads (${seen.join('; ')})`;
  return { kind: 'failed', error: { code: LISTING_INCOMPLETE, message }, retryable: true, pages, reads: MAX_READS };
}

async function readListing(options: ListingOptions): Promise<Read> {
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const selection = options.selection ?? {};
  const keys = new Set<string>();
  const kept: ListedEntry[] = [];
  let total: number | undefined;
  let offset = 0;
  let pages = 0;
  do {
    let answer;
    try {
      answer = await options.dms.listInstances(
        options.project,
        { offset, limit: PAGE_LIMIT, enterpriseProjectId: selection.enterprise_project_id },
        options.deadline,
      );
    } catch (error) {
      if (!(error instanceof CallError)) throw error;
      options.logger?.warn('instance list failed', { error: error.toJSON(), offset, pages });
      return { kind: 'failed', error: { code: error.errorCode, message: error.errorMsg }, retryable: error.retryable, pages };
    }
    pages += 1;
    const entries = answer.data.instances ?? [];
    const pageTotal = answer.data.instance_num;
    if (pageTotal > maxPages * PAGE_LIMIT) return tooLarge(pageTotal, maxPages, pages);
    if (total !== undefined && pageTotal !== total) return notWhole(`the total went from ${total} to ${pageTotal} at offset ${offset}`, pages);
    total = pageTotal;
    const asked = Math.min(PAGE_LIMIT, total - offset);
    if (entries.length === 0 && asked > 0) return notWhole(`an empty page at offset ${offset} of ${total}`, pages);
    for (const [index, raw] of entries.entries()) {
      const { key, kept: entry } = readListedEntry(raw, offset + index, selection);
      if (keys.has(key)) return notWhole(`an instance listed twice (offset ${offset + index})`, pages);
      keys.add(key);
      if (entry) kept.push(entry);
    }
    if (entries.length !== asked) return notWhole(`a page of ${entries.length} entries at offset ${offset} where ${asked} of ${total} were due`, pages);
    offset += entries.length;
  } while (offset < total);
  // What the pages add up to is what Huawei counts, or the listing is not whole.
  if (keys.size !== total) return notWhole(`${keys.size} distinct instances of ${total}`, pages);
  return { kind: 'whole', keys, kept, pages };
}

function notWhole(seen: string, pages: number): Read {
  return { kind: 'not_whole', seen, pages };
}

function tooLarge(total: number, maxPages: number, pages: number): Read {
  const message = `the project lists ${total} Kafka instances, more than one run reads (${maxPages * PAGE_LIMIT}); narrow the selector with enterprise_project_id`;
  return { kind: 'failed', error: { code: FLEET_TOO_LARGE, message }, retryable: false, pages };
}

function sameKeys(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const key of a) if (!b.has(key)) return false;
  return true;
}
