// Unit tests of shared/config.ts against shared/DESIGN.md "Contract" (Environment): every setting
// read once, and a missing or malformed one fails with one line that starts with the variable's name.
import { describe, expect, it } from 'vitest';
import { ConfigError, endpointFor, loadConfig, secretsOf, type Config } from '../../shared/config/index.ts';

type Env = Record<string, string | undefined>;

const AK = 'AKEXAMPLE0123456789';
const SK = 'sk-Very-Secret-Value-0123456789abcdef';
const TOKEN = 'security-token-Very-Secret-abcdef0123';
const WHSEC = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const PROJECT_ID = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const DOMAIN_ID = 'd0d1d2d3d4d5d6d7d8d9dadbdcdddedf';

const BASE: Env = { HUAWEICLOUD_REGION: 'cn-north-4', HUAWEICLOUD_SDK_AK: AK, HUAWEICLOUD_SDK_SK: SK };

function configError(env: Env): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw new Error(`expected a ConfigError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a ConfigError, but the configuration loaded');
}

function envCredentials(config: Config) {
  if (config.credentials.kind !== 'environment') throw new Error(`expected environment credentials, got ${config.credentials.kind}`);
  return config.credentials.credentials;
}

describe('credentials', () => {
  it('reads HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK', () => {
    const config = loadConfig(BASE);
    expect(config.credentials).toEqual({ kind: 'environment', credentials: { ak: AK, sk: SK } });
  });

  it('reads CLOUD_SDK_AK / CLOUD_SDK_SK as in Huawei samples', () => {
    const config = loadConfig({ HUAWEICLOUD_REGION: 'cn-north-4', CLOUD_SDK_AK: AK, CLOUD_SDK_SK: SK });
    expect(envCredentials(config)).toEqual({ ak: AK, sk: SK });
  });

  it('prefers the HUAWEICLOUD_ spelling when both are set', () => {
    const config = loadConfig({ ...BASE, CLOUD_SDK_AK: 'OTHER-AK', CLOUD_SDK_SK: 'other-sk-value' });
    expect(envCredentials(config)).toEqual({ ak: AK, sk: SK });
  });

  it('adds the security token when set', () => {
    const config = loadConfig({ ...BASE, HUAWEICLOUD_SDK_SECURITY_TOKEN: TOKEN });
    expect(envCredentials(config)).toEqual({ ak: AK, sk: SK, securityToken: TOKEN });
  });

  it('accepts a token as long and as varied as temporary credentials are, and trims a trailing line break', () => {
    const long = `${'A'.repeat(2000)}+/=_-.~!#$%&'*^\`|${TOKEN}`;
    expect(envCredentials(loadConfig({ ...BASE, HUAWEICLOUD_SDK_SECURITY_TOKEN: `${long}\n` })).securityToken).toBe(long);
  });

  it('has no security token when it is unset or blank', () => {
    expect(envCredentials(loadConfig(BASE)).securityToken).toBeUndefined();
    expect(envCredentials(loadConfig({ ...BASE, HUAWEICLOUD_SDK_SECURITY_TOKEN: '  ' })).securityToken).toBeUndefined();
  });

  it('uses HUAWEICLOUD_CREDENTIALS_SECRET over the pair', () => {
    const config = loadConfig({ ...BASE, HUAWEICLOUD_CREDENTIALS_SECRET: 'prod/huawei/dms' });
    expect(config.credentials).toEqual({ kind: 'secret', secretId: 'prod/huawei/dms' });
  });

  it('needs no pair when HUAWEICLOUD_CREDENTIALS_SECRET is set', () => {
    const config = loadConfig({ HUAWEICLOUD_REGION: 'cn-north-4', HUAWEICLOUD_CREDENTIALS_SECRET: 'arn:aws:secretsmanager:x' });
    expect(config.credentials).toEqual({ kind: 'secret', secretId: 'arn:aws:secretsmanager:x' });
  });
});

describe('settings', () => {
  it('reads every optional setting', () => {
    const config = loadConfig({
      ...BASE,
      HUAWEICLOUD_DMS_ENDPOINT: 'http://127.0.0.1:9000',
      CALLBACK_URL: 'https://hooks.example.com/cb',
      CALLBACK_SECRET: WHSEC,
      CALLBACK_ALLOWED_HOSTS: 'localhost:3000, 127.0.0.1:8080 ,hooks.internal,[::1]:9000',
      TRACKING_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/smart-connect',
      ENABLE_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/smart-connect-enable',
      JOB_TIMEOUT_MINUTES: '12.5',
      HUAWEICLOUD_HTTP_TIMEOUT_MS: '2500',
      HUAWEICLOUD_SDK_PROJECT_ID: PROJECT_ID,
      HUAWEICLOUD_SDK_DOMAIN_ID: DOMAIN_ID,
      HUAWEICLOUD_SDK_IAM_ENDPOINT: 'http://127.0.0.1:9001',
      HUAWEICLOUD_AUTH_COOLDOWN_SECONDS: '90',
    });
    expect(config).toEqual({
      region: 'cn-north-4',
      endpointOverride: 'http://127.0.0.1:9000',
      projectId: PROJECT_ID,
      domainId: DOMAIN_ID,
      iamEndpoint: 'http://127.0.0.1:9001',
      credentials: { kind: 'environment', credentials: { ak: AK, sk: SK } },
      callbackUrl: 'https://hooks.example.com/cb',
      callbackSecret: WHSEC,
      callbackAllowedHosts: ['localhost:3000', '127.0.0.1:8080', 'hooks.internal', '[::1]:9000'],
      trackingQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/smart-connect',
      enableQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/smart-connect-enable',
      jobTimeoutMs: 750_000,
      httpTimeoutMs: 2_500,
      authCooldownMs: 90_000,
    });
  });

  it("takes a plain http CALLBACK_URL to a host CALLBACK_ALLOWED_HOSTS lists, as a request's callback_url", () => {
    expect(loadConfig({ ...BASE, CALLBACK_URL: 'http://localhost:3000/cb', CALLBACK_ALLOWED_HOSTS: 'localhost:3000' }).callbackUrl).toBe(
      'http://localhost:3000/cb',
    );
  });

  it("follows jobs for 50 minutes by default, as Huawei's Terraform provider waits", () => {
    expect(loadConfig(BASE).jobTimeoutMs).toBe(50 * 60_000);
    expect(loadConfig(BASE).trackingQueueUrl).toBeUndefined();
    expect(loadConfig(BASE).enableQueueUrl).toBeUndefined();
  });

  it.each(['0', '99', '60001', '1.5', 'fast'])('names HUAWEICLOUD_HTTP_TIMEOUT_MS when it is %s', (value) => {
    expect(() => loadConfig({ ...BASE, HUAWEICLOUD_HTTP_TIMEOUT_MS: value })).toThrow(/^HUAWEICLOUD_HTTP_TIMEOUT_MS /);
  });

  it('keeps refused credentials cooling down for 5 minutes by default, as Huawei locks a key', () => {
    expect(loadConfig(BASE).authCooldownMs).toBe(300_000);
  });

  it.each(['0', '-1', '3601', '2.5', '5m', 'soon'])('names HUAWEICLOUD_AUTH_COOLDOWN_SECONDS when it is %s', (value) => {
    expect(() => loadConfig({ ...BASE, HUAWEICLOUD_AUTH_COOLDOWN_SECONDS: value })).toThrow(
      /^HUAWEICLOUD_AUTH_COOLDOWN_SECONDS is malformed: expected a whole number of seconds/,
    );
  });

  it.each(['0', '-5', 'soon', '1e3'])('names JOB_TIMEOUT_MINUTES when it is %s', (value) => {
    expect(() => loadConfig({ ...BASE, JOB_TIMEOUT_MINUTES: value })).toThrow(/^JOB_TIMEOUT_MINUTES /);
  });

  it('takes the timeouts up to their bounds and not past them', () => {
    expect(loadConfig({ ...BASE, HUAWEICLOUD_HTTP_TIMEOUT_MS: '100' }).httpTimeoutMs).toBe(100);
    expect(loadConfig({ ...BASE, HUAWEICLOUD_HTTP_TIMEOUT_MS: '60000' }).httpTimeoutMs).toBe(60_000);
    expect(loadConfig({ ...BASE, JOB_TIMEOUT_MINUTES: '0.001' }).jobTimeoutMs).toBe(60);
    expect(loadConfig({ ...BASE, JOB_TIMEOUT_MINUTES: '10080' }).jobTimeoutMs).toBe(7 * 24 * 60 * 60_000);
    expect(() => loadConfig({ ...BASE, JOB_TIMEOUT_MINUTES: '0.0009' })).toThrow(/^JOB_TIMEOUT_MINUTES /);
    expect(() => loadConfig({ ...BASE, JOB_TIMEOUT_MINUTES: '10080.5' })).toThrow(/^JOB_TIMEOUT_MINUTES /);
  });

  it('leaves optional settings unset when absent or blank', () => {
    const config = loadConfig({ ...BASE, CALLBACK_URL: '', CALLBACK_SECRET: ' ', HUAWEICLOUD_DMS_ENDPOINT: '' });
    expect(config.endpointOverride).toBeUndefined();
    expect(config.callbackUrl).toBeUndefined();
    expect(config.callbackSecret).toBeUndefined();
    expect(config.callbackAllowedHosts).toEqual([]);
  });

  it("finds projects and the account through IAM unless told: no project or domain id, the SDK's IAM endpoint", () => {
    const config = loadConfig(BASE);
    expect(config.projectId).toBeUndefined();
    expect(config.domainId).toBeUndefined();
    expect(config.iamEndpoint).toBe('https://iam.myhuaweicloud.com');
    const blank = loadConfig({ ...BASE, HUAWEICLOUD_SDK_PROJECT_ID: ' ', HUAWEICLOUD_SDK_DOMAIN_ID: '', HUAWEICLOUD_SDK_IAM_ENDPOINT: ' ' });
    expect([blank.projectId, blank.domainId, blank.iamEndpoint]).toEqual([undefined, undefined, 'https://iam.myhuaweicloud.com']);
  });

  it("reads the project and account ids trimmed and in lower case, as requests' project_id", () => {
    const config = loadConfig({ ...BASE, HUAWEICLOUD_SDK_PROJECT_ID: ` ${PROJECT_ID.toUpperCase()}\n`, HUAWEICLOUD_SDK_DOMAIN_ID: DOMAIN_ID.toUpperCase() });
    expect(config.projectId).toBe(PROJECT_ID);
    expect(config.domainId).toBe(DOMAIN_ID);
  });

  it('takes a regional or private IAM endpoint', () => {
    expect(loadConfig({ ...BASE, HUAWEICLOUD_SDK_IAM_ENDPOINT: 'https://iam.cn-north-4.myhuaweicloud.com' }).iamEndpoint).toBe(
      'https://iam.cn-north-4.myhuaweicloud.com',
    );
  });

  it('trims the region', () => {
    expect(loadConfig({ ...BASE, HUAWEICLOUD_REGION: ' eu-west-101 ' }).region).toBe('eu-west-101');
  });
});

describe('a missing or malformed setting', () => {
  it.each<[string, Env, string]>([
    ['REGION missing', { HUAWEICLOUD_SDK_AK: AK, HUAWEICLOUD_SDK_SK: SK }, 'HUAWEICLOUD_REGION'],
    ['REGION blank', { ...BASE, HUAWEICLOUD_REGION: '   ' }, 'HUAWEICLOUD_REGION'],
    ['REGION unknown', { ...BASE, HUAWEICLOUD_REGION: 'mars-north-1' }, 'HUAWEICLOUD_REGION'],
    ['REGION in upper case', { ...BASE, HUAWEICLOUD_REGION: 'CN-NORTH-4' }, 'HUAWEICLOUD_REGION'],
    ['AK without SK', { HUAWEICLOUD_REGION: 'cn-north-4', HUAWEICLOUD_SDK_AK: AK }, 'HUAWEICLOUD_SDK_SK'],
    ['CLOUD_SDK_AK without SK', { HUAWEICLOUD_REGION: 'cn-north-4', CLOUD_SDK_AK: AK }, 'HUAWEICLOUD_SDK_SK'],
    ['SK without AK', { HUAWEICLOUD_REGION: 'cn-north-4', HUAWEICLOUD_SDK_SK: SK }, 'HUAWEICLOUD_SDK_AK'],
    ['no credentials at all', { HUAWEICLOUD_REGION: 'cn-north-4' }, 'HUAWEICLOUD_SDK_AK'],
    ['endpoint with another scheme', { ...BASE, HUAWEICLOUD_DMS_ENDPOINT: 'ftp://dms.example.com' }, 'HUAWEICLOUD_DMS_ENDPOINT'],
    ['endpoint that is not a URL', { ...BASE, HUAWEICLOUD_DMS_ENDPOINT: 'not a url' }, 'HUAWEICLOUD_DMS_ENDPOINT'],
    ['endpoint without a scheme', { ...BASE, HUAWEICLOUD_DMS_ENDPOINT: 'dms.cn-north-4.myhuaweicloud.com' }, 'HUAWEICLOUD_DMS_ENDPOINT'],
    ['CALLBACK_URL with another scheme', { ...BASE, CALLBACK_URL: 'ftp://hooks.example.com/cb' }, 'CALLBACK_URL'],
    ['CALLBACK_URL relative', { ...BASE, CALLBACK_URL: '/cb' }, 'CALLBACK_URL'],
    // The rule a request's callback_url meets: checked once, here, not on every request.
    ['CALLBACK_URL over plain http to a host not allowed', { ...BASE, CALLBACK_URL: 'http://hooks.example.com/cb' }, 'CALLBACK_URL'],
    [
      'CALLBACK_URL over http to an allowed host on another port',
      { ...BASE, CALLBACK_URL: 'http://localhost:3001/cb', CALLBACK_ALLOWED_HOSTS: 'localhost:3000' },
      'CALLBACK_URL',
    ],
    ['CALLBACK_URL with credentials', { ...BASE, CALLBACK_URL: 'https://user:pass@hooks.example.com/cb' }, 'CALLBACK_URL'],
    ['CALLBACK_URL longer than 2,048 characters', { ...BASE, CALLBACK_URL: `https://hooks.example.com/${'a'.repeat(2_048)}` }, 'CALLBACK_URL'],
    ['CALLBACK_SECRET without whsec_', { ...BASE, CALLBACK_SECRET: 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }, 'CALLBACK_SECRET'],
    ['CALLBACK_SECRET too short', { ...BASE, CALLBACK_SECRET: 'whsec_abc' }, 'CALLBACK_SECRET'],
    ['CALLBACK_SECRET not base64', { ...BASE, CALLBACK_SECRET: 'whsec_this is not base64 at all!!' }, 'CALLBACK_SECRET'],
    ['CALLBACK_ALLOWED_HOSTS with a URL', { ...BASE, CALLBACK_ALLOWED_HOSTS: 'http://localhost:3000' }, 'CALLBACK_ALLOWED_HOSTS'],
    ['CALLBACK_ALLOWED_HOSTS with a space in a host', { ...BASE, CALLBACK_ALLOWED_HOSTS: 'local host' }, 'CALLBACK_ALLOWED_HOSTS'],
    ['a project id of 31 hex characters', { ...BASE, HUAWEICLOUD_SDK_PROJECT_ID: PROJECT_ID.slice(1) }, 'HUAWEICLOUD_SDK_PROJECT_ID'],
    ['a project id that is not hex', { ...BASE, HUAWEICLOUD_SDK_PROJECT_ID: `${PROJECT_ID.slice(1)}g` }, 'HUAWEICLOUD_SDK_PROJECT_ID'],
    ['a project id as a UUID', { ...BASE, HUAWEICLOUD_SDK_PROJECT_ID: '0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9' }, 'HUAWEICLOUD_SDK_PROJECT_ID'],
    ['a domain id of 33 hex characters', { ...BASE, HUAWEICLOUD_SDK_DOMAIN_ID: `${DOMAIN_ID}0` }, 'HUAWEICLOUD_SDK_DOMAIN_ID'],
    [
      'a domain id with a space inside',
      { ...BASE, HUAWEICLOUD_SDK_DOMAIN_ID: `${DOMAIN_ID.slice(0, 16)} ${DOMAIN_ID.slice(16)}` },
      'HUAWEICLOUD_SDK_DOMAIN_ID',
    ],
    ['an IAM endpoint with another scheme', { ...BASE, HUAWEICLOUD_SDK_IAM_ENDPOINT: 'ftp://iam.myhuaweicloud.com' }, 'HUAWEICLOUD_SDK_IAM_ENDPOINT'],
    ['an IAM endpoint without a scheme', { ...BASE, HUAWEICLOUD_SDK_IAM_ENDPOINT: 'iam.myhuaweicloud.com' }, 'HUAWEICLOUD_SDK_IAM_ENDPOINT'],
    ['ENABLE_QUEUE_URL that is not a URL', { ...BASE, ENABLE_QUEUE_URL: 'smart-connect-enable' }, 'ENABLE_QUEUE_URL'],
    ['ENABLE_QUEUE_URL with another scheme', { ...BASE, ENABLE_QUEUE_URL: 'arn:aws:sqs:eu-west-1:123456789012:q' }, 'ENABLE_QUEUE_URL'],
    ['CALLBACK_ALLOWED_HOSTS with a path', { ...BASE, CALLBACK_ALLOWED_HOSTS: 'localhost:3000/cb' }, 'CALLBACK_ALLOWED_HOSTS'],
    // Values no HTTP header can carry: they would load, then fail every call as a network error.
    ['a security token with a line break', { ...BASE, HUAWEICLOUD_SDK_SECURITY_TOKEN: `${TOKEN}\nX-Injected: 1` }, 'HUAWEICLOUD_SDK_SECURITY_TOKEN'],
    ['a security token with a carriage return', { ...BASE, HUAWEICLOUD_SDK_SECURITY_TOKEN: `${TOKEN}\r${TOKEN}` }, 'HUAWEICLOUD_SDK_SECURITY_TOKEN'],
    ['a security token with non-ASCII', { ...BASE, HUAWEICLOUD_SDK_SECURITY_TOKEN: `${TOKEN}é` }, 'HUAWEICLOUD_SDK_SECURITY_TOKEN'],
    ['an AK with a space', { ...BASE, HUAWEICLOUD_SDK_AK: `${AK} 2` }, 'HUAWEICLOUD_SDK_AK'],
    ['a CLOUD_SDK_AK with a line break', { HUAWEICLOUD_REGION: 'cn-north-4', CLOUD_SDK_AK: `${AK}\n1`, CLOUD_SDK_SK: SK }, 'CLOUD_SDK_AK'],
    ['an SK with a control character', { ...BASE, HUAWEICLOUD_SDK_SK: `${SK}\u0000` }, 'HUAWEICLOUD_SDK_SK'],
    ['a CLOUD_SDK_SK with non-ASCII', { HUAWEICLOUD_REGION: 'cn-north-4', CLOUD_SDK_AK: AK, CLOUD_SDK_SK: `${SK}ß` }, 'CLOUD_SDK_SK'],
  ])('%s: a one-line ConfigError that starts with the variable name', (_label, env, variable) => {
    const error = configError(env);
    expect(error.name).toBe('ConfigError');
    expect(error).toBeInstanceOf(Error);
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable} `)).toBe(true);
    expect(error.message).not.toMatch(/[\r\n]/);
    expect(error.message.length).toBeGreaterThan(variable.length + 5);
  });

  it.each<[string, Env]>([
    ['SK without AK', { HUAWEICLOUD_REGION: 'cn-north-4', HUAWEICLOUD_SDK_SK: SK }],
    ['SK with a bad region', { ...BASE, HUAWEICLOUD_REGION: 'nowhere-1' }],
    ['SK with a bad endpoint', { ...BASE, HUAWEICLOUD_DMS_ENDPOINT: 'ftp://x' }],
    ['a bad callback secret', { ...BASE, CALLBACK_SECRET: `whsec_${SK}!` }],
    ['SK and token with bad allowed hosts', { ...BASE, HUAWEICLOUD_SDK_SECURITY_TOKEN: TOKEN, CALLBACK_ALLOWED_HOSTS: 'a b' }],
    ['a token with a line break', { ...BASE, HUAWEICLOUD_SDK_SECURITY_TOKEN: `${TOKEN}\n` + TOKEN }],
    ['an SK with non-ASCII', { ...BASE, HUAWEICLOUD_SDK_SK: `${SK}é` }],
  ])('never puts a secret in the message: %s', (_label, env) => {
    const error = configError(env);
    expect(error.message).not.toContain(SK);
    expect(error.message).not.toContain(TOKEN);
    expect(String(error)).not.toContain(SK);
    expect(JSON.stringify({ message: error.message, variable: error.variable })).not.toContain(SK);
  });
});

describe('endpointFor', () => {
  const noOverride = { endpointOverride: undefined };
  it.each([
    ['cn-north-4', 'https://dms.cn-north-4.myhuaweicloud.com'],
    ['ap-southeast-1', 'https://dms.ap-southeast-1.myhuaweicloud.com'],
    ['eu-west-0', 'https://dms.eu-west-0.myhuaweicloud.com'],
    ['eu-west-101', 'https://dms.eu-west-101.myhuaweicloud.eu'],
  ] as const)('%s -> %s', (region, endpoint) => {
    expect(endpointFor(noOverride, region)).toBe(endpoint);
  });

  it('uses the override whatever the region', () => {
    const override = { endpointOverride: 'http://127.0.0.1:9000' };
    expect(endpointFor(override, 'cn-north-4')).toBe('http://127.0.0.1:9000');
    expect(endpointFor(override, 'eu-west-101')).toBe('http://127.0.0.1:9000');
  });

  it('follows a loaded configuration', () => {
    expect(endpointFor(loadConfig(BASE), 'cn-north-4')).toBe('https://dms.cn-north-4.myhuaweicloud.com');
    const overridden = loadConfig({ ...BASE, HUAWEICLOUD_DMS_ENDPOINT: 'https://dms.vpc.internal' });
    expect(endpointFor(overridden, 'eu-west-101')).toBe('https://dms.vpc.internal');
  });
});

describe('secretsOf', () => {
  it('lists the SK, the security token and the callback secret', () => {
    const config = loadConfig({ ...BASE, HUAWEICLOUD_SDK_SECURITY_TOKEN: TOKEN, CALLBACK_SECRET: WHSEC });
    expect([...secretsOf(config)].sort()).toEqual([SK, TOKEN, WHSEC].sort());
  });

  it('never lists the AK (not a secret) and leaves out what is unset', () => {
    const secrets = secretsOf(loadConfig(BASE));
    expect(secrets).toEqual([SK]);
    expect(secrets).not.toContain(AK);
  });

  it('lists only the callback secret when credentials come from Secrets Manager', () => {
    const config = loadConfig({ HUAWEICLOUD_REGION: 'cn-north-4', HUAWEICLOUD_CREDENTIALS_SECRET: 'id', CALLBACK_SECRET: WHSEC });
    expect(secretsOf(config)).toEqual([WHSEC]);
  });
});
