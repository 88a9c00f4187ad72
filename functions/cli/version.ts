// The package's version (package.json), written into the bundle by the build: scripts/build.mjs
// defines SMART_CONNECT_VERSION for the command line's entry. Run from its sources, it has none.
declare const SMART_CONNECT_VERSION: string | undefined;

export const VERSION: string = typeof SMART_CONNECT_VERSION === 'string' ? SMART_CONNECT_VERSION : 'unknown (not built)';
