// DMS's API surface for Smart Connect: which path does what, request validation, and the JSON shapes
// Huawei answers with. Reached only by requests whose signature verified.
import { instanceDetail, taskDetail } from './detail.ts';
import { listInstances } from './list.ts';
import { DMS, type Answer, unknownApi } from './errors.ts';
import type { Call, RouteContext } from './call.ts';
import { DEFAULT_NODE_CNT, type EnableParams, type InstanceRecord } from './state.ts';

/** A request that passed the gateway: the decoded path segments after the leading '/'. */
export interface RoutedRequest {
  method: string;
  segments: readonly string[];
  query: Record<string, string | string[]>;
  body: string;
}

interface Route {
  method: string;
  pattern: readonly string[];
  handle(call: Call): Answer;
}

export const SPECIFICATIONS: readonly string[] = ['100MB', '300MB', '600MB', '1200MB'];

const ROUTES: readonly Route[] = [
  { method: 'GET', pattern: ['v2', ':project', 'instances'], handle: listInstances },
  { method: 'POST', pattern: ['v2', ':project', 'instances', ':instance', 'connector'], handle: enableConnector },
  { method: 'GET', pattern: ['v2', ':project', 'instances', ':instance', 'connector'], handle: connectorResources },
  { method: 'GET', pattern: ['v2', ':project', 'instances', ':instance'], handle: showInstance },
  { method: 'GET', pattern: ['v2', ':project', 'instances', ':instance', 'tasks', ':task'], handle: showTask },
  {
    method: 'POST',
    pattern: ['v2', ':project', 'kafka', 'instances', ':instance', 'delete-connector'],
    handle: deleteConnector,
  },
];

export function route(request: RoutedRequest, ctx: RouteContext): Answer {
  for (const r of ROUTES) {
    if (r.method !== request.method) continue;
    const params = matchPattern(r.pattern, request.segments);
    if (params) return r.handle({ params, query: request.query, body: request.body, ctx });
  }
  return unknownApi(ctx.requestId);
}

function matchPattern(pattern: readonly string[], segments: readonly string[]): Record<string, string> | undefined {
  // The SDK strips a trailing slash; tolerate one from other clients.
  const parts = segments.at(-1) === '' ? segments.slice(0, -1) : segments;
  if (parts.length !== pattern.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, expected] of pattern.entries()) {
    const actual = parts[i] ?? '';
    if (expected.startsWith(':')) {
      if (actual === '') return undefined;
      params[expected.slice(1)] = actual;
    } else if (expected !== actual) {
      return undefined;
    }
  }
  return params;
}

function withInstance(call: Call, then: (instance: InstanceRecord) => Answer): Answer {
  const { project = '', instance = '' } = call.params;
  const record = call.ctx.store.find(project, instance, call.ctx.now);
  return record ? then(record) : DMS.instanceNotFound();
}

function enableConnector(call: Call): Answer {
  const parsed = parseEnableBody(call.body);
  if ('status' in parsed) return parsed;
  return withInstance(call, (instance) => {
    const result = call.ctx.store.enable(instance, parsed, call.ctx.now);
    if (result.kind === 'started') return { status: 200, body: { job_id: result.jobId, connector_id: result.connectorId } };
    switch (result.reason) {
      case 'not_pay_per_use':
        return DMS.notPayPerUse();
      case 'wrong_status':
        return DMS.wrongStatus();
      case 'already_enabled':
        return DMS.alreadyEnabled();
    }
  });
}

function showInstance(call: Call): Answer {
  return withInstance(call, (instance) => ({ status: 200, body: instanceDetail(instance) }));
}

function showTask(call: Call): Answer {
  return withInstance(call, (instance) => {
    const task = instance.tasks.get(call.params['task'] ?? '');
    if (!task) return DMS.taskNotFound();
    return { status: 200, body: { task_count: '1', tasks: [taskDetail(task, instance)] } };
  });
}

function connectorResources(call: Call): Answer {
  return withInstance(call, () => ({ status: 200, body: { soldOut: false } }));
}

function deleteConnector(call: Call): Answer {
  // The official SDK sends no body; Huawei's reference shows {instance_id}. Accept both, reject a mismatch.
  if (call.body.trim() !== '') {
    const body = parseObject(call.body);
    if (!body) return DMS.invalidBody();
    const id = body['instance_id'];
    if (id !== undefined && id !== null && id !== call.params['instance']) {
      return DMS.invalidParameter('instance_id', 'It must be the instance in the path.');
    }
  }
  return withInstance(call, (instance) => {
    const result = call.ctx.store.disable(instance, call.ctx.now);
    if (result.kind === 'started') return { status: 200, body: { job_id: result.jobId } };
    return result.reason === 'wrong_status' ? DMS.wrongStatus() : DMS.notEnabled();
  });
}

export function parseEnableBody(text: string): EnableParams | Answer {
  const body = parseObject(text);
  if (!body) return DMS.invalidBody();
  const nodeCnt = parseNodeCnt(body['node_cnt']);
  if (nodeCnt === undefined) {
    return DMS.invalidParameter('node_cnt', `It must be an integer of at least ${DEFAULT_NODE_CNT}, given as a string.`);
  }
  const specification = body['specification'] ?? undefined;
  const specCode = body['spec_code'] ?? undefined;
  if (specification !== undefined && !(typeof specification === 'string' && SPECIFICATIONS.includes(specification))) {
    return DMS.invalidParameter('specification', `It must be one of ${SPECIFICATIONS.join(', ')}.`);
  }
  if (specCode !== undefined && (typeof specCode !== 'string' || specCode === '')) {
    return DMS.invalidParameter('spec_code', 'It must be a non-empty string.');
  }
  if (specification !== undefined && specCode === undefined) {
    return DMS.invalidParameter('spec_code', 'It is required when specification is given.');
  }
  return {
    nodeCnt,
    ...(specification !== undefined && { specification }),
    ...(specCode !== undefined && { specCode }),
  };
}

// Huawei documents node_cnt as a string, but the official SDK (3.1.215) types it as a number and
// sends it as one; a Java backend coerces either, so both are accepted.
function parseNodeCnt(value: unknown): number | undefined {
  if (value === undefined || value === null) return DEFAULT_NODE_CNT;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= DEFAULT_NODE_CNT ? n : undefined;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
