// What a handler writes to stdout: its JSON log lines, captured around one call. (Metric lines go to
// the host's sink: local/hosting's dropMetricLines keeps them out of a test's output.)
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
