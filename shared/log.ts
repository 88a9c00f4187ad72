// Structured logs with secrets taken out before anything is written. The core logs through this
// small interface; each trigger decides where lines go.

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const SECRET_KEY = /^(authorization|sk|secret|secret_key|security_token|x-security-token|callback_secret|password|token)$/i;
const REDACTED = '[redacted]';

/**
 * Removes secrets from text: the known secret values themselves, and anything shaped like an
 * SDK-HMAC-SHA256 Authorization value or a Standard Webhooks secret, wherever it came from.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out
    .replace(/SDK-HMAC-SHA256\s+Access=[^,\s]+,\s*SignedHeaders=[^,\s]+,\s*Signature=[0-9a-fA-F]+/g, `SDK-HMAC-SHA256 ${REDACTED}`)
    .replace(/Signature=[0-9a-fA-F]{16,}/g, `Signature=${REDACTED}`)
    .replace(/whsec_[A-Za-z0-9+/=]+/g, REDACTED);
}

/** A deep copy of log fields with secret-named keys masked and every string redacted. */
export function redactFields(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') return redact(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  // Deeper than any field we log: cut it rather than let an unchecked subtree through.
  if (depth > 6) return '[truncated]';
  if (Array.isArray(value)) return value.map((item) => redactFields(item, secrets, depth + 1));
  if (value instanceof Error) return { name: value.name, message: redact(value.message, secrets) };
  return Object.fromEntries(
    Object.entries(value).map(([key, entry]) => [
      key,
      SECRET_KEY.test(key) ? REDACTED : redactFields(entry, secrets, depth + 1),
    ]),
  );
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
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const secrets = options.secrets ?? (() => []);
  const now = options.now ?? (() => new Date());
  const base = options.fields ?? {};
  const threshold = SEVERITY[options.level ?? 'INFO'];
  const emit = (level: Exclude<LogLevel, 'SILENT'>) => (message: string, fields: LogFields = {}) => {
    if (SEVERITY[level] < threshold) return;
    const entry = { ...base, ...fields, level, time: now().toISOString(), message };
    write(JSON.stringify(redactFields(entry, secrets())));
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
