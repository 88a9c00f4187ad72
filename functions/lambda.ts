// What every Lambda trigger sets up once per cold start (and once per handler a hosting process
// makes): validated config, the shared core, and a logger that knows which values to keep out of its
// lines.
import type { Context } from 'aws-lambda';
import { ConfigError, loadConfig, type Config } from '../shared/config/index.ts';
import { createCore, type Core } from '../shared/core/index.ts';
import { createJsonLogger, logLevelFrom, type Logger } from '../shared/runtime/index.ts';
import type { Deadline } from '../shared/runtime/index.ts';
import { environmentCredentials, secretsExtensionCredentials, type VersionedCredentials } from '../shared/credentials/index.ts';
import { sealingTrackingQueue, trackingKeys, type TrackingKeys, type TrackingQueue, type TrackingTransport } from '../shared/follow/index.ts';
import { sqsQueueSender } from './sqs-queue-sender.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** Where a function sends JSON message bodies: SQS in AWS, an in-process queue where a host runs it. */
export interface QueueSender {
  send(body: string, options?: { delaySeconds?: number }): Promise<void>;
}

/**
 * What a process hosting a function hands it (the local stack, tests); in Lambda nothing: the
 * environment is process.env and the queues are SQS, named by TRACKING_QUEUE_URL and ENABLE_QUEUE_URL.
 */
export interface FunctionHost {
  env?: Record<string, string | undefined>;
  trackingQueue?: QueueSender;
  enableQueue?: QueueSender;
}

export interface FunctionRuntime {
  readonly core: Core;
  readonly logger: Logger;
  /** Where started jobs are followed from; undefined: accepted is the last word. */
  readonly tracking: TrackingQueue | undefined;
  /** The keys tracking messages are sealed with and opened with. */
  readonly trackingKeys: TrackingKeys;
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
  const { core, tracking, trackingKeys: keys } = wireCore(config, env, host);
  const logger = createJsonLogger({
    level: logLevelFrom(env),
    secrets: () => core.secrets(),
    fields: { service: 'smart-connect-enabler', trigger },
  });
  return { core, logger, tracking, trackingKeys: keys };
}

/**
 * The core wired to this runtime: credentials from the environment, or from Secrets Manager through
 * the Lambda extension; tracking on the queue the host handed in (the local stack, tests), else on
 * SQS when TRACKING_QUEUE_URL is set, each message sealed with a key from the same SK the calls are
 * signed with. The command line uses it too.
 */
export function wireCore(config: Config, env: Env, host: Pick<FunctionHost, 'trackingQueue'> = {}): Omit<FunctionRuntime, 'logger'> {
  const source = config.credentials;
  const credentials: VersionedCredentials =
    source.kind === 'secret' ? secretsExtensionCredentials({ secretId: source.secretId, env }) : environmentCredentials(source.credentials);
  const core = createCore(config, source.kind === 'secret' ? { secretCredentials: () => credentials.current() } : {});
  const keys = trackingKeys(credentials);
  const queue = host.trackingQueue ?? (config.trackingQueueUrl ? sqsQueueSender(config.trackingQueueUrl) : undefined);
  return { core, tracking: queue ? sealingTrackingQueue(jsonTransport(queue), keys) : undefined, trackingKeys: keys };
}

// SQS takes delays of 0..900 seconds; a standard queue is required (FIFO queues ignore per-message delays).
const MAX_DELAY_SECONDS = 900;

/** Sealed tracking messages travel as their JSON text. */
function jsonTransport(queue: QueueSender): TrackingTransport {
  return {
    send: (message, delaySeconds) => queue.send(JSON.stringify(message), { delaySeconds: Math.max(0, Math.min(MAX_DELAY_SECONDS, Math.round(delaySeconds))) }),
  };
}

// Kept back from the Lambda's remaining time to answer (and list failed records) before the
// runtime stops the invocation.
const ANSWER_MARGIN_MS = 1_500;

export function deadlineOf(context: Pick<Context, 'getRemainingTimeInMillis'>): Deadline {
  return { remainingMs: () => Math.max(0, context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS) };
}
