// The environment the command line reads (the functions' own: docs/configuration.md has every
// detail), one line each for help; each command names the ones it reads.
export const ENVIRONMENT = {
  'HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK': 'the access key pair (required; CLOUD_SDK_AK, CLOUD_SDK_SK are read too)',
  HUAWEICLOUD_SDK_SECURITY_TOKEN: "temporary credentials' security token",
  HUAWEICLOUD_REGION: 'the region when --region is not given (required), e.g. cn-north-4',
  HUAWEICLOUD_SDK_PROJECT_ID: 'the project in HUAWEICLOUD_REGION when --project-id is not given (else found through IAM)',
  HUAWEICLOUD_DMS_ENDPOINT: "replaces the region's DMS endpoint (a private endpoint, the simulator)",
  'HUAWEICLOUD_SDK_IAM_ENDPOINT, HUAWEICLOUD_SDK_DOMAIN_ID': 'IAM, where a project is found from its region',
  HUAWEICLOUD_HTTP_TIMEOUT_MS: 'the longest wait for one answer from Huawei Cloud (default 10000)',
  HUAWEICLOUD_AUTH_COOLDOWN_SECONDS: 'after Huawei refuses a signature, how long nothing is sent with the key (default 300)',
  CALLBACK_URL: 'the callback when --callback-url is not given',
  CALLBACK_SECRET: 'the whsec_ secret callbacks are signed with (Standard Webhooks)',
  CALLBACK_ALLOWED_HOSTS: 'hosts a callback may reach on a private address or over plain http',
  TRACKING_QUEUE_URL: 'the SQS queue through which an accepted job is followed to its end',
  ENABLE_QUEUE_URL: 'the SQS queue each instance to enable is sent to (unset: enabled here, a few at a time)',
} as const;

export type EnvironmentName = keyof typeof ENVIRONMENT;

/** What every command that calls Huawei Cloud reads. */
export const HUAWEI_ENVIRONMENT: readonly EnvironmentName[] = [
  'HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK',
  'HUAWEICLOUD_SDK_SECURITY_TOKEN',
  'HUAWEICLOUD_REGION',
  'HUAWEICLOUD_SDK_PROJECT_ID',
  'HUAWEICLOUD_DMS_ENDPOINT',
  'HUAWEICLOUD_SDK_IAM_ENDPOINT, HUAWEICLOUD_SDK_DOMAIN_ID',
  'HUAWEICLOUD_HTTP_TIMEOUT_MS',
  'HUAWEICLOUD_AUTH_COOLDOWN_SECONDS',
];

/** What every command that writes a callback reads. */
export const CALLBACK_ENVIRONMENT: readonly EnvironmentName[] = ['CALLBACK_URL', 'CALLBACK_SECRET', 'CALLBACK_ALLOWED_HOSTS'];
