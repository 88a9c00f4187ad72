// Unit tests of shared/result.ts: JobResult JSON carries the contract's fields (DESIGN.md "Contract")
// and nothing internal.
import { describe, expect, it } from 'vitest';
import { jobResultJson, type JobResult } from '../../shared/result/index.ts';

const PROJECT_ID = '0123456789abcdef0123456789abcdef';
const INSTANCE_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const CONTRACT_FIELDS = ['status', 'project_id', 'instance_id', 'job_id', 'connector_id', 'source', 'error'];

describe('jobResultJson', () => {
  it('emits an accepted result with job and connector ids', () => {
    const result: JobResult = {
      status: 'accepted',
      project_id: PROJECT_ID,
      instance_id: INSTANCE_ID,
      job_id: 'job-1',
      connector_id: 'conn-1',
      source: 'http',
      retryable: false,
      upstream_status: 200,
    };
    expect(jobResultJson(result)).toStrictEqual({
      status: 'accepted',
      project_id: PROJECT_ID,
      instance_id: INSTANCE_ID,
      job_id: 'job-1',
      connector_id: 'conn-1',
      source: 'http',
    });
  });

  it('emits a failure with only code and message, and never retryable or upstream_status', () => {
    const error = { code: 'DMS.00400026', message: 'another operation is in progress', retryable: true, stack: 'at x' };
    const result: JobResult = {
      status: 'failed',
      project_id: PROJECT_ID,
      instance_id: INSTANCE_ID,
      source: 'queue',
      error,
      retryable: true,
      upstream_status: 400,
    };
    const json = jobResultJson(result);
    expect(json).toStrictEqual({
      status: 'failed',
      project_id: PROJECT_ID,
      instance_id: INSTANCE_ID,
      source: 'queue',
      error: { code: 'DMS.00400026', message: 'another operation is in progress' },
    });
    const text = JSON.stringify(json);
    expect(text).not.toContain('retryable');
    expect(text).not.toContain('upstream_status');
    expect(text).not.toContain('stack');
  });

  it('leaves out job_id, connector_id and error when there are none', () => {
    const json = jobResultJson({ status: 'already_enabled', project_id: PROJECT_ID, instance_id: INSTANCE_ID, source: 'schedule' });
    expect(Object.keys(json).sort()).toEqual(['instance_id', 'project_id', 'source', 'status']);
    expect(JSON.stringify(json)).toBe(`{"status":"already_enabled","project_id":"${PROJECT_ID}","instance_id":"${INSTANCE_ID}","source":"schedule"}`);
  });

  it('leaves out explicitly undefined optional fields', () => {
    const json = jobResultJson({
      status: 'succeeded',
      project_id: PROJECT_ID,
      instance_id: INSTANCE_ID,
      job_id: undefined,
      connector_id: 'conn-2',
      source: 'cli',
      error: undefined,
      retryable: undefined,
    });
    expect(Object.keys(json).sort()).toEqual(['connector_id', 'instance_id', 'project_id', 'source', 'status']);
  });

  it('drops extra properties smuggled onto the result object', () => {
    const smuggled = {
      status: 'rejected',
      project_id: PROJECT_ID,
      instance_id: INSTANCE_ID,
      source: 'http',
      error: { code: 'INVALID_REQUEST', message: 'node_cnt must be a whole number of at least 2' },
      sk: 'secret-value',
      request_id: 'r-1',
    } as const;
    const json = jobResultJson(smuggled);
    for (const key of Object.keys(json)) expect(CONTRACT_FIELDS).toContain(key);
    expect(JSON.stringify(json)).not.toContain('secret-value');
    expect(json).toStrictEqual({
      status: 'rejected',
      project_id: PROJECT_ID,
      instance_id: INSTANCE_ID,
      source: 'http',
      error: { code: 'INVALID_REQUEST', message: 'node_cnt must be a whole number of at least 2' },
    });
  });

  it.each(['accepted', 'already_enabled', 'succeeded', 'failed', 'rejected'] as const)('keeps status %s', (status) => {
    expect(jobResultJson({ status, project_id: PROJECT_ID, instance_id: INSTANCE_ID, source: 'http' }).status).toBe(status);
  });
});
