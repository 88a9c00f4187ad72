// The built bundles' CloudWatch metrics (Embedded Metric Format lines, one flush per invocation: on
// stdout in Lambda, to the host's sink when hosted) and the two fields every log line of an
// invocation carries: Lambda's request id and whether the invocation was the process's cold start.
import { randomBytes } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { enableHttpEvent, jsonSqsEvent as sqsEvent } from '../support/events.ts';
import { PROJECT, useSimulator } from '../support/fixtures.ts';
import { newProjectId } from '../support/fleet.ts';
import { captureLogLines, type LogCapture, type LogEntry } from '../support/log-lines.ts';
import { mixedFleet, type FleetSeed } from '../../local/simulator/index.ts';
import type { SealedTrackingMessage } from '../../shared/tracking/index.ts';
import {
  collectMetricLines,
  connectorPath,
  functionContext,
  httpApiEvent,
  loadFunction,
  loadHandler,
  startCallbackReceiver,
  webhookHeaders,
  type CallbackReceiver,
  type FunctionName,
  type Handler,
  type HttpAnswer,
  type QueueSender,
} from '../../local/hosting/index.ts';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const JOB_MS = 30_000;
const NAMESPACE = 'SmartConnectEnabler';

let clock = Date.now();
const fx = useSimulator({ jobMs: JOB_MS, now: () => clock });
let receiver: CallbackReceiver;
let logs: LogCapture;
// The functions' metric sink, as a host hands one in.
const metricLines = collectMetricLines();
let http: Handler<unknown, HttpAnswer>;
let queue: Handler<SQSEvent, SQSBatchResponse>;
let schedule: Handler<unknown, { counts: Record<string, number> }>;
const tracked: SealedTrackingMessage[] = [];

// The queue function's tracking queue, handed over as a host does: sealed messages as JSON bodies.
const trackingQueue: QueueSender = {
  async send(body) {
    tracked.push(JSON.parse(body) as SealedTrackingMessage);
  },
};

/** A fresh module instance (its own cold start), reading process.env now, its metric lines to the sink above; the queue with the tracking queue above. */
const loadFreshBundle = <H>(name: FunctionName) =>
  loadHandler<H>(name, { fresh: true, host: { metrics: metricLines.write, ...(name === 'queue' ? { trackingQueue } : {}) } });

beforeAll(async () => {
  receiver = await startCallbackReceiver();
  Object.assign(process.env, fx.env({ CALLBACK_SECRET: SECRET, CALLBACK_ALLOWED_HOSTS: receiver.host, LOG_LEVEL: 'INFO' }));
  delete process.env.CALLBACK_URL;
  delete process.env.SCHEDULE_TARGETS;
  logs = captureLogLines();
  // Fresh module instances: each bundle's first invocation here is its process's cold start.
  http = await loadFreshBundle('http');
  queue = await loadFreshBundle('queue');
  schedule = await loadFreshBundle('schedule');
});
afterAll(async () => {
  logs.restore();
  await receiver.close();
});
afterEach(() => {
  tracked.length = 0;
  logs.clear();
  metricLines.clear();
});

const isEmf = (entry: LogEntry) => '_aws' in entry;
const emfLines = (): LogEntry[] => metricLines.entries();
const logLines = () => logs.entries();

/** Runs one invocation and returns its request id, its answer, and the lines it wrote: metrics to the sink, logs to stdout. */
async function invoke<E, R>(handler: Handler<E, R>, event: E, name: FunctionName) {
  logs.clear();
  metricLines.clear();
  const context = functionContext(name, { timeoutMs: 120_000 });
  const answer = await handler(event, context);
  return { requestId: context.awsRequestId, answer, emf: emfLines(), lines: logLines() };
}

/** The EMF directive naming a metric: its namespace, dimension set and unit. */
function directiveOf(line: LogEntry, metric: string) {
  const { CloudWatchMetrics } = line._aws as {
    CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }>;
  };
  const directive = CloudWatchMetrics.find((entry) => entry.Metrics.some((m) => m.Name === metric));
  return directive && { namespace: directive.Namespace, dimensions: directive.Dimensions, unit: directive.Metrics.find((m) => m.Name === metric)?.Unit };
}

describe('EMF lines: one flush per invocation', () => {
  it('counts an accepted HTTP request under Trigger and Outcome, with the request id and the cold start, in one line', async () => {
    const first = await invoke(http, enableHttpEvent(PROJECT, fx.instance(), {}), 'http');
    expect(first.answer.statusCode).toBe(202);
    expect(first.emf).toHaveLength(1);
    const [line] = first.emf;
    expect(line).toEqual({
      _aws: {
        Timestamp: expect.any(Number),
        CloudWatchMetrics: [{ Namespace: NAMESPACE, Dimensions: [['Trigger', 'Outcome']], Metrics: [{ Name: 'Enables', Unit: 'Count' }] }],
      },
      service: 'smart-connect-enabler',
      request_id: first.requestId,
      cold_start: true,
      Trigger: 'http',
      Outcome: 'accepted',
      Enables: 1,
    });
    expect(Math.abs(Number((line?._aws as { Timestamp: number }).Timestamp) - Date.now())).toBeLessThan(60_000);
    expect(first.lines.length).toBeGreaterThan(0);
    for (const entry of first.lines) expect(entry).toMatchObject({ request_id: first.requestId, cold_start: true });

    const second = await invoke(http, enableHttpEvent(PROJECT, fx.instance(), {}), 'http');
    expect(second.emf).toEqual([expect.objectContaining({ request_id: second.requestId, cold_start: false, Outcome: 'accepted', Enables: 1 })]);
  });

  it('counts each throttled answer from Huawei Cloud, and the request that got through anyway', async () => {
    const instanceId = fx.instance();
    fx.sim.inject({ method: 'POST', path: instanceId, fault: { kind: 'status', status: 429, headers: { 'Retry-After': '0' } }, times: 2 });
    const { answer, emf } = await invoke(http, enableHttpEvent(PROJECT, instanceId, {}), 'http');
    expect(answer.statusCode).toBe(202);
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({ Trigger: 'http', Outcome: 'accepted', Enables: 1, HuaweiThrottled: 2 });
    expect(emf[0]).not.toHaveProperty('HuaweiFailures');
    expect(directiveOf(emf[0]!, 'HuaweiThrottled')).toEqual({ namespace: NAMESPACE, dimensions: [['Trigger']], unit: 'Count' });
  });

  it('counts each call to Huawei Cloud that got no usable answer', async () => {
    const instanceId = fx.instance();
    // The POST, then looks at the instance, answered 503 until three have been: then it goes through.
    fx.sim.inject({ path: instanceId, fault: { kind: 'status', status: 503 }, times: 3 });
    const { answer, emf } = await invoke(http, enableHttpEvent(PROJECT, instanceId, {}), 'http');
    expect(answer.statusCode).toBe(202);
    expect(emf).toEqual([expect.objectContaining({ Trigger: 'http', Outcome: 'accepted', Enables: 1, HuaweiFailures: 3 })]);
    expect(emf[0]).not.toHaveProperty('HuaweiThrottled');
    expect(directiveOf(emf[0]!, 'HuaweiFailures')).toEqual({ namespace: NAMESPACE, dimensions: [['Trigger']], unit: 'Count' });
  });

  it("counts a request Huawei Cloud refused as failed, without counting Huawei's answer as a failure of its own", async () => {
    const { answer, emf } = await invoke(http, enableHttpEvent(PROJECT, '0badc0de-0000-4000-8000-000000000404', {}), 'http');
    expect(answer.statusCode).toBe(404);
    expect(emf).toEqual([expect.objectContaining({ Trigger: 'http', Outcome: 'failed', Enables: 1 })]);
    expect(emf[0]).not.toHaveProperty('HuaweiFailures');
  });

  it('counts a callback that could not be delivered', async () => {
    const instanceId = fx.instance();
    const hook = `/refused/${instanceId}`;
    receiver.answer(hook, 400);
    const { emf } = await invoke(queue, sqsEvent({ project_id: PROJECT, instance_id: instanceId, callback_url: receiver.url(hook) }), 'queue');
    expect(receiver.received.filter((callback) => callback.path === hook)).not.toHaveLength(0);
    expect(emf).toEqual([expect.objectContaining({ Trigger: 'queue', Outcome: 'accepted', Enables: 1, CallbackFailures: 1 })]);
    expect(directiveOf(emf[0]!, 'CallbackFailures')).toEqual({ namespace: NAMESPACE, dimensions: [['Trigger']], unit: 'Count' });
  });

  it('writes one line per outcome for a batch whose records ended differently, all flushed at its end', async () => {
    const event = sqsEvent({ project_id: PROJECT, instance_id: fx.instance() });
    const [valid] = event.Records;
    const rejected = { ...valid!, messageId: `${valid!.messageId}-2`, body: JSON.stringify({ project_id: PROJECT, instance_id: 'not-a-uuid' }) };
    const another = { ...valid!, messageId: `${valid!.messageId}-3`, body: JSON.stringify({ project_id: PROJECT, instance_id: fx.instance() }) };
    const { requestId, emf } = await invoke(queue, { Records: [valid!, rejected, another] }, 'queue');
    expect(emf.map((line) => [line.Outcome, line.Enables])).toEqual(
      expect.arrayContaining([
        ['accepted', 2],
        ['rejected', 1],
      ]),
    );
    expect(emf).toHaveLength(2);
    for (const line of emf) expect(line).toMatchObject({ Trigger: 'queue', request_id: requestId });
  });

  it("observes a followed job's duration when tracking ends it, by its final Outcome", async () => {
    const instanceId = fx.instance();
    const hook = `/track/${instanceId}`;
    await invoke(queue, sqsEvent({ project_id: PROJECT, instance_id: instanceId, callback_url: receiver.url(hook) }), 'queue');
    expect(tracked).toHaveLength(1);
    clock += JOB_MS;
    const { emf } = await invoke(queue, sqsEvent(tracked[0]), 'queue');
    const final = receiver.received.filter((callback) => callback.path === hook).at(-1)!;
    const { data } = new Webhook(SECRET).verify(final.body, webhookHeaders(final)) as { data: { status: string; duration_seconds: number } };
    expect(data.status).toBe('succeeded');
    expect(emf).toEqual([expect.objectContaining({ Trigger: 'queue', Outcome: 'succeeded', JobDuration: data.duration_seconds })]);
    expect(emf[0]).not.toHaveProperty('Enables');
    expect(directiveOf(emf[0]!, 'JobDuration')).toEqual({ namespace: NAMESPACE, dimensions: [['Trigger', 'Outcome']], unit: 'Seconds' });
  });

  it('counts scheduled targets under the schedule trigger', async () => {
    const targets = [
      { project_id: PROJECT, instance_id: fx.instance() },
      { project_id: PROJECT, instance_id: fx.instance() },
    ];
    const { answer, emf } = await invoke(schedule, { targets }, 'schedule');
    expect(answer.counts).toMatchObject({ accepted: 2 });
    expect(emf).toEqual([expect.objectContaining({ Trigger: 'schedule', Outcome: 'accepted', Enables: 2, cold_start: true })]);
  });
});

/** A fleet of its own project: one instance of each kind (to enable, enabled, enabling, yearly, busy). */
function seedFleet(): { project: string; seeds: FleetSeed[] } {
  const project = newProjectId();
  const seeds = mixedFleet({ projectId: project, count: 5 });
  for (const seed of seeds) fx.sim.addInstance(seed);
  return { project, seeds };
}

describe('EMF lines: fleet runs', () => {
  it('counts a fleet run once by its outcome, and none of the instances it enables itself as Enables', async () => {
    const { project, seeds } = seedFleet();
    const { answer, emf } = await invoke(queue, sqsEvent({ project_id: project, select: {} }), 'queue');
    expect(answer.batchItemFailures).toEqual([]);
    const toEnable = seeds.find((seed) => seed.kind === 'to_enable')!.instanceId;
    expect(fx.sim.acceptedEnableCalls(toEnable)).toBe(1);
    expect(emf).toEqual([expect.objectContaining({ Trigger: 'queue', Outcome: 'completed', FleetRuns: 1 })]);
    expect(emf[0]).not.toHaveProperty('Enables');
    expect(directiveOf(emf[0]!, 'FleetRuns')).toEqual({ namespace: NAMESPACE, dimensions: [['Trigger', 'Outcome']], unit: 'Count' });
  });

  it('counts a run with a failed instance as failed and an invalid selector as rejected, beside an instance target', async () => {
    const { project, seeds } = seedFleet();
    const toEnable = seeds.find((seed) => seed.kind === 'to_enable')!.instanceId;
    fx.sim.inject({ method: 'POST', path: toEnable, fault: { kind: 'status', status: 400 }, times: 1 });
    const targets = [
      { project_id: project, select: {} },
      { project_id: project, select: { name_prefix: 42 } },
      { project_id: PROJECT, instance_id: fx.instance() },
    ];
    const { emf } = await invoke(schedule, { targets }, 'schedule');
    expect(emf).toHaveLength(3);
    expect(emf).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Trigger: 'schedule', Outcome: 'failed', FleetRuns: 1 }),
        expect.objectContaining({ Trigger: 'schedule', Outcome: 'rejected', FleetRuns: 1 }),
        expect.objectContaining({ Trigger: 'schedule', Outcome: 'accepted', Enables: 1 }),
      ]),
    );
    for (const line of emf.filter((entry) => 'FleetRuns' in entry)) expect(line).not.toHaveProperty('Enables');
  });
});

describe('where the lines go', () => {
  it("to the host's sink, none to stdout (the functions' log)", async () => {
    const { requestId, emf, lines } = await invoke(http, enableHttpEvent(PROJECT, fx.instance(), {}), 'http');
    expect(emf).toEqual([expect.objectContaining({ Trigger: 'http', Outcome: 'accepted', Enables: 1, request_id: requestId })]);
    expect(lines.length).toBeGreaterThan(0);
    expect(logs.text()).not.toContain('"_aws"');
  });

  it('nowhere for a function hosted without a sink: not to stdout', async () => {
    const hosted = await loadHandler<Handler<unknown, HttpAnswer>>('http', { fresh: true });
    const { answer, emf, lines } = await invoke(hosted, enableHttpEvent(PROJECT, fx.instance(), {}), 'http');
    expect(answer.statusCode).toBe(202);
    expect(emf).toEqual([]);
    expect(lines.length).toBeGreaterThan(0);
    expect(logs.text()).not.toContain('"_aws"');
  });

  it("to stdout, among its log lines, from the bundle's own handler (what Lambda runs)", async () => {
    const lambda = (await loadFunction<Handler<unknown, HttpAnswer>>('http', { fresh: true })).handler;
    const { requestId, answer, emf, lines } = await invoke(lambda, enableHttpEvent(PROJECT, fx.instance(), {}), 'http');
    expect(answer.statusCode).toBe(202);
    expect(emf).toEqual([]);
    expect(lines.filter(isEmf)).toEqual([expect.objectContaining({ Trigger: 'http', Outcome: 'accepted', Enables: 1, request_id: requestId })]);
  });
});

describe('METRICS_NAMESPACE', () => {
  it('names the namespace the lines go to (serverless.yml: one per stage)', async () => {
    process.env.METRICS_NAMESPACE = 'SmartConnectEnabler/test';
    try {
      const staged = await loadFreshBundle<Handler<unknown, HttpAnswer>>('http');
      const { emf } = await invoke(staged, enableHttpEvent(PROJECT, fx.instance(), {}), 'http');
      expect(directiveOf(emf[0]!, 'Enables')).toMatchObject({ namespace: 'SmartConnectEnabler/test' });
    } finally {
      delete process.env.METRICS_NAMESPACE;
    }
  });

  it('fails the cold start with one line naming it when CloudWatch would refuse it', async () => {
    process.env.METRICS_NAMESPACE = 'AWS/Lambda';
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await expect(loadFreshBundle('http')).rejects.toThrow(/^METRICS_NAMESPACE is malformed/);
      expect(stderr.mock.calls.map(([text]) => String(text))).toEqual([expect.stringMatching(/^configuration error: METRICS_NAMESPACE is malformed[^\n]*\n$/)]);
    } finally {
      stderr.mockRestore();
      delete process.env.METRICS_NAMESPACE;
    }
  });
});

describe('log lines', () => {
  it("carry the invocation's request id and cold-start flag, every one of them, for every trigger", async () => {
    const instanceId = fx.instance();
    const runs = [
      await invoke(http, enableHttpEvent(PROJECT, instanceId, {}), 'http'),
      await invoke(queue, sqsEvent({ project_id: PROJECT, instance_id: instanceId }), 'queue'),
      await invoke(queue, sqsEvent({ project_id: PROJECT, instance_id: 'not-a-uuid' }), 'queue'),
      await invoke(queue, { not: 'an SQS batch' } as unknown as SQSEvent, 'queue'),
      await invoke(schedule, { targets: 'not a list' }, 'schedule'),
      await invoke(http, enableHttpEvent(PROJECT, '0badc0de-0000-4000-8000-000000000404', {}), 'http'),
    ];
    for (const run of runs) {
      expect(run.lines.length).toBeGreaterThan(0);
      for (const line of run.lines) expect(line).toMatchObject({ request_id: run.requestId, cold_start: false });
    }
  });

  it('carry them on the status route, fleet runs through the queue and the schedule, and tracking records', async () => {
    const instanceId = fx.instance();
    const { project } = seedFleet();
    await invoke(queue, sqsEvent({ project_id: PROJECT, instance_id: instanceId }), 'queue');
    expect(tracked).toHaveLength(1);
    const runs = [
      await invoke(http, httpApiEvent({ method: 'GET', url: connectorPath(PROJECT, instanceId) }), 'http'),
      await invoke(queue, sqsEvent({ project_id: project, select: {}, dry_run: true }), 'queue'),
      await invoke(schedule, { targets: [{ project_id: project, select: {}, dry_run: true }] }, 'schedule'),
      await invoke(queue, sqsEvent(tracked[0]), 'queue'),
    ];
    for (const run of runs) {
      expect(run.lines.length).toBeGreaterThan(0);
      for (const line of run.lines) expect(line).toMatchObject({ request_id: run.requestId, cold_start: false });
    }
  });
});
