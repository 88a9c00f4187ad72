// A command's arguments, judged before anything else is read: an unknown flag (with the known one it
// is closest to), a flag without its value, a stray argument, a flag that takes one value given
// twice (the last would win silently: --instance-id A --instance-id B enables B), a value outside a
// flag's choices, a required flag left out. Each problem is one line naming the flag, the user's text
// cut short (stderr escapes it).
import { parseArgs } from 'node:util';
import { quote } from '../../shared/runtime/index.ts';
import { COMMON_FLAGS, flagUsage, parseOptions, type CliCommand, type Flag, type Flags } from './command.ts';
import { closest } from './suggest.ts';

export type CommandLine =
  | { readonly kind: 'run'; readonly flags: Flags }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'usage'; readonly problems: readonly string[] };

// parseArgs' messages quote the argument, then explain: room for both, not for a megabyte of argument.
const MESSAGE_QUOTE = 300;

type Token = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];
type OptionToken = Extract<Token, { kind: 'option' }>;

export function parseCommandLine(command: CliCommand, args: readonly string[]): CommandLine {
  const spec = [...command.flags, ...COMMON_FLAGS];
  const options = parseOptions(spec);
  // Read leniently first: every flag as typed, known or not.
  const loose = parseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true });
  if (loose.values.help === true) return { kind: 'help' };
  if (loose.values.version === true) return { kind: 'version' };
  const known = new Set(Object.keys(options));
  const unknown = loose.tokens.filter((token): token is OptionToken => token.kind === 'option' && !known.has(token.name));
  if (unknown.length) return { kind: 'usage', problems: unknown.map((token) => unknownFlag(command, token, spec)) };

  let strict;
  try {
    strict = parseArgs({ args: [...args], options, strict: true, allowPositionals: true, tokens: true });
  } catch (error) {
    // A flag without its value, or a switch given one: parseArgs names the flag.
    const message = error instanceof Error ? error.message.replace(/\s*\n\s*/g, ' ') : String(error);
    return { kind: 'usage', problems: [quote(message, MESSAGE_QUOTE)] };
  }
  // Only text flags repeat (parseOptions): a list is a list of text.
  const flags = strict.values as Flags;
  const problems = [
    ...strict.positionals.map((value) => `unexpected argument ${quote(value)}: every value follows its flag (smart-connect ${command.name} --help)`),
    ...repeatedFlags(strict.tokens, spec).map((flag) => `--${flag} is given more than once: it takes one value (only --tag may be repeated)`),
    ...spec.flatMap((flag) => outsideChoices(flag, flags[flag.name])),
    ...spec.filter((flag) => flag.required && flags[flag.name] === undefined).map((flag) => `${flagUsage(flag)} is required: ${flag.meaning}`),
  ];
  return problems.length ? { kind: 'usage', problems } : { kind: 'run', flags };
}

function unknownFlag(command: CliCommand, token: OptionToken, spec: readonly Flag[]): string {
  const typed = token.rawName.startsWith('--') ? token.name : undefined;
  const guess =
    typed === undefined
      ? undefined
      : closest(
          typed,
          spec.map((flag) => flag.name),
        );
  return `unknown flag ${quote(token.rawName)} for ${command.name}${guess ? ` (did you mean --${guess}?)` : ''}`;
}

function outsideChoices(flag: Flag, given: Flags[string]): string[] {
  if (!flag.choices || typeof given !== 'string' || flag.choices.includes(given)) return [];
  const guess = closest(given, flag.choices);
  return [`--${flag.name} must be ${flag.choices.join(' or ')}, not ${quote(given)}${guess ? ` (did you mean ${guess}?)` : ''}`];
}

/** Flags given more than once that take one value each (a repeatable one, --tag, is not named). */
function repeatedFlags(tokens: readonly Token[], spec: readonly Flag[]): string[] {
  const repeatable = new Set(spec.filter((flag) => flag.repeatable).map((flag) => flag.name));
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option' || repeatable.has(token.name)) continue;
    if (seen.has(token.name)) repeated.add(token.name);
    seen.add(token.name);
  }
  return [...repeated];
}
