// How every function is bundled: one self-contained, minified ESM file for Node.js 22. The AWS SDK
// stays external: the Lambda runtime provides it. The benchmark bundles the official SDK's handler
// with these same options, so sizes and start-up times compare like with like.
//
// No source maps: what ships is the bundle alone (a map would triple the zip and, with
// --enable-source-maps, slow every cold start and stack trace). `npm run build -- --sourcemap` writes
// linked maps beside the bundles for local debugging; serverless.yml leaves them out of the zips.

/** @type {import('esbuild').BuildOptions} */
export const BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  external: ['@aws-sdk/*'],
  // Node 22 reads \p{...} escapes itself; left to the table esbuild keeps (newest Unicode), a regex
  // literal that uses them becomes `new RegExp(...)`, a call it cannot drop when nothing uses it.
  supported: { 'regexp-unicode-property-escapes': true },
  logLevel: 'warning',
};
