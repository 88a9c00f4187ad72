// The composition root every trigger shares: config in, a ready schema and use case out, built
// once per cold start.
import { endpointFor, secretsOf, type Config } from '../config/index.ts';
import { enableSmartConnect, type EnableDeps } from '../enable/index.ts';
import { checkJob, type JobCheck } from '../follow/index.ts';
import { createHuaweiClient, type CredentialsProvider } from '../huawei/index.ts';
import { createDmsApi, type DmsApi } from '../huawei/index.ts';
import { HuaweiApiError, LocalErrorCode } from '../huawei/index.ts';
import type { Logger } from '../runtime/index.ts';
import { noMetrics, type Metrics } from '../metrics/index.ts';
import { MESSAGE_MAX, redactBounded } from '../redact/index.ts';
import { enableRequestSchema, parseEnableRequest, type EnableRequest, type EnableRequestSchema, type ParsedRequest } from '../request/index.ts';
import type { JobResult, Source } from '../result/index.ts';
import type { Deadline } from '../runtime/index.ts';
import type { TrackingMessage } from '../follow/index.ts';

export interface EnablerOptions {
  /** Where credentials come from when the config names a secret (the trigger knows its runtime). */
  readonly secretCredentials?: CredentialsProvider;
  readonly fetch?: typeof globalThis.fetch;
  readonly attemptTimeoutMs?: number;
  readonly enable?: Partial<Pick<EnableDeps, 'maxRounds' | 'backoff' | 'sleep'>>;
  readonly now?: () => number;
  /** Where the flows and the Huawei client count what happens (a function's; none elsewhere). */
  readonly metrics?: Metrics;
}

export interface Enabler {
  readonly config: Config;
  readonly metrics: Metrics;
  readonly schema: EnableRequestSchema;
  readonly dms: DmsApi;
  parse(input: unknown): ParsedRequest;
  enable(request: EnableRequest, source: Source, deadline: Deadline, logger?: Logger): Promise<JobResult>;
  /** One status check of a job being followed. */
  checkJob(message: TrackingMessage, deadline: Deadline, logger?: Logger): Promise<JobCheck>;
  /** Secret values known now, for redaction. */
  secrets(): string[];
}

export function createEnabler(config: Config, options: EnablerOptions = {}): Enabler {
  const schema = enableRequestSchema({ defaultRegion: config.region, allowedCallbackHosts: config.callbackAllowedHosts });
  const source = config.credentials;
  const fetched: string[] = [];
  const metrics = options.metrics ?? noMetrics;
  const credentials: CredentialsProvider =
    source.kind === 'environment'
      ? () => source.credentials
      : async () => {
          if (!options.secretCredentials) {
            // The deployment's fault, and no retry changes it.
            throw new HuaweiApiError({
              status: 0,
              errorCode: LocalErrorCode.configuration,
              errorMsg: 'HUAWEICLOUD_CREDENTIALS_SECRET is set but this runtime cannot read secrets',
              ambiguous: false,
            });
          }
          const found = await options.secretCredentials();
          for (const value of [found.sk, found.securityToken]) if (value && !fetched.includes(value)) fetched.push(value);
          return found;
        };
  const dms = createDmsApi(
    createHuaweiClient({
      credentials,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      metrics,
      attemptTimeoutMs: options.attemptTimeoutMs ?? config.httpTimeoutMs,
    }),
  );
  const secrets = () => [...secretsOf(config), ...fetched];
  return {
    config,
    metrics,
    schema,
    dms,
    parse: (input) => parseEnableRequest(schema, input),
    enable: async (request, from, deadline, logger) =>
      withoutSecrets(
        await enableSmartConnect(request, from, {
          dms,
          endpointFor: (region) => endpointFor(config, region),
          deadline,
          logger,
          ...options.enable,
        }),
        secrets(),
      ),
    checkJob: async (message, deadline, logger) => {
      const check = await checkJob(message, {
        dms,
        endpointFor: (region) => endpointFor(config, region),
        deadline,
        jobTimeoutMs: config.jobTimeoutMs,
        logger,
        ...(options.now ? { now: options.now } : {}),
      });
      return check.kind === 'final' ? { ...check, result: withoutSecrets(check.result, secrets()) } : check;
    },
    secrets,
  };
}

// Huawei's words (its messages, codes and ids) reach HTTP answers, callbacks and the command line;
// one that echoes a request's headers (a gateway or a proxy in between may) must not carry the
// credentials along. Each string is redacted first, then cut short.
const CODE_MAX = 64;
const HUAWEI_TEXT_FIELDS = ['job_id', 'connector_id', 'instance_status', 'task_status'] as const;

function withoutSecrets(result: JobResult, secrets: readonly string[]): JobResult {
  const clean: { -readonly [K in keyof JobResult]: JobResult[K] } = { ...result };
  for (const field of HUAWEI_TEXT_FIELDS) {
    const value = result[field];
    if (value !== undefined) clean[field] = redactBounded(value, secrets, MESSAGE_MAX);
  }
  if (result.error) clean.error = { code: redactBounded(result.error.code, secrets, CODE_MAX), message: redactBounded(result.error.message, secrets, MESSAGE_MAX) };
  return clean;
}
