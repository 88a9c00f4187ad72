// What every command of the command line starts from: the same environment and deployment as the
// functions (wiring.ts), a logger for --verbose, output as JSON or as a table (--output), progress
// when stderr is a terminal, and output that never carries a secret, nor (on stderr, or in a table:
// read in a terminal) a control character.
import type { DeliveryOutcome } from '../../shared/callback/index.ts';
import { ConfigError, secretsInEnvironment } from '../../shared/config/index.ts';
import type { Deployment } from '../../shared/deployment/index.ts';
import { OUTPUT_STRING_MAX, redact, redactFields } from '../../shared/redact/index.ts';
import { boundIssues, type RequestIssue } from '../../shared/request/index.ts';
import { createJsonLogger, deadlineIn, type Logger } from '../../shared/runtime/index.ts';
import { randomUUID } from 'node:crypto';
import { cliDeployment, flowContext, type FlowContext, type FlowOptions } from '../wiring.ts';
import { stderrLines } from './progress.ts';
import { errorText } from './table.ts';
import { forTerminal } from './terminal.ts';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_INVALID = 2;

/** What --output takes: json (the default) for programs, table for people. */
export const OUTPUT_FORMATS = ['json', 'table'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stderr is a terminal (a person watching): progress is shown there only then. Default false. */
  readonly stderrIsTTY?: boolean;
}

/** A line on stderr before a session exists: redacted with the environment's secrets, its control characters escaped. */
export function earlyStderr(io: CliIo): (line: string) => void {
  return (line) => io.stderr(`${forTerminal(redact(line, secretsInEnvironment(io.env)))}\n`);
}

export interface CliSession {
  /** What every command runs with; its enable queue (ENABLE_QUEUE_URL) is where a fleet run sends the instances to enable. */
  readonly deployment: Deployment;
  readonly logger: Logger;
  /**
   * What the command found, on stdout, redacted value by value: one JSON document, or (--output
   * table) the text `table` makes of the redacted value.
   */
  print<T>(value: T, table: (redacted: T) => string): void;
  /** A line on stderr, redacted, its control characters escaped. */
  say(text: string): void;
  /** A callback that was not delivered, said on stderr (one delivered, or none, says nothing). */
  sayCallback(callback: DeliveryOutcome | undefined): void;
  /** Replaces the progress line on stderr when it is a terminal; nothing otherwise. */
  progress(text: string): void;
  /** Each problem on stderr, by field (at most ISSUES_MAX, then how many more). */
  sayInvalid(issues: readonly RequestIssue[]): void;
  /** What a use case needs to run for this command, within `budgetMs` (and told `extra`, such as onProgress). */
  context(budgetMs: number, extra?: Pick<FlowOptions, 'onProgress'>): FlowContext;
}

export interface SessionOptions {
  readonly verbose: boolean;
  readonly output: OutputFormat;
}

/** The session, or the exit code when the configuration cannot be used (said on stderr, one line). */
export function openSession(io: CliIo, options: SessionOptions): CliSession | number {
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
  const stderr = stderrLines(io.stderr, { terminal: io.stderrIsTTY === true });
  const say = (text: string) => stderr.line(forTerminal(redact(text, secrets())));
  // JSON escapes C0 but leaves DEL and C1 as they are: escaped as JSON would, the line keeps its value.
  const write = options.verbose ? (line: string) => stderr.line(forTerminal(line)) : () => {};
  const logger = createJsonLogger({ write, secrets, fields: { trigger: 'cli' } });
  return {
    deployment,
    logger,
    print(value, table) {
      stderr.end();
      const redacted = redactFields(value, secrets(), { maxLength: OUTPUT_STRING_MAX }) as typeof value;
      io.stdout(options.output === 'table' ? table(redacted) : `${JSON.stringify(redacted)}\n`);
    },
    say,
    sayCallback: (callback) => {
      if (callback?.kind === 'undelivered') say(`callback not delivered: ${errorText(callback.error)}`);
    },
    progress: (text) => stderr.progress(forTerminal(text)),
    sayInvalid: (issues) => boundIssues(issues).forEach((issue) => say(`invalid ${issue.field}: ${issue.message}`)),
    context(budgetMs, extra = {}) {
      // The callback (if any) is told as by the functions; invalid input is only this run's to hear.
      const options = { trigger: 'cli', deadline: deadlineIn(budgetMs), dedupeKey: `cli:${randomUUID()}`, logger, reportRejections: false } as const;
      return flowContext(deployment, { ...options, ...extra });
    },
  };
}
