// The metrics room's face: the rest of the code imports from here.
export * from './catalog.ts';
export * from './emf.ts';
export * from './metrics.ts';
