// A command of the command line: its flags, described once (each one line: what parsing, help and
// "did you mean" all read), the environment it reads, an example, and what it does with the flags.
import type { ParseArgsConfig } from 'node:util';
import type { EnvironmentName } from './environment.ts';
import { OUTPUT_FORMATS, type CliSession } from './session.ts';

export type Flags = Readonly<Record<string, string | boolean | string[] | undefined>>;
type Options = NonNullable<ParseArgsConfig['options']>;

export interface Flag {
  /** As typed, without the dashes: `instance-id`. */
  readonly name: string;
  /** What the flag's value looks like (`I`, `KEY=VALUE`); none: a switch that takes no value. */
  readonly value?: string;
  /** One line for help. */
  readonly meaning: string;
  readonly required?: boolean;
  /** Given once per value (--tag); every other flag takes one value, once. */
  readonly repeatable?: boolean;
  /** The only values it takes (--output json|table). */
  readonly choices?: readonly string[];
  /** The request field it gives, named as the flag (--node-cnt: node_cnt): top level, or in `select`. */
  readonly field?: 'request' | 'select';
  readonly short?: string;
}

export interface CliCommand {
  readonly name: string;
  /** One line for the overview. */
  readonly summary: string;
  /** What follows `smart-connect` in the usage line; every flag of `flags` appears in it. */
  readonly synopsis: string;
  readonly flags: readonly Flag[];
  /** The variables it reads, in the order help lists them. */
  readonly environment: readonly EnvironmentName[];
  /** Ready to paste. */
  readonly example: string;
  /** The exit code. */
  run(flags: Flags, session: CliSession): Promise<number>;
}

/** Flags every command takes. */
export const COMMON_FLAGS: readonly Flag[] = [
  {
    name: 'output',
    value: 'json|table',
    choices: OUTPUT_FORMATS,
    meaning: 'json (default): one JSON document on stdout; table: aligned columns for people, counts below',
  },
  { name: 'verbose', meaning: 'structured log lines on stderr' },
  { name: 'help', short: 'h', meaning: "this help: the command's flags, the environment it reads, an example" },
  { name: 'version', meaning: 'the version of smart-connect' },
];

/** The flag as typed: `--instance-id I`, `--dry-run`. */
export function flagUsage(flag: Flag): string {
  return `--${flag.name}${flag.value ? ` ${flag.value}` : ''}`;
}

/** node:util parseArgs' options for these flags. */
export function parseOptions(flags: readonly Flag[]): Options {
  return Object.fromEntries(
    flags.map((flag) => [
      flag.name,
      { type: flag.value ? 'string' : 'boolean', ...(flag.repeatable ? { multiple: true } : {}), ...(flag.short ? { short: flag.short } : {}) },
    ]),
  ) as Options;
}

/** The request fields the flags give (`field` says where), one to one; absent flags stay absent so defaults apply. */
export function fieldsOf(flags: Flags, spec: readonly Flag[], where: NonNullable<Flag['field']>): Record<string, unknown> {
  return Object.fromEntries(
    spec.flatMap((flag) => (flag.field === where && flags[flag.name] !== undefined ? [[flag.name.replaceAll('-', '_'), flags[flag.name]]] : [])),
  );
}
