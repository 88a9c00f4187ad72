// Unit tests of shared/metrics: the exact CloudWatch Embedded Metric Format documents the functions
// write, how an invocation's metrics become lines, and the flows' recording helpers.
import { describe, expect, it } from 'vitest';
import {
  countEnable,
  createMetrics,
  emfLine,
  isMetricNamespace,
  METRIC_NAMESPACE,
  MetricName,
  observeJobEnd,
  type Metrics,
} from '../../shared/metrics/index.ts';

const NOW = 1_795_599_000_123;

function recorder(dimensions: Record<string, string> = { Trigger: 'queue' }): { metrics: Metrics; lines: () => Record<string, unknown>[] } {
  const written: string[] = [];
  const metrics = createMetrics({ namespace: 'Test/Namespace', dimensions, write: (line) => written.push(line), now: () => NOW });
  return { metrics, lines: () => written.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('emfLine', () => {
  it('writes the EMF envelope: _aws.Timestamp, one CloudWatchMetrics entry per directive, dimension and metric values at the root', () => {
    const line = emfLine({
      namespace: 'SmartConnectEnabler',
      timestamp: NOW,
      dimensions: { Trigger: 'http', Outcome: 'accepted' },
      directives: [
        { dimensions: ['Trigger', 'Outcome'], metrics: [{ name: 'Enables', unit: 'Count', value: 1 }] },
        {
          dimensions: ['Trigger'],
          metrics: [
            { name: 'HuaweiThrottled', unit: 'Count', value: 2 },
            { name: 'Lag', unit: 'Seconds', value: [1.5, 2] },
          ],
        },
      ],
      properties: { request_id: 'r-1', cold_start: true },
    });
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({
      _aws: {
        Timestamp: NOW,
        CloudWatchMetrics: [
          { Namespace: 'SmartConnectEnabler', Dimensions: [['Trigger', 'Outcome']], Metrics: [{ Name: 'Enables', Unit: 'Count' }] },
          {
            Namespace: 'SmartConnectEnabler',
            Dimensions: [['Trigger']],
            Metrics: [
              { Name: 'HuaweiThrottled', Unit: 'Count' },
              { Name: 'Lag', Unit: 'Seconds' },
            ],
          },
        ],
      },
      Trigger: 'http',
      Outcome: 'accepted',
      Enables: 1,
      HuaweiThrottled: 2,
      Lag: [1.5, 2],
      request_id: 'r-1',
      cold_start: true,
    });
  });

  it('lets no property shadow a dimension or a metric value', () => {
    const line = emfLine({
      namespace: 'N',
      timestamp: NOW,
      dimensions: { Trigger: 'queue' },
      directives: [{ dimensions: ['Trigger'], metrics: [{ name: 'Enables', unit: 'Count', value: 3 }] }],
      properties: { Trigger: 'forged', Enables: 99 },
    });
    expect(JSON.parse(line)).toMatchObject({ Trigger: 'queue', Enables: 3 });
  });
});

describe('createMetrics', () => {
  it('writes nothing when nothing was recorded', () => {
    const { metrics, lines } = recorder();
    metrics.flush({ request_id: 'r-1' });
    expect(lines()).toEqual([]);
  });

  it('adds counts up and writes one line for an invocation, under the function dimensions and the recorded ones', () => {
    const { metrics, lines } = recorder();
    metrics.count('Enables', { Outcome: 'accepted' });
    metrics.count('Enables', { Outcome: 'accepted' });
    metrics.count('HuaweiThrottled');
    metrics.count('HuaweiThrottled');
    metrics.count('HuaweiThrottled');
    metrics.flush({ service: 'svc', request_id: 'r-1', cold_start: false });
    expect(lines()).toEqual([
      {
        _aws: {
          Timestamp: NOW,
          CloudWatchMetrics: [
            { Namespace: 'Test/Namespace', Dimensions: [['Trigger', 'Outcome']], Metrics: [{ Name: 'Enables', Unit: 'Count' }] },
            { Namespace: 'Test/Namespace', Dimensions: [['Trigger']], Metrics: [{ Name: 'HuaweiThrottled', Unit: 'Count' }] },
          ],
        },
        service: 'svc',
        request_id: 'r-1',
        cold_start: false,
        Trigger: 'queue',
        Outcome: 'accepted',
        Enables: 2,
        HuaweiThrottled: 3,
      },
    ]);
  });

  it('writes a line of its own for each further value of a dimension (one value per dimension in a document)', () => {
    const { metrics, lines } = recorder();
    metrics.count('Enables', { Outcome: 'accepted' });
    metrics.count('Enables', { Outcome: 'rejected' });
    metrics.count('Enables', { Outcome: 'accepted' });
    metrics.count('CallbackFailures');
    metrics.flush({ request_id: 'r-2' });
    const written = lines();
    expect(written.map((line) => [line.Outcome, line.Enables, line.CallbackFailures])).toEqual([
      ['accepted', 2, 1],
      ['rejected', 1, undefined],
    ]);
    for (const line of written) expect(line).toMatchObject({ request_id: 'r-2', Trigger: 'queue' });
  });

  it('keeps each observation, at most the 100 EMF takes for one metric in one document', () => {
    const { metrics, lines } = recorder({ Trigger: 'queue' });
    const durations = Array.from({ length: 130 }, (_, i) => i + 0.5);
    for (const seconds of durations) metrics.observe('JobDuration', 'Seconds', seconds, { Outcome: 'succeeded' });
    metrics.count('Enables', { Outcome: 'succeeded' });
    metrics.flush();
    expect(lines()).toEqual([
      {
        _aws: {
          Timestamp: NOW,
          CloudWatchMetrics: [
            {
              Namespace: 'Test/Namespace',
              Dimensions: [['Trigger', 'Outcome']],
              Metrics: [
                { Name: 'JobDuration', Unit: 'Seconds' },
                { Name: 'Enables', Unit: 'Count' },
              ],
            },
          ],
        },
        Trigger: 'queue',
        Outcome: 'succeeded',
        JobDuration: durations.slice(0, 100),
        Enables: 1,
      },
    ]);
  });

  it('writes a single observation as a number, and drops values EMF would refuse', () => {
    const { metrics, lines } = recorder({});
    metrics.observe('JobDuration', 'Seconds', Number.NaN);
    metrics.observe('JobDuration', 'Seconds', Number.POSITIVE_INFINITY);
    metrics.observe('JobDuration', 'Seconds', 42);
    metrics.flush();
    expect(lines()).toEqual([
      {
        _aws: { Timestamp: NOW, CloudWatchMetrics: [{ Namespace: 'Test/Namespace', Dimensions: [[]], Metrics: [{ Name: 'JobDuration', Unit: 'Seconds' }] }] },
        JobDuration: 42,
      },
    ]);
  });

  it('starts afresh after each flush: an invocation writes only its own metrics', () => {
    const { metrics, lines } = recorder();
    metrics.count('Enables', { Outcome: 'failed' });
    metrics.flush({ request_id: 'r-1' });
    metrics.count('Enables', { Outcome: 'accepted' });
    metrics.flush({ request_id: 'r-2' });
    metrics.flush({ request_id: 'r-3' });
    expect(lines().map((line) => [line.request_id, line.Outcome, line.Enables])).toEqual([
      ['r-1', 'failed', 1],
      ['r-2', 'accepted', 1],
    ]);
  });
});

describe('recording helpers', () => {
  it('counts an enable outcome by Outcome, and a callback that was not delivered', () => {
    const { metrics, lines } = recorder({ Trigger: 'http' });
    const outcome = { kind: 'done', result: { status: 'accepted' }, callback: { kind: 'undelivered' } } as const;
    expect(countEnable(metrics, outcome)).toBe(outcome);
    countEnable(metrics, { result: { status: 'accepted' }, callback: { kind: 'delivered' } });
    countEnable(metrics, { result: { status: 'rejected' }, callback: undefined });
    metrics.flush();
    expect(lines().map((line) => [line.Outcome, line[MetricName.enables], line[MetricName.callbackFailures]])).toEqual([
      ['accepted', 2, 1],
      ['rejected', 1, undefined],
    ]);
  });

  it("observes a followed job's duration by its final Outcome", () => {
    const { metrics, lines } = recorder();
    observeJobEnd(metrics, { result: { status: 'succeeded', duration_seconds: 312 }, callback: { kind: 'delivered' } });
    observeJobEnd(metrics, { result: { status: 'failed', duration_seconds: 3000 }, callback: { kind: 'undelivered' } });
    metrics.flush();
    expect(lines().map((line) => [line.Outcome, line[MetricName.jobDuration], line[MetricName.callbackFailures]])).toEqual([
      ['succeeded', 312, 1],
      ['failed', 3000, undefined],
    ]);
  });

  it('names the namespace the functions write to, and tells a namespace CloudWatch takes from one it refuses', () => {
    expect(METRIC_NAMESPACE).toBe('SmartConnectEnabler');
    for (const good of [METRIC_NAMESPACE, 'SmartConnectEnabler/prod', 'Team#1: enabler_v2.x', 'a'.repeat(255)]) expect(isMetricNamespace(good)).toBe(true);
    for (const bad of ['', '   ', 'AWS/Lambda', 'a'.repeat(256), 'émetteur', 'new\nline', 'quote"d']) expect(isMetricNamespace(bad)).toBe(false);
  });
});
