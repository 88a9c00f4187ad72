// The credentials room's face: the rest of the code imports from here.
export * from './header-safe.ts';
export * from './secrets-extension.ts';
export * from './versioned.ts';
