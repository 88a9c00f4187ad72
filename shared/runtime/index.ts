// The runtime: basics every other room stands on (time budgets, waits, logs, quoting input).
export { deadlineIn, withinDeadline, type Deadline } from './deadline.ts';
export { backoffCeiling, backoffDelay, DEFAULT_BACKOFF, retryAfterMs, sleep, type BackoffPolicy } from './backoff.ts';
export { createJsonLogger, invocationFields, LOG_LINE_MAX, logLevelFrom, silentLogger, type InvocationFields, type Logger } from './log.ts';
export { quote, QUOTE_MAX } from './quote.ts';
export { isJsonObject } from './json-object.ts';
