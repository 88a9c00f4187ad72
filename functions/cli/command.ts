// A command of the command line: its flags (node:util parseArgs options) and what it does with them.
import type { parseArgs, ParseArgsConfig } from 'node:util';
import type { CliSession } from './session.ts';

export type Flags = Readonly<Record<string, string | boolean | string[] | undefined>>;
type Options = NonNullable<ParseArgsConfig['options']>;

export interface CliCommand {
  readonly name: string;
  readonly usage: string;
  readonly options: Options;
  /** The exit code. */
  run(flags: Flags, session: CliSession): Promise<number>;
}

/** Flags every command takes. */
export const COMMON_OPTIONS = {
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Flags that each take one text value, named as the request fields they give (--node-cnt: node_cnt). */
export function textOptions(...names: readonly string[]): Options {
  return Object.fromEntries(names.map((name) => [name, { type: 'string' }]));
}

/** The request fields the named flags give, one to one; absent flags stay absent so defaults apply. */
export function fieldsOf(flags: Flags, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(names.flatMap((name) => (flags[name] === undefined ? [] : [[name.replaceAll('-', '_'), flags[name]]])));
}

type Token = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];

/** Flags given more than once that take one value each (a repeatable one, --tag, is not named). */
export function repeatedFlags(tokens: readonly Token[] | undefined, options: Options): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const token of tokens ?? []) {
    if (token.kind !== 'option' || options[token.name]?.multiple) continue;
    if (seen.has(token.name)) repeated.add(token.name);
    seen.add(token.name);
  }
  return [...repeated];
}
