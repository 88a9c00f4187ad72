// A CloudWatch dashboard in a packaged template, read the way CloudWatch reads it: every metric each
// widget shows, from explicit metric arrays ([namespace, name, dimension, value, ..., {options}]) and
// from SEARCH expressions ({namespace,dimension,...} MetricName="name"). Anything else a widget could
// hold (the "." shorthand, other expressions) is refused rather than skipped, so a test over these
// metrics cannot miss one.
import type { Json, Template } from './cloudformation.ts';

export interface DashboardWidget {
  readonly type: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: Json;
}

export interface Dashboard {
  readonly logicalId: string;
  readonly name: Json;
  /** The body with Fn::Sub's ${...} left as written (they sit inside JSON strings). */
  readonly widgets: readonly DashboardWidget[];
  /** Every ${...} Fn::Sub would replace in the body: AWS::Region, a resource, or a resource's attribute. */
  readonly substitutions: readonly string[];
}

export interface ShownMetric {
  readonly widget: string;
  readonly region: string;
  readonly namespace: string;
  readonly name: string;
  /** Dimension names, sorted. */
  readonly dimensions: readonly string[];
  /** The value of each dimension for an explicit metric; undefined for a search (every value seen). */
  readonly values: Readonly<Record<string, string>> | undefined;
  readonly stat: string;
}

/** The template's one AWS::CloudWatch::Dashboard. */
export function dashboardOf(template: Template): Dashboard {
  const found = Object.entries(template.Resources).filter(([, resource]) => resource.Type === 'AWS::CloudWatch::Dashboard');
  const [only, ...more] = found;
  if (!only || more.length > 0) throw new Error(`expected one dashboard, found ${found.length}`);
  const [logicalId, { Properties: p }] = only;
  const body = p.DashboardBody?.['Fn::Sub'];
  if (typeof body !== 'string') throw new Error(`${logicalId}: DashboardBody is not an Fn::Sub of a string`);
  const parsed = JSON.parse(body) as { widgets: DashboardWidget[] };
  const substitutions = [...body.matchAll(/\$\{([^}!]+)\}/g)].map((match) => match[1] as string);
  return { logicalId, name: p.DashboardName, widgets: parsed.widgets, substitutions };
}

// SEARCH('{"Namespace",Dim1,Dim2} MetricName="Name"', 'Stat'[, period]); namespace quoted or not.
const SEARCH = /^SEARCH\('\{(?:"([^"]+)"|([^",}]+))((?:,[A-Za-z0-9_]+)*)\} MetricName="([^"]+)"', '([^']+)'(?:, *\d+)?\)$/;

/** Every metric every metric widget shows. */
export function shownMetrics(dashboard: Dashboard): ShownMetric[] {
  const shown: ShownMetric[] = [];
  for (const widget of dashboard.widgets) {
    if (widget.type !== 'metric') continue;
    const p = widget.properties;
    const title = String(p.title);
    for (const entry of p.metrics as Json[][]) {
      const options = typeof entry.at(-1) === 'object' ? (entry.at(-1) as Json) : {};
      if (options.expression !== undefined) {
        const match = SEARCH.exec(options.expression);
        if (!match) throw new Error(`${title}: an expression this reader does not know: ${options.expression}`);
        const [, quoted, bare, dimensions, name, stat] = match as unknown as string[];
        shown.push({
          widget: title,
          region: p.region,
          namespace: (quoted ?? bare) as string,
          name: name as string,
          dimensions: (dimensions as string).split(',').filter(Boolean).sort(),
          values: undefined,
          stat: stat as string,
        });
        continue;
      }
      const parts = (typeof entry.at(-1) === 'object' ? entry.slice(0, -1) : entry) as string[];
      if (parts.some((part) => part === '.' || typeof part !== 'string') || parts.length < 2 || parts.length % 2 !== 0) {
        throw new Error(`${title}: a metric this reader does not know: ${JSON.stringify(entry)}`);
      }
      const [namespace, name, ...pairs] = parts as [string, string, ...string[]];
      const values: Record<string, string> = {};
      for (let i = 0; i < pairs.length; i += 2) values[pairs[i] as string] = pairs[i + 1] as string;
      shown.push({
        widget: title,
        region: p.region,
        namespace,
        name,
        dimensions: Object.keys(values).sort(),
        values,
        // CloudWatch's own default statistic is Average.
        stat: options.stat ?? p.stat ?? 'Average',
      });
    }
  }
  return shown;
}
