export * from './check.ts';
export * from './errors.ts';
export * from './flow.ts';
export * from './message.ts';
export * from './queue.ts';
export * from './seal.ts';
