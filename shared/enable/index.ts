// The enable room's face: the rest of the code imports from here.
export * from './enable-instance.ts';
export * from './flow.ts';
