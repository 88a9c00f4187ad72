// Structured logs with secrets taken out before anything is written, and no line over 16 KB (its
// values shrunk until it fits, so it stays JSON). The core logs through this small interface; each
// trigger decides where lines go.
import { OUTPUT_STRING_MAX, redactFields } from '../redact/index.ts';
import { quote } from './quote.ts';

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
const SEVERITY: Record<LogLevel, number> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40, SILENT: 100 };

/** LOG_LEVEL, or the level Lambda's advanced logging controls set; INFO when neither is usable. */
export function logLevelFrom(env: Readonly<Record<string, string | undefined>>): LogLevel {
  const value = (env.LOG_LEVEL ?? env.AWS_LAMBDA_LOG_LEVEL ?? '').toUpperCase();
  return value in SEVERITY ? (value as LogLevel) : 'INFO';
}

export interface JsonLoggerOptions {
  readonly level?: LogLevel;
  readonly write?: (line: string) => void;
  readonly secrets?: () => readonly string[];
  readonly fields?: LogFields;
  readonly now?: () => Date;
}

/** One JSON object a line, as CloudWatch Logs Insights reads them. */
export function createJsonLogger(options: JsonLoggerOptions = {}): Logger {
  // Nothing would ever be written: no logger to build, for every invocation's child neither.
  if (options.level === 'SILENT') return silentLogger;
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const secrets = options.secrets ?? (() => []);
  const now = options.now ?? (() => new Date());
  const base = options.fields ?? {};
  const threshold = SEVERITY[options.level ?? 'INFO'];
  const emit =
    (level: Exclude<LogLevel, 'SILENT'>) =>
    (message: string, fields: LogFields = {}) => {
      if (SEVERITY[level] < threshold) return;
      const entry = { ...base, ...fields, level, time: now().toISOString(), message };
      // Every string of a line, once redacted, is bounded: an upstream's 16 KB page is not a log line.
      write(boundedLine(redactFields(entry, secrets(), { maxLength: OUTPUT_STRING_MAX }) as Record<string, unknown>));
    };
  return {
    info: emit('INFO'),
    warn: emit('WARN'),
    error: emit('ERROR'),
    child: (fields) => createJsonLogger({ ...options, fields: { ...base, ...fields } }),
  };
}

/** The longest line written, in UTF-8 bytes: CloudWatch cuts an event at 256 KB (breaking its JSON). */
export const LOG_LINE_MAX = 16_384;

// Ever tighter bounds on a line's values, tried in turn until it fits: each string cut to `max`
// characters (512, 128, 32), each list and nested object to max / 32 entries and a count of the
// rest. The line's own fields all stay; a value is shrunk, never the JSON text cut (that would break
// the line).
const fits = (line: string) => Buffer.byteLength(line) <= LOG_LINE_MAX;

/** The entry (already redacted: cutting a redacted string keeps no part of a secret) as one line of at most LOG_LINE_MAX bytes. */
export function boundedLine(entry: Record<string, unknown>): string {
  let line = JSON.stringify(entry);
  for (const max of [512, 128, 32]) {
    if (fits(line)) return line;
    const shrunk: Record<string, unknown> = {};
    for (const key in entry) shrunk[key] = shrink(entry[key], max);
    line = JSON.stringify({ ...shrunk, log_line_cut: true });
  }
  // Too many fields to keep any: what happened (the message is the code's own), and that it was cut.
  return fits(line) ? line : JSON.stringify({ level: entry.level, message: entry.message, log_line_cut: true });
}

function shrink(value: unknown, max: number): unknown {
  if (typeof value === 'string') return quote(value, max);
  if (value === null || typeof value !== 'object') return value;
  const items = max >> 5;
  const entries = Object.entries(value);
  const kept = entries.slice(0, items).map(([key, item]) => [quote(key, max), shrink(item, max)] as const);
  const more = entries.length > items ? [['…', `… ${entries.length - items} more`] as const] : [];
  return Array.isArray(value) ? [...kept, ...more].map(([, item]) => item) : Object.fromEntries([...kept, ...more]);
}

export const silentLogger: Logger = {
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};

/** What every line of one invocation carries: Lambda's request id, and whether the process started for it. */
export type InvocationFields = {
  readonly request_id: string;
  /** True for the first invocation of the process (a cold start) only. */
  readonly cold_start: boolean;
};

/** Fields for each invocation of one process, in turn: the first is the cold start. */
export function invocationFields(): (requestId: string) => InvocationFields {
  let first = true;
  return (requestId) => {
    const fields = { request_id: requestId, cold_start: first };
    first = false;
    return fields;
  };
}
