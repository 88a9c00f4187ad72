// moto's server (a Python emulator of AWS APIs: `pip install 'moto[server]'`) on loopback, on an
// ephemeral port, for tests that need real AWS API semantics (SQS visibility, receive counts, redrive,
// delays) without AWS. Tests that need it skip, with one line saying why, where it is missing.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

const MODULES = ['moto', 'flask', 'flask_cors', 'werkzeug'];

/** Why moto's server cannot run here, or undefined when it can. Cheap: nothing is imported. */
export function motoUnavailable(): string | undefined {
  const probe = spawnSync('python3', ['-c', `import importlib.util as u, sys; sys.exit(0 if all(u.find_spec(m) for m in ${JSON.stringify(MODULES)}) else 3)`], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (probe.error) return `python3 cannot be run (${probe.error.message})`;
  if (probe.status !== 0) return "moto's server is not installed (pip install 'moto[server]')";
  return undefined;
}

export interface MotoServer {
  /** http://127.0.0.1:<port> */
  readonly endpoint: string;
  stop(): Promise<void>;
}

export async function startMoto({ timeoutMs = 30_000 }: { timeoutMs?: number } = {}): Promise<MotoServer> {
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`moto did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      // Werkzeug prints the port it was given by the system.
      const port = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${port}`);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`moto exited with ${code} before it was ready:\n${output}`)));
  });
  return { endpoint, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
