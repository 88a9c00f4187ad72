// Structured logs with secrets taken out before anything is written, and no line over 16 KB (its
// values shrunk until it fits, so it stays JSON). The core logs through this small interface; each
// trigger decides where lines go.
import { FIELD_MAX, redactFields } from '../redact/index.ts';

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
  const emit = (level: Exclude<LogLevel, 'SILENT'>) => (message: string, fields: LogFields = {}) => {
    if (SEVERITY[level] < threshold) return;
    const entry = { ...base, ...fields, level, time: now().toISOString(), message };
    // Every string of a line, once redacted, is bounded: an upstream's 16 KB page is not a log line.
    write(boundedLine(redactFields(entry, secrets(), { maxLength: FIELD_MAX }) as Record<string, unknown>));
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

// Ever tighter bounds on a line's values, tried in turn until it fits: each string cut to `text`
// characters, each list and nested object to `items` entries and a count of the rest. The line's own
// fields all stay; a value is shrunk, never the JSON text cut (that would break the line).
const SHRINK_STEPS = [
  { text: 512, items: 20 },
  { text: 128, items: 5 },
  { text: 32, items: 1 },
] as const;

type Shrink = (typeof SHRINK_STEPS)[number];

const fits = (line: string) => line.length * 3 <= LOG_LINE_MAX || Buffer.byteLength(line) <= LOG_LINE_MAX;

/** The entry (already redacted: cutting a redacted string keeps no part of a secret) as one line of at most LOG_LINE_MAX bytes. */
export function boundedLine(entry: Record<string, unknown>): string {
  const whole = JSON.stringify(entry);
  if (fits(whole)) return whole;
  for (const step of SHRINK_STEPS) {
    const shrunk = Object.fromEntries(Object.entries(entry).map(([key, value]) => [cut(key, step.text), shrink(value, step)]));
    const line = JSON.stringify({ ...shrunk, log_line_cut: true });
    if (fits(line)) return line;
  }
  // Too many fields to keep any: what happened, and when.
  return JSON.stringify({ level: entry.level, time: entry.time, message: shrink(entry.message, SHRINK_STEPS[0]), log_line_cut: true });
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function shrink(value: unknown, step: Shrink): unknown {
  if (typeof value === 'string') return cut(value, step.text);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const kept = value.slice(0, step.items).map((item) => shrink(item, step));
    return value.length > step.items ? [...kept, `… ${value.length - step.items} more`] : kept;
  }
  const entries = Object.entries(value);
  const kept = entries.slice(0, step.items).map(([key, item]) => [cut(key, step.text), shrink(item, step)]);
  return Object.fromEntries(entries.length > step.items ? [...kept, ['…', `${entries.length - step.items} more fields`]] : kept);
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
