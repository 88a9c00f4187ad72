// Unit tests of shared/secret-credentials.ts: Huawei credentials read from Secrets Manager through
// the AWS Parameters and Secrets Lambda Extension. fetch and the clock are injected.
import { describe, expect, it } from 'vitest';
import { CredentialsError, secretsExtensionCredentials as extensionCredentials } from '../../shared/credentials/index.ts';
import { HuaweiApiError } from '../../shared/huawei/index.ts';
import type { SecretCredentialsOptions } from '../../shared/credentials/secrets-extension.ts';
import { deadlineIn } from '../../shared/runtime/index.ts';
import { manualClock } from '../support/clock.ts';

/** The waits between reads, recorded instead of slept. */
let waits: number[] = [];
const secretsExtensionCredentials = (options: SecretCredentialsOptions) =>
  extensionCredentials({
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...options,
  });

const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN';
const SECRET_ID = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:huawei/creds+v1-AbCdEf';
const AK = 'AKEXAMPLE0123456789';
const SK = 'SK-RECOGNISABLE-secret-value-0123456789';
const TOKEN = 'HUAWEI-SECURITY-TOKEN-RECOGNISABLE';

interface Call {
  readonly url: string;
  readonly headers: Headers;
}

type Answer = Response | (() => Response | Promise<Response>);

/** A fetch that records each call and answers from a list (the last answer repeats). */
function fakeFetch(...answers: Answer[]) {
  const calls: Call[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    calls.push({ url, headers: new Headers(init?.headers) });
    const answer = answers[Math.min(calls.length - 1, answers.length - 1)];
    if (answer === undefined) throw new Error('no answer prepared');
    // A Response body can be read once: clone so a repeated answer still works.
    return typeof answer === 'function' ? answer() : answer.clone();
  };
  return { fetch, calls };
}

function secretResponse(secret: unknown, init?: ResponseInit): Response {
  const secretString = typeof secret === 'string' ? secret : JSON.stringify(secret);
  return new Response(JSON.stringify({ Name: 'huawei/creds', SecretString: secretString, VersionId: 'v1' }), init);
}

const env = { AWS_SESSION_TOKEN: SESSION_TOKEN };

/** The AWSCURRENT reader: what the client signs calls with. */
const currentOf = (options: SecretCredentialsOptions) => secretsExtensionCredentials(options).current;

/** The error a provider call ends with (the provider type allows a synchronous answer too). */
async function rejection(answer: unknown): Promise<CredentialsError> {
  const error = await Promise.resolve(answer).then(
    () => undefined,
    (e: unknown) => e,
  );
  // The credentials' own error, never one that passes for Huawei's: Huawei said nothing.
  expect(error).toBeInstanceOf(CredentialsError);
  expect(error).not.toBeInstanceOf(HuaweiApiError);
  return error as CredentialsError;
}

function expectNoSecrets(error: CredentialsError, secrets: readonly string[]) {
  const visible = [error.message, error.errorMsg, JSON.stringify(error), String(error.stack)].join('\n');
  for (const secret of secrets) expect(visible).not.toContain(secret);
  expect(error.errorMsg).toMatch(/^HUAWEICLOUD_CREDENTIALS_SECRET: /);
}

/** Transient: the extension or Secrets Manager may answer soon. */
function expectUnavailable(error: CredentialsError, ...secrets: string[]) {
  expect(error.errorCode).toBe('CREDENTIALS_UNAVAILABLE');
  expect(error.retryable).toBe(true);
  expectNoSecrets(error, secrets);
}

/** Permanent: the secret is there but unusable until an operator fixes it. */
function expectInvalid(error: CredentialsError, ...secrets: string[]) {
  expect(error.errorCode).toBe('CREDENTIALS_INVALID');
  expect(error.retryable).toBe(false);
  expect(error.ambiguous).toBe(false);
  expectNoSecrets(error, secrets);
}

describe('secretsExtensionCredentials request', () => {
  it('asks the extension on localhost:2773 for the encoded secret id with the session token', async () => {
    const { fetch, calls } = fakeFetch(secretResponse({ ak: AK, sk: SK, security_token: TOKEN }));
    const provider = currentOf({ secretId: SECRET_ID, env, fetch });
    await provider();
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.url).toBe(`http://localhost:2773/secretsmanager/get?secretId=${encodeURIComponent(SECRET_ID)}`);
    // The id's ':', '/' and '+' must not be left raw ('+' would read as a space).
    expect(call?.url).toContain('secretId=arn%3Aaws%3Asecretsmanager%3Aeu-west-1%3A123456789012%3Asecret%3Ahuawei%2Fcreds%2Bv1-AbCdEf');
    expect(new URL(call?.url ?? '').searchParams.get('secretId')).toBe(SECRET_ID);
    expect(call?.headers.get('X-Aws-Parameters-Secrets-Token')).toBe(SESSION_TOKEN);
  });

  it('uses PARAMETERS_SECRETS_EXTENSION_HTTP_PORT when it is set', async () => {
    const { fetch, calls } = fakeFetch(secretResponse({ ak: AK, sk: SK }));
    const provider = currentOf({
      secretId: 'huawei-creds',
      env: { ...env, PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: '2999' },
      fetch,
    });
    await provider();
    expect(calls[0]?.url).toBe('http://localhost:2999/secretsmanager/get?secretId=huawei-creds');
    expect(calls[0]?.headers.get('x-aws-parameters-secrets-token')).toBe(SESSION_TOKEN);
  });
});

describe('secretsExtensionCredentials mapping', () => {
  it('maps {ak, sk, security_token} to {ak, sk, securityToken}', async () => {
    const { fetch } = fakeFetch(secretResponse({ ak: AK, sk: SK, security_token: TOKEN }));
    const provider = currentOf({ secretId: SECRET_ID, env, fetch });
    await expect(provider()).resolves.toEqual({ ak: AK, sk: SK, securityToken: TOKEN });
  });

  it('leaves securityToken out when the secret has none', async () => {
    const { fetch } = fakeFetch(secretResponse({ ak: AK, sk: SK }));
    const provider = currentOf({ secretId: SECRET_ID, env, fetch });
    const credentials = await provider();
    expect(credentials).toEqual({ ak: AK, sk: SK });
    expect(credentials.securityToken).toBeUndefined();
  });
});

describe('secretsExtensionCredentials cache', () => {
  it('answers from the cache until the TTL has passed, then reads the secret again', async () => {
    const clock = manualClock();
    const rotatedSk = 'SK-ROTATED-0123456789';
    const { fetch, calls } = fakeFetch(secretResponse({ ak: AK, sk: SK }), secretResponse({ ak: AK, sk: rotatedSk }));
    const provider = currentOf({ secretId: SECRET_ID, env, ttlMs: 60_000, fetch, now: clock.now });

    await expect(provider()).resolves.toEqual({ ak: AK, sk: SK });
    clock.advance(30_000);
    await expect(provider()).resolves.toEqual({ ak: AK, sk: SK });
    clock.advance(29_999);
    await expect(provider()).resolves.toEqual({ ak: AK, sk: SK });
    expect(calls).toHaveLength(1);

    clock.advance(2);
    await expect(provider()).resolves.toEqual({ ak: AK, sk: rotatedSk });
    expect(calls).toHaveLength(2);

    // The new value is cached for a full TTL again.
    clock.advance(59_000);
    await expect(provider()).resolves.toEqual({ ak: AK, sk: rotatedSk });
    expect(calls).toHaveLength(2);
  });

  it('uses a default TTL of some minutes (not re-reading on every call)', async () => {
    const clock = manualClock();
    const { fetch, calls } = fakeFetch(secretResponse({ ak: AK, sk: SK }));
    const provider = currentOf({ secretId: SECRET_ID, env, fetch, now: clock.now });
    await provider();
    clock.advance(60_000);
    await provider();
    expect(calls).toHaveLength(1);
    clock.advance(24 * 60 * 60 * 1000);
    await provider();
    expect(calls).toHaveLength(2);
  });

  it('shares one fetch between concurrent first calls', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { fetch, calls } = fakeFetch(async () => {
      await gate;
      return secretResponse({ ak: AK, sk: SK });
    });
    const provider = currentOf({ secretId: SECRET_ID, env, fetch });
    const first = provider();
    const second = provider();
    const third = provider();
    release();
    const answers = await Promise.all([first, second, third]);
    expect(calls).toHaveLength(1);
    for (const answer of answers) expect(answer).toEqual({ ak: AK, sk: SK });
  });

  it('reads again after a failure for now (the extension starting): 503 twice, then the secret, within one read', async () => {
    waits = [];
    const { fetch, calls } = fakeFetch(
      new Response('not ready', { status: 503 }),
      new Response('not ready', { status: 503 }),
      secretResponse({ ak: AK, sk: SK }),
    );
    const provider = currentOf({ secretId: SECRET_ID, env, fetch });
    await expect(provider({ deadline: deadlineIn(10_000) })).resolves.toEqual({ ak: AK, sk: SK });
    expect(calls).toHaveLength(3);
    expect(waits).toEqual([50, 100]);
  });

  it('reads at most 6 times, waiting 50, 100, 200, 400, 800 ms between, then gives up for now', async () => {
    waits = [];
    const { fetch, calls } = fakeFetch(new Response('not ready', { status: 503 }));
    const provider = currentOf({ secretId: SECRET_ID, env, fetch });
    expectUnavailable(await rejection(provider({ deadline: deadlineIn(60_000) })));
    expect(calls).toHaveLength(6);
    expect(waits).toEqual([50, 100, 200, 400, 800]);
  });

  it('never waits past the deadline: no read again when the wait would not leave time for it', async () => {
    waits = [];
    const { fetch, calls } = fakeFetch(new Response('not ready', { status: 503 }));
    const provider = currentOf({ secretId: SECRET_ID, env, fetch });
    expectUnavailable(await rejection(provider({ deadline: { remainingMs: () => 120 } })));
    expect(calls).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('does not remember a failure for now: the next reader asks the extension again', async () => {
    const clock = manualClock();
    const { fetch, calls } = fakeFetch(...Array.from({ length: 6 }, () => new Response('not ready', { status: 503 })), secretResponse({ ak: AK, sk: SK }));
    const provider = currentOf({ secretId: SECRET_ID, env, fetch, now: clock.now });
    expectUnavailable(await rejection(provider()));
    expect(calls).toHaveLength(6);
    await expect(provider()).resolves.toEqual({ ak: AK, sk: SK });
    expect(calls).toHaveLength(7);
  });

  it("reads once, past its cache and the extension's (refreshNow), when asked for a fresh value", async () => {
    waits = [];
    const rotated = { ak: 'AKROTATED0123456789', sk: 'SK-ROTATED-0123456789' };
    const { fetch, calls } = fakeFetch(secretResponse({ ak: AK, sk: SK }), secretResponse(rotated), new Response('not ready', { status: 503 }));
    const provider = currentOf({ secretId: SECRET_ID, env, fetch });
    await provider();
    await expect(provider({ maxAgeMs: 0 })).resolves.toEqual(rotated);
    expect(new URL(calls[1]?.url ?? '').searchParams.get('refreshNow')).toBe('true');
    expect(new URL(calls[0]?.url ?? '').searchParams.has('refreshNow')).toBe(false);
    // What it read is what everyone reads now.
    await expect(provider()).resolves.toEqual(rotated);
    expect(calls).toHaveLength(2);
    // One read only, even when it fails for now; the value before it stays.
    expectUnavailable(await rejection(provider({ maxAgeMs: 0 })));
    expect(calls).toHaveLength(3);
    expect(waits).toEqual([]);
    await expect(provider()).resolves.toEqual(rotated);
  });

  it('remembers an unusable secret for 60 s, then reads it again (an operator may have fixed it)', async () => {
    const clock = manualClock();
    const { fetch, calls } = fakeFetch(secretResponse({ ak: AK }), secretResponse({ ak: AK, sk: SK }));
    const provider = currentOf({ secretId: SECRET_ID, env, fetch, now: clock.now });
    expectInvalid(await rejection(provider()));
    clock.advance(59_999);
    expectInvalid(await rejection(provider()));
    expect(calls).toHaveLength(1);
    clock.advance(2);
    await expect(provider()).resolves.toEqual({ ak: AK, sk: SK });
    expect(calls).toHaveLength(2);
  });

  it('reads again sooner when asked for something fresher than the TTL', async () => {
    const clock = manualClock();
    const { fetch, calls } = fakeFetch(secretResponse({ ak: AK, sk: SK }), secretResponse({ ak: AK, sk: 'SK-ROTATED-0123456789' }));
    const provider = currentOf({ secretId: SECRET_ID, env, fetch, now: clock.now });
    await provider();
    clock.advance(30_000);
    await expect(provider({ maxAgeMs: 60_000 })).resolves.toEqual({ ak: AK, sk: SK });
    clock.advance(30_001);
    await expect(provider({ maxAgeMs: 60_000 })).resolves.toEqual({ ak: AK, sk: 'SK-ROTATED-0123456789' });
    expect(calls).toHaveLength(2);
  });
});

describe('secretsExtensionCredentials failures', () => {
  it.each([400, 403, 500, 503])('answers HTTP %i without a known refusal with a retryable CREDENTIALS_UNAVAILABLE', async (status) => {
    const { fetch } = fakeFetch(new Response('Rate exceeded', { status }));
    const provider = currentOf({ secretId: SECRET_ID, env, fetch });
    const error = await rejection(provider());
    expectUnavailable(error, SK, AK, SESSION_TOKEN);
    expect(error.message).toContain(String(status));
  });

  it.each<[string, number, string]>([
    ['ResourceNotFoundException', 400, "ResourceNotFoundException: Secrets Manager can't find the specified secret."],
    ['ResourceNotFoundException', 404, '{"__type":"ResourceNotFoundException","message":"Secrets Manager can\'t find the specified secret."}'],
    [
      'AccessDeniedException',
      400,
      'AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/x is not authorized to perform: secretsmanager:GetSecretValue',
    ],
    ['DecryptionFailure', 400, "DecryptionFailure: Secrets Manager can't decrypt the protected secret text using the provided KMS key."],
    ['InvalidRequestException', 400, "InvalidRequestException: You can't perform this operation on the secret because it was marked for deletion."],
  ])('answers %s (HTTP %i) with a permanent CREDENTIALS_INVALID naming it', async (name, status, body) => {
    const { fetch } = fakeFetch(new Response(body, { status }));
    const provider = currentOf({ secretId: SECRET_ID, env, fetch });
    const error = await rejection(provider());
    expectInvalid(error, SESSION_TOKEN, 'arn:aws:sts');
    expect(error.errorMsg).toContain(name);
  });

  it('answers a bare 404 as a secret that was not found', async () => {
    const { fetch } = fakeFetch(new Response('', { status: 404 }));
    const provider = currentOf({ secretId: SECRET_ID, env, fetch });
    const error = await rejection(provider());
    expectInvalid(error);
    expect(error.errorMsg).toContain('not found');
  });

  it('answers a fetch that fails (extension not listening) with CREDENTIALS_UNAVAILABLE', async () => {
    const { fetch } = fakeFetch(() => {
      throw new TypeError('fetch failed');
    });
    const provider = currentOf({ secretId: SECRET_ID, env, fetch });
    expectUnavailable(await rejection(provider()), SESSION_TOKEN);
  });

  it('answers an extension body that is not JSON with CREDENTIALS_UNAVAILABLE', async () => {
    const { fetch } = fakeFetch(new Response(`<html>${SK}</html>`));
    const provider = currentOf({ secretId: SECRET_ID, env, fetch });
    expectUnavailable(await rejection(provider()), SK);
  });

  it('answers a SecretString that is not JSON with CREDENTIALS_INVALID, without echoing it', async () => {
    // A truncated JSON secret: its sk must not leak through the parse error.
    const { fetch } = fakeFetch(secretResponse(`{"ak":"${AK}","sk":"${SK}"`));
    const provider = currentOf({ secretId: SECRET_ID, env, fetch });
    const error = await rejection(provider());
    expectInvalid(error, SK, AK);
    expect(error.errorMsg).toContain('not JSON');
  });

  it('answers a plain-text SecretString (the sk alone) without echoing it', async () => {
    const { fetch } = fakeFetch(secretResponse(SK));
    const provider = currentOf({ secretId: SECRET_ID, env, fetch });
    expectInvalid(await rejection(provider()), SK);
  });

  it('answers a secret with no SecretString (binary secret) with CREDENTIALS_INVALID', async () => {
    const { fetch } = fakeFetch(new Response(JSON.stringify({ Name: 'huawei/creds', SecretBinary: 'AAEC' })));
    const provider = currentOf({ secretId: SECRET_ID, env, fetch });
    const error = await rejection(provider());
    expectInvalid(error);
    expect(error.errorMsg).toContain('SecretString');
  });

  it('answers a secret missing sk with CREDENTIALS_INVALID naming sk but not the values', async () => {
    const { fetch } = fakeFetch(secretResponse({ ak: AK, security_token: TOKEN }));
    const provider = currentOf({ secretId: SECRET_ID, env, fetch });
    const error = await rejection(provider());
    expectInvalid(error, AK, TOKEN);
    expect(error.message).toContain('sk');
  });

  it.each<[string, unknown]>([
    ['ak empty', { ak: '', sk: SK }],
    ['ak a number', { ak: 12345, sk: SK }],
    ['keys misspelt', { access_key: AK, secret_key: SK }],
    ['sk wrapped in an object', { ak: AK, sk: { value: SK } }],
    ['an array', [AK, SK]],
    ['security_token not a string', { ak: AK, sk: SK, security_token: { value: SK } }],
  ])('answers a malformed secret (%s) with CREDENTIALS_INVALID, without the sk in the message', async (_name, secret) => {
    const { fetch } = fakeFetch(secretResponse(secret));
    const provider = currentOf({ secretId: SECRET_ID, env, fetch });
    expectInvalid(await rejection(provider()), SK, AK);
  });

  it.each<[string, Record<string, string>, string]>([
    ['a security token with a line break', { ak: AK, sk: SK, security_token: `${TOKEN}\nX-Injected: 1` }, 'security_token'],
    ['a security token with non-ASCII', { ak: AK, sk: SK, security_token: `${TOKEN}é` }, 'security_token'],
    ['an ak with a space', { ak: `${AK} 2`, sk: SK }, 'ak'],
    ['an sk with a carriage return', { ak: AK, sk: `${SK}\r` }, 'sk'],
  ])('answers %s (no header can carry it) with CREDENTIALS_INVALID naming the key', async (_name, secret, key) => {
    const { fetch } = fakeFetch(secretResponse(secret));
    const provider = currentOf({ secretId: SECRET_ID, env, fetch });
    const error = await rejection(provider());
    expectInvalid(error, SK, AK, TOKEN);
    expect(error.errorMsg).toMatch(new RegExp(`check ${key}$`));
  });
});

describe('secretsExtensionCredentials previous version (AWSPREVIOUS)', () => {
  it('asks for versionStage=AWSPREVIOUS and caches it apart from the current version', async () => {
    const oldSk = 'SK-BEFORE-ROTATION-0123456789';
    const { fetch, calls } = fakeFetch(
      (() => {
        let call = 0;
        return () => (call++ === 0 ? secretResponse({ ak: AK, sk: SK }) : secretResponse({ ak: AK, sk: oldSk }));
      })(),
    );
    const secret = secretsExtensionCredentials({ secretId: SECRET_ID, env, fetch });
    await expect(secret.current()).resolves.toEqual({ ak: AK, sk: SK });
    await expect(secret.previous()).resolves.toEqual({ ak: AK, sk: oldSk });
    await expect(secret.previous()).resolves.toEqual({ ak: AK, sk: oldSk });
    expect(calls.map((c) => new URL(c.url).searchParams.get('versionStage'))).toEqual([null, 'AWSPREVIOUS']);
    expect(new URL(calls[1]?.url ?? '').searchParams.get('secretId')).toBe(SECRET_ID);
  });

  it('is none when the secret was never rotated (or the old version is unusable)', async () => {
    for (const answer of [new Response('ResourceNotFoundException: no AWSPREVIOUS', { status: 400 }), secretResponse('not json')]) {
      const { fetch } = fakeFetch(answer);
      await expect(secretsExtensionCredentials({ secretId: SECRET_ID, env, fetch }).previous()).resolves.toBeUndefined();
    }
  });

  it('stays an error while the extension does not answer', async () => {
    const { fetch } = fakeFetch(new Response('busy', { status: 503 }));
    expectUnavailable(await rejection(secretsExtensionCredentials({ secretId: SECRET_ID, env, fetch }).previous()));
  });
});
