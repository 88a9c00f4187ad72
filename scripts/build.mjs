// Builds one bundle per entry: dist/<name>/index.mjs exporting `handler` (the CLI: a runnable
// program, told package.json's version as SMART_CONNECT_VERSION), with the options in
// bundle-options.mjs. `--sourcemap` adds dist/<name>/index.mjs.map for local debugging (run with
// `node --enable-source-maps`); the deployed zips never carry maps.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { BUNDLE_OPTIONS } from './bundle-options.mjs';

const ENTRIES = {
  http: 'functions/http.ts',
  queue: 'functions/queue.ts',
  schedule: 'functions/schedule.ts',
  cli: 'functions/cli.ts',
};

const SOURCEMAP = process.argv.slice(2).includes('--sourcemap');
const { version } = JSON.parse(await readFile('package.json', 'utf8'));

await rm('dist', { recursive: true, force: true });
await Promise.all(
  Object.entries(ENTRIES).map(([name, entry]) =>
    build({
      ...BUNDLE_OPTIONS,
      ...(SOURCEMAP ? { sourcemap: 'linked' } : {}),
      entryPoints: [entry],
      outfile: `dist/${name}/index.mjs`,
      ...(name === 'cli' ? { banner: { js: '#!/usr/bin/env node' }, define: { SMART_CONNECT_VERSION: JSON.stringify(version) } } : {}),
    }),
  ),
);
