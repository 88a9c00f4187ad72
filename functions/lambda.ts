// What every Lambda trigger sets up once per cold start: validated config, the shared core, and a
// logger that knows which values to keep out of its lines.
import type { Context } from 'aws-lambda';
import { ConfigError, loadConfig, type Config } from '../shared/config/index.ts';
import { createEnabler, type Enabler } from '../shared/core/index.ts';
import { createJsonLogger, logLevelFrom, type Logger } from '../shared/runtime/index.ts';
import type { Deadline } from '../shared/runtime/index.ts';
import { secretsExtensionCredentials } from '../shared/credentials/index.ts';
import { hostedTrackingTransport, type TrackingQueue } from '../shared/follow/index.ts';
import { environmentCredentials, sealingTrackingQueue, trackingKeys, type TrackingKeys, type VersionedCredentials } from '../shared/follow/index.ts';
import { sqsTrackingQueue } from './sqs-tracking-queue.ts';

export interface FunctionRuntime {
  readonly enabler: Enabler;
  readonly logger: Logger;
  /** Where started jobs are followed from; undefined: accepted is the last word. */
  readonly tracking: TrackingQueue | undefined;
  /** The keys tracking messages are sealed with and opened with. */
  readonly trackingKeys: TrackingKeys;
}

export type Trigger = 'http' | 'queue' | 'schedule';

export function startFunction(trigger: Trigger, env: Readonly<Record<string, string | undefined>> = process.env): FunctionRuntime {
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
  const { enabler, tracking, trackingKeys: keys } = wireEnabler(config, env);
  const logger = createJsonLogger({
    level: logLevelFrom(env),
    secrets: () => enabler.secrets(),
    fields: { service: 'smart-connect-enabler', trigger },
  });
  return { enabler, logger, tracking, trackingKeys: keys };
}

/**
 * The core wired to this runtime: credentials from the environment, or from Secrets Manager through
 * the Lambda extension; tracking on the queue a hosting process handed in (the local stack, tests),
 * else on SQS when TRACKING_QUEUE_URL is set, each message sealed with a key from the same SK the
 * calls are signed with. The command line uses it too.
 */
export function wireEnabler(config: Config, env: Readonly<Record<string, string | undefined>>): Omit<FunctionRuntime, 'logger'> {
  const source = config.credentials;
  const credentials: VersionedCredentials =
    source.kind === 'secret' ? secretsExtensionCredentials({ secretId: source.secretId, env }) : environmentCredentials(source.credentials);
  const enabler = createEnabler(config, source.kind === 'secret' ? { secretCredentials: () => credentials.current() } : {});
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
