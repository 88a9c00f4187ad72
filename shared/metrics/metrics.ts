// What a function records while an invocation runs, written at the invocation's end as EMF lines:
// one line, or one more per further value of a dimension (a batch whose records ended differently).
import { emfLine, type Dimensions, type Directive, type MetricEntry, type Unit } from './emf.ts';

export interface Metrics {
  /** Adds one to a count, under the function's dimensions and these. */
  count(name: string, dimensions?: Dimensions): void;
  /** Keeps one observation (a duration, ...): CloudWatch computes statistics from each. */
  observe(name: string, unit: Unit, value: number, dimensions?: Dimensions): void;
  /** Writes what was recorded since the last flush (nothing recorded: no line), then starts afresh. */
  flush(properties?: Readonly<Record<string, unknown>>): void;
}

export interface MetricsOptions {
  readonly namespace: string;
  /** What every metric is dimensioned by (the function's trigger). */
  readonly dimensions?: Dimensions;
  /** Each EMF line, without its line break; default stdout, Lambda's log, which CloudWatch reads. */
  readonly write?: (line: string) => void;
  readonly now?: () => number;
}

// EMF takes at most 100 values of one metric in one document.
const MAX_VALUES = 100;

/**
 * Metrics recorded under one set of further dimensions (a count has one running total). Kept from
 * one invocation to the next, emptied by each flush: its dimensions are worked out once.
 */
interface Group {
  /** The function's dimensions and the group's. */
  readonly dimensions: Dimensions;
  /** Their names: the directive's dimension set. */
  readonly names: readonly string[];
  /** Only the function's dimensions: joins another group's document. */
  readonly plain: boolean;
  readonly series: Map<string, { readonly unit: Unit; readonly values: number[] }>;
}

export function createMetrics(options: MetricsOptions): Metrics {
  const base = options.dimensions ?? {};
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? Date.now;
  // Dimension values are few (see catalog.ts), so the groups are too.
  const groups = new Map<string, Group>();

  const valuesOf = (name: string, unit: Unit, dimensions: Dimensions = {}): number[] => {
    const extra = Object.keys(dimensions).sort();
    let key = '';
    for (const dimension of extra) key += `${dimension}=${dimensions[dimension]}\n`;
    let group = groups.get(key);
    if (!group) {
      const all = { ...base, ...dimensions };
      groups.set(key, (group = { dimensions: all, names: Object.keys(all), plain: extra.length === 0, series: new Map() }));
    }
    let series = group.series.get(name);
    if (!series) group.series.set(name, (series = { unit, values: [] }));
    return series.values;
  };

  // A group under further dimensions has a document of its own; what the function's dimensions
  // alone carry joins the first of them.
  const documentsOf = () => {
    const documents: Array<{ dimensions: Dimensions; directives: Directive[] }> = [];
    let plain: Directive | undefined;
    for (const group of groups.values()) {
      if (group.series.size === 0) continue;
      const directive = directiveOf(group);
      group.series.clear();
      if (group.plain) plain = directive;
      else documents.push({ dimensions: group.dimensions, directives: [directive] });
    }
    if (plain && documents[0]) documents[0].directives.push(plain);
    else if (plain) documents.push({ dimensions: base, directives: [plain] });
    return documents;
  };

  return {
    count(name, dimensions) {
      const values = valuesOf(name, 'Count', dimensions);
      values[0] = (values[0] ?? 0) + 1;
    },
    observe(name, unit, value, dimensions) {
      // EMF refuses the whole document for one value that is not a finite number.
      if (Number.isFinite(value)) valuesOf(name, unit, dimensions).push(value);
    },
    flush(properties = {}) {
      const timestamp = now();
      for (const { dimensions, directives } of documentsOf()) {
        write(emfLine({ namespace: options.namespace, timestamp, dimensions, directives, properties }));
      }
    },
  };
}

/** Records nothing (the command line, tests that do not look). */
export const noMetrics: Metrics = { count: () => {}, observe: () => {}, flush: () => {} };

// A group's metrics: each count as its total, observations each kept, at most a hundred (EMF's
// limit for one metric in one document; an invocation observes one per record, a batch has ten).
function directiveOf(group: Group): Directive {
  const metrics: MetricEntry[] = [];
  for (const [name, { unit, values }] of group.series)
    metrics.push({ name, unit, value: values.length === 1 ? (values[0] as number) : values.slice(0, MAX_VALUES) });
  return { dimensions: group.names, metrics };
}
