// The redact room's face: the rest of the code imports from here.
export * from './decode.ts';
export * from './redact.ts';
export * from './runs.ts';
