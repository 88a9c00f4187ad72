// The core room's face: the rest of the code imports from here.
export * from './core.ts';
