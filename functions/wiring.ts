// The composition root: the one place a Deployment is made, for the three functions and the command
// line alike, once per process. Config in; credentials from the environment, or from Secrets Manager
// through the Lambda extension; one Huawei client signed with them for DMS and IAM; the project
// directory (a region's project asked of IAM once per container); every request schema with this
// deployment's defaults; tracking messages on the queue a hosting process hands in (the local stack,
// tests), else on SQS when TRACKING_QUEUE_URL is set, each sealed with a key from the same SK the
// calls are signed with; a fleet run's enable requests likewise (ENABLE_QUEUE_URL); one retry policy
// for calls to Huawei, given to the client and to the enable use case alike. Then flowContext: what a
// flow runs with for one delivery.
import { ConfigError, loadConfig, type Config } from '../shared/config/index.ts';
import { environmentCredentials, secretsExtensionCredentials, type VersionedCredentials } from '../shared/credentials/index.ts';
import { createDeployment, type Deployment, type DeploymentSchemas } from '../shared/deployment/index.ts';
import { accountSelectorSchema, selectorTargetSchema, type FleetContext } from '../shared/fleet/index.ts';
import { sealingTrackingQueue, deploymentName, trackingKeys, type TrackingTransport } from '../shared/tracking/index.ts';
import {
  createCredentialsGate,
  createDmsApi,
  createHuaweiClient,
  createIamApi,
  huaweiRetryPolicy,
  type CredentialsProvider,
  type HuaweiRetryPolicy,
} from '../shared/huawei/index.ts';
import { createMetrics, isMetricNamespace, METRIC_NAMESPACE, noMetrics, type Metrics } from '../shared/metrics/index.ts';
import { createProjectDirectory } from '../shared/projects/index.ts';
import { enableRequestSchema } from '../shared/request/index.ts';
import type { Trigger } from '../shared/result/index.ts';
import { statusRequestSchema } from '../shared/status/index.ts';
import { enableQueueFor } from './enable-queue.ts';
import { sqsQueueSender, type QueueSender } from './queue-sender.ts';

export type Env = Readonly<Record<string, string | undefined>>;

/** The trigger of a Lambda function (the metric dimension Trigger); the command line is a trigger too, but no function. */
export type FunctionTrigger = Exclude<Trigger, 'cli'>;

export interface WireOptions {
  /** The tracking queue a hosting process hands in: it wins over TRACKING_QUEUE_URL. */
  readonly trackingQueue?: QueueSender | undefined;
  /** The enable queue a hosting process hands in: it wins over ENABLE_QUEUE_URL (and fan-out is on). */
  readonly enableQueue?: QueueSender | undefined;
  /** Where the flows and the Huawei client count what happens (a function's); default none. */
  readonly metrics?: Metrics | undefined;
  /** The Huawei client's fetch and time per attempt (tests); default node's, HUAWEICLOUD_HTTP_TIMEOUT_MS. */
  readonly fetch?: typeof globalThis.fetch | undefined;
  readonly attemptTimeoutMs?: number | undefined;
  /** Changes to the retry policy of calls to Huawei, client and use case alike (tests shorten the waits); default HUAWEI_RETRY_POLICY. */
  readonly retry?: Partial<HuaweiRetryPolicy> | undefined;
}

/** The deployment a config describes, wired to where it runs. */
export function wireDeployment(config: Config, env: Env, options: WireOptions = {}): Deployment {
  const source = config.credentials;
  const versioned: VersionedCredentials =
    source.kind === 'secret' ? secretsExtensionCredentials({ secretId: source.secretId, env }) : environmentCredentials(source.credentials);
  // Values read from Secrets Manager are secrets as soon as they are known.
  const fetched: string[] = [];
  const credentials: CredentialsProvider =
    source.kind === 'environment'
      ? () => source.credentials
      : async (read) => {
          // Read fresh when asked (after a refused signature: a rotation?), within the caller's deadline.
          const found = await versioned.current({ ...(read?.fresh ? { maxAgeMs: 0 } : {}), deadline: read?.deadline });
          for (const value of [found.sk, found.securityToken]) if (value && !fetched.includes(value)) fetched.push(value);
          return found;
        };
  const metrics = options.metrics ?? noMetrics;
  // One gate for every client signing with these credentials: after a refused signature, none of
  // them sends with the key until its cool-down ends.
  const gate = createCredentialsGate({ cooldownMs: config.authCooldownMs });
  // One value, so the client's retries and the use case's rounds cannot drift apart.
  const retryPolicy = huaweiRetryPolicy(options.retry);
  // One client for DMS and IAM: the same signing, gate, deadlines, retries and redaction for both.
  const client = createHuaweiClient({
    credentials,
    gate,
    retry: retryPolicy,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    metrics,
    attemptTimeoutMs: options.attemptTimeoutMs ?? config.httpTimeoutMs,
  });
  const projects = createProjectDirectory({
    iam: createIamApi(client, config.iamEndpoint),
    accessKey: async () => (await credentials()).ak,
    home: { region: config.region, projectId: config.projectId },
    domainId: config.domainId,
  });
  const keys = trackingKeys(versioned, deploymentName(config.trackingQueueUrl));
  const trackingSender = options.trackingQueue ?? (config.trackingQueueUrl ? sqsQueueSender(config.trackingQueueUrl) : undefined);
  return createDeployment({
    config,
    metrics,
    schemas: schemasOf(config),
    dms: createDmsApi(client),
    projects,
    fetchedSecrets: () => fetched,
    tracking: trackingSender ? sealingTrackingQueue(trackingTransportOn(trackingSender), keys) : undefined,
    trackingKeys: keys,
    enableQueue: enableQueueFor(config, options.enableQueue),
    retryPolicy,
  });
}

// Built once: the default region and the allowed callback hosts are the deployment's.
function schemasOf(config: Config): DeploymentSchemas {
  const defaults = { defaultRegion: config.region, allowedCallbackHosts: config.callbackAllowedHosts };
  return {
    instance: enableRequestSchema(defaults),
    selector: selectorTargetSchema(defaults),
    account: accountSelectorSchema(defaults),
    status: statusRequestSchema({ defaultRegion: config.region }),
  };
}

function trackingTransportOn(sender: QueueSender): TrackingTransport {
  return { send: (message, delaySeconds) => sender.send(JSON.stringify(message), { delaySeconds }) };
}

/** What a process hosting a function hands its deployment: its queues, and where metric lines go. */
export interface FunctionHosting extends Pick<WireOptions, 'trackingQueue' | 'enableQueue'> {
  /**
   * Each EMF line the function writes (one line, no line break); default stdout, where Lambda's logs
   * (and CloudWatch) read them: outside Lambda nothing turns them into metrics.
   */
  readonly metrics?: ((line: string) => void) | undefined;
}

/**
 * A function's deployment: config and metrics namespace from `env`, the function's metrics, the
 * queues its host hands in. @throws ConfigError naming the variable.
 */
export function functionDeployment(trigger: FunctionTrigger, env: Env, host: FunctionHosting = {}): Deployment {
  const config = loadConfig(env);
  const metrics = createMetrics({ namespace: metricNamespaceFrom(env), dimensions: { Trigger: trigger }, write: host.metrics });
  return wireDeployment(config, env, { trackingQueue: host.trackingQueue, enableQueue: host.enableQueue, metrics });
}

/** The command line's deployment: the functions' environment, no metrics. @throws ConfigError naming the variable. */
export function cliDeployment(env: Env): Deployment {
  const config = loadConfig(env);
  // The secret is read through the Lambda extension, which exists only inside Lambda.
  const insideLambda = Boolean(env.AWS_LAMBDA_FUNCTION_NAME);
  if (config.credentials.kind === 'secret' && !insideLambda) {
    throw new ConfigError(
      'HUAWEICLOUD_CREDENTIALS_SECRET',
      'is read only inside AWS Lambda; on the command line set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK',
    );
  }
  // No metrics: stdout is the command's JSON document, and EMF lines are read only from Lambda's logs.
  return wireDeployment(config, env, { metrics: noMetrics });
}

/** METRICS_NAMESPACE (serverless.yml: one per stage), else the service's own. */
function metricNamespaceFrom(env: Env): string {
  const value = env.METRICS_NAMESPACE || METRIC_NAMESPACE;
  if (!isMetricNamespace(value))
    throw new ConfigError('METRICS_NAMESPACE', 'is malformed: expected at most 255 of A-Z a-z 0-9 . - _ / # : and spaces, not starting with AWS/');
  return value;
}

/** What any flow (one instance, a fleet, a tracked job, a status read) runs with for one delivery. */
export interface FlowContext extends FleetContext {
  readonly deployment: Deployment;
}

/** What a flow is told of one delivery; the deployment is the rest. */
export type FlowOptions = Omit<FlowContext, 'deployment'>;

export function flowContext(deployment: Deployment, options: FlowOptions): FlowContext {
  return { deployment, ...options };
}
