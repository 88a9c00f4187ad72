// Where a hosted function's EMF metric lines go (FunctionHost.metrics) outside Lambda, where no
// CloudWatch Logs turns them into metrics: nowhere, or into a collection a test reads. Never bundled
// into a function.

/** A function's metric sink: one EMF document a call, as one line of JSON without its line break. */
export type MetricSink = (line: string) => void;

/** What a host that does not read its functions' metrics hands them. */
export const dropMetricLines: MetricSink = () => {};

export interface MetricLines {
  /** The sink to hand a function (FunctionHost.metrics). */
  readonly write: MetricSink;
  /** The lines written since the collection started or was last cleared, parsed, in order. */
  entries(): Record<string, unknown>[];
  clear(): void;
}

export function collectMetricLines(): MetricLines {
  const lines: string[] = [];
  return {
    write: (line) => void lines.push(line),
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    clear: () => void (lines.length = 0),
  };
}
