// Unit tests of functions/queue-records.ts: what an event's records are, what a queue record body
// holds (plain request, SNS notification, EventBridge event) and whether a record's outcome lets SQS
// forget it.
import { describe, expect, it } from 'vitest';
import { trackingVerdict, readRecord, recordsOf, targetVerdict, unwrapBody, verdictFor } from '../../functions/queue-records.ts';
import type { DeliveryOutcome } from '../../shared/callback/index.ts';
import type { EnableFlowOutcome } from '../../shared/enable/index.ts';
import type { FleetFlowOutcome } from '../../shared/fleet/index.ts';
import type { EnableRequest } from '../../shared/request/index.ts';
import type { JobResult, JobStatus } from '../../shared/result/index.ts';

const PROJECT_ID = '0123456789abcdef0123456789abcdef';
const INSTANCE_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const request = { project_id: PROJECT_ID, instance_id: INSTANCE_ID, node_cnt: '2' };

describe('unwrapBody', () => {
  it('passes a plain JSON request through as input', () => {
    expect(unwrapBody(JSON.stringify(request))).toEqual({ kind: 'unwrapped', input: request });
  });

  it('unwraps an SNS notification envelope', () => {
    const body = JSON.stringify({
      Type: 'Notification',
      MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
      TopicArn: 'arn:aws:sns:eu-west-1:123456789012:smart-connect',
      Message: JSON.stringify(request),
      Timestamp: '2024-01-01T00:00:00.000Z',
      SignatureVersion: '1',
    });
    expect(unwrapBody(body)).toEqual({ kind: 'unwrapped', input: request });
  });

  it('answers invalid with a message when an SNS Message is not JSON', () => {
    const body = JSON.stringify({
      Type: 'Notification',
      TopicArn: 'arn:aws:sns:eu-west-1:123456789012:smart-connect',
      Message: 'enable it please',
    });
    const unwrapped = unwrapBody(body);
    expect(unwrapped.kind).toBe('invalid');
    if (unwrapped.kind === 'invalid') expect(unwrapped.message).toEqual(expect.any(String));
    if (unwrapped.kind === 'invalid') expect(unwrapped.message.length).toBeGreaterThan(0);
  });

  it('does not take an object that only looks a little like SNS for an envelope', () => {
    // No TopicArn: an ordinary object, passed through whole for the schema to judge.
    const notSns = { Type: 'Notification', Message: JSON.stringify(request) };
    expect(unwrapBody(JSON.stringify(notSns))).toEqual({ kind: 'unwrapped', input: notSns });
  });

  it('unwraps an EventBridge event to its detail', () => {
    const body = JSON.stringify({
      version: '0',
      id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
      'detail-type': 'Enable Smart Connect',
      source: 'smart-connect.requests',
      account: '123456789012',
      time: '2024-01-01T00:00:00Z',
      region: 'eu-west-1',
      resources: [],
      detail: request,
    });
    expect(unwrapBody(body)).toEqual({ kind: 'unwrapped', input: request });
  });

  it('does not unwrap an object with detail but no detail-type and source', () => {
    const partial = { detail: request };
    expect(unwrapBody(JSON.stringify(partial))).toEqual({ kind: 'unwrapped', input: partial });
  });

  it.each(['not json', '{"project_id":', '', "{'a':1}"])('answers invalid with a message for the non-JSON body %j', (body) => {
    const unwrapped = unwrapBody(body);
    expect(unwrapped).toEqual({ kind: 'invalid', message: expect.any(String) });
    if (unwrapped.kind === 'invalid') expect(unwrapped.message).toMatch(/json/i);
  });

  it.each<[string, unknown]>([
    ['an array', [request]],
    ['a number', 42],
    ['a string', 'hello'],
    ['null', null],
    ['a boolean', true],
  ])('passes %s through as input (the schema rejects it later)', (_name, value) => {
    expect(unwrapBody(JSON.stringify(value))).toEqual({ kind: 'unwrapped', input: value });
  });
});

describe('recordsOf', () => {
  it('gives the records of an SQS event', () => {
    const records = [{ messageId: 'a' }, 42];
    expect(recordsOf({ Records: records })).toEqual({ kind: 'batch', records });
  });

  it.each<[string, unknown, string]>([
    ['null', null, 'event'],
    ['undefined', undefined, 'event'],
    ['a list', [], 'event'],
    ['a string', 'Records', 'event'],
    ['an object without Records', {}, 'Records'],
    ['Records null', { Records: null }, 'Records'],
    ['Records an object', { Records: { 0: {} } }, 'Records'],
  ])('names what is wrong with %s', (_name, event, field) => {
    expect(recordsOf(event)).toEqual({ kind: 'invalid', issue: { field, message: expect.any(String) } });
  });
});

describe('readRecord', () => {
  const attributes = { ApproximateReceiveCount: '2', SentTimestamp: '1795599000000' };

  it('reads id, group, receive count and body', () => {
    expect(readRecord({ messageId: 'm1', body: '{}', attributes: { ...attributes, MessageGroupId: 'g1' } })).toEqual({
      kind: 'record',
      id: 'm1',
      group: 'g1',
      receiveCount: '2',
      body: '{}',
    });
  });

  it.each<[string, unknown, string]>([
    ['null', null, 'record'],
    ['a number', 42, 'record'],
    ['a list', [{ messageId: 'm1' }], 'record'],
    ['no messageId', { body: '{}', attributes }, 'messageId'],
    ['an empty messageId', { messageId: '', body: '{}', attributes }, 'messageId'],
    ['a numeric messageId', { messageId: 7, body: '{}', attributes }, 'messageId'],
  ])('cannot identify %s: no id to list', (_name, record, field) => {
    expect(readRecord(record)).toEqual({ kind: 'malformed', id: undefined, group: undefined, issue: { field, message: expect.any(String) } });
  });

  it.each<[string, unknown, string, string | undefined]>([
    ['no attributes', { messageId: 'm1', body: '{}' }, 'attributes', undefined],
    ['attributes a string', { messageId: 'm1', body: '{}', attributes: 'x' }, 'attributes', undefined],
    ['a numeric MessageGroupId', { messageId: 'm1', body: '{}', attributes: { MessageGroupId: 1 } }, 'attributes.MessageGroupId', undefined],
    ['no body', { messageId: 'm1', attributes: { MessageGroupId: 'g1' } }, 'body', 'g1'],
    ['a body that is an object', { messageId: 'm1', body: {}, attributes }, 'body', undefined],
  ])('keeps the id (and group) of a record with %s, to list it', (_name, record, field, group) => {
    expect(readRecord(record)).toEqual({ kind: 'malformed', id: 'm1', group, issue: { field, message: expect.any(String) } });
  });
});

function result(status: JobStatus, extra: Partial<JobResult> = {}): JobResult {
  return { status, project_id: PROJECT_ID, instance_id: INSTANCE_ID, source: 'queue', ...extra };
}

const delivered: DeliveryOutcome = { kind: 'delivered', status: 200, attempts: 1, webhookId: 'msg_1' };
const notDelivered: DeliveryOutcome = {
  kind: 'undelivered',
  attempts: 5,
  webhookId: 'msg_2',
  error: { code: 'CALLBACK_FAILED', message: 'HTTP 503' },
  retryable: true,
};
const notDeliveredPermanent: DeliveryOutcome = { ...notDelivered, error: { code: 'CALLBACK_REFUSED', message: 'HTTP 410' }, retryable: false };

const enableRequest: EnableRequest = { project_id: PROJECT_ID, instance_id: INSTANCE_ID, region: 'cn-north-4', node_cnt: '2' };

function done(jobResult: JobResult, callback: DeliveryOutcome | undefined): EnableFlowOutcome {
  return { kind: 'done', request: enableRequest, result: jobResult, callback, tracking: 'none' };
}

function invalid(callback: DeliveryOutcome | undefined): EnableFlowOutcome {
  return {
    kind: 'invalid',
    issues: [{ field: 'node_cnt', message: 'must be an integer >= 2' }],
    result: result('rejected', { error: { code: 'INVALID_REQUEST', message: 'node_cnt must be an integer >= 2' } }),
    callback,
  };
}

const failedRetryable = result('failed', { error: { code: 'DMS.00400026', message: 'busy' }, retryable: true, upstream_status: 400 });
const failedPermanent = result('failed', { error: { code: 'DMS.00404022', message: 'instance not found' }, retryable: false, upstream_status: 404 });

describe('verdictFor', () => {
  it("answers 'done' for accepted with a delivered callback", () => {
    expect(verdictFor(done(result('accepted', { job_id: 'j1', connector_id: 'c1' }), delivered))).toBe('done');
  });

  it("answers 'done' for accepted with no callback", () => {
    expect(verdictFor(done(result('accepted', { job_id: 'j1' }), undefined))).toBe('done');
  });

  it.each<JobStatus>(['already_enabled', 'succeeded'])("answers 'done' for %s with or without a delivered callback", (status) => {
    expect(verdictFor(done(result(status), delivered))).toBe('done');
    expect(verdictFor(done(result(status), undefined))).toBe('done');
  });

  it("answers 'failed' for a retryable failure even when its callback was delivered", () => {
    expect(verdictFor(done(failedRetryable, delivered))).toBe('failed');
  });

  it("answers 'failed' for a retryable failure without a callback", () => {
    expect(verdictFor(done(failedRetryable, undefined))).toBe('failed');
  });

  it("answers 'done' for a permanent failure whose callback was delivered", () => {
    expect(verdictFor(done(failedPermanent, delivered))).toBe('done');
  });

  it("answers 'done' for a failure with retryable unset (not retryable) whose callback was delivered", () => {
    expect(verdictFor(done(result('failed', { error: { code: 'X', message: 'y' } }), delivered))).toBe('done');
  });

  it("answers 'failed' for a permanent failure without a callback (to the DLQ, nothing lost)", () => {
    expect(verdictFor(done(failedPermanent, undefined))).toBe('failed');
  });

  it("answers 'done' for a rejection whose callback was delivered", () => {
    expect(verdictFor(invalid(delivered))).toBe('done');
    expect(verdictFor(done(result('rejected', { error: { code: 'CALLBACK_URL_REFUSED', message: 'no' } }), delivered))).toBe('done');
  });

  it("answers 'failed' for a rejection without a callback", () => {
    expect(verdictFor(invalid(undefined))).toBe('failed');
    expect(verdictFor(done(result('rejected'), undefined))).toBe('failed');
  });

  it.each<[string, EnableFlowOutcome]>([
    ['accepted', done(result('accepted', { job_id: 'j1' }), notDelivered)],
    ['already_enabled', done(result('already_enabled'), notDelivered)],
    ['succeeded', done(result('succeeded'), notDelivered)],
    ['failed permanent', done(failedPermanent, notDelivered)],
    ['failed retryable', done(failedRetryable, notDelivered)],
    ['rejected (invalid)', invalid(notDelivered)],
    ['accepted, callback refused for good', done(result('accepted'), notDeliveredPermanent)],
    ['rejected, callback refused for good', invalid(notDeliveredPermanent)],
  ])("answers 'failed' for %s when the callback was not delivered", (_name, outcome) => {
    expect(verdictFor(outcome)).toBe('failed');
  });
});

describe('configuration errors (a broken deployment)', () => {
  const misconfigured = (code: string) =>
    result('failed', { error: { code, message: 'HUAWEICLOUD_CREDENTIALS_SECRET: the secret is not JSON' }, retryable: false, upstream_status: 0 });

  it.each(['CREDENTIALS_INVALID'])("park the record ('failed') for %s, whatever happened to a callback", (code) => {
    expect(verdictFor(done(misconfigured(code), undefined))).toBe('failed');
    expect(verdictFor(done(misconfigured(code), delivered))).toBe('failed');
  });

  it("park a tracking record ('failed') when the job cannot be checked", () => {
    expect(trackingVerdict({ kind: 'unchecked', error: { code: 'CREDENTIALS_INVALID', message: 'no sk' } })).toBe('failed');
  });
});

describe('targetVerdict of a selector message', () => {
  const fleetVerdict = (outcome: FleetFlowOutcome) => targetVerdict({ kind: 'fleet', outcome });
  const summary = { project_id: PROJECT_ID, region: 'cn-north-4', dry_run: false, matched: 1, counts: { queued: 1 }, instances: [] } as const;
  const summarized = (extra: Partial<Extract<FleetFlowOutcome, { kind: 'summarized' }>> = {}): FleetFlowOutcome => ({
    kind: 'summarized',
    summary,
    transient: false,
    callback: delivered,
    ...extra,
  });

  it("answers 'done' for a run that ended, its summary delivered or with nobody to tell", () => {
    expect(fleetVerdict(summarized())).toBe('done');
    expect(fleetVerdict(summarized({ callback: undefined }))).toBe('done');
  });

  it.each<[string, FleetFlowOutcome]>([
    ['a run that failed transiently', summarized({ transient: true })],
    [
      'a misconfigured deployment (parked)',
      summarized({ summary: { ...summary, error: { code: 'CREDENTIALS_INVALID', message: 'no sk' } }, callback: undefined }),
    ],
    ['a summary not delivered', summarized({ callback: notDelivered })],
    ['a summary refused for good', summarized({ callback: notDeliveredPermanent })],
  ])("answers 'failed' for %s", (_name, outcome) => {
    expect(fleetVerdict(outcome)).toBe('failed');
  });

  it('judges an invalid selector as an invalid request', () => {
    expect(fleetVerdict(invalid(delivered) as FleetFlowOutcome)).toBe('done');
    expect(fleetVerdict(invalid(undefined) as FleetFlowOutcome)).toBe('failed');
    expect(targetVerdict({ kind: 'fleet', outcome: summarized({ transient: true }) })).toBe('failed');
    expect(targetVerdict({ kind: 'instance', outcome: done(failedRetryable, delivered) })).toBe('failed');
  });
});
