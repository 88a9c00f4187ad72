// ListInstances: a project's instances of one engine, a page at a time, as Huawei pages them
// (`offset` counts entries, `limit` 1..50, `instance_num` the total after filters).
import { instanceDetail } from './detail.ts';
import { DMS, type Answer } from './errors.ts';
import type { Call } from './call.ts';

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
  return {
    status: 200,
    body: { instances: matching.slice(offset, offset + limit).map(instanceDetail), instance_num: matching.length },
  };
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
