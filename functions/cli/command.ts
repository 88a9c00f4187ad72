// A command of the command line: its flags (node:util parseArgs options) and what it does with them.
import type { ParseArgsConfig } from 'node:util';
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
