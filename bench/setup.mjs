// What a benchmark run works with: its options, where things are, and what it builds before it
// measures: the official SDK's handler and the card's minimum (bench/minimum-handler.ts) bundled the
// way scripts/build.mjs bundles ours, our bundles
// again in memory (for their composition), the children's fixtures, and every bundle's size.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, stop as stopEsbuild } from 'esbuild';
import { BUNDLE_OPTIONS } from '../scripts/bundle-options.mjs';

/** @typedef {{min: number, gzip: number}} Size */

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BENCH = join(ROOT, 'bench');
export const WORK = join(ROOT, '.bench');
const OFFICIAL_DIR = join(WORK, 'official');

/** @param {string} message @returns {never} */
export function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(1);
}

/** @param {string} line */
export function progress(line) {
  process.stderr.write(`bench: ${line}\n`);
}

/** --strict, --rounds N (cold starts per side), --calls N (warm calls per process), --reps N (queue batches of each size). */
export function readOptions(/** @type {readonly string[]} */ args) {
  /** @param {string} name @param {number} fallback @param {number} min */
  const intOption = (name, fallback, min) => {
    const index = args.indexOf(name);
    if (index < 0) return fallback;
    const value = Number(args[index + 1]);
    if (!Number.isInteger(value) || value < min) fail(`${name} takes an integer >= ${min}`);
    return value;
  };
  return { strict: args.includes('--strict'), rounds: intOption('--rounds', 21, 11), calls: intOption('--calls', 500, 50), reps: intOption('--reps', 7, 3) };
}

/** Our bundles as `npm run build` wrote them. */
export function ourBundles() {
  const ours = { http: join(ROOT, 'dist/http/index.mjs'), queue: join(ROOT, 'dist/queue/index.mjs'), schedule: join(ROOT, 'dist/schedule/index.mjs') };
  for (const file of Object.values(ours)) {
    if (!existsSync(file)) fail(`${relative(ROOT, file)} is missing: npm run bench builds it first (npm run build)`);
  }
  return ours;
}

// The SDK is CommonJS and requires Node's built-ins: an ESM bundle needs a real `require` for them (the usual banner).
const REQUIRE_BANNER = "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);";

/**
 * Builds the official handler (http and queue), the card's minimum (http), our functions' metafiles
 * and the children's fixtures.
 * @returns {Promise<{official: {http: string, queue: string}, minimum: {http: string}, fixtures: string, metafiles: [string, import('esbuild').Metafile][]}>}
 */
export async function buildContenders() {
  await rm(OFFICIAL_DIR, { recursive: true, force: true });
  await mkdir(OFFICIAL_DIR, { recursive: true });
  const official = { http: join(OFFICIAL_DIR, 'http.mjs'), queue: join(OFFICIAL_DIR, 'queue.mjs') };
  /** @type {[string, import('esbuild').Metafile][]} */
  const metafiles = [];
  for (const [name, exported] of [
    ['http', 'handler'],
    ['queue', 'queueHandler'],
  ]) {
    const result = await build({
      ...BUNDLE_OPTIONS,
      stdin: {
        contents: `export { ${exported} as handler } from './official-handler.ts';`,
        resolveDir: BENCH,
        sourcefile: `official-${name}.ts`,
        loader: 'ts',
      },
      outfile: join(OFFICIAL_DIR, `${name}.mjs`),
      banner: { js: REQUIRE_BANNER },
      metafile: true,
    });
    if (result.metafile) metafiles.push([`official ${name}`, result.metafile]);
  }
  const minimum = { http: join(WORK, 'minimum-http.mjs') };
  const built = await build({ ...BUNDLE_OPTIONS, entryPoints: [join(BENCH, 'minimum-handler.ts')], outfile: minimum.http, metafile: true });
  if (built.metafile) metafiles.push(['minimum http', built.metafile]);
  // Ours again, in memory only, for the metafile: dist/ stays exactly as npm run build wrote it.
  for (const name of ['http', 'queue']) {
    const result = await build({
      ...BUNDLE_OPTIONS,
      entryPoints: [join(ROOT, `functions/${name}.ts`)],
      outfile: join(WORK, `ours-${name}.mjs`),
      write: false,
      metafile: true,
    });
    if (result.metafile) metafiles.push([`ours ${name}`, result.metafile]);
  }
  const fixtures = join(WORK, 'fixtures.mjs');
  await build({ ...BUNDLE_OPTIONS, minify: false, entryPoints: [join(BENCH, 'fixtures.ts')], outfile: fixtures });
  await stopEsbuild();
  progress(`built ${[official.http, official.queue, minimum.http, fixtures].map((file) => relative(ROOT, file)).join(', ')}`);
  return { official, minimum, fixtures, metafiles };
}

/** @param {string} file @returns {Promise<Size>} */
export async function sizeOf(file) {
  const bytes = await readFile(file);
  return { min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}
