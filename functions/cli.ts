// Command line for automation and for people: the same environment and core as the functions.
//   enable    [--project-id P] --instance-id I [...]   one instance; stdout: the JobResult
//   status    [--project-id P] --instance-id I [...]   stdout: the Status object
//   reconcile [--project-id P] [--tag KEY=VALUE]... [...] a fleet; stdout: the Fleet summary
//   help [command], --help, <command> --help, --version
// Exit 0 success, 2 invalid input or usage (nothing was sent; a usage error, such as an unknown or
// repeated flag or a required one left out, is found before the configuration is read, with a
// "did you mean" for a typo), 1 any other failure. stdout is one JSON document, or with
// --output table aligned text for people. What reaches stderr has its control characters escaped
// (cli/terminal.ts); a reconcile shows its progress there when it is a terminal.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { secretsInEnvironment } from '../shared/config/index.ts';
import { MESSAGE_MAX, redactBounded } from '../shared/redact/index.ts';
import { quote } from '../shared/runtime/index.ts';
import type { CliCommand } from './cli/command.ts';
import { enableCommand } from './cli/enable.ts';
import { commandHelp, commandUsage, overviewText, usageText } from './cli/help.ts';
import { parseCommandLine } from './cli/parse.ts';
import { reconcileCommand } from './cli/reconcile.ts';
import { EXIT_FAILED, EXIT_INVALID, EXIT_OK, earlyStderr, openSession, type CliIo, type OutputFormat } from './cli/session.ts';
import { statusCommand } from './cli/status.ts';
import { closest } from './cli/suggest.ts';
import { forTerminal } from './cli/terminal.ts';
import { VERSION } from './cli/version.ts';

export type { CliIo } from './cli/session.ts';

const COMMANDS: readonly CliCommand[] = [enableCommand, statusCommand, reconcileCommand];
const HELP = 'help';
const HELP_FLAGS = ['--help', '-h'];

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const stderr = earlyStderr(io);
  const [first, ...rest] = argv;
  const usageError = (problems: readonly string[], usage: string) => {
    for (const problem of problems) stderr(problem);
    io.stderr(usage);
    return EXIT_INVALID;
  };
  if (first === undefined) return usageError(['a command is needed (smart-connect help: every command)'], usageText(COMMANDS));
  if (first === '--version') return version(io);
  if (first === HELP || HELP_FLAGS.includes(first)) return help(rest, io, usageError);
  const command = findCommand(first);
  if (!command) {
    // The user's own text, quoted: cut short, its control characters escaped (stderr does both).
    const problem = first.startsWith('-') ? `a command comes first, then its flags: smart-connect <command> ${quote(first)} ...` : unknownCommand(first);
    return usageError([problem], usageText(COMMANDS));
  }
  const line = parseCommandLine(command, rest);
  switch (line.kind) {
    case 'help':
      io.stdout(commandHelp(command));
      return EXIT_OK;
    case 'version':
      return version(io);
    case 'usage':
      return usageError(line.problems, commandUsage(command));
    case 'run': {
      const { flags } = line;
      const session = openSession(io, { verbose: flags.verbose === true, output: (flags.output ?? 'json') as OutputFormat });
      return typeof session === 'number' ? session : command.run(flags, session);
    }
  }
}

function findCommand(name: string): CliCommand | undefined {
  return COMMANDS.find((command) => command.name === name);
}

function unknownCommand(name: string): string {
  const guess = closest(name, [...COMMANDS.map((command) => command.name), HELP]);
  return `unknown command ${quote(name)}${guess ? ` (did you mean ${guess}?)` : ''}`;
}

function version(io: CliIo): number {
  io.stdout(`smart-connect ${VERSION}\n`);
  return EXIT_OK;
}

/** `help`, `help <command>`, `--help [command]`: on stdout, exit 0. */
function help(args: readonly string[], io: CliIo, usageError: (problems: readonly string[], usage: string) => number): number {
  const [name, ...more] = args;
  if (name === undefined || name === HELP || HELP_FLAGS.includes(name)) {
    io.stdout(overviewText(COMMANDS, VERSION));
    return EXIT_OK;
  }
  const command = findCommand(name);
  if (!command) return usageError([unknownCommand(name)], usageText(COMMANDS));
  if (more.length) return usageError([`help takes one command, not ${quote(more.join(' '))}`], usageText(COMMANDS));
  io.stdout(commandHelp(command));
  return EXIT_OK;
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
    stderrIsTTY: process.stderr.isTTY === true,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `internal error: ${error instanceof Error ? forTerminal(redactBounded(error.message, secretsInEnvironment(process.env), MESSAGE_MAX)) : 'unknown'}\n`,
      );
      process.exitCode = EXIT_FAILED;
    },
  );
}
