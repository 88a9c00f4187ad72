// Huawei credentials kept in AWS Secrets Manager, read through the AWS Parameters and Secrets Lambda
// Extension: plain HTTP on localhost with the session token, so no AWS SDK loads at cold start.
// Read once, then again only after the TTL, so a rotated key is picked up without a redeploy.
import * as v from 'valibot';
import type { CredentialsProvider } from './huawei/client.ts';
import { HuaweiApiError } from './huawei/errors.ts';
import type { Credentials } from './huawei/signer.ts';

const secretValue = v.object({
  ak: v.pipe(v.string(), v.nonEmpty()),
  sk: v.pipe(v.string(), v.nonEmpty()),
  security_token: v.optional(v.string()),
});

export interface SecretCredentialsOptions {
  readonly secretId: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly ttlMs?: number;
  readonly fetch?: typeof globalThis.fetch;
  readonly now?: () => number;
}

export function secretsExtensionCredentials(options: SecretCredentialsOptions): CredentialsProvider {
  const ttlMs = options.ttlMs ?? 300_000;
  const now = options.now ?? Date.now;
  const port = options.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? '2773';
  let cached: { credentials: Credentials; until: number } | undefined;
  let pending: Promise<Credentials> | undefined;

  const load = async (): Promise<Credentials> => {
    const url = `http://localhost:${port}/secretsmanager/get?secretId=${encodeURIComponent(options.secretId)}`;
    const response = await (options.fetch ?? fetch)(url, {
      headers: { 'X-Aws-Parameters-Secrets-Token': options.env.AWS_SESSION_TOKEN ?? '' },
      signal: AbortSignal.timeout(3_000),
    }).catch(() => undefined);
    if (!response?.ok) throw unavailable(`the secrets extension answered ${response ? `HTTP ${response.status}` : 'nothing'}`);
    const body = (await response.json().catch(() => undefined)) as { SecretString?: unknown } | undefined;
    let json: unknown;
    try {
      json = JSON.parse(String(body?.SecretString));
    } catch {
      throw unavailable('the secret is not JSON');
    }
    const parsed = v.safeParse(secretValue, json);
    // Never echo the secret's content: only which keys were wrong.
    if (!parsed.success) throw unavailable(`the secret must be JSON {ak, sk[, security_token]}; check ${parsed.issues.map((i) => v.getDotPath(i) ?? 'value').join(', ')}`);
    const { ak, sk, security_token: securityToken } = parsed.output;
    return { ak, sk, ...(securityToken ? { securityToken } : {}) };
  };

  return async () => {
    if (cached && cached.until > now()) return cached.credentials;
    pending ??= load().finally(() => {
      pending = undefined;
    });
    const credentials = await pending;
    cached = { credentials, until: now() + ttlMs };
    return credentials;
  };
}

function unavailable(message: string): HuaweiApiError {
  // Retryable: the extension may still be starting, or a rotation may be under way.
  return new HuaweiApiError({ status: 503, errorCode: 'CREDENTIALS_UNAVAILABLE', errorMsg: `HUAWEICLOUD_CREDENTIALS_SECRET: ${message}`, ambiguous: false });
}
