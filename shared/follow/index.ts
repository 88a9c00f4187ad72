// The follow room's face: the rest of the code imports from here.
export * from './check.ts';
export * from './flow.ts';
export * from './message.ts';
export * from './seal.ts';
