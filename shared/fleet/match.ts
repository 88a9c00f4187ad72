// Whether a listed instance is part of the fleet a selector describes: every given condition holds.
import type { InstanceListEntry } from '../huawei/index.ts';
import { ANY_TAG_VALUE, type Selection } from './selector.ts';

/** The fields of a list entry a selector's conditions read. */
export type Selectable = Pick<InstanceListEntry, 'name' | 'enterprise_project_id' | 'tags'>;

export function matchesSelection(entry: Selectable, selection: Selection): boolean {
  if (selection.name_prefix !== undefined && !entry.name.startsWith(selection.name_prefix)) return false;
  // Huawei filters by enterprise project already; an entry that says otherwise is not trusted.
  const project = selection.enterprise_project_id;
  if (project !== undefined && entry.enterprise_project_id != null && entry.enterprise_project_id !== project) return false;
  const wanted = Object.entries(selection.tags ?? {});
  if (wanted.length === 0) return true;
  const has = new Map((entry.tags ?? []).map((tag) => [tag.key, tag.value ?? '']));
  return wanted.every(([key, value]) => has.has(key) && (value === ANY_TAG_VALUE || has.get(key) === value));
}
