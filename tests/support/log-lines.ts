// The JSON log lines the bundles write to stdout (as Lambda collects them), captured for a test to
// read instead of printed.
import { vi } from 'vitest';

export type LogEntry = Record<string, unknown> & { readonly level?: string; readonly message?: string };

export interface LogCapture {
  /** Every JSON line written since the capture started (or was cleared), parsed. */
  entries(): LogEntry[];
  /** The raw text, for checks that nothing secret was written. */
  text(): string;
  clear(): void;
  restore(): void;
}

export function captureLogLines(): LogCapture {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  const text = () => chunks.join('');
  return {
    entries: () =>
      text()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as LogEntry),
    text,
    clear: () => void (chunks.length = 0),
    restore: () => spy.mockRestore(),
  };
}
