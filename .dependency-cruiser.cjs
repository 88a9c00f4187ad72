// The architecture, checked (`npm run deps`, in .ci/run): no import cycles anywhere; layers one way
// (shared/ below functions/ and local/, functions/ never on local/); rooms (a folder of shared/ or
// local/) reach one another only through their index.ts face. Tests of behaviour (tests/integration,
// load, aws, contract) and their furniture (tests/support) reach rooms only through faces too, so
// a room's insides can change without touching them; tests/unit may import a room's own files (a
// unit test of the signer's canonical request is a test of that file).
//
// TypeScript 7.0's npm package has no compiler API dependency-cruiser can load (it supports <7 and
// >=7.1), so sources are parsed with swc (@swc/core): it reads them as written, so type-only imports
// are dependencies too (marked type-only) and count for every rule: a cycle of types is still a cycle
// for a reader. Specifiers name their .ts file, so no tsconfig is needed to resolve them.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles: a module never reaches itself again, not even through types.',
      from: { path: '^(functions|shared|local|scripts|tests)/' },
      to: { circular: true },
    },
    {
      name: 'shared-below-functions-and-local',
      severity: 'error',
      comment: 'shared/ is the product; the functions and the local stack are built on it, never the reverse.',
      from: { path: '^shared/' },
      to: { path: '^(functions|local)/' },
    },
    {
      name: 'functions-not-on-local',
      severity: 'error',
      comment: 'What ships (functions/) never depends on the local stand-ins (local/).',
      from: { path: '^functions/' },
      to: { path: '^local/' },
    },
    {
      name: 'shared-rooms-through-faces',
      severity: 'error',
      comment: 'A room of shared/ reaches another only through its index.ts face.',
      from: { path: '^shared/([^/]+)/' },
      to: { path: '^shared/[^/]+/', pathNot: ['^shared/$1/', '^shared/[^/]+/index[.]ts$'] },
    },
    {
      name: 'outside-shared-through-faces',
      severity: 'error',
      comment: 'functions/, local/ and scripts/ reach a room of shared/ only through its index.ts face.',
      from: { path: '^(functions|local|scripts)/' },
      to: { path: '^shared/[^/]+/', pathNot: '^shared/[^/]+/index[.]ts$' },
    },
    {
      name: 'local-rooms-through-faces',
      severity: 'error',
      comment: 'A room of local/ is reached from outside it (another room, local/start.ts, scripts/) only through its index.ts face.',
      from: { path: '^(?:local/([^/]+)/|local/[^/]+$|scripts/)' },
      to: { path: '^local/[^/]+/', pathNot: ['^local/$1/', '^local/[^/]+/index[.]ts$'] },
    },
    {
      name: 'tests-through-faces',
      severity: 'error',
      comment: 'Tests of behaviour and tests/support reach a room of shared/ or local/ only through its index.ts face (tests/unit may import its files).',
      from: { path: '^tests/(integration|load|aws|contract|support)/' },
      to: { path: '^(shared|local)/[^/]+/', pathNot: '^(shared|local)/[^/]+/index[.]ts$' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing would hide a dependency from every rule above.',
      from: { path: '^(functions|shared|local|scripts|tests)/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|bench)/' },
    parser: 'swc',
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.mjs', '.js', '.cjs', '.d.ts'],
    },
  },
};
