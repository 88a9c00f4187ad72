// Hostile input of many parts (issue 14, item 3), against the built bundles and the command line,
// the DMS simulator and a callback receiver on loopback: thousands of bad entries, headers or
// targets make no answer, callback, log line or stderr that grows with them. At most 20 issues are
// listed anywhere, then "and N more"; no log line is over 16 KB; a schedule summary lists a bounded
// number of results and fleets and says how many it left out.
import { randomBytes } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ScheduleSummary } from '../../functions/schedule.ts';
import {
  functionContext,
  loadBuiltCli,
  loadFunction,
  startCallbackReceiver,
  type CallbackReceiver,
  type FunctionHost,
  type Handler,
  type HttpAnswer,
  type RunCli,
} from '../../local/hosting/index.ts';
import { enableHttpEvent, jsonSqsEvent } from '../support/events.ts';
import { PROJECT, useSimulator } from '../support/fixtures.ts';
import { captureLogLines, type LogCapture } from '../support/log-lines.ts';

const fx = useSimulator();
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
// A line of the contract's JSON fits in this many bytes whatever the input: 20 issues and the rest.
const ANSWER_MAX = 16_384;
const LOG_LINE_MAX = 16_384;
const MORE = /^and \d+ more$/;

let receiver: CallbackReceiver;
let logs: LogCapture;
let loaded: {
  http: FunctionHostFactory<unknown, HttpAnswer>;
  queue: FunctionHostFactory<SQSEvent, SQSBatchResponse>;
  schedule: FunctionHostFactory<unknown, ScheduleSummary>;
};
let cli: RunCli;

type FunctionHostFactory<E, R> = (host: FunctionHost) => Handler<E, R>;

beforeAll(async () => {
  receiver = await startCallbackReceiver();
  // Importing a bundle starts its Lambda handler, which reads process.env.
  Object.assign(process.env, fx.env({ LOG_LEVEL: 'SILENT' }));
  loaded = {
    http: (await loadFunction<Handler<unknown, HttpAnswer>>('http')).createHandler,
    queue: (await loadFunction<Handler<SQSEvent, SQSBatchResponse>>('queue')).createHandler,
    schedule: (await loadFunction<Handler<unknown, ScheduleSummary>>('schedule')).createHandler,
  };
  cli = await loadBuiltCli();
  logs = captureLogLines();
});
afterAll(async () => {
  logs.restore();
  await receiver.close();
});
afterEach(() => logs.clear());

/** Every function here logs at INFO, so each line it writes is measured. */
const host = (env: Record<string, string> = {}): FunctionHost => ({
  env: fx.env({ CALLBACK_SECRET: SECRET, CALLBACK_ALLOWED_HOSTS: receiver.host, LOG_LEVEL: 'INFO', ...env }),
});

function expectLogLinesBounded(): void {
  const lines = logs.text().split('\n').filter(Boolean);
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(LOG_LINE_MAX);
    expect(() => JSON.parse(line)).not.toThrow();
  }
}

function expectBoundedIssues(issues: readonly { field: string; message: string }[] | undefined): void {
  expect(issues?.length).toBe(21);
  expect(issues?.at(-1)).toMatchObject({ field: 'request', message: expect.stringMatching(MORE) });
}

/** A selector with `count` tag entries that are all wrong (values that are not text): about 14 bytes each. */
const badTags = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`tag-${i}`, i]));

describe('many bad parts, one bounded answer', () => {
  it('HTTP: an event with 20,000 bad headers is a 400 listing 20 of them, then how many more', async () => {
    const http = loaded.http(host());
    const event: Record<string, unknown> = { ...enableHttpEvent(PROJECT, fx.instance(), {}) };
    event.headers = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`x-header-${i}`, i]));
    const answer = await http(event, functionContext('http'));
    expect(answer.statusCode).toBe(400);
    expect(answer.body.length).toBeLessThanOrEqual(ANSWER_MAX);
    const body = JSON.parse(answer.body) as { issues: { field: string; message: string }[]; error_msg: string };
    expectBoundedIssues(body.issues);
    expect(body.issues.at(-1)?.message).toBe('and 19980 more');
    expect(body.error_msg).toMatch(/request and 19980 more$/);
    expect(fx.sim.requests).toHaveLength(0);
  });

  it('schedule: a 278 KB selector of 20,000 bad tag entries makes a small summary, a small callback and small log lines', async () => {
    const schedule = loaded.schedule(host({ CALLBACK_URL: receiver.url('/bounds/schedule') }));
    const target = { project_id: PROJECT, select: { tags: badTags(20_000) } };
    expect(JSON.stringify(target).length).toBeGreaterThan(270_000);
    const summary = await schedule({ targets: [target] }, functionContext('schedule'));
    expect(JSON.stringify(summary).length).toBeLessThanOrEqual(ANSWER_MAX);
    expect(summary.counts.rejected).toBe(1);
    expect(summary.results[0]?.error?.message).toMatch(/request and 19980 more$/);

    const callback = await receiver.waitFor((c) => c.path === '/bounds/schedule');
    expect(callback.body.length).toBeLessThanOrEqual(ANSWER_MAX);
    expectLogLinesBounded();
    const rejected = logs.entries().find((entry) => entry.message === 'request rejected') as { issues?: { field: string; message: string }[] } | undefined;
    expectBoundedIssues(rejected?.issues);
    expect(fx.sim.requests).toHaveLength(0);
  });

  it('queue: the same selector as a message: a rejected callback and log lines that stay small', async () => {
    const queue = loaded.queue(host());
    const answer = await queue(
      jsonSqsEvent({ project_id: PROJECT, select: { tags: badTags(20_000) }, callback_url: receiver.url('/bounds/queue') }),
      functionContext('queue'),
    );
    expect(answer.batchItemFailures).toEqual([]);
    const callback = await receiver.waitFor((c) => c.path === '/bounds/queue');
    expect(callback.body.length).toBeLessThanOrEqual(ANSWER_MAX);
    expect(JSON.parse(callback.body)).toMatchObject({
      type: 'smart_connect.enable.rejected',
      data: { error: { message: expect.stringMatching(/and 19980 more$/) } },
    });
    expectLogLinesBounded();
  });

  it('schedule: 300 refused targets are all counted, 50 listed, and the rest said to be left out', async () => {
    const schedule = loaded.schedule(host());
    const targets = Array.from({ length: 300 }, (_, i) => ({ project_id: PROJECT, instance_id: `not-a-uuid-${i}` }));
    const summary = await schedule({ targets }, functionContext('schedule'));
    expect(summary).toMatchObject({ targets: 300, counts: { rejected: 300 }, left_out: { results: 250 } });
    expect(summary.results).toHaveLength(50);
    expect(summary.results[49]?.instance_id).toBe('not-a-uuid-49');
    expectLogLinesBounded();
  });

  it('schedule: 25 selector targets: 20 fleets listed, 5 said to be left out, every one run', async () => {
    const schedule = loaded.schedule(host());
    const targets = Array.from({ length: 25 }, () => ({ project_id: PROJECT, select: { name_prefix: 'none-such-' }, dry_run: true }));
    const summary = await schedule({ targets }, functionContext('schedule'));
    expect(summary.fleets).toHaveLength(20);
    expect(summary.left_out).toEqual({ fleets: 5 });
    expect(fx.sim.requests.filter((r) => r.method === 'GET')).toHaveLength(25);
    expectLogLinesBounded();
  });

  it('command line: 500 bad --tag entries: exit 2, 20 problems on stderr, then how many more', async () => {
    let stderr = '';
    const tags = Array.from({ length: 500 }, (_, i) => ['--tag', `no-equals-sign-${i}`]).flat();
    const code = await cli(['reconcile', '--project-id', PROJECT, ...tags], { env: fx.env(), stdout: () => {}, stderr: (text) => (stderr += text) });
    expect(code).toBe(2);
    const lines = stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(21);
    expect(lines.at(-1)).toBe('invalid request: and 480 more');
    expect(fx.sim.requests).toHaveLength(0);
  });
});
