// The core wired to where it runs, for the functions and the command line alike: credentials from
// the environment, or from Secrets Manager through the Lambda extension; tracking messages on the
// queue a hosting process hands in (the local stack, tests), else on SQS when TRACKING_QUEUE_URL is
// set, each sealed with a key from the same SK the calls are signed with. (Fleet runs' enable queue:
// enable-queue.ts, wired only where fleets run.)
import type { Config } from '../shared/config/index.ts';
import { createCore, type Core } from '../shared/core/index.ts';
import { environmentCredentials, secretsExtensionCredentials, type VersionedCredentials } from '../shared/credentials/index.ts';
import { sealingTrackingQueue, trackingKeys, type TrackingKeys, type TrackingQueue, type TrackingTransport } from '../shared/follow/index.ts';
import { sqsQueueSender, type QueueSender } from './queue-sender.ts';

export type Env = Readonly<Record<string, string | undefined>>;

function trackingTransportOn(sender: QueueSender): TrackingTransport {
  return { send: (message, delaySeconds) => sender.send(JSON.stringify(message), { delaySeconds }) };
}

/** The tracking queue a hosting process hands in: it wins over TRACKING_QUEUE_URL. */
export interface HostQueues {
  readonly trackingQueue?: QueueSender | undefined;
}

export interface CoreRuntime {
  readonly core: Core;
  /** Where started jobs are followed from; undefined: accepted is the last word. */
  readonly tracking: TrackingQueue | undefined;
  /** The keys tracking messages are sealed with and opened with. */
  readonly trackingKeys: TrackingKeys;
}

export function wireCore(config: Config, env: Env, queues: HostQueues = {}): CoreRuntime {
  const source = config.credentials;
  const credentials: VersionedCredentials =
    source.kind === 'secret' ? secretsExtensionCredentials({ secretId: source.secretId, env }) : environmentCredentials(source.credentials);
  const core = createCore(config, source.kind === 'secret' ? { secretCredentials: () => credentials.current() } : {});
  const keys = trackingKeys(credentials);
  const queue = queues.trackingQueue ?? (config.trackingQueueUrl ? sqsQueueSender(config.trackingQueueUrl) : undefined);
  return { core, tracking: queue ? sealingTrackingQueue(trackingTransportOn(queue), keys) : undefined, trackingKeys: keys };
}
