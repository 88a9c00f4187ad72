// Unit tests of shared/secret-credentials.ts: Huawei credentials read from Secrets Manager through
// the AWS Parameters and Secrets Lambda Extension. fetch and the clock are injected.
import { describe, expect, it } from 'vitest';
import { HuaweiApiError } from '../../shared/huawei/errors.ts';
import { secretsExtensionCredentials } from '../../shared/secret-credentials.ts';

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

function manualClock(start = 1_700_000_000_000) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

const env = { AWS_SESSION_TOKEN: SESSION_TOKEN };

/** The error a provider call ends with (the provider type allows a synchronous answer too). */
async function rejection(answer: unknown): Promise<HuaweiApiError> {
  const error = await Promise.resolve(answer).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HuaweiApiError);
  return error as HuaweiApiError;
}

function expectUnavailable(error: HuaweiApiError, ...secrets: string[]) {
  expect(error.errorCode).toBe('CREDENTIALS_UNAVAILABLE');
  expect(error.retryable).toBe(true);
  const visible = [error.message, error.errorMsg, JSON.stringify(error), String(error.stack)].join('\n');
  for (const secret of secrets) expect(visible).not.toContain(secret);
}

describe('secretsExtensionCredentials request', () => {
  it('asks the extension on localhost:2773 for the encoded secret id with the session token', async () => {
    const { fetch, calls } = fakeFetch(secretResponse({ ak: AK, sk: SK, security_token: TOKEN }));
    const provider = secretsExtensionCredentials({ secretId: SECRET_ID, env, fetch });
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
    const provider = secretsExtensionCredentials({
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
    const provider = secretsExtensionCredentials({ secretId: SECRET_ID, env, fetch });
    await expect(provider()).resolves.toEqual({ ak: AK, sk: SK, securityToken: TOKEN });
  });

  it('leaves securityToken out when the secret has none', async () => {
    const { fetch } = fakeFetch(secretResponse({ ak: AK, sk: SK }));
    const provider = secretsExtensionCredentials({ secretId: SECRET_ID, env, fetch });
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
    const provider = secretsExtensionCredentials({ secretId: SECRET_ID, env, ttlMs: 60_000, fetch, now: clock.now });

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
    const provider = secretsExtensionCredentials({ secretId: SECRET_ID, env, fetch, now: clock.now });
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
    const provider = secretsExtensionCredentials({ secretId: SECRET_ID, env, fetch });
    const first = provider();
    const second = provider();
    const third = provider();
    release();
    const answers = await Promise.all([first, second, third]);
    expect(calls).toHaveLength(1);
    for (const answer of answers) expect(answer).toEqual({ ak: AK, sk: SK });
  });

  it('does not cache a failure: the next call reads the secret again', async () => {
    const { fetch, calls } = fakeFetch(new Response('not ready', { status: 503 }), secretResponse({ ak: AK, sk: SK }));
    const provider = secretsExtensionCredentials({ secretId: SECRET_ID, env, fetch });
    expectUnavailable(await rejection(provider()));
    await expect(provider()).resolves.toEqual({ ak: AK, sk: SK });
    expect(calls).toHaveLength(2);
  });
});

describe('secretsExtensionCredentials failures', () => {
  it.each([400, 403, 404, 500, 503])('answers HTTP %i with a retryable CREDENTIALS_UNAVAILABLE', async (status) => {
    const { fetch } = fakeFetch(secretResponse({ ak: AK, sk: SK }, { status }));
    const provider = secretsExtensionCredentials({ secretId: SECRET_ID, env, fetch });
    const error = await rejection(provider());
    expectUnavailable(error, SK, AK, SESSION_TOKEN);
    expect(error.message).toContain(String(status));
  });

  it('answers a fetch that fails (extension not listening) with CREDENTIALS_UNAVAILABLE', async () => {
    const { fetch } = fakeFetch(() => {
      throw new TypeError('fetch failed');
    });
    const provider = secretsExtensionCredentials({ secretId: SECRET_ID, env, fetch });
    expectUnavailable(await rejection(provider()), SESSION_TOKEN);
  });

  it('answers an extension body that is not JSON with CREDENTIALS_UNAVAILABLE', async () => {
    const { fetch } = fakeFetch(new Response(`<html>${SK}</html>`));
    const provider = secretsExtensionCredentials({ secretId: SECRET_ID, env, fetch });
    expectUnavailable(await rejection(provider()), SK);
  });

  it('answers a SecretString that is not JSON without echoing it', async () => {
    // A truncated JSON secret: its sk must not leak through the parse error.
    const { fetch } = fakeFetch(secretResponse(`{"ak":"${AK}","sk":"${SK}"`));
    const provider = secretsExtensionCredentials({ secretId: SECRET_ID, env, fetch });
    expectUnavailable(await rejection(provider()), SK, AK);
  });

  it('answers a plain-text SecretString (the sk alone) without echoing it', async () => {
    const { fetch } = fakeFetch(secretResponse(SK));
    const provider = secretsExtensionCredentials({ secretId: SECRET_ID, env, fetch });
    expectUnavailable(await rejection(provider()), SK);
  });

  it('answers a secret with no SecretString (binary secret) with CREDENTIALS_UNAVAILABLE', async () => {
    const { fetch } = fakeFetch(new Response(JSON.stringify({ Name: 'huawei/creds', SecretBinary: 'AAEC' })));
    const provider = secretsExtensionCredentials({ secretId: SECRET_ID, env, fetch });
    expectUnavailable(await rejection(provider()));
  });

  it('answers a secret missing sk with CREDENTIALS_UNAVAILABLE naming sk but not the values', async () => {
    const { fetch } = fakeFetch(secretResponse({ ak: AK, security_token: TOKEN }));
    const provider = secretsExtensionCredentials({ secretId: SECRET_ID, env, fetch });
    const error = await rejection(provider());
    expectUnavailable(error, AK, TOKEN);
    expect(error.message).toContain('sk');
  });

  it.each<[string, unknown]>([
    ['ak empty', { ak: '', sk: SK }],
    ['ak a number', { ak: 12345, sk: SK }],
    ['keys misspelt', { access_key: AK, secret_key: SK }],
    ['sk wrapped in an object', { ak: AK, sk: { value: SK } }],
    ['an array', [AK, SK]],
    ['security_token not a string', { ak: AK, sk: SK, security_token: { value: SK } }],
  ])('answers a malformed secret (%s) without the sk in the message', async (_name, secret) => {
    const { fetch } = fakeFetch(secretResponse(secret));
    const provider = secretsExtensionCredentials({ secretId: SECRET_ID, env, fetch });
    expectUnavailable(await rejection(provider()), SK, AK);
  });
});
