// What every Lambda trigger sets up once per cold start: validated config, the shared core, a
// logger that knows which values to keep out of its lines, and the function's metrics; then, for
// each invocation, a logger carrying its request id and cold-start flag, and one flush of metrics.
import type { Context } from 'aws-lambda';
import { ConfigError, loadConfig, type Config } from '../shared/config/index.ts';
import { createEnabler, type Enabler } from '../shared/core/index.ts';
import { createJsonLogger, invocationFields, logLevelFrom, type Logger } from '../shared/runtime/index.ts';
import { createMetrics, isMetricNamespace, METRIC_NAMESPACE, noMetrics, type Metrics } from '../shared/metrics/index.ts';
import type { Deadline } from '../shared/runtime/index.ts';
import { secretsExtensionCredentials } from '../shared/credentials/index.ts';
import { hostedTrackingTransport, type TrackingQueue } from '../shared/follow/index.ts';
import { environmentCredentials, sealingTrackingQueue, trackingKeys, type TrackingKeys, type VersionedCredentials } from '../shared/follow/index.ts';
import { sqsTrackingQueue } from './sqs-tracking-queue.ts';

export interface FunctionRuntime {
  readonly enabler: Enabler;
  /** The function's logger, outside any invocation. */
  readonly logger: Logger;
  /**
   * A handler run as invocations: each gets a logger whose every line carries its request id and
   * cold-start flag (`loggerOf(context)`), and its metrics are written once, when it settles.
   */
  invoked<E, R>(run: (event: E, context: Context) => Promise<R>): (event: E, context: Context) => Promise<R>;
  /** The logger of the invocation a context belongs to (the function's own outside one). */
  loggerOf(context: Context): Logger;
  /** Where started jobs are followed from; undefined: accepted is the last word. */
  readonly tracking: TrackingQueue | undefined;
  /** The keys tracking messages are sealed with and opened with. */
  readonly trackingKeys: TrackingKeys;
}

export type Trigger = 'http' | 'queue' | 'schedule';

export function startFunction(trigger: Trigger, env: Readonly<Record<string, string | undefined>> = process.env): FunctionRuntime {
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
  const { enabler, tracking, trackingKeys: keys } = wireEnabler(config, env, { metrics });
  const logger = createJsonLogger({
    level: logLevelFrom(env),
    secrets: () => enabler.secrets(),
    fields: { service: SERVICE, trigger },
  });
  const nextInvocation = invocationFields();
  const invocations = new WeakMap<Context, Logger>();
  return {
    enabler,
    logger,
    tracking,
    trackingKeys: keys,
    invoked: (run) => async (event, context) => {
      const fields = nextInvocation(context.awsRequestId);
      invocations.set(context, logger.child(fields));
      try {
        return await run(event, context);
      } finally {
        metrics.flush({ service: SERVICE, ...fields });
      }
    },
    loggerOf: (context) => invocations.get(context) ?? logger,
  };
}

const SERVICE = 'smart-connect-enabler';

/** METRICS_NAMESPACE (serverless.yml: one per stage), else the service's own. */
function metricNamespaceFrom(env: Readonly<Record<string, string | undefined>>): string {
  const value = env.METRICS_NAMESPACE || METRIC_NAMESPACE;
  if (!isMetricNamespace(value)) throw new ConfigError('METRICS_NAMESPACE', 'is malformed: expected at most 255 of A-Z a-z 0-9 . - _ / # : and spaces, not starting with AWS/');
  return value;
}

/**
 * The core wired to this runtime: credentials from the environment, or from Secrets Manager through
 * the Lambda extension; tracking on the queue a hosting process handed in (the local stack, tests),
 * else on SQS when TRACKING_QUEUE_URL is set, each message sealed with a key from the same SK the
 * calls are signed with. The command line uses it too.
 */
export function wireEnabler(
  config: Config,
  env: Readonly<Record<string, string | undefined>>,
  { metrics = noMetrics }: { readonly metrics?: Metrics } = {},
): Pick<FunctionRuntime, 'enabler' | 'tracking' | 'trackingKeys'> {
  const source = config.credentials;
  const credentials: VersionedCredentials =
    source.kind === 'secret' ? secretsExtensionCredentials({ secretId: source.secretId, env }) : environmentCredentials(source.credentials);
  const enabler = createEnabler(config, { metrics, ...(source.kind === 'secret' ? { secretCredentials: () => credentials.current() } : {}) });
  const keys = trackingKeys(credentials);
  const transport = hostedTrackingTransport() ?? (config.trackingQueueUrl ? sqsTrackingQueue(config.trackingQueueUrl) : undefined);
  return { enabler, tracking: transport ? sealingTrackingQueue(transport, keys) : undefined, trackingKeys: keys };
}

// Kept back from the Lambda's remaining time to answer (and list failed records) before the
// runtime stops the invocation.
const ANSWER_MARGIN_MS = 1_500;

export function deadlineOf(context: Pick<Context, 'getRemainingTimeInMillis'>): Deadline {
  return { remainingMs: () => Math.max(0, context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS) };
}
