// Structured logs with secrets taken out before anything is written. The core logs through this
// small interface; each trigger decides where lines go.
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
    write(JSON.stringify(redactFields(entry, secrets(), { maxLength: FIELD_MAX })));
  };
  return {
    info: emit('INFO'),
    warn: emit('WARN'),
    error: emit('ERROR'),
    child: (fields) => createJsonLogger({ ...options, fields: { ...base, ...fields } }),
  };
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
