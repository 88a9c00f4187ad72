// The credentials room's face: the rest of the code imports from here.
export * from './secrets-extension.ts';
