// What every Lambda trigger sets up once per cold start: validated config, the core wired to its
// queues, a logger that knows which values to keep out of its lines, and the function's metrics;
// then, for each invocation, a logger carrying its request id and cold-start flag, and one flush of
// metrics (invocations.ts). Each function module exports createHandler(host) for hosts outside
// Lambda (the local stack, tests, the benchmark) and `handler = createHandler()`, what Lambda runs.
import type { Context } from 'aws-lambda';
import { ConfigError, loadConfig } from '../shared/config/index.ts';
import { createMetrics, isMetricNamespace, METRIC_NAMESPACE } from '../shared/metrics/index.ts';
import { createJsonLogger, logLevelFrom, type Logger } from '../shared/runtime/index.ts';
import type { Deadline } from '../shared/runtime/index.ts';
import { functionInvocations, type Invocations } from './invocations.ts';
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

export interface FunctionRuntime extends CoreRuntime, Invocations {
  /** The function's logger, outside any invocation. */
  readonly logger: Logger;
  /** The environment this function read its configuration from. */
  readonly env: Env;
}

export type Trigger = 'http' | 'queue' | 'schedule';

const SERVICE = 'smart-connect-enabler';

export function startFunction(trigger: Trigger, host: FunctionHost = {}): FunctionRuntime {
  const env = host.env ?? process.env;
  let config;
  let namespace;
  try {
    config = loadConfig(env);
    namespace = metricNamespaceFrom(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      // One line naming the variable, not a stack trace: the init error is what an operator reads.
      process.stderr.write(`configuration error: ${error.message}\n`);
      error.stack = `${error.name}: ${error.message}`;
    }
    throw error;
  }
  const metrics = createMetrics({ namespace, dimensions: { Trigger: trigger } });
  const wired = wireCore(config, env, { trackingQueue: host.trackingQueue, metrics });
  const logger = createJsonLogger({
    level: logLevelFrom(env),
    secrets: () => wired.core.secrets(),
    fields: { service: SERVICE, trigger },
  });
  return { ...wired, ...functionInvocations({ logger, metrics, properties: { service: SERVICE } }), logger, env };
}

/** METRICS_NAMESPACE (serverless.yml: one per stage), else the service's own. */
function metricNamespaceFrom(env: Env): string {
  const value = env.METRICS_NAMESPACE || METRIC_NAMESPACE;
  if (!isMetricNamespace(value)) throw new ConfigError('METRICS_NAMESPACE', 'is malformed: expected at most 255 of A-Z a-z 0-9 . - _ / # : and spaces, not starting with AWS/');
  return value;
}

// Kept back from the Lambda's remaining time to answer (and list failed records) before the
// runtime stops the invocation.
const ANSWER_MARGIN_MS = 1_500;

export function deadlineOf(context: Pick<Context, 'getRemainingTimeInMillis'>): Deadline {
  return { remainingMs: () => Math.max(0, context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS) };
}
