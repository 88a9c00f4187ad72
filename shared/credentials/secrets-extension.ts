// Huawei credentials kept in AWS Secrets Manager, read through the AWS Parameters and Secrets Lambda
// Extension: plain HTTP on localhost with the session token, so no AWS SDK loads at cold start.
// Read once, then again only after the TTL, so a rotated key is picked up without a redeploy.
//
// Two kinds of failure, told apart because callers treat them differently: a secret that is there
// but unusable (missing, refused, not JSON, no sk, a value no header can carry) is the deployment's
// fault and stays so until an operator fixes it (CREDENTIALS_INVALID, not retried, remembered a
// minute so a storm of requests does not hammer the extension); an extension or Secrets Manager that
// does not answer now may answer soon (CREDENTIALS_UNAVAILABLE): the extension answers errors while
// it starts, so the read is tried again a few times, briefly, within the reader's deadline, and the
// failure is not remembered (the next request reads again). Concurrent readers share one read.
import * as v from 'valibot';
import { HEADER_SAFE_EXPECTED, isHeaderSafe } from './header-safe.ts';
import { CredentialsError } from './errors.ts';
import type { Freshness, VersionedCredentials } from './versioned.ts';
import { CREDENTIALS_INVALID, CREDENTIALS_UNAVAILABLE } from '../errors/index.ts';
import type { Credentials } from '../huawei/index.ts';
import { backoffCeiling, deadlineIn, sleep, type BackoffPolicy } from '../runtime/index.ts';

const headerValue = v.pipe(v.string(), v.check(isHeaderSafe));
const secretValue = v.object({
  ak: headerValue,
  sk: headerValue,
  security_token: v.optional(
    v.pipe(
      v.string(),
      v.check((token) => token === '' || isHeaderSafe(token)),
    ),
  ),
});

// What Secrets Manager answers (through the extension) when waiting will not help.
const PERMANENT_REFUSALS: ReadonlyArray<readonly [string, string]> = [
  ['ResourceNotFoundException', 'the secret (or this version of it) does not exist'],
  ['AccessDeniedException', 'this function may not read it (secretsmanager:GetSecretValue, or kms:Decrypt on its key)'],
  ['DecryptionFailure', 'it cannot be decrypted with its KMS key'],
  ['InvalidRequestException', 'Secrets Manager refuses to read it (deleted, or scheduled for deletion?)'],
  ['InvalidParameterException', 'the secret id is not valid'],
];

const DEFAULT_TTL_MS = 300_000;
/** How long an unusable secret is remembered: it stays broken until an operator fixes it. */
export const PERMANENT_FAILURE_TTL_MS = 60_000;
// One read's longest wait for the extension.
const READ_TIMEOUT_MS = 3_000;
// A read that fails for now is tried again after 50, 100, 200, 400, 800 ms, at most this many times
// in all, while the reader's deadline (else this budget) leaves time for one more.
const READ_ATTEMPTS = 6;
const READ_BACKOFF: BackoffPolicy = { baseMs: 50, capMs: 800 };
const DEFAULT_READ_BUDGET_MS = 5_000;
const MIN_READ_MS = 100;

export interface SecretCredentialsOptions {
  readonly secretId: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly ttlMs?: number;
  readonly fetch?: typeof globalThis.fetch;
  readonly now?: () => number;
  /** Waits between reads that failed for now; default a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
}

type Stage = 'AWSCURRENT' | 'AWSPREVIOUS';

export function secretsExtensionCredentials(options: SecretCredentialsOptions): VersionedCredentials {
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const now = options.now ?? Date.now;
  const port = options.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? '2773';
  const pause = options.sleep ?? sleep;

  const load = async (stage: Stage, timeoutMs: number, refresh: boolean): Promise<Credentials> => {
    // AWSCURRENT is the extension's default: no versionStage, the URL every reader of the secret uses.
    const version = stage === 'AWSCURRENT' ? '' : `&versionStage=${stage}`;
    // Past the extension's own cache too, where it knows how (refreshNow): a rotation is seen at once.
    const url = `http://localhost:${port}/secretsmanager/get?secretId=${encodeURIComponent(options.secretId)}${version}${refresh ? '&refreshNow=true' : ''}`;
    const response = await (options.fetch ?? fetch)(url, {
      headers: { 'X-Aws-Parameters-Secrets-Token': options.env.AWS_SESSION_TOKEN ?? '' },
      signal: AbortSignal.timeout(Math.max(1, timeoutMs)),
    }).catch(() => undefined);
    if (!response) throw unavailable('the secrets extension did not answer');
    if (!response.ok) {
      // Only the name of a known refusal is kept from the answer, never its text.
      const text = await response.text().catch(() => '');
      const refusal = PERMANENT_REFUSALS.find(([name]) => text.includes(name));
      if (refusal) throw invalid(`${refusal[1]} (${refusal[0]}, HTTP ${response.status})`);
      if (response.status === 404) throw invalid(`the secret was not found (HTTP 404)`);
      throw unavailable(`the secrets extension answered HTTP ${response.status}`);
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (typeof body !== 'object' || body === null) throw unavailable('the secrets extension answered something that is not JSON');
    const secretString = (body as { SecretString?: unknown }).SecretString;
    if (typeof secretString !== 'string') throw invalid('the secret has no SecretString (a binary secret?); store JSON {ak, sk[, security_token]}');
    let json: unknown;
    try {
      json = JSON.parse(secretString);
    } catch {
      throw invalid('the secret is not JSON; store JSON {ak, sk[, security_token]}');
    }
    const parsed = v.safeParse(secretValue, json);
    // Never echo the secret's content: only which keys are wrong.
    if (!parsed.success) {
      const keys = [...new Set(parsed.issues.map((issue) => v.getDotPath(issue) ?? 'value'))].join(', ');
      throw invalid(`the secret must be JSON {ak, sk[, security_token]} with ${HEADER_SAFE_EXPECTED}; check ${keys}`);
    }
    const { ak, sk, security_token: securityToken } = parsed.output;
    return { ak, sk, ...(securityToken ? { securityToken } : {}) };
  };

  // Failures for now (the extension starting, Secrets Manager throttling) are read again, briefly. A
  // read asked for fresh (maxAgeMs 0: after a refused signature, was the key rotated?) is one read.
  const loadWithin = async (stage: Stage, freshness: Freshness): Promise<Credentials> => {
    const deadline = freshness.deadline ?? deadlineIn(DEFAULT_READ_BUDGET_MS);
    const refresh = freshness.maxAgeMs === 0;
    const attempts = refresh ? 1 : READ_ATTEMPTS;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await load(stage, Math.min(READ_TIMEOUT_MS, deadline.remainingMs()), refresh);
      } catch (error) {
        const wait = backoffCeiling(attempt, READ_BACKOFF);
        if (!(error instanceof CredentialsError) || !error.retryable || attempt >= attempts || wait + MIN_READ_MS > deadline.remainingMs()) throw error;
        await pause(wait);
      }
    }
  };

  const current = cachedRead((freshness) => loadWithin('AWSCURRENT', freshness), { ttlMs, now });
  // A secret never rotated has no AWSPREVIOUS, and an unusable old version signed nothing: both are
  // "none". Only an extension that does not answer stays an error (the caller cannot decide yet).
  const previous = cachedRead(
    (freshness) =>
      loadWithin('AWSPREVIOUS', freshness).catch((error: unknown) => {
        if (error instanceof CredentialsError && !error.retryable) return undefined;
        throw error;
      }),
    { ttlMs, now },
  );
  return { current, previous };
}

interface CacheOptions {
  readonly ttlMs: number;
  readonly now: () => number;
}

type Entry<T> =
  | { readonly kind: 'value'; readonly value: T; readonly at: number }
  | { readonly kind: 'error'; readonly error: CredentialsError; readonly at: number };

/**
 * One read at a time (its first reader's freshness and deadline rule it), its answer kept for the
 * TTL, an unusable secret kept briefly, a failure for now not kept. `maxAgeMs: 0` reads past both.
 */
function cachedRead<T>(load: (freshness: Freshness) => Promise<T>, options: CacheOptions): (freshness?: Freshness) => Promise<T> {
  let entry: Entry<T> | undefined;
  let pending: Promise<T> | undefined;
  return async (freshness = {}) => {
    if (entry) {
      const age = options.now() - entry.at;
      const maxAgeMs = freshness.maxAgeMs ?? Infinity;
      if (entry.kind === 'value' && age < Math.min(options.ttlMs, maxAgeMs)) return entry.value;
      if (entry.kind === 'error' && age < Math.min(PERMANENT_FAILURE_TTL_MS, maxAgeMs)) throw entry.error;
    }
    pending ??= load(freshness)
      .then(
        (value) => {
          entry = { kind: 'value', value, at: options.now() };
          return value;
        },
        (error: unknown) => {
          // What failed for now is read again by the next reader; what is wrong stays wrong a while.
          if (error instanceof CredentialsError && !error.retryable) entry = { kind: 'error', error, at: options.now() };
          throw error;
        },
      )
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}

function unavailable(message: string): CredentialsError {
  // Retryable: the extension may still be starting, or Secrets Manager may be throttling.
  return new CredentialsError(CREDENTIALS_UNAVAILABLE, `HUAWEICLOUD_CREDENTIALS_SECRET: ${message}`);
}

function invalid(message: string): CredentialsError {
  // Not retryable: only an operator can fix the secret.
  return new CredentialsError(CREDENTIALS_INVALID, `HUAWEICLOUD_CREDENTIALS_SECRET: ${message}`);
}
