// The request room's face: the rest of the code imports from here.
export * from './enable-request.ts';
export * from './errors.ts';
export * from './fields.ts';
export * from './issues.ts';
export * from './parse.ts';
