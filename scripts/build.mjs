// Builds one self-contained ESM bundle per entry: dist/<name>/index.mjs exporting `handler`
// (the CLI: a runnable program). The AWS SDK stays external: the Lambda runtime provides it.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';

export const ENTRIES = {
  http: 'functions/http.ts',
  queue: 'functions/queue.ts',
  schedule: 'functions/schedule.ts',
  cli: 'functions/cli.ts',
};

await rm('dist', { recursive: true, force: true });
await Promise.all(
  Object.entries(ENTRIES).map(([name, entry]) =>
    build({
      entryPoints: [entry],
      outfile: `dist/${name}/index.mjs`,
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'esm',
      minify: true,
      sourcemap: 'linked',
      legalComments: 'none',
      external: ['@aws-sdk/*'],
      banner: name === 'cli' ? { js: '#!/usr/bin/env node' } : {},
      logLevel: 'warning',
    }),
  ),
);
