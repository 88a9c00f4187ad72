// `npm start` as a developer runs it: node local/start.ts as a child process with the settings a test
// gives and none of the test runner's variables that would point it elsewhere, ready once it prints
// its ready line.
import { spawn, type ChildProcess } from 'node:child_process';

// Variables that would point the stack elsewhere if the test runner's environment had them.
const INHERITED_OUT = [
  'PORT',
  'HUAWEICLOUD_DMS_ENDPOINT',
  'HUAWEICLOUD_SDK_IAM_ENDPOINT',
  'HUAWEICLOUD_SDK_PROJECT_ID',
  'HUAWEICLOUD_SDK_DOMAIN_ID',
  'HUAWEICLOUD_SDK_AK',
  'HUAWEICLOUD_SDK_SK',
  'CLOUD_SDK_AK',
  'CLOUD_SDK_SK',
  'HUAWEICLOUD_SDK_SECURITY_TOKEN',
  'HUAWEICLOUD_CREDENTIALS_SECRET',
  'CALLBACK_URL',
  'CALLBACK_SECRET',
  'CALLBACK_ALLOWED_HOSTS',
  'SCHEDULE_TARGETS',
  'TRACKING_QUEUE_URL',
  'LOG_LEVEL',
];

export interface StackProcess {
  readonly child: ChildProcess;
  /** http://127.0.0.1:<port> from the ready line. */
  readonly base: string;
  /** Everything printed so far, stdout and stderr. */
  output(): string;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  /** SIGKILL unless it has already ended. */
  kill(): Promise<void>;
}

/** Starts the stack on an ephemeral port with these settings; rejects with its output when it does not get ready. */
export async function startStackProcess(settings: Record<string, string>, readyTimeoutMs = 20_000): Promise<StackProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of INHERITED_OUT) delete env[name];
  Object.assign(env, { PORT: '0', ...settings });
  const child = spawn(process.execPath, ['local/start.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  let output = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => (output += chunk));
  const ready = new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`the local stack did not get ready:\n${output}`)), readyTimeoutMs);
    child.stdout?.on('data', (chunk: string) => {
      output += chunk;
      const readyLine = /^local stack ready on http:\/\/127\.0\.0\.1:(\d+)$/m.exec(output);
      if (readyLine) {
        clearTimeout(timer);
        resolvePort(Number(readyLine[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`the local stack exited (${code}) before it was ready:\n${output}`)));
  });
  const port = await ready.catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return {
    child,
    base: `http://127.0.0.1:${port}`,
    output: () => output,
    exited,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
