// Runs the Serverless Framework (osls, the devDependency) so that it cannot reach AWS or anything else:
// dummy credentials, no profile or config files, telemetry and notifications off, and every AWS SDK
// endpoint and HTTP(S) proxy pointed at a closed local port, so an attempt to reach the network fails
// the command instead of waiting on it. `package` and `print` need nothing more: serverless.yml uses no
// variable that asks AWS. Used by the packaging tests and by the benchmark (which reads what
// serverless.yml ships).
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const SERVICE_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const SERVERLESS = join(SERVICE_ROOT, 'node_modules', 'osls', 'bin', 'serverless.js');
const DEAD_PORT = 'http://127.0.0.1:9'; // discard port: nothing listens, connections are refused at once

/** Only what osls needs to run, plus settings that keep it (and any AWS SDK call) off the network. */
export function offlineServerlessEnv(scratch: string): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'USERPROFILE', 'TMPDIR', 'TEMP', 'TMP', 'SYSTEMROOT', 'LANG'];
  const env: NodeJS.ProcessEnv = Object.fromEntries(keep.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name]]));
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_CONFIG_FILE: join(scratch, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(scratch, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL: DEAD_PORT,
    AWS_MAX_ATTEMPTS: '1',
    SLS_AWS_REQUEST_MAX_RETRIES: '0',
    HTTP_PROXY: DEAD_PORT,
    HTTPS_PROXY: DEAD_PORT,
    http_proxy: DEAD_PORT,
    https_proxy: DEAD_PORT,
    NO_PROXY: '',
    SLS_TELEMETRY_DISABLED: '1',
    SLS_TRACKING_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    SLS_SCHEMA_CACHE_BASE_DIR: scratch,
    CI: '1',
    NO_COLOR: '1',
  };
}

export interface OfflineServerlessRun {
  /** Arguments after `serverless`, e.g. ['package', '--stage', 'test']. */
  readonly args: readonly string[];
  /** A scratch directory for the framework's caches and the absent AWS files. */
  readonly scratch: string;
  /** The service directory (serverless.yml); default this project. */
  readonly cwd?: string;
  readonly timeoutMs?: number;
}

/** Runs one framework command; resolves with its stdout, rejects with its output. */
export async function runServerlessOffline({ args, scratch, cwd = SERVICE_ROOT, timeoutMs = 110_000 }: OfflineServerlessRun): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [SERVERLESS, ...args], {
      cwd,
      env: offlineServerlessEnv(scratch),
      timeout: timeoutMs,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const { stdout, stderr, message } = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`serverless ${args.join(' ')} failed: ${message}\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}
