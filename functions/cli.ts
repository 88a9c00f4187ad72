// Command line for automation: the same environment and core as the functions.
//   enable    --project-id P --instance-id I [...]   one instance; stdout: the JobResult
//   status    --project-id P --instance-id I [...]   stdout: the Status object
//   reconcile --project-id P [--tag KEY=VALUE]... [...] a fleet; stdout: the Fleet summary
// Exit 0 success, 2 invalid input (nothing was sent), 1 any other failure.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { secretsInEnvironment } from '../shared/config/index.ts';
import { redact } from '../shared/redact/index.ts';
import { quote } from '../shared/runtime/index.ts';
import { COMMON_OPTIONS, type CliCommand } from './cli/command.ts';
import { enableCommand } from './cli/enable.ts';
import { reconcileCommand } from './cli/reconcile.ts';
import { EXIT_FAILED, EXIT_INVALID, EXIT_OK, earlyStderr, openSession, type CliIo } from './cli/session.ts';
import { statusCommand } from './cli/status.ts';

export type { CliIo } from './cli/session.ts';

const COMMANDS: readonly CliCommand[] = [enableCommand, statusCommand, reconcileCommand];
const USAGE = COMMANDS.map((command, index) => `${index === 0 ? 'usage:' : '      '} smart-connect ${command.usage} [--verbose]`).join('\n');

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const stderr = earlyStderr(io);
  const [name, ...rest] = argv;
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    if (argv.includes('--help') || argv.includes('-h')) {
      io.stdout(`${USAGE}\n`);
      return EXIT_OK;
    }
    stderr(`unknown command ${name === undefined ? '(none)' : quote(name)}\n${USAGE}\n`);
    return EXIT_INVALID;
  }
  const usage = `usage: smart-connect ${command.usage} [--verbose]`;
  let flags;
  try {
    flags = parseArgs({ args: rest, options: { ...command.options, ...COMMON_OPTIONS }, allowPositionals: false, strict: true }).values;
  } catch (error) {
    stderr(`${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
    return EXIT_INVALID;
  }
  if (flags.help) {
    io.stdout(`${usage}\n`);
    return EXIT_OK;
  }
  const session = openSession(io, { verbose: flags.verbose === true });
  return typeof session === 'number' ? session : command.run(flags, session);
}

// Run only as the program itself (directly, or through the package's bin link), so tests can import runCli.
function isMainModule(): boolean {
  try {
    return realpathSync(process.argv[1] ?? '') === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isMainModule()) {
  runCli(process.argv.slice(2), {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`internal error: ${error instanceof Error ? redact(error.message, secretsInEnvironment(process.env)) : 'unknown'}\n`);
      process.exitCode = EXIT_FAILED;
    },
  );
}
