// The runtime room's face: basics every other room stands on (time budgets, waits, logs, quoting).
export * from './backoff.ts';
export * from './deadline.ts';
export * from './log.ts';
export * from './quote.ts';
