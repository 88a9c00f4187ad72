// `npm start`: the local stack (local/stack/) configured from the environment. Needs the bundles
// (`npm run build`). Settings: PORT (default 3000; 0 picks a free one), SIMULATOR_PROJECT_ID,
// SIMULATOR_INSTANCES (comma list of UUIDs; a small mixed fleet is seeded beside them),
// SIMULATOR_JOB_SECONDS (default 5), SCHEDULE_INTERVAL_SECONDS (default 60, with SCHEDULE_TARGETS),
// and the functions' own variables (README.md). The last line printed at start is
// "local stack ready on http://127.0.0.1:<port>".
import {
  DEFAULT_INSTANCES,
  DEFAULT_JOB_SECONDS,
  DEFAULT_PORT,
  DEFAULT_PROJECT_ID,
  DEFAULT_SCHEDULE_INTERVAL_SECONDS,
  startLocalStack,
  type LocalStackOptions,
} from './stack/index.ts';

class SettingError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function stackOptionsFromEnv(env: Readonly<Record<string, string | undefined>>): LocalStackOptions {
  const read = (name: string) => env[name]?.trim() || undefined;
  const number = (name: string, fallback: number, valid: (n: number) => boolean, expected: string) => {
    const value = read(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value) || !valid(n)) throw new SettingError(`${name} is malformed: expected ${expected}, not ${JSON.stringify(value)}`);
    return n;
  };
  const port = number('PORT', DEFAULT_PORT, (n) => Number.isInteger(n) && n <= 65_535, 'a port number from 0 to 65535 (0: any free port)');
  const projectId = read('SIMULATOR_PROJECT_ID') ?? DEFAULT_PROJECT_ID;
  if (!/^[0-9a-f]{32}$/.test(projectId)) throw new SettingError(`SIMULATOR_PROJECT_ID is malformed: expected 32 lower-case hexadecimal characters`);
  const instancesValue = read('SIMULATOR_INSTANCES');
  const instances = instancesValue
    ? instancesValue
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean)
    : [...DEFAULT_INSTANCES];
  const badInstance = instances.find((id) => !UUID.test(id));
  if (badInstance !== undefined || instances.length === 0) {
    throw new SettingError(`SIMULATOR_INSTANCES is malformed: expected a comma list of UUIDs${badInstance ? `, not ${JSON.stringify(badInstance)}` : ''}`);
  }
  const jobSeconds = number('SIMULATOR_JOB_SECONDS', DEFAULT_JOB_SECONDS, (n) => n > 0 && n <= 86_400, 'a number of seconds greater than 0');
  const scheduleIntervalSeconds = number(
    'SCHEDULE_INTERVAL_SECONDS',
    DEFAULT_SCHEDULE_INTERVAL_SECONDS,
    (n) => n >= 1 && n <= 86_400,
    'a number of seconds from 1 to 86400',
  );
  return { port, projectId, instances: instances.map((id) => id.toLowerCase()), jobSeconds, scheduleIntervalSeconds };
}

async function main(): Promise<void> {
  let options: LocalStackOptions;
  try {
    options = stackOptionsFromEnv(process.env);
  } catch (error) {
    if (!(error instanceof SettingError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }

  let stack;
  try {
    stack = await startLocalStack(options);
  } catch (error) {
    // A configuration error has already been named on stderr by the function that refused it.
    process.stderr.write(`the local stack did not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  process.stdout.write(`${stack.banner}\nlocal stack ready on ${stack.url}\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl-C does not wait.
      process.exit(130);
    }
    stopping = true;
    process.stdout.write(`${signal}: stopping the local stack\n`);
    stack.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`stopping failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (import.meta.main) await main();
