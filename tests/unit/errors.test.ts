// Unit tests of shared/huawei/errors.ts against shared/HUAWEI-DMS.md ("Errors") and DESIGN.md
// ("Semantics"): what is retried, and how Huawei's error answers are read.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { huaweiRetryPolicy, createHuaweiClient, HuaweiApiError, errorFromResponse, gatewayCode, isRetryable } from '../../shared/huawei/index.ts';
import { deadlineIn } from '../../shared/runtime/index.ts';

describe('isRetryable', () => {
  it.each<[string, number, string, boolean]>([
    // 401: more than 5 signature failures lock the AK/SK, so never.
    ['401 without a code', 401, '', false],
    ['401 APIG.0301', 401, 'APIG.0301', false],
    ['401 APIGW.0301', 401, 'APIGW.0301', false],
    ['401 even with a throttling code', 401, 'APIG.0308', false],
    ['APIG.0301 on a 429', 429, 'APIG.0301', false],
    ['APIGW.0301 on a 503', 503, 'APIGW.0301', false],
    ['APIG.0301 with no answer status', 0, 'APIG.0301', false],
    ['APIGW.0301 on a 400', 400, 'APIGW.0301', false],
    // Throttling.
    ['429 without a code', 429, '', true],
    ['429 APIG.0308', 429, 'APIG.0308', true],
    ['429 APIGW.0308', 429, 'APIGW.0308', true],
    ['APIG.0308 on another status', 400, 'APIG.0308', true],
    ['APIGW.0308 on another status', 403, 'APIGW.0308', true],
    // Server side and no answer.
    ['500', 500, 'DMS.00500000', true],
    ['502 without a code', 502, 'HTTP_502', true],
    ['503', 503, '', true],
    ['504', 504, 'APIG.0202', true],
    ['no answer (status 0)', 0, 'TIMEOUT', true],
    ['no answer, network error', 0, 'NETWORK_ERROR', true],
    // Transient DMS states.
    ['400 DMS.00400026 (another operation in progress)', 400, 'DMS.00400026', true],
    ['400 DMS.00400017 (background task running)', 400, 'DMS.00400017', true],
    // Permanent.
    ['400 another DMS code', 400, 'DMS.00400001', false],
    ['400 without a code', 400, 'HTTP_400', false],
    ['400 a near miss of a transient code', 400, 'DMS.004000260', false],
    ['403', 403, 'DMS.00403000', false],
    ['404', 404, 'DMS.00404022', false],
    ['404 without a code', 404, '', false],
    ['409', 409, 'DMS.00409000', false],
    ['APIG.1308 is not APIG.0308', 400, 'APIG.1308', false],
    ['XAPIG.0308 is not a gateway code', 400, 'XAPIG.0308', false],
    // Ours after a 401: nothing is sent while the key cools down, and the work comes back later.
    ['CREDENTIALS_REJECTED', 0, 'CREDENTIALS_REJECTED', true],
  ])('%s -> %s', (_label, status, code, expected) => {
    expect(isRetryable(status, code)).toBe(expected);
  });
});

describe('gatewayCode', () => {
  it.each([
    ['APIG.0301', '0301'],
    ['APIGW.0301', '0301'],
    ['APIG.0308', '0308'],
    ['APIGW.0308', '0308'],
    ['DMS.00400026', undefined],
    ['APIG.030', undefined],
    ['', undefined],
  ])('%j -> %j', (code, expected) => {
    expect(gatewayCode(code)).toBe(expected);
  });
});

describe('errorFromResponse', () => {
  it("keeps Huawei's error_code and error_msg and reads X-Request-Id", () => {
    const error = errorFromResponse(
      400,
      JSON.stringify({ error_code: 'DMS.00400026', error_msg: 'This operation is not allowed due to the instance status.' }),
      new Headers({ 'X-Request-Id': 'req-header-1' }),
    );
    expect(error).toBeInstanceOf(HuaweiApiError);
    expect(error).toBeInstanceOf(Error);
    expect(error.status).toBe(400);
    expect(error.errorCode).toBe('DMS.00400026');
    expect(error.errorMsg).toBe('This operation is not allowed due to the instance status.');
    expect(error.requestId).toBe('req-header-1');
    expect(error.retryable).toBe(true);
    expect(error.ambiguous).toBe(false);
    expect(error.message).toContain('DMS.00400026');
    expect(error.message).toContain('HTTP 400');
  });

  it("reads how far a refused signature's Date is from our clock (only for a refusal of the signature)", () => {
    const body = JSON.stringify({ error_code: 'APIG.0301', error_msg: 'Incorrect IAM authentication information' });
    const date = new Date(Date.now() - 10 * 60_000).toUTCString();
    const refused = errorFromResponse(401, body, new Headers({ date }));
    expect(refused.signatureRefused).toBe(true);
    expect(refused.clockSkewMs).toBeLessThanOrEqual(-600_000);
    expect(refused.clockSkewMs).toBeGreaterThan(-602_000);
    expect(errorFromResponse(401, body, new Headers()).clockSkewMs).toBeUndefined();
    expect(errorFromResponse(401, body, new Headers({ date: 'not a date' })).clockSkewMs).toBeUndefined();
    const busy = errorFromResponse(503, JSON.stringify({ error_code: 'APIG.0202', error_msg: 'Backend unavailable' }), new Headers({ date }));
    expect(busy.signatureRefused).toBe(false);
    expect(busy.clockSkewMs).toBeUndefined();
  });

  it('reads request_id from a gateway error body when there is no header', () => {
    const error = errorFromResponse(
      401,
      JSON.stringify({ error_msg: 'Incorrect IAM authentication information', error_code: 'APIGW.0301', request_id: 'req-body-2' }),
      new Headers(),
    );
    expect(error.errorCode).toBe('APIGW.0301');
    expect(error.errorMsg).toBe('Incorrect IAM authentication information');
    expect(error.requestId).toBe('req-body-2');
    expect(error.retryable).toBe(false);
  });

  it('prefers the X-Request-Id header over the body', () => {
    const error = errorFromResponse(
      429,
      JSON.stringify({ error_code: 'APIG.0308', error_msg: 'The throttling threshold has been reached', request_id: 'from-body' }),
      new Headers({ 'x-request-id': 'from-header' }),
    );
    expect(error.requestId).toBe('from-header');
    expect(error.retryable).toBe(true);
  });

  it('has no request id when neither says one', () => {
    const error = errorFromResponse(404, JSON.stringify({ error_code: 'DMS.00404022', error_msg: 'Instance not found' }), new Headers());
    expect(error.requestId).toBeUndefined();
    expect(error.retryable).toBe(false);
  });

  it('reads a nested {error: {code, message}} body', () => {
    const error = errorFromResponse(403, JSON.stringify({ error: { code: 'IAM.0001', message: 'No permission' } }), new Headers({ 'X-Request-Id': 'r-3' }));
    expect(error.errorCode).toBe('IAM.0001');
    expect(error.errorMsg).toBe('No permission');
    expect(error.requestId).toBe('r-3');
  });

  it("reads IAM's Keystone body, whose code is the HTTP status as a number, as HTTP_<status>", () => {
    const error = errorFromResponse(
      401,
      JSON.stringify({ error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } }),
      new Headers({ 'X-Request-Id': 'r-4' }),
    );
    expect(error.errorCode).toBe('HTTP_401');
    expect(error.errorMsg).toBe('The request you have made requires authentication.');
    expect(error.requestId).toBe('r-4');
    expect(error.retryable).toBe(false);
  });

  it('keeps a code whose message is missing, with an empty message', () => {
    const error = errorFromResponse(400, JSON.stringify({ error_code: 'DMS.00400001' }), new Headers());
    expect(error.errorCode).toBe('DMS.00400001');
    expect(error.errorMsg).toBe('');
  });

  it('reads a non-JSON body as the message, under an HTTP_<status> code', () => {
    const error = errorFromResponse(502, '  <html><body>Bad Gateway</body></html>\n', new Headers());
    expect(error.errorCode).toBe('HTTP_502');
    expect(error.errorMsg).toBe('<html><body>Bad Gateway</body></html>');
    expect(error.retryable).toBe(true);
    expect(error.ambiguous).toBe(true);
  });

  // Cutting before redaction is what let part of an echoed token through: the text is kept whole up
  // to a bound well above any token, and is redacted, then cut short, where it leaves.
  it('keeps a non-JSON body whole up to 16 KB, so that an echoed token can be found whole', () => {
    const token = randomBytes(1_500).toString('base64');
    const page = `<html><body><h1>502 Bad Gateway</h1><pre>x-security-token: ${token}</pre></body></html>`;
    const error = errorFromResponse(502, page, new Headers({ 'content-type': 'text/html' }));
    expect(error.errorCode).toBe('HTTP_502');
    expect(error.errorMsg).toContain(token);
  });

  it('bounds a long body, error_code and request id at 16 KB', () => {
    const huge = 'x'.repeat(100_000);
    const plain = errorFromResponse(500, huge, new Headers({ 'x-request-id': huge }));
    expect(plain.errorMsg.length).toBeLessThanOrEqual(16 * 1024 + 1);
    expect(plain.errorMsg.startsWith('x'.repeat(16 * 1024))).toBe(true);
    expect(plain.requestId?.length).toBeLessThanOrEqual(16 * 1024 + 1);
    const json = errorFromResponse(400, JSON.stringify({ error_code: huge, error_msg: huge, request_id: huge }), new Headers());
    for (const value of [json.errorCode, json.errorMsg, json.requestId ?? '']) expect(value.length).toBeLessThanOrEqual(16 * 1024 + 1);
  });

  it('treats JSON without an error code like an unreadable body', () => {
    const error = errorFromResponse(400, '{"message":"odd"}', new Headers());
    expect(error.errorCode).toBe('HTTP_400');
    expect(error.errorMsg).toBe('{"message":"odd"}');
  });

  it.each([[''], ['   '], ['\n']])('says there was no body for %j', (body) => {
    const error = errorFromResponse(503, body, new Headers({ 'X-Request-Id': 'r-4' }));
    expect(error.errorCode).toBe('HTTP_503');
    expect(error.errorMsg).toBe('HTTP 503 with no error body');
    expect(error.requestId).toBe('r-4');
    expect(error.retryable).toBe(true);
  });

  it.each([['null'], ['42'], ['"text"'], ['[1,2]']])('does not crash on the JSON value %s', (body) => {
    const error = errorFromResponse(400, body, new Headers());
    expect(error.errorCode).toBe('HTTP_400');
    expect(error.errorMsg).toBe(body);
  });
});

describe('HuaweiApiError', () => {
  it.each<[number, boolean]>([
    [0, true],
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [400, false],
    [401, false],
    [404, false],
    [429, false],
  ])('status %i is ambiguous: %s', (status, expected) => {
    expect(new HuaweiApiError({ status, errorCode: 'X', errorMsg: 'y' }).ambiguous).toBe(expected);
  });

  it('takes an explicit ambiguous flag over the status', () => {
    expect(new HuaweiApiError({ status: 0, errorCode: 'TIMEOUT', errorMsg: 'y', ambiguous: false }).ambiguous).toBe(false);
    expect(new HuaweiApiError({ status: 400, errorCode: 'X', errorMsg: 'y', ambiguous: true }).ambiguous).toBe(true);
  });

  it('omits the HTTP status from the message when no answer arrived', () => {
    const error = new HuaweiApiError({ status: 0, errorCode: 'TIMEOUT', errorMsg: 'no answer in 10 s' });
    expect(error.message).toBe('TIMEOUT: no answer in 10 s');
    expect(error.name).toBe('HuaweiApiError');
  });

  it('serialises to snake_case JSON', () => {
    const error = new HuaweiApiError({ status: 429, errorCode: 'APIG.0308', errorMsg: 'throttled', requestId: 'r-5' });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      status: 429,
      error_code: 'APIG.0308',
      error_msg: 'throttled',
      request_id: 'r-5',
      retryable: true,
    });
  });
});

// Transport failures say what happened, never where: ky's, undici's and Node's own messages carry
// the method, the URL (a private endpoint's host, port and path) and its query.
describe('a call that gets no answer', () => {
  const ENDPOINT = 'http://private-endpoint.corp.example:8443/secret-prefix';
  const WHERE = /private-endpoint|corp\.example|8443|secret-prefix|https?:|\/v2\/|\?|POST|GET/;

  const failing = (error: unknown) =>
    createHuaweiClient({
      credentials: () => ({ ak: 'AK0000000000000000001', sk: 'sk-unit-0000000000000000000001' }),
      retry: huaweiRetryPolicy({ callRetries: 0 }),
      fetch: async (input) => {
        // What undici and node:http put in their messages: the address they tried.
        void input;
        throw error;
      },
    });

  async function failureOf(error: unknown): Promise<HuaweiApiError> {
    const call = failing(error).call({
      method: 'POST',
      endpoint: ENDPOINT,
      path: ['v2', '0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'instances', '3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'connector'],
      query: [['token', 'query-secret-value']],
      projectId: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
      body: { node_cnt: '2' },
      response: v.object({}),
      deadline: deadlineIn(5_000),
      retry: 'never',
    });
    const failure = await call.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    if (!(failure instanceof HuaweiApiError)) throw new Error(`expected a HuaweiApiError, got ${String(failure)}`);
    return failure;
  }

  const socketError = (code: string) =>
    new TypeError('fetch failed', {
      cause: Object.assign(new Error(`${code}: request to ${ENDPOINT}/v2/x?token=query-secret-value failed, 10.1.2.3:8443`), { code }),
    });

  it.each([
    ['ECONNREFUSED', /refused/],
    ['ECONNRESET', /reset/],
    ['EPIPE', /reset/],
    ['ENOTFOUND', /name could not be resolved/],
    ['EAI_AGAIN', /name could not be resolved/],
    ['ETIMEDOUT', /timed out/],
    ['EHOSTUNREACH', /could not be reached/],
    ['ENETUNREACH', /could not be reached/],
    ['UND_ERR_SOCKET', /closed/],
    ['ERR_ANSWER_TOO_LARGE', /answer (was )?too large/],
    ['ERR_ANSWER_INCOMPLETE', /closed before the answer was complete/],
    ['CERT_HAS_EXPIRED', /TLS/],
    ['ERR_TLS_CERT_ALTNAME_INVALID', /TLS/],
    ['ESOMETHINGNEW', /failed before an answer arrived/],
  ])('%s: says what happened without the URL, host or query', async (code, said) => {
    const error = await failureOf(socketError(code));
    expect(error.errorCode).toBe('NETWORK_ERROR');
    expect(error.status).toBe(0);
    expect(error.retryable).toBe(true);
    expect(error.errorMsg).toMatch(said);
    expect(error.errorMsg).not.toMatch(WHERE);
    expect(error.message).not.toMatch(WHERE);
    expect(JSON.stringify(error)).not.toMatch(WHERE);
  });

  it.each([
    ['an error without a code', new TypeError('fetch failed', { cause: new Error(`socket hang up ${ENDPOINT}`) })],
    ['an error that is not a network error', new Error(`Failed to parse URL from ${ENDPOINT}/v2?token=query-secret-value`)],
    ['a code that is not a code', new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: `${ENDPOINT}/v2` }) })],
    ['something that is not an Error', `${ENDPOINT}/v2?token=query-secret-value`],
  ])('%s: a fixed description, no URL', async (_name, thrown) => {
    const error = await failureOf(thrown);
    expect(error.status).toBe(0);
    expect(error.errorMsg).not.toMatch(WHERE);
    expect(error.message).not.toMatch(WHERE);
  });

  it('an attempt Huawei does not answer in time is UPSTREAM_TIMEOUT, never a job timeout', async () => {
    const client = createHuaweiClient({
      credentials: () => ({ ak: 'AK0000000000000000001', sk: 'sk-unit-0000000000000000000001' }),
      attemptTimeoutMs: 100,
      // Answers only when ky gives up on it.
      fetch: (input) => new Promise((_resolve, reject) => (input as Request).signal.addEventListener('abort', () => reject((input as Request).signal.reason))),
    });
    const call = client.call({
      method: 'POST',
      endpoint: ENDPOINT,
      path: ['v2', 'x'],
      body: {},
      response: v.object({}),
      deadline: deadlineIn(5_000),
      retry: 'never',
    });
    const failure = await call.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(failure).toBeInstanceOf(HuaweiApiError);
    expect(failure).toMatchObject({ errorCode: 'UPSTREAM_TIMEOUT', status: 0, retryable: true, errorMsg: 'Huawei Cloud did not answer in time' });
  });
});
