// The runtime settings serverless.yml ships to each function (NODE_OPTIONS and any other NODE_* or
// UV_* variable), read from the framework's own resolved configuration (`serverless print`, offline),
// so the bench runs our bundles the way they are deployed rather than with a copy that can drift.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runServerlessOffline } from '../scripts/offline-serverless.ts';

const RUNTIME_VARIABLE = /^(NODE_|UV_)/;

/**
 * @param {readonly string[]} functionNames
 * @returns {Promise<Record<string, Record<string, string>>>} per function, the runtime variables it ships with
 */
export async function shippedRuntimeEnv(functionNames) {
  const scratch = await mkdtemp(join(tmpdir(), 'bench-serverless-'));
  try {
    const printed = await runServerlessOffline({ args: ['print', '--format', 'json', '--stage', 'bench'], scratch });
    /** @type {{provider?: {environment?: Record<string, unknown>}, functions?: Record<string, {environment?: Record<string, unknown>}>}} */
    const config = JSON.parse(printed);
    return Object.fromEntries(
      functionNames.map((name) => {
        const environment = { ...config.provider?.environment, ...config.functions?.[name]?.environment };
        const runtime = Object.entries(environment).filter(
          /** @returns {entry is [string, string]} */ (entry) => RUNTIME_VARIABLE.test(entry[0]) && typeof entry[1] === 'string',
        );
        return [name, Object.fromEntries(runtime)];
      }),
    );
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
