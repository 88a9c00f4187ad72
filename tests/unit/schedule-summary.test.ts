// A schedule's summary counts only what occurred (as a fleet's counts do): a transient failure is
// counted when there is one, and no count is ever zero.
import { describe, expect, it } from 'vitest';
import { scheduleSummary } from '../../functions/schedule-summary.ts';
import type { TargetOutcome } from '../../shared/fleet/index.ts';
import type { EnableRequest } from '../../shared/request/index.ts';
import type { JobResult } from '../../shared/result/index.ts';

const PROJECT_ID = '0123456789abcdef0123456789abcdef';
const INSTANCE_ID = '00000000-0000-4000-8000-000000000001';

function instance(result: Partial<JobResult> & Pick<JobResult, 'status'>): TargetOutcome {
  const full: JobResult = { project_id: PROJECT_ID, instance_id: INSTANCE_ID, source: 'schedule', ...result };
  return { kind: 'instance', outcome: { kind: 'done', request: {} as EnableRequest, result: full, callback: undefined, tracking: 'none' } };
}

describe('schedule summary counts', () => {
  it('counts each status that occurred and no transient failure when there was none', () => {
    const summary = scheduleSummary(3, [instance({ status: 'accepted' }), instance({ status: 'accepted' }), instance({ status: 'already_enabled' })], {});
    expect(summary.counts).toEqual({ accepted: 2, already_enabled: 1 });
  });

  it('counts a transient failure when one occurred', () => {
    const busy = instance({ status: 'failed', retryable: true, error: { code: 'DMS.00400026', message: 'busy' } });
    const summary = scheduleSummary(2, [busy, instance({ status: 'failed', retryable: false, error: { code: 'DMS.00404022', message: 'gone' } })], {});
    expect(summary.counts).toEqual({ failed: 2, transient: 1 });
  });

  it('counts nothing for no targets', () => {
    expect(scheduleSummary(0, [], { warning: 'no targets' }).counts).toEqual({});
  });
});
