// What a fleet run keeps of each listed entry: the compact facts it decides from and summarizes (id,
// bounded name and status, charging mode, connector fields), only for entries the selector matches,
// never the entry's tags or the page. Listed text is Huawei's, so it is bounded like input.
import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { INSTANCE_LIST_FIELDS, readInstanceListEntry, type InstanceListEntry } from '../huawei/index.ts';
import { isJsonObject, QUOTE_MAX, quote } from '../runtime/index.ts';
import { matchesSelection } from './match.ts';
import type { Selection } from './selector.ts';

/** A listed instance as a run keeps it: what classifying, enabling and reporting it need. */
export type ListedInstance = Pick<InstanceListEntry, 'instance_id' | 'name' | 'status' | 'charging_mode' | 'connector_enable' | 'connector_id'>;

/** An entry that cannot be read, named as far as it can be: never enabled, its id never a path segment. */
export interface UnreadableEntry {
  readonly instance_id: string;
  readonly name: string;
  readonly status?: string;
  /** What could not be read, bounded. */
  readonly problem: string;
}

export type ListedEntry = (ListedInstance & { readonly kind: 'readable' }) | (UnreadableEntry & { readonly kind: 'unreadable' });

/** One entry read: the key it is counted by, and what the run keeps of it (nothing when the selector rules it out). */
export interface EntryReading {
  /** The instance id in lower case; an entry without a string id counts by its position. */
  readonly key: string;
  readonly kept?: ListedEntry;
}

// Issues named per unreadable entry; the rest are counted.
const PROBLEMS_NAMED = 3;

export function readListedEntry(raw: unknown, position: number, selection: Selection): EntryReading {
  const read = readInstanceListEntry(raw);
  if (read.success) {
    const entry = read.output;
    const key = keyOf(entry.instance_id);
    return matchesSelection(entry, selection) ? { key, kept: { kind: 'readable', ...compact(entry) } } : { key };
  }
  const fields: Record<string, unknown> = isJsonObject(raw) ? raw : {};
  const id = fields['instance_id'];
  const key = typeof id === 'string' ? keyOf(id) : `at:${position}`;
  if (!mayMatch(fields, selection)) return { key };
  const status = fields['status'];
  return {
    key,
    kept: {
      kind: 'unreadable',
      instance_id: typeof id === 'string' ? bounded(id) : typeof id === 'number' ? String(id) : '',
      name: typeof fields['name'] === 'string' ? bounded(fields['name']) : '',
      ...(typeof status === 'string' && { status: bounded(status) }),
      problem: problemOf(read.issues),
    },
  };
}

function compact(entry: InstanceListEntry): ListedInstance {
  const { instance_id, name, status, charging_mode, connector_enable, connector_id } = entry;
  return {
    instance_id,
    name: bounded(name),
    status: bounded(status),
    ...(charging_mode !== undefined && { charging_mode: typeof charging_mode === 'string' ? bounded(charging_mode) : charging_mode }),
    ...(connector_enable !== undefined && { connector_enable }),
    ...(connector_id != null && { connector_id: bounded(connector_id) }),
  };
}

// The conditions on the fields that can be read must hold; one on a field that cannot be read
// might, so the entry is listed as unreadable rather than silently left out.
function mayMatch(fields: Record<string, unknown>, selection: Selection): boolean {
  const name = v.safeParse(INSTANCE_LIST_FIELDS.name, fields['name']);
  const enterpriseProject = v.safeParse(INSTANCE_LIST_FIELDS.enterprise_project_id, fields['enterprise_project_id']);
  const tags = v.safeParse(INSTANCE_LIST_FIELDS.tags, fields['tags']);
  const readable: Selection = {
    ...(name.success && selection.name_prefix !== undefined && { name_prefix: selection.name_prefix }),
    ...(enterpriseProject.success && selection.enterprise_project_id !== undefined && { enterprise_project_id: selection.enterprise_project_id }),
    ...(tags.success && selection.tags !== undefined && { tags: selection.tags }),
  };
  return matchesSelection(
    {
      name: name.success ? name.output : '',
      enterprise_project_id: enterpriseProject.success ? enterpriseProject.output : undefined,
      tags: tags.success ? tags.output : undefined,
    },
    readable,
  );
}

function problemOf(issues: readonly v.BaseIssue<unknown>[]): string {
  // valibot's messages quote what they received, which is Huawei's text: bounded each.
  const named = issues.slice(0, PROBLEMS_NAMED).map((issue) => {
    const path = issue.path?.map((item) => String(item.key)).join('.');
    return `${path ? `${path}: ` : ''}${bounded(issue.message)}`;
  });
  const more = issues.length > PROBLEMS_NAMED ? `; and ${issues.length - PROBLEMS_NAMED} more` : '';
  return `the list entry cannot be read: ${named.join('; ')}${more}`;
}

// Compared in lower case (a UUID's case carries no meaning); an id longer than any UUID counts by
// its digest, so a key never keeps Huawei's unbounded text alive.
function keyOf(id: string): string {
  const lower = id.toLowerCase();
  return `id:${lower.length > QUOTE_MAX ? createHash('sha256').update(lower).digest('hex') : lower}`;
}

// quote() cuts by slicing, and in V8 a slice keeps the whole string it was cut from alive: a copy
// lets a listed name of megabytes go with its page.
function bounded(text: string): string {
  return text.length > QUOTE_MAX ? Buffer.from(quote(text), 'utf16le').toString('utf16le') : text;
}
