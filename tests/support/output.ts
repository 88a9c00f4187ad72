// What a handler writes to stdout: its JSON log lines captured around one call, or its EMF metric
// lines kept out of a test's output.
export async function capturing<T>(call: () => Promise<T>): Promise<{ value: T; lines: string[] }> {
  const lines: string[] = [];
  const original = process.stdout.write;
  const capture = (chunk: string | Uint8Array): boolean => {
    lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  process.stdout.write = capture as unknown as typeof process.stdout.write;
  try {
    return { value: await call(), lines };
  } finally {
    process.stdout.write = original;
  }
}

/**
 * Keeps the functions' EMF lines (their metrics, written to stdout for Lambda's log collector) out
 * of the test run's output, for tests that invoke functions many times; returns the undo. Every
 * other write goes through.
 */
export function quietMetricLines(): () => void {
  const write = process.stdout.write;
  process.stdout.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    if (typeof chunk === 'string' && chunk.startsWith('{"_aws":')) return true;
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof process.stdout.write;
  return () => {
    process.stdout.write = write;
  };
}
