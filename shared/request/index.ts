// The request room's face: the rest of the code imports from here.
export * from './request.ts';
