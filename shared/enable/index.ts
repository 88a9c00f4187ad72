export * from './enable-instance.ts';
export * from './errors.ts';
export * from './flow.ts';
