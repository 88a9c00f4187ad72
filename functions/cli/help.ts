// What `help`, `--help` and `<command> --help` print, all from the command table: the overview
// (every command, the flags all of them take), a command's page (every flag with its meaning, the
// environment it reads, an example), and the short usage a usage error ends with.
import { COMMON_FLAGS, flagUsage, type CliCommand, type Flag } from './command.ts';
import { ENVIRONMENT } from './environment.ts';

const COMMON_USAGE = '[--output json|table] [--verbose]';
const EXIT_CODES = 'exit codes: 0 success, 2 invalid input or usage (nothing sent), 1 any other failure';

/** One usage line per command: what a usage error ends with. */
export function usageText(commands: readonly CliCommand[]): string {
  return lines(commands.map((command, i) => `${i === 0 ? 'usage:' : '      '} smart-connect ${command.synopsis} ${COMMON_USAGE}`));
}

export function commandUsage(command: CliCommand): string {
  return lines([`usage: smart-connect ${command.synopsis} ${COMMON_USAGE}`, `(smart-connect ${command.name} --help: every flag, the environment, an example)`]);
}

export function overviewText(commands: readonly CliCommand[], version: string): string {
  return lines([
    `smart-connect ${version}: turns Smart Connect on for Huawei Cloud DMS for Kafka instances`,
    '',
    'usage: smart-connect <command> [flags]',
    '',
    'commands:',
    ...columns([
      ...commands.map((c): [string, string] => [c.name, c.summary]),
      ['help [command]', "this text, or a command's: its flags, the environment it reads, an example"],
    ]),
    '',
    'flags every command takes:',
    ...columns(COMMON_FLAGS.map(flagRow)),
    '',
    ...commands.map((command) => `  smart-connect ${command.synopsis}`),
    '',
    'smart-connect <command> --help: every flag of the command, the environment it reads, an example.',
    EXIT_CODES,
  ]);
}

export function commandHelp(command: CliCommand): string {
  return lines([
    `smart-connect ${command.name}: ${command.summary}`,
    '',
    `usage: smart-connect ${command.synopsis} ${COMMON_USAGE}`,
    '',
    'flags:',
    ...columns([...command.flags, ...COMMON_FLAGS].map(flagRow)),
    '',
    'environment:',
    ...columns(command.environment.map((name): [string, string] => [name, ENVIRONMENT[name]])),
    '',
    'example:',
    `  ${command.example}`,
    '',
    EXIT_CODES,
  ]);
}

function flagRow(flag: Flag): [string, string] {
  const usage = `${flag.short ? `-${flag.short}, ` : ''}${flagUsage(flag)}${flag.repeatable ? '...' : ''}`;
  return [usage, `${flag.required ? 'required: ' : ''}${flag.meaning}`];
}

/** Two columns, the first as wide as its widest entry. */
function columns(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}

function lines(texts: readonly string[]): string {
  return texts.map((text) => `${text}\n`).join('');
}
