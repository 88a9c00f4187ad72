// Environment -> Config, validated once per cold start. A missing or malformed setting stops the
// start with one line naming the variable, rather than failing later on a request.
import * as v from 'valibot';
import { CALLBACK_URL_EXPECTED, callbackUrlSchema, parseAllowedHost, type CallbackUrl } from '../callback/index.ts';
import { HEADER_SAFE_EXPECTED, isHeaderSafe } from '../credentials/index.ts';
import {
  DEFAULT_AUTH_COOLDOWN_MS,
  DEFAULT_IAM_ENDPOINT,
  KAFKA_REGION_EXPECTED,
  KAFKA_REGIONS,
  dmsEndpoint,
  type Credentials,
  type KafkaRegion,
} from '../huawei/index.ts';

export type CredentialSource = { readonly kind: 'environment'; readonly credentials: Credentials } | { readonly kind: 'secret'; readonly secretId: string };

export interface Config {
  readonly region: KafkaRegion;
  readonly endpointOverride: string | undefined;
  /** HUAWEICLOUD_SDK_PROJECT_ID: the project of `region` (no IAM lookup for it); unset: found through IAM. */
  readonly projectId: string | undefined;
  /** HUAWEICLOUD_SDK_DOMAIN_ID: the account id IAM calls send as X-Domain-Id; unset: read from IAM once. */
  readonly domainId: string | undefined;
  /** HUAWEICLOUD_SDK_IAM_ENDPOINT, else the SDK's default. */
  readonly iamEndpoint: string;
  readonly credentials: CredentialSource;
  /** CALLBACK_URL: the default callback, checked by the same rule as a request's callback_url. */
  readonly callbackUrl: CallbackUrl | undefined;
  readonly callbackSecret: string | undefined;
  readonly callbackAllowedHosts: readonly string[];
  /** SQS queue for tracking messages; unset: accepted is the last word (outside the local stack). */
  readonly trackingQueueUrl: string | undefined;
  /** SQS queue fleet runs fan their enable requests out to; unset: a fleet run enables inline. */
  readonly enableQueueUrl: string | undefined;
  /** A job unfinished after this long ends failed with JOB_TIMEOUT. */
  readonly jobTimeoutMs: number;
  /** Longest wait for one answer from Huawei Cloud, per attempt. */
  readonly httpTimeoutMs: number;
  /** After Huawei refuses a key's signature (401), how long nothing is sent with it. */
  readonly authCooldownMs: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly variable: string;
  constructor(variable: string, problem: string) {
    super(`${variable} ${problem}`);
    this.variable = variable;
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const region = v.picklist(KAFKA_REGIONS);
const httpUrl = v.pipe(
  v.string(),
  v.check((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol)),
);
// Project and account (domain) ids: 32 hexadecimal characters, compared in lower case as requests' are.
const hexId = v.pipe(v.string(), v.regex(/^[0-9a-f]{32}$/i), v.toLowerCase());
const HEX_ID = '32 hexadecimal characters';
// `host` (any port) or `host:port`, read as the callback check reads them.
const hostList = v.array(
  v.pipe(
    v.string(),
    v.check((entry) => parseAllowedHost(entry) !== undefined),
  ),
);
// Standard Webhooks secrets: "whsec_" then base64 of the key bytes.
const webhookSecret = v.pipe(v.string(), v.regex(/^whsec_[A-Za-z0-9+/]{16,}={0,2}$/));

const DEFAULT_HTTP_TIMEOUT_MS = 10_000;
const milliseconds = v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number), v.minValue(100), v.maxValue(60_000));
// Huawei's Terraform provider waits up to 50 minutes for the job.
const DEFAULT_JOB_TIMEOUT_MINUTES = 50;
const minutes = v.pipe(v.string(), v.regex(/^\d+(\.\d+)?$/), v.transform(Number), v.minValue(0.001), v.maxValue(7 * 24 * 60));

// Set in seconds, used in milliseconds; unset, the credentials gate's own default (DEFAULT_AUTH_COOLDOWN_MS).
const cooldownSeconds = v.pipe(
  v.string(),
  v.regex(/^\d+$/),
  v.transform(Number),
  v.check((s) => s >= 1 && s <= 3_600),
  v.transform((s) => s * 1000),
);

const SQS_QUEUE_URL = 'an SQS queue URL such as https://sqs.eu-west-1.amazonaws.com/123456789012/queue';

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function check<T>(name: string, schema: v.GenericSchema<unknown, T>, value: unknown, expected: string): T {
  const result = v.safeParse(schema, value);
  if (!result.success) throw new ConfigError(name, `is malformed: expected ${expected}`);
  return result.output;
}

/** An optional setting, checked when set. */
function setting<T>(env: Env, name: string, schema: v.GenericSchema<unknown, T>, expected: string): T | undefined {
  const value = read(env, name);
  return value === undefined ? undefined : check(name, schema, value, expected);
}

/** The first of `names` that is set, checked for what a header can carry. */
function readCredential(env: Env, names: readonly string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = read(env, name);
    if (value === undefined) continue;
    // Never the value itself in the message: only what is wrong with it.
    if (!isHeaderSafe(value)) throw new ConfigError(name, `is malformed: expected ${HEADER_SAFE_EXPECTED}`);
    return { name, value };
  }
  return undefined;
}

function credentialSource(env: Env): CredentialSource {
  const secretId = read(env, 'HUAWEICLOUD_CREDENTIALS_SECRET');
  if (secretId) return { kind: 'secret', secretId };
  // Huawei's samples name the pair CLOUD_SDK_AK / CLOUD_SDK_SK; both spellings work.
  const ak = readCredential(env, ['HUAWEICLOUD_SDK_AK', 'CLOUD_SDK_AK'])?.value;
  const sk = readCredential(env, ['HUAWEICLOUD_SDK_SK', 'CLOUD_SDK_SK'])?.value;
  if (!ak) throw new ConfigError('HUAWEICLOUD_SDK_AK', 'is not set (set it with HUAWEICLOUD_SDK_SK, or HUAWEICLOUD_CREDENTIALS_SECRET)');
  if (!sk) throw new ConfigError('HUAWEICLOUD_SDK_SK', 'is not set (it goes with HUAWEICLOUD_SDK_AK)');
  const securityToken = readCredential(env, ['HUAWEICLOUD_SDK_SECURITY_TOKEN'])?.value;
  return { kind: 'environment', credentials: { ak, sk, ...(securityToken ? { securityToken } : {}) } };
}

export function loadConfig(env: Env = process.env): Config {
  const regionValue = read(env, 'HUAWEICLOUD_REGION');
  if (!regionValue) throw new ConfigError('HUAWEICLOUD_REGION', 'is not set (for example cn-north-4)');
  const allowedHosts = read(env, 'CALLBACK_ALLOWED_HOSTS');
  const callbackAllowedHosts = allowedHosts
    ? check(
        'CALLBACK_ALLOWED_HOSTS',
        hostList,
        allowedHosts
          .split(',')
          .map((host) => host.trim())
          .filter(Boolean),
        'a comma list of host (any port) or host:port',
      )
    : [];
  return {
    region: check('HUAWEICLOUD_REGION', region, regionValue, KAFKA_REGION_EXPECTED),
    endpointOverride: setting(env, 'HUAWEICLOUD_DMS_ENDPOINT', httpUrl, 'an http(s) URL such as https://dms.cn-north-4.myhuaweicloud.com'),
    projectId: setting(env, 'HUAWEICLOUD_SDK_PROJECT_ID', hexId, HEX_ID),
    domainId: setting(env, 'HUAWEICLOUD_SDK_DOMAIN_ID', hexId, HEX_ID),
    // Checked as HUAWEICLOUD_DMS_ENDPOINT is: http(s), plain http for a private endpoint or the simulator.
    iamEndpoint: setting(env, 'HUAWEICLOUD_SDK_IAM_ENDPOINT', httpUrl, `an http(s) URL such as ${DEFAULT_IAM_ENDPOINT}`) ?? DEFAULT_IAM_ENDPOINT,
    credentials: credentialSource(env),
    callbackUrl: setting(env, 'CALLBACK_URL', callbackUrlSchema(callbackAllowedHosts), CALLBACK_URL_EXPECTED),
    callbackSecret: setting(env, 'CALLBACK_SECRET', webhookSecret, 'a Standard Webhooks secret: whsec_ followed by base64'),
    callbackAllowedHosts,
    trackingQueueUrl: setting(env, 'TRACKING_QUEUE_URL', httpUrl, SQS_QUEUE_URL),
    enableQueueUrl: setting(env, 'ENABLE_QUEUE_URL', httpUrl, SQS_QUEUE_URL),
    jobTimeoutMs: (setting(env, 'JOB_TIMEOUT_MINUTES', minutes, 'a number of minutes greater than 0, such as 50') ?? DEFAULT_JOB_TIMEOUT_MINUTES) * 60_000,
    httpTimeoutMs: setting(env, 'HUAWEICLOUD_HTTP_TIMEOUT_MS', milliseconds, 'a whole number of milliseconds from 100 to 60000') ?? DEFAULT_HTTP_TIMEOUT_MS,
    authCooldownMs:
      setting(env, 'HUAWEICLOUD_AUTH_COOLDOWN_SECONDS', cooldownSeconds, 'a whole number of seconds from 1 to 3600, such as 300') ?? DEFAULT_AUTH_COOLDOWN_MS,
  };
}

/** The DMS endpoint a request goes to: the override when set, else the region's public endpoint. */
export function endpointFor(config: Pick<Config, 'endpointOverride'>, requestRegion: KafkaRegion): string {
  return config.endpointOverride ?? dmsEndpoint(requestRegion);
}

/** Values that must never reach a log line, an error or a callback. */
export function secretsOf(config: Config): string[] {
  const secrets = [config.callbackSecret];
  if (config.credentials.kind === 'environment') {
    secrets.push(config.credentials.credentials.sk, config.credentials.credentials.securityToken);
  }
  return secrets.filter((value): value is string => Boolean(value));
}

// Where secrets come from in the environment (their names, as credentialSource and loadConfig read them).
const SECRET_VARIABLES = ['HUAWEICLOUD_SDK_SK', 'CLOUD_SDK_SK', 'HUAWEICLOUD_SDK_SECURITY_TOKEN', 'CALLBACK_SECRET'] as const;

/** Secret values set in the environment, for output written before (or without) a valid config. */
export function secretsInEnvironment(env: Env): string[] {
  return SECRET_VARIABLES.map((name) => read(env, name)).filter((value): value is string => value !== undefined);
}
