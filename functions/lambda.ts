// What every Lambda trigger sets up once per cold start: validated config, the core wired to its
// queues, and a logger that knows which values to keep out of its lines. Each function module
// exports createHandler(host) for hosts outside Lambda (the local stack, tests, the benchmark) and
// `handler = createHandler()`, what Lambda runs.
import type { Context } from 'aws-lambda';
import { ConfigError, loadConfig } from '../shared/config/index.ts';
import { createJsonLogger, logLevelFrom, type Logger } from '../shared/runtime/index.ts';
import type { Deadline } from '../shared/runtime/index.ts';
import { wireCore, type CoreRuntime, type Env } from './runtime.ts';
import type { QueueSender } from './queue-sender.ts';

export type { QueueSender } from './queue-sender.ts';

/** What a process hosting a function hands it; Lambda hands nothing (process.env, SQS by URL). */
export interface FunctionHost {
  env?: Record<string, string | undefined>;
  /** Where tracking messages go instead of TRACKING_QUEUE_URL. */
  trackingQueue?: QueueSender;
  /** Where a fleet run's enable requests go instead of ENABLE_QUEUE_URL (and fan-out is on). */
  enableQueue?: QueueSender;
}

export interface FunctionRuntime extends CoreRuntime {
  readonly logger: Logger;
  /** The environment this function read its configuration from. */
  readonly env: Env;
}

export type Trigger = 'http' | 'queue' | 'schedule';

export function startFunction(trigger: Trigger, host: FunctionHost = {}): FunctionRuntime {
  const env = host.env ?? process.env;
  let config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      // One line naming the variable, not a stack trace: the init error is what an operator reads.
      process.stderr.write(`configuration error: ${error.message}\n`);
      error.stack = `${error.name}: ${error.message}`;
    }
    throw error;
  }
  const wired = wireCore(config, env, host);
  const logger = createJsonLogger({
    level: logLevelFrom(env),
    secrets: () => wired.core.secrets(),
    fields: { service: 'smart-connect-enabler', trigger },
  });
  return { ...wired, logger, env };
}

// Kept back from the Lambda's remaining time to answer (and list failed records) before the
// runtime stops the invocation.
const ANSWER_MARGIN_MS = 1_500;

export function deadlineOf(context: Pick<Context, 'getRemainingTimeInMillis'>): Deadline {
  return { remainingMs: () => Math.max(0, context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS) };
}
