// The core wired to where it runs, for the functions and the command line alike: credentials from
// the environment, or from Secrets Manager through the Lambda extension; tracking messages on the
// queue a hosting process hands in (the local stack, tests), else on SQS when TRACKING_QUEUE_URL is
// set, each sealed with a key from the same SK the calls are signed with. (Fleet runs' enable queue:
// enable-queue.ts, wired only where fleets run.)
import type { Config } from '../shared/config/index.ts';
import { createCore, type Core } from '../shared/core/index.ts';
import { environmentCredentials, secretsExtensionCredentials, type VersionedCredentials } from '../shared/credentials/index.ts';
import { sealingTrackingQueue, trackingKeys, type TrackingKeys, type TrackingQueue, type TrackingTransport } from '../shared/follow/index.ts';
import type { Metrics } from '../shared/metrics/index.ts';
import { sqsQueueSender, type QueueSender } from './queue-sender.ts';

export type Env = Readonly<Record<string, string | undefined>>;

function trackingTransportOn(sender: QueueSender): TrackingTransport {
  return { send: (message, delaySeconds) => sender.send(JSON.stringify(message), { delaySeconds }) };
}

export interface WireOptions {
  /** The tracking queue a hosting process hands in: it wins over TRACKING_QUEUE_URL. */
  readonly trackingQueue?: QueueSender | undefined;
  /** Where the flows and the Huawei client count what happens (a function's); default none. */
  readonly metrics?: Metrics | undefined;
}

export interface CoreRuntime {
  readonly core: Core;
  /** Where started jobs are followed from; undefined: accepted is the last word. */
  readonly tracking: TrackingQueue | undefined;
  /** The keys tracking messages are sealed with and opened with. */
  readonly trackingKeys: TrackingKeys;
}

export function wireCore(config: Config, env: Env, options: WireOptions = {}): CoreRuntime {
  const source = config.credentials;
  const credentials: VersionedCredentials =
    source.kind === 'secret' ? secretsExtensionCredentials({ secretId: source.secretId, env }) : environmentCredentials(source.credentials);
  const core = createCore(config, {
    ...(options.metrics ? { metrics: options.metrics } : {}),
    // Read fresh when asked (after a refused signature: a rotation?), within the caller's deadline.
    ...(source.kind === 'secret' ? { secretCredentials: (read) => credentials.current({ ...(read?.fresh ? { maxAgeMs: 0 } : {}), deadline: read?.deadline }) } : {}),
  });
  const keys = trackingKeys(credentials);
  const queue = options.trackingQueue ?? (config.trackingQueueUrl ? sqsQueueSender(config.trackingQueueUrl) : undefined);
  return { core, tracking: queue ? sealingTrackingQueue(trackingTransportOn(queue), keys) : undefined, trackingKeys: keys };
}
