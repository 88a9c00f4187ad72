// A command of the command line: its flags (node:util parseArgs options) and what it does with them.
import type { ParseArgsConfig } from 'node:util';
import type { CliSession } from './session.ts';

export type Flags = Readonly<Record<string, string | boolean | string[] | undefined>>;

export interface CliCommand {
  readonly name: string;
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** The exit code. */
  run(flags: Flags, session: CliSession): Promise<number>;
}

/** Flags every command takes. */
export const COMMON_OPTIONS = {
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const text = (flags: Flags, name: string): string | undefined => {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
};
