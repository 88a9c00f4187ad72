// The CloudWatch dashboard serverless.yml deploys shows what the functions emit, and nothing they do
// not: every metric of the functions' namespace a widget queries is one the code records, under the
// dimension names it records it with, and every metric the code records has its widget. What the code
// records is read from the code (shared/metrics through a function started as Lambda starts it), not
// from a second list; the dashboard is read from the template `serverless package` writes. Beside
// them, the queues' depth and age and each function's errors, throttles and duration (AWS's metrics).
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFunction } from '../../functions/lambda.ts';
import type { FunctionTrigger } from '../../functions/wiring.ts';
import { SERVICE_ROOT } from '../../scripts/offline-serverless.ts';
import { countEnable, countFleetRun, MetricName, observeJobEnd, type Metrics } from '../../shared/metrics/index.ts';
import type { Template } from '../support/cloudformation.ts';
import { dashboardOf, shownMetrics, type Dashboard, type ShownMetric } from '../support/dashboard.ts';
import { KEY } from '../support/fixtures.ts';
import { packageService } from '../support/serverless-package.ts';

const SERVICE = 'smart-connect-enabler';
const STAGE = 'test';
const REGION = 'eu-west-1';

let scratch = '';
let template: Template;
let dashboard: Dashboard;
let shown: ShownMetric[];

beforeAll(async () => {
  if (!['http', 'queue', 'schedule'].every((fn) => existsSync(join(SERVICE_ROOT, 'dist', fn, 'index.mjs')))) {
    throw new Error('the bundles are missing: run `npm run build` first (`npm test` does); serverless.yml packages them');
  }
  scratch = await mkdtemp(join(tmpdir(), 'sls-dashboard-'));
  ({ template } = await packageService({ region: REGION, stage: STAGE, scratch }));
  dashboard = dashboardOf(template);
  shown = shownMetrics(dashboard);
}, 120_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const functions = () =>
  Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
    .map(([logicalId, r]) => ({
      logicalId,
      trigger: String(r.Properties.FunctionName).slice(`${SERVICE}-${STAGE}-`.length) as FunctionTrigger,
      env: r.Properties.Environment.Variables,
    }));
const queues = () =>
  Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::SQS::Queue')
    .map(([logicalId]) => logicalId);
/** The namespace the deployed functions write to. */
const namespace = () => {
  const namespaces = new Set(functions().map((fn) => fn.env.METRICS_NAMESPACE as string));
  expect(namespaces.size).toBe(1);
  return [...namespaces][0] as string;
};
const custom = () => shown.filter((metric) => metric.namespace === namespace());
const keyOf = (metric: { namespace: string; name: string; dimensions: readonly string[] }) =>
  `${metric.namespace} ${metric.name} {${[...metric.dimensions].sort().join(',')}}`;

/**
 * Every metric the functions record, as EMF writes it (namespace, name, dimension names): each
 * function started as Lambda starts it, in the deployed namespace, records through the catalog's
 * helpers what they record (with the callback they report as not delivered), then counts every other
 * name of the catalog as the Huawei client counts its answers (shared/huawei/client.ts: no dimension
 * of its own), then flushes.
 */
function emittedMetrics(): Set<string> {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  const emitted = () => lines.flatMap((line) => line.split('\n').filter(Boolean)).flatMap((line) => emfMetrics(JSON.parse(line)));
  try {
    for (const { trigger } of functions()) {
      const { metrics } = startFunction(trigger, {
        env: { HUAWEICLOUD_REGION: 'cn-north-4', HUAWEICLOUD_SDK_AK: KEY.ak, HUAWEICLOUD_SDK_SK: KEY.sk, METRICS_NAMESPACE: namespace(), LOG_LEVEL: 'SILENT' },
      }).deployment;
      recordThroughCatalog(metrics);
      metrics.flush();
      const recorded = new Set(emitted().map((metric) => metric.name));
      for (const name of Object.values(MetricName)) if (!recorded.has(name)) metrics.count(name);
      metrics.flush();
    }
  } finally {
    write.mockRestore();
  }
  return new Set(emitted().map(keyOf));
}

function recordThroughCatalog(metrics: Metrics): void {
  const notDelivered = { kind: 'undelivered' } as const;
  countEnable(metrics, { result: { status: 'accepted' }, callback: notDelivered });
  countFleetRun(metrics, 'completed', { callback: notDelivered });
  observeJobEnd(metrics, { result: { status: 'succeeded', duration_seconds: 42 }, callback: notDelivered });
}

function emfMetrics(line: { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] } }) {
  return line._aws.CloudWatchMetrics.flatMap((directive) =>
    directive.Dimensions.flatMap((dimensions) => directive.Metrics.map((metric) => ({ namespace: directive.Namespace, name: metric.Name, dimensions }))),
  );
}

describe('the dashboard and the metrics the functions emit', () => {
  it("queries the functions' own metrics in the namespace the deployed functions write to, and AWS's for SQS and Lambda, nothing else", () => {
    expect(namespace()).toBe(`SmartConnectEnabler/${STAGE}`);
    expect(new Set(shown.map((metric) => metric.namespace))).toEqual(new Set([namespace(), 'AWS/SQS', 'AWS/Lambda']));
  });

  it('shows only metrics the functions emit, each under the dimension names they record it with', () => {
    const emitted = emittedMetrics();
    for (const metric of custom()) expect(emitted, `${metric.widget}: ${keyOf(metric)}`).toContain(keyOf(metric));
  });

  it('shows every metric the functions emit', () => {
    const emitted = emittedMetrics();
    expect(emitted.size).toBeGreaterThanOrEqual(Object.values(MetricName).length);
    expect(new Set(custom().map(keyOf))).toEqual(emitted);
  });

  it("searches the functions' metrics (every Trigger and Outcome seen is a line), one metric per widget", () => {
    for (const metric of custom()) expect(metric.values, metric.widget).toBeUndefined();
    const widgetsOf = (name: string) =>
      new Set(
        custom()
          .filter((metric) => metric.name === name)
          .map((metric) => metric.widget),
      );
    for (const metric of custom())
      expect(
        new Set(
          custom()
            .filter((m) => m.widget === metric.widget)
            .map((m) => m.name),
        ),
      ).toEqual(new Set([metric.name]));
    expect(widgetsOf(MetricName.enables).size).toBe(1);
  });

  it('shows JobDuration as its p50, p90 and p99, and every count as a sum', () => {
    const statsOf = (name: string) =>
      custom()
        .filter((metric) => metric.name === name)
        .map((metric) => metric.stat);
    expect(statsOf(MetricName.jobDuration).sort()).toEqual(['p50', 'p90', 'p99']);
    for (const metric of custom().filter((m) => m.name !== MetricName.jobDuration)) expect(metric.stat, metric.name).toBe('Sum');
  });
});

describe("the dashboard's AWS metrics", () => {
  const explicit = (namespaceName: string) =>
    shown.filter((metric) => metric.namespace === namespaceName).map((metric) => ({ name: metric.name, values: metric.values, stat: metric.stat }));

  it('shows the depth and the age of the oldest message of every queue (the enable queue and both dead-letter queues), at their maximum', () => {
    expect(queues().sort()).toEqual(['EnableDeadLetterQueue', 'EnableQueue', 'ScheduleDeadLetterQueue']);
    const expected = queues().flatMap((queue) =>
      ['ApproximateNumberOfMessagesVisible', 'ApproximateAgeOfOldestMessage'].map((name) => ({
        name,
        values: { QueueName: `\${${queue}.QueueName}` },
        stat: 'Maximum',
      })),
    );
    expect(explicit('AWS/SQS')).toEqual(expect.arrayContaining(expected));
    expect(explicit('AWS/SQS')).toHaveLength(expected.length);
  });

  it("shows each function's errors and throttles (sums) and its duration (p99)", () => {
    expect(functions()).toHaveLength(3);
    const expected = functions().flatMap(({ logicalId }) => [
      { name: 'Errors', values: { FunctionName: `\${${logicalId}}` }, stat: 'Sum' },
      { name: 'Throttles', values: { FunctionName: `\${${logicalId}}` }, stat: 'Sum' },
      { name: 'Duration', values: { FunctionName: `\${${logicalId}}` }, stat: 'p99' },
    ]);
    expect(explicit('AWS/Lambda')).toEqual(expect.arrayContaining(expected));
    expect(explicit('AWS/Lambda')).toHaveLength(expected.length);
  });
});

describe('the dashboard itself', () => {
  it('is named after the service, the stage and the region (dashboards are global to the account)', () => {
    expect(dashboard.name).toEqual({ 'Fn::Sub': `${SERVICE}-${STAGE}-\${AWS::Region}` });
    expect(template.Outputs.DashboardName?.Value).toEqual({ Ref: dashboard.logicalId });
  });

  it('substitutes only the region and resources of the stack (a queue name, a function name)', () => {
    expect(dashboard.substitutions.length).toBeGreaterThan(0);
    for (const substitution of dashboard.substitutions) {
      if (substitution === 'AWS::Region') continue;
      const [logicalId, attribute] = substitution.split('.');
      expect(Object.keys(template.Resources), substitution).toContain(logicalId);
      if (attribute !== undefined) expect(attribute, substitution).toBe('QueueName');
    }
  });

  it("draws every widget in the deployment's region, on CloudWatch's 24-column grid, none over another", () => {
    const metricWidgets = dashboard.widgets.filter((widget) => widget.type === 'metric');
    expect(metricWidgets.length).toBeGreaterThan(0);
    for (const widget of metricWidgets) expect(widget.properties.region).toBe(`\${AWS::Region}`);
    const cells = new Set<string>();
    for (const { x, y, width, height, properties } of dashboard.widgets) {
      expect(x + width, properties.title).toBeLessThanOrEqual(24);
      for (let row = y; row < y + height; row += 1) {
        for (let column = x; column < x + width; column += 1) {
          expect(cells.has(`${column},${row}`), `${properties.title} overlaps another widget`).toBe(false);
          cells.add(`${column},${row}`);
        }
      }
    }
  });
});
