// A fleet run tells whoever watches how far it has come (shared/fleet onProgress): the plan once
// listed, then each instance to enable as it is done, enabled here or queued all at once; a dry run
// is told its plan once.
import { describe, expect, it } from 'vitest';
import { runFleet, type FleetApplyPort, type FleetProgress, type SelectorTarget } from '../../shared/fleet/index.ts';
import type { InstanceListEntry, RegionalDms } from '../../shared/huawei/index.ts';
import type { JobResult } from '../../shared/result/index.ts';
import { deadlineIn } from '../../shared/runtime/index.ts';

const PROJECT_ID = '0123456789abcdef0123456789abcdef';
const TARGET: SelectorTarget = { project_id: PROJECT_ID, region: 'cn-north-4', select: { name_prefix: 'a-' }, node_cnt: '2', dry_run: false };
const idAt = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
// Four listed, three matched (a-), two of them to enable.
const LISTED: InstanceListEntry[] = [
  { instance_id: idAt(0), name: 'a-0', status: 'RUNNING', charging_mode: 1 },
  { instance_id: idAt(1), name: 'a-1', status: 'RUNNING', charging_mode: 1, connector_enable: true, connector_id: 'c1' },
  { instance_id: idAt(2), name: 'a-2', status: 'RUNNING', charging_mode: 1 },
  { instance_id: idAt(3), name: 'b-3', status: 'RUNNING', charging_mode: 1 },
];
const dms: Pick<RegionalDms, 'listInstances'> = {
  listInstances: async () => ({ data: { instances: LISTED, instance_num: LISTED.length }, requestId: undefined }),
};
const accepted = (instanceId: string): JobResult => ({
  status: 'accepted',
  project_id: PROJECT_ID,
  instance_id: instanceId,
  job_id: 'j',
  connector_id: 'c',
  source: 'schedule',
});

async function watched(target: SelectorTarget, apply: FleetApplyPort) {
  const told: FleetProgress[] = [];
  const run = await runFleet(target, { dms, deadline: deadlineIn(5_000), apply, onProgress: (progress) => told.push(progress) });
  return { told, run };
}

const plan = { listed: 4, matched: 3, toEnable: 2 };

describe('fleet progress', () => {
  it('enabled here: the plan, then one more done per instance enabled', async () => {
    const { told, run } = await watched(TARGET, { enableOne: async (request) => accepted(request.instance_id), concurrency: 1 });
    expect(told).toEqual([0, 1, 2].map((done) => ({ ...plan, done })));
    expect(run.summary.counts).toEqual({ already_enabled: 1, accepted: 2 });
  });

  it('an instance whose enable throws is done too', async () => {
    const { told } = await watched(TARGET, {
      enableOne: async () => {
        throw new Error('a bug');
      },
    });
    expect(told.at(-1)).toEqual({ ...plan, done: 2 });
  });

  it('queued: the plan, then all of them done at once', async () => {
    const { told } = await watched(TARGET, { queue: { enqueue: async () => ({ failed: [] }) } });
    expect(told).toEqual([
      { ...plan, done: 0 },
      { ...plan, done: 2 },
    ]);
  });

  it('a dry run: the plan alone', async () => {
    const { told } = await watched({ ...TARGET, dry_run: true }, { queue: { enqueue: async () => ({ failed: [] }) } });
    expect(told).toEqual([{ ...plan, done: 0 }]);
  });
});
