// The result room's face: the rest of the code imports from here.
export * from './redacted.ts';
export * from './result.ts';
