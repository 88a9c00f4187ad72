// How every function is bundled: one self-contained, minified ESM file for Node.js 22. The AWS SDK
// stays external: the Lambda runtime provides it. The benchmark bundles the official SDK's handler
// with these same options, so sizes and start-up times compare like with like.

/** @type {import('esbuild').BuildOptions} */
export const BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  external: ['@aws-sdk/*'],
  logLevel: 'warning',
};
