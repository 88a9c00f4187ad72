// ListInstances: a project's instances of one engine, a page at a time, as Huawei pages them
// (`offset` counts entries, `limit` 1..50, `instance_num` the total after filters).
import { instanceDetail } from './detail.ts';
import { DMS, type Answer } from './errors.ts';
import type { Call } from './call.ts';
import type { ListChange } from './types.ts';

const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 50;

export function listInstances(call: Call): Answer {
  const { query } = call;
  const engine = single(query, 'engine');
  if (engine !== 'kafka') return DMS.invalidParameter('engine', 'It is required and must be kafka.');
  const offset = whole(query, 'offset', 0);
  if (offset === undefined || offset < 0) return DMS.invalidParameter('offset', 'It must be an integer of at least 0.');
  const limit = whole(query, 'limit', DEFAULT_LIMIT);
  if (limit === undefined || limit < 1 || limit > MAX_LIMIT) {
    return DMS.invalidParameter('limit', `It must be an integer from 1 to ${MAX_LIMIT}.`);
  }
  const enterpriseProjectId = single(query, 'enterprise_project_id');
  if (Array.isArray(query['enterprise_project_id'])) {
    return DMS.invalidParameter('enterprise_project_id', 'It must be given once.');
  }

  const matching = call.ctx.store
    .list(call.params['project'] ?? '', call.ctx.now)
    .filter((record) => enterpriseProjectId === undefined || record.enterpriseProjectId === enterpriseProjectId);
  const change = call.ctx.listChange;
  const from = change?.kind === 'ignore-offset' ? 0 : offset;
  const page = matching.slice(from, from + limit).map(instanceDetail);
  if (change?.kind === 'delete-after') call.ctx.store.remove(change.instanceId);
  return { status: 200, body: { instances: change ? changed(page, change) : page, instance_num: matching.length } };
}

// What a misbehaving or moving DMS does to a page (a test injects it as a 'list' fault).
function changed(page: Record<string, unknown>[], change: ListChange): unknown[] {
  switch (change.kind) {
    case 'empty':
      return [];
    case 'duplicate': {
      const entry = page[change.index];
      if (!entry) return page;
      const copy = change.upperCase ? { ...entry, instance_id: String(entry['instance_id']).toUpperCase() } : entry;
      return [...page.slice(0, change.index + 1), copy, ...page.slice(change.index + 1)];
    }
    case 'entries':
      return page.map((entry) => ({ ...entry, ...change.fields[String(entry['instance_id'])] }));
    case 'ignore-offset':
    case 'delete-after':
      return page;
  }
}

function single(query: Call['query'], name: string): string | undefined {
  const value = query[name];
  return typeof value === 'string' ? value : undefined;
}

/** The parameter as a whole number, `fallback` when absent, undefined when it is not one. */
function whole(query: Call['query'], name: string, fallback: number): number | undefined {
  const value = query[name];
  if (value === undefined) return fallback;
  return typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}
