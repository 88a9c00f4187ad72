// A TypeScript script of tests/support run as a process of its own (`node <script> <json>`), with
// only the environment given (PATH and HOME beside it): a server that must not share the test's
// memory, or a run whose memory is measured. Its stdout is read line by line.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ScriptProcess {
  readonly child: ChildProcess;
  /** The first line of stdout that matches, once printed; rejects if the process ends first or after timeoutMs. */
  line(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  /** Everything printed so far on stderr (its last 4 KB). */
  errors(): string;
  /** SIGKILL unless it has already ended. */
  kill(): Promise<void>;
}

export function startScript(script: string, argument: unknown, env: Record<string, string>): ScriptProcess {
  const file = fileURLToPath(new URL(script, import.meta.url));
  const child = spawn(process.execPath, [file, JSON.stringify(argument)], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stdout = '';
  let stderr = '';
  const waiting = new Set<() => void>();
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    stdout += chunk;
    for (const look of waiting) look();
  });
  child.stderr?.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4_096)));
  return {
    child,
    exited,
    errors: () => stderr,
    line(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`${script} printed no line matching ${pattern} in ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
        const done = (error?: Error, match?: RegExpExecArray) => {
          clearTimeout(timer);
          waiting.delete(look);
          if (match) resolve(match);
          else reject(error);
        };
        const look = () => {
          const match = new RegExp(pattern.source, `${pattern.flags.replace('m', '')}m`).exec(stdout);
          if (match) done(undefined, match);
        };
        waiting.add(look);
        look();
        void exited.then((code) => {
          look();
          if (waiting.has(look)) done(new Error(`${script} exited (${code}) before printing a line matching ${pattern}:\n${stderr}`));
        });
      });
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
