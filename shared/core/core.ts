// The composition root every trigger shares: config in; the request schema, the DMS client and the
// enable use case wired to this deployment's credentials and secrets out, built once per cold start.
import type { ReportOptions } from '../callback/index.ts';
import { endpointFor, secretsOf, type Config } from '../config/index.ts';
import { enableInstance, type EnableInstanceDeps } from '../enable/index.ts';
import {
  createCredentialsGate,
  createDmsApi,
  createHuaweiClient,
  HuaweiApiError,
  LocalErrorCode,
  type CredentialsProvider,
  type DmsApi,
  type KafkaRegion,
} from '../huawei/index.ts';
import { noMetrics, type Metrics } from '../metrics/index.ts';
import { enableRequestSchema, parseRequest, type EnableRequest, type EnableRequestSchema, type ParsedRequest } from '../request/index.ts';
import { withoutSecrets, type JobResult, type Source } from '../result/index.ts';
import type { Deadline, Logger } from '../runtime/index.ts';

export interface CoreOptions {
  /** Where credentials come from when the config names a secret (the trigger knows its runtime). */
  readonly secretCredentials?: CredentialsProvider;
  readonly fetch?: typeof globalThis.fetch;
  readonly attemptTimeoutMs?: number;
  readonly enable?: Partial<Pick<EnableInstanceDeps, 'maxRounds' | 'backoff' | 'sleep'>>;
  /** Where the flows and the Huawei client count what happens (a function's; none elsewhere). */
  readonly metrics?: Metrics;
}

export interface EnableRun {
  readonly source: Source;
  readonly deadline: Deadline;
  readonly logger?: Logger | undefined;
}

export interface Core {
  readonly config: Config;
  readonly metrics: Metrics;
  readonly schema: EnableRequestSchema;
  readonly dms: DmsApi;
  /** The DMS endpoint for a region: HUAWEICLOUD_DMS_ENDPOINT when set, else the region's own. */
  endpointFor(region: KafkaRegion): string;
  parse(input: unknown): ParsedRequest<EnableRequest>;
  /** The enable use case, for one source within one deadline; what Huawei said in the result is redacted. */
  enable(request: EnableRequest, run: EnableRun): Promise<JobResult>;
  /** Secret values known now, for redaction. */
  secrets(): string[];
  /** How a result is reported to a callback here: signed with CALLBACK_SECRET, every secret known now kept out. */
  reportOptions(run: Pick<ReportOptions, 'deadline' | 'dedupeKey' | 'logger' | 'resolve'>): ReportOptions;
}

export function createCore(config: Config, options: CoreOptions = {}): Core {
  const schema = enableRequestSchema({ defaultRegion: config.region, allowedCallbackHosts: config.callbackAllowedHosts });
  const source = config.credentials;
  const fetched: string[] = [];
  const metrics = options.metrics ?? noMetrics;
  const credentials: CredentialsProvider =
    source.kind === 'environment'
      ? () => source.credentials
      : async (read) => {
          if (!options.secretCredentials) {
            // The deployment's fault, and no retry changes it.
            throw new HuaweiApiError({
              status: 0,
              errorCode: LocalErrorCode.configuration,
              errorMsg: 'HUAWEICLOUD_CREDENTIALS_SECRET is set but this runtime cannot read secrets',
              ambiguous: false,
            });
          }
          const found = await options.secretCredentials(read);
          for (const value of [found.sk, found.securityToken]) if (value && !fetched.includes(value)) fetched.push(value);
          return found;
        };
  // One gate for every client signing with these credentials: after a refused signature, none of
  // them sends with the key until its cool-down ends.
  const gate = createCredentialsGate({ cooldownMs: config.authCooldownMs });
  const dms = createDmsApi(
    createHuaweiClient({
      credentials,
      gate,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      metrics,
      attemptTimeoutMs: options.attemptTimeoutMs ?? config.httpTimeoutMs,
    }),
  );
  const secrets = () => [...secretsOf(config), ...fetched];
  const endpointForRegion = (region: KafkaRegion) => endpointFor(config, region);
  return {
    config,
    metrics,
    schema,
    dms,
    endpointFor: endpointForRegion,
    parse: (input) => parseRequest(schema, input),
    enable: async (request, { source: from, deadline, logger }) =>
      withoutSecrets(await enableInstance(request, from, { dms, endpointFor: endpointForRegion, deadline, logger, ...options.enable }), secrets()),
    secrets,
    reportOptions: ({ deadline, dedupeKey, logger, resolve }) => ({
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
