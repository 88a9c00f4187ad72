// The built function bundles (dist/<name>/index.mjs, as `npm run build` makes them), loaded the way
// Lambda does: one import, configuration read from process.env at that moment.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';

export interface HttpAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export type Handler<E, R> = (event: E, context: Context) => Promise<R>;

export type BundleName = 'http' | 'queue' | 'schedule';

export interface LoadOptions {
  /** Names another cold start of the same bundle (its own module instance, reading process.env anew). */
  readonly coldStart?: string;
}

export async function loadBundle<T>(name: BundleName, options: LoadOptions = {}): Promise<T> {
  const url = new URL(bundleUrl(name));
  if (options.coldStart) url.searchParams.set('cold-start', options.coldStart);
  return ((await import(url.href)) as { handler: T }).handler;
}

let coldStarts = 0;

/** Another cold start of a bundle (a fresh module instance), reading process.env as it is now. */
export async function loadFreshBundle<T>(name: BundleName): Promise<T> {
  coldStarts += 1;
  return loadBundle<T>(name, { coldStart: `fresh-${coldStarts}` });
}

/** The built command line's entry point, run in this process with the environment and output given. */
export type RunCli = (argv: readonly string[], io: { env: Record<string, string | undefined>; stdout: (text: string) => void; stderr: (text: string) => void }) => Promise<number>;

export async function loadBuiltCli(): Promise<RunCli> {
  return ((await import(bundleUrl('cli'))) as { runCli: RunCli }).runCli;
}

function bundleUrl(name: BundleName | 'cli'): string {
  const file = resolve(`dist/${name}/index.mjs`);
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first (npm test does)`);
  return pathToFileURL(file).href;
}
