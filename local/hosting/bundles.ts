// The built bundles (dist/<name>/index.mjs, as `npm run build` makes them), loaded the way Lambda
// does: one import, its cold start reading process.env at that moment. Each function module exports
// `handler` (made at import, for Lambda) and `createHandler(host)`, through which a host hands a
// handler its environment, its queues and where its metric lines go. Never bundled into a function.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { runCli } from '../../functions/cli.ts';
import type { FunctionHost } from '../../functions/lambda.ts';
import type { FunctionName } from './function-timeouts.ts';
import { dropMetricLines } from './metric-lines.ts';

export type { HttpAnswer } from '../../functions/http/answers.ts';

/** What a built function module exports. */
export interface FunctionModule<H> {
  readonly handler: H;
  createHandler(host?: FunctionHost): H;
}

/** The built command line's entry point, run in this process with the environment and output given. */
export type RunCli = typeof runCli;

export interface LoadOptions {
  /** Names a cold start: each name its own module instance, reading process.env anew. */
  coldStart?: string;
  /** A cold start of its own, whatever was loaded before. */
  fresh?: boolean;
  /** Where the bundles are; default this repository's dist/. */
  distDir?: string;
}

const DEFAULT_DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
let freshColdStarts = 0;

/** Throws, saying how to make them, when the function bundles are not built. */
export function assertBuilt(distDir = DEFAULT_DIST): void {
  for (const name of ['http', 'queue', 'schedule'] as const) bundleFile(name, distDir);
}

export async function loadFunction<H>(name: FunctionName, options: LoadOptions = {}): Promise<FunctionModule<H>> {
  const url = new URL(pathToFileURL(bundleFile(name, options.distDir)).href);
  const coldStart = options.fresh ? `fresh-${(freshColdStarts += 1)}` : options.coldStart;
  if (coldStart) url.searchParams.set('cold-start', coldStart);
  return (await import(url.href)) as FunctionModule<H>;
}

/**
 * A function's handler made for a host: `host`'s environment (default process.env, read now), its
 * queues (default the variables'), and its metric sink; without one the metric lines are dropped,
 * not written to stdout (Lambda's log, which nothing reads here). The bundle's own Lambda handler is
 * `loadFunction(name).handler`.
 */
export async function loadHandler<H>(name: FunctionName, options: LoadOptions & { host?: FunctionHost } = {}): Promise<H> {
  const module = await loadFunction<H>(name, options);
  return module.createHandler({ ...options.host, metrics: options.host?.metrics ?? dropMetricLines });
}

export async function loadBuiltCli(options: Pick<LoadOptions, 'distDir'> = {}): Promise<RunCli> {
  return ((await import(pathToFileURL(bundleFile('cli', options.distDir)).href)) as { runCli: RunCli }).runCli;
}

function bundleFile(name: FunctionName | 'cli', distDir = DEFAULT_DIST): string {
  const file = `${distDir.replace(/\/?$/, '/')}${name}/index.mjs`;
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first (npm test and npm start do)`);
  return file;
}
