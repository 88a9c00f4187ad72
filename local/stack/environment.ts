// The functions' environment in the local stack. The bundles read their configuration from
// process.env when imported (a cold start), so the stack writes it there before it loads them: the
// simulator (DMS and IAM) with its local key pair (or the environment's own endpoint and credentials), the sink as
// the default callback, loopback as the allowed callback hosts, and a callback secret.
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '../../shared/config/index.ts';
import { DEFAULT_REGION, LOCAL_KEY, LOOPBACK_HOSTS } from './defaults.ts';

type Env = Record<string, string | undefined>;

export interface CallbackSecret {
  readonly origin: 'environment' | 'generated';
  readonly value: string;
}

/**
 * The DMS endpoint the environment names, checked as the functions will read it; undefined: the
 * stack runs the simulator. Its credentials must be a key pair: a secret is read only inside Lambda.
 */
export function externalDmsEndpoint(env: Env): string | undefined {
  const endpoint = env.HUAWEICLOUD_DMS_ENDPOINT?.trim();
  if (!endpoint) return undefined;
  let config;
  try {
    config = loadConfig({ ...env, HUAWEICLOUD_REGION: regionOf(env) });
  } catch (error) {
    if (!(error instanceof ConfigError) || !/^HUAWEICLOUD_SDK_(AK|SK) is not set/.test(error.message)) throw error;
  }
  if (!config) {
    throw new Error(
      'HUAWEICLOUD_DMS_ENDPOINT is set but HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK are not: set both to use that endpoint, or unset it to use the DMS simulator',
    );
  }
  if (config.credentials.kind === 'secret') {
    throw new Error(
      'HUAWEICLOUD_CREDENTIALS_SECRET is read only inside AWS Lambda: unset it and set HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK to use HUAWEICLOUD_DMS_ENDPOINT',
    );
  }
  return endpoint;
}

export interface FunctionEnvironment {
  readonly secret: CallbackSecret;
  /** Whether CALLBACK_URL and CALLBACK_ALLOWED_HOSTS came from the environment (the banner says so). */
  readonly callbackUrlFromEnv: boolean;
  readonly allowedFromEnv: boolean;
}

/** Writes the functions' environment into `env`, keeping what is already set. */
export function writeFunctionEnvironment(env: Env, { simulatorUrl, sinkUrl }: { simulatorUrl: string | undefined; sinkUrl: string }): FunctionEnvironment {
  const secretFromEnv = env.CALLBACK_SECRET?.trim();
  const secret: CallbackSecret = secretFromEnv
    ? { origin: 'environment', value: secretFromEnv }
    : { origin: 'generated', value: `whsec_${randomBytes(32).toString('base64')}` };
  env.HUAWEICLOUD_REGION = regionOf(env);
  if (simulatorUrl) {
    // The simulator serves IAM too: projects are found there, and its account is the one it knows.
    env.HUAWEICLOUD_DMS_ENDPOINT = simulatorUrl;
    env.HUAWEICLOUD_SDK_IAM_ENDPOINT = simulatorUrl;
    env.HUAWEICLOUD_SDK_AK = LOCAL_KEY.ak;
    env.HUAWEICLOUD_SDK_SK = LOCAL_KEY.sk;
    const elsewhere = [
      'CLOUD_SDK_AK',
      'CLOUD_SDK_SK',
      'HUAWEICLOUD_SDK_SECURITY_TOKEN',
      'HUAWEICLOUD_CREDENTIALS_SECRET',
      'HUAWEICLOUD_SDK_PROJECT_ID',
      'HUAWEICLOUD_SDK_DOMAIN_ID',
    ];
    for (const name of elsewhere) delete env[name];
  }
  const callbackUrlFromEnv = env.CALLBACK_URL?.trim();
  env.CALLBACK_URL = callbackUrlFromEnv || sinkUrl;
  env.CALLBACK_SECRET = secret.value;
  const allowedFromEnv = env.CALLBACK_ALLOWED_HOSTS?.trim();
  // Any port on loopback: a developer's own receiver runs beside the stack, on a port of its own.
  env.CALLBACK_ALLOWED_HOSTS = allowedFromEnv || LOOPBACK_HOSTS;
  return { secret, callbackUrlFromEnv: Boolean(callbackUrlFromEnv), allowedFromEnv: Boolean(allowedFromEnv) };
}

function regionOf(env: Env): string {
  return env.HUAWEICLOUD_REGION?.trim() || DEFAULT_REGION;
}
