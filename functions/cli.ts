// Command line for automation: the same environment and core as the functions.
//   enable    --project-id P --instance-id I [...]   one instance; stdout: the JobResult
//   status    --project-id P --instance-id I [...]   stdout: the Status object
//   reconcile --project-id P [--tag KEY=VALUE]... [...] a fleet; stdout: the Fleet summary
// Exit 0 success, 2 invalid input or usage (nothing was sent; checked before the configuration is
// read: a flag given twice, other than --tag, is one), 1 any other failure. What reaches stderr has
// its control characters escaped (cli/terminal.ts).
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { secretsInEnvironment } from '../shared/config/index.ts';
import { redact } from '../shared/redact/index.ts';
import { quote } from '../shared/runtime/index.ts';
import { COMMON_OPTIONS, repeatedFlags, type CliCommand } from './cli/command.ts';
import { enableCommand } from './cli/enable.ts';
import { reconcileCommand } from './cli/reconcile.ts';
import { EXIT_FAILED, EXIT_INVALID, EXIT_OK, earlyStderr, openSession, type CliIo } from './cli/session.ts';
import { statusCommand } from './cli/status.ts';
import { forTerminal } from './cli/terminal.ts';

export type { CliIo } from './cli/session.ts';

const COMMANDS: readonly CliCommand[] = [enableCommand, statusCommand, reconcileCommand];
// parseArgs' messages quote the argument, then explain: room for both, not for a megabyte of argument.
const MESSAGE_QUOTE = 300;
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
    // The user's own text, quoted: cut short, its control characters escaped (stderr does both).
    stderr(`unknown command ${name === undefined ? '(none)' : quote(name)}`);
    io.stderr(`${USAGE}\n`);
    return EXIT_INVALID;
  }
  const usage = `usage: smart-connect ${command.usage} [--verbose]\n`;
  const options = { ...command.options, ...COMMON_OPTIONS };
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: false, strict: true, tokens: true });
  } catch (error) {
    // parseArgs quotes the argument it refused: the user's text, cut short like any.
    stderr(quote(error instanceof Error ? error.message : String(error), MESSAGE_QUOTE));
    io.stderr(usage);
    return EXIT_INVALID;
  }
  // The last of two values would win silently (--instance-id A --instance-id B enables B).
  const repeated = repeatedFlags(parsed.tokens, options);
  if (repeated.length) {
    for (const flag of repeated) stderr(`--${flag} is given more than once: it takes one value (only --tag may be repeated)`);
    io.stderr(usage);
    return EXIT_INVALID;
  }
  const flags = parsed.values;
  if (flags.help) {
    io.stdout(usage);
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
      process.stderr.write(`internal error: ${error instanceof Error ? forTerminal(quote(redact(error.message, secretsInEnvironment(process.env)), MESSAGE_QUOTE)) : 'unknown'}\n`);
      process.exitCode = EXIT_FAILED;
    },
  );
}
