// What every command of the command line starts from: the same environment and deployment as the
// functions (wiring.ts), a logger for --verbose, and output that never carries a secret, nor (on
// stderr, read in a terminal) a control character.
import { ConfigError, secretsInEnvironment } from '../../shared/config/index.ts';
import type { Deployment } from '../../shared/deployment/index.ts';
import { OUTPUT_STRING_MAX, redact, redactFields } from '../../shared/redact/index.ts';
import { boundIssues, type RequestIssue } from '../../shared/request/index.ts';
import { createJsonLogger, deadlineIn, type Logger } from '../../shared/runtime/index.ts';
import { randomUUID } from 'node:crypto';
import { cliDeployment, flowContext, type FlowContext } from '../wiring.ts';
import { forTerminal } from './terminal.ts';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_INVALID = 2;

export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** A line on stderr before a session exists: redacted with the environment's secrets, its control characters escaped. */
export function earlyStderr(io: CliIo): (line: string) => void {
  return (line) => io.stderr(`${forTerminal(redact(line, secretsInEnvironment(io.env)))}\n`);
}

export interface CliSession {
  /** What every command runs with; its enable queue (ENABLE_QUEUE_URL) is where a fleet run sends the instances to enable. */
  readonly deployment: Deployment;
  readonly logger: Logger;
  /** One JSON document on stdout, redacted value by value. */
  print(value: unknown): void;
  /** A line on stderr, redacted, its control characters escaped. */
  say(text: string): void;
  /** Each problem on stderr, by field (at most ISSUES_MAX, then how many more). */
  sayInvalid(issues: readonly RequestIssue[]): void;
  /** What a use case needs to run for this command, within `budgetMs`. */
  context(budgetMs: number): FlowContext;
}

/** The session, or the exit code when the configuration cannot be used (said on stderr, one line). */
export function openSession(io: CliIo, options: { readonly verbose: boolean }): CliSession | number {
  let deployment: Deployment;
  try {
    deployment = cliDeployment(io.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    earlyStderr(io)(`configuration: ${error.message}`);
    return EXIT_FAILED;
  }
  // Everything written is redacted with the secrets known at the time (credentials read from
  // Secrets Manager included); log lines by the logger itself.
  const secrets = () => deployment.secrets();
  const say = (text: string) => io.stderr(`${forTerminal(redact(text, secrets()))}\n`);
  // JSON escapes C0 but leaves DEL and C1 as they are: escaped as JSON would, the line keeps its value.
  const write = options.verbose ? (line: string) => io.stderr(`${forTerminal(line)}\n`) : () => {};
  const logger = createJsonLogger({ write, secrets, fields: { trigger: 'cli' } });
  return {
    deployment,
    logger,
    print: (value) => io.stdout(`${JSON.stringify(redactFields(value, secrets(), { maxLength: OUTPUT_STRING_MAX }))}\n`),
    say,
    sayInvalid: (issues) => boundIssues(issues).forEach((issue) => say(`invalid ${issue.field}: ${issue.message}`)),
    context(budgetMs) {
      // The callback (if any) is told as by the functions; invalid input is only this run's to hear.
      return flowContext(deployment, { source: 'cli', deadline: deadlineIn(budgetMs), dedupeKey: `cli:${randomUUID()}`, logger, reportRejections: false });
    },
  };
}
