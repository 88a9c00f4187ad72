// A deployment: what every flow runs with, one value derived from the config once per process (a
// cold start, a command line run) by the functions' composition root, from parts it has made. Each
// flow names the parts it uses in its own room (TrackingDeployment, EnableDeployment, FleetDeployment,
// StatusDeployment); a Deployment is all of them, so the one value serves every flow, and no flow
// depends on this room. It runs nothing itself: it binds the DMS client to each region, once, and
// says which secrets to keep out and how callbacks are sent here.
import type { ReportOptions } from '../callback/index.ts';
import { endpointFor, secretsOf, type Config } from '../config/index.ts';
import type { EnableQueuePort, FleetDeployment, TargetSchemas } from '../fleet/index.ts';
import type { CallbackRun, TrackingKeys, TrackingQueue } from '../tracking/index.ts';
import { regionalDms, type DmsApi, type HuaweiRetryPolicy, type KafkaRegion, type RegionalDms } from '../huawei/index.ts';
import type { Metrics } from '../metrics/index.ts';
import type { ProjectDirectory } from '../projects/index.ts';
import type { StatusDeployment, StatusRequestSchema } from '../status/index.ts';

/** Every request schema, with this deployment's defaults (default region, allowed callback hosts). */
export interface DeploymentSchemas extends TargetSchemas {
  readonly status: StatusRequestSchema;
}

export interface Deployment extends FleetDeployment, StatusDeployment {
  readonly schemas: DeploymentSchemas;
  readonly projects: ProjectDirectory;
  /** The keys tracking messages are sealed with (the tracking queue's) and opened with (the queue function's). */
  readonly trackingKeys: TrackingKeys;
}

/** What the composition root has made; the deployment only assembles them. */
export interface DeploymentParts {
  readonly config: Config;
  readonly metrics: Metrics;
  readonly schemas: DeploymentSchemas;
  /** The DMS calls, signed with this deployment's credentials; bound here to each region's endpoint. */
  readonly dms: DmsApi;
  /** The account's projects through IAM, signed with the same credentials: one directory per process. */
  readonly projects: ProjectDirectory;
  /** Secrets read since the start (credentials from Secrets Manager), kept out as the config's are. */
  readonly fetchedSecrets?: (() => readonly string[]) | undefined;
  readonly tracking: TrackingQueue | undefined;
  readonly trackingKeys: TrackingKeys;
  readonly enableQueue: EnableQueuePort | undefined;
  /** The retry policy the DMS client was made with: the enable use case retries by the same. */
  readonly retryPolicy: HuaweiRetryPolicy;
}

export function createDeployment(parts: DeploymentParts): Deployment {
  const { config, dms, fetchedSecrets } = parts;
  const clients = new Map<KafkaRegion, RegionalDms>();
  const secrets = () => [...secretsOf(config), ...(fetchedSecrets?.() ?? [])];
  return {
    config,
    metrics: parts.metrics,
    schemas: parts.schemas,
    projects: parts.projects,
    tracking: parts.tracking,
    trackingKeys: parts.trackingKeys,
    enableQueue: parts.enableQueue,
    retryPolicy: parts.retryPolicy,
    dmsIn(region) {
      let client = clients.get(region);
      if (!client) clients.set(region, (client = regionalDms(dms, region, endpointFor(config, region))));
      return client;
    },
    secrets,
    callbackOptions: ({ deadline, dedupeKey, logger, resolve }: CallbackRun): ReportOptions => ({
      deadline,
      dedupeKey,
      logger,
      resolve,
      secret: config.callbackSecret,
      secrets: secrets(),
      allowedHosts: config.callbackAllowedHosts,
    }),
  };
}
