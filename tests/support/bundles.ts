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

/**
 * The bundle's handler. With `instance`, a module instance of its own: another cold start, which
 * reads process.env as it is at that moment (a second configuration in the same test file).
 */
export async function loadBundle<T>(name: 'http' | 'queue' | 'schedule', options: { readonly instance?: string } = {}): Promise<T> {
  const file = resolve(`dist/${name}/index.mjs`);
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first (npm test does)`);
  const url = pathToFileURL(file);
  if (options.instance) url.searchParams.set('instance', options.instance);
  return ((await import(url.href)) as { handler: T }).handler;
}
