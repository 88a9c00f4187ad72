// CloudWatch Embedded Metric Format: a log line that CloudWatch Logs turns into metrics, so metrics
// cost no SDK call and no network. https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
//
// One document holds one value per dimension name (dimension values are members of the document
// itself), so metrics recorded under different values of a dimension go in documents of their own.

export type Unit = 'Count' | 'Seconds' | 'Milliseconds';

/** Dimension name -> value. */
export type Dimensions = Readonly<Record<string, string>>;

export interface MetricEntry {
  readonly name: string;
  readonly unit: Unit;
  /** A count is one value; observations are each kept (CloudWatch computes percentiles from them). */
  readonly value: number | readonly number[];
}

/** Metrics that share one set of dimension names. */
export interface Directive {
  readonly dimensions: readonly string[];
  readonly metrics: readonly MetricEntry[];
}

export interface EmfDocument {
  readonly namespace: string;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  /** The value of every dimension any directive names. */
  readonly dimensions: Dimensions;
  readonly directives: readonly Directive[];
  /** Searchable members that are neither dimensions nor metrics (request id, cold start, ...). */
  readonly properties?: Readonly<Record<string, unknown>>;
}

/** One EMF document as one line of JSON (without the line break). */
export function emfLine(document: EmfDocument): string {
  const values: Record<string, number | readonly number[]> = {};
  for (const directive of document.directives) for (const metric of directive.metrics) values[metric.name] = metric.value;
  return JSON.stringify({
    _aws: {
      Timestamp: document.timestamp,
      CloudWatchMetrics: document.directives.map((directive) => ({
        Namespace: document.namespace,
        Dimensions: [directive.dimensions],
        Metrics: directive.metrics.map((metric) => ({ Name: metric.name, Unit: metric.unit })),
      })),
    },
    ...document.properties,
    ...document.dimensions,
    ...values,
  });
}
