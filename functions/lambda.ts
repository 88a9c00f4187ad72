// What every Lambda trigger sets up once per cold start: its deployment (wiring.ts: validated config,
// the function's metrics, its queues), and a logger that knows which values to keep out of its lines;
// then, for each invocation, a logger carrying its request id and cold-start flag, and one flush of
// metrics (invocations.ts). Each function module exports createHandler(host) for hosts outside
// Lambda (the local stack, tests, the benchmark) and `handler = createHandler()`, what Lambda runs.
import type { Context } from 'aws-lambda';
import { ConfigError } from '../shared/config/index.ts';
import type { Deployment } from '../shared/deployment/index.ts';
import { createJsonLogger, logLevelFrom, type Logger } from '../shared/runtime/index.ts';
import type { Deadline } from '../shared/runtime/index.ts';
import { functionInvocations, type Invocations } from './invocations.ts';
import { functionDeployment, type Env, type FunctionHosting, type FunctionTrigger } from './wiring.ts';

export type { QueueSender } from './queue-sender.ts';

/**
 * What a process hosting a function hands it: the environment (default process.env), and its
 * deployment's queues and metric sink (wiring.ts); Lambda hands nothing (SQS by URL, EMF on stdout).
 */
export interface FunctionHost extends FunctionHosting {
  readonly env?: Record<string, string | undefined>;
}

/** A function as its cold start left it: what each invocation of its handler runs with. */
export interface StartedFunction extends Invocations {
  /** What every flow of this function runs with. */
  readonly deployment: Deployment;
  /** The function's logger, outside any invocation. */
  readonly logger: Logger;
  /** The environment this function read its configuration from. */
  readonly env: Env;
}

const SERVICE = 'smart-connect-enabler';

export function startFunction(trigger: FunctionTrigger, host: FunctionHost = {}): StartedFunction {
  const env = host.env ?? process.env;
  let deployment: Deployment;
  try {
    deployment = functionDeployment(trigger, env, host);
  } catch (error) {
    if (error instanceof ConfigError) {
      // One line naming the variable, not a stack trace: the init error is what an operator reads.
      process.stderr.write(`configuration error: ${error.message}\n`);
      error.stack = `${error.name}: ${error.message}`;
    }
    throw error;
  }
  const logger = createJsonLogger({
    level: logLevelFrom(env),
    secrets: () => deployment.secrets(),
    fields: { service: SERVICE, trigger },
  });
  return { deployment, ...functionInvocations({ logger, metrics: deployment.metrics, properties: { service: SERVICE } }), logger, env };
}

// Kept back from the Lambda's remaining time to answer (and list failed records) before Lambda
// stops the invocation.
const ANSWER_MARGIN_MS = 1_500;

export function deadlineOf(context: Pick<Context, 'getRemainingTimeInMillis'>): Deadline {
  return { remainingMs: () => Math.max(0, context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS) };
}
