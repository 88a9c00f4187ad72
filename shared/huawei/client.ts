// One ky instance for every call to Huawei Cloud: each call first takes its turn at the credentials
// gate (credentials-gate.ts: no call with a key Huawei just refused), its hooks sign each attempt, it
// retries what is safe to retry within the caller's deadline, as the retry policy says
// (retry-policy.ts), and every failure of the call itself becomes a HuaweiApiError (credentials that
// cannot be read fail as the provider threw: a CredentialsError). A refused signature is never sent
// again as it was: the credentials are read once more, fresh, and only a rotated key is tried
// (once); otherwise the key cools down.
import ky, { HTTPError, isHTTPError, isTimeoutError, type Options } from 'ky';
import * as v from 'valibot';
import { createCredentialsGate, type CredentialsGate, type GatePass } from './credentials-gate.ts';
import { describeTransportFailure, errorFromResponse, HuaweiApiError } from './errors.ts';
import { nodeTransport, transportedText, type HuaweiTransport, type TransportOptions } from './node-fetch.ts';
import { HUAWEI_RETRY_POLICY, type HuaweiRetryPolicy } from './retry-policy.ts';
import { buildPath, canonicalQuery, signRequest, type Credentials } from './signer.ts';
import { BAD_RESPONSE, DEADLINE_EXCEEDED, NETWORK_ERROR, UPSTREAM_TIMEOUT } from '../errors/index.ts';
import { backoffCeiling, retryAfterMs, type Deadline } from '../runtime/index.ts';
import { MetricName, noMetrics, type Metrics } from '../metrics/index.ts';

export interface CredentialsRead {
  /** Past any cache: read the source again (after a refused signature: was the key rotated?). */
  readonly fresh?: boolean;
  /** The caller's budget: a source that answers late (the secrets extension starting) is retried within it. */
  readonly deadline?: Deadline;
}

export type CredentialsProvider = (read?: CredentialsRead) => Credentials | Promise<Credentials>;

export interface HuaweiClientOptions {
  readonly credentials: CredentialsProvider;
  /** Longest wait for one answer. */
  readonly attemptTimeoutMs?: number;
  /** How calls that may be repeated are retried; default HUAWEI_RETRY_POLICY (the deployment's: functions/wiring.ts). */
  readonly retry?: HuaweiRetryPolicy;
  /** The transport under ky; default: node:http(s) with keep-alive (node-fetch.ts). */
  readonly transport?: HuaweiTransport;
  /** A Fetch API function under ky instead (tests): it gets each Request with its body. */
  readonly fetch?: typeof globalThis.fetch;
  readonly userAgent?: string;
  /** Where throttled and failed attempts are counted. */
  readonly metrics?: Metrics;
  /** Shared by every client signing with these credentials (DMS, IAM); default: one of its own. */
  readonly gate?: CredentialsGate;
}

/**
 * How a call may be retried here. `idempotent`: on 429, 5xx, timeouts and network errors. `never`:
 * one attempt; the caller decides (a POST must never be repeated blindly, so the use case looks at
 * the instance first, or waits out throttling itself).
 */
export type RetryMode = 'idempotent' | 'never';

export interface HuaweiCall<TSchema extends v.GenericSchema> {
  readonly method: 'GET' | 'POST';
  readonly endpoint: string;
  /** Raw path segments; encoded here exactly as the signer encodes them. */
  readonly path: readonly string[];
  readonly query?: ReadonlyArray<readonly [string, string]>;
  /** Sent as X-Project-Id, signed; IAM calls name no project. */
  readonly projectId?: string;
  /** Further headers sent and signed, added before signing as the SDK adds X-Domain-Id for IAM. */
  readonly signedHeaders?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly response: TSchema;
  readonly deadline: Deadline;
  readonly retry: RetryMode;
}

export interface HuaweiAnswer<T> {
  readonly data: T;
  readonly requestId: string | undefined;
}

export interface HuaweiClient {
  call<TSchema extends v.GenericSchema>(call: HuaweiCall<TSchema>): Promise<HuaweiAnswer<v.InferOutput<TSchema>>>;
}

/** What the signing hook reads from each call's options (ky's `context`). */
interface CallContext {
  readonly projectId: string | undefined;
  readonly signedHeaders: Readonly<Record<string, string>> | undefined;
  /** What the call was admitted with at the gate: every attempt is signed with them. */
  readonly credentials: Credentials;
}

// A refusal whose answer is dated this far from our clock was most likely about the date.
const CLOCK_SKEW_NOTE_MS = 5 * 60_000;

export function createHuaweiClient(options: HuaweiClientOptions): HuaweiClient {
  const policy = options.retry ?? HUAWEI_RETRY_POLICY;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 10_000;
  const metrics = options.metrics ?? noMetrics;
  const userAgent = options.userAgent ?? 'smart-connect-enabler';
  const gate = options.gate ?? createCredentialsGate();

  // Each attempt gets the headers Huawei's SDK signs (with host, X-Sdk-Date and X-Security-Token,
  // which the signer adds), the signature, then User-Agent, unsigned, as the SDK does. ky hands the
  // hooks its options, the transport's and the call's context among them.
  const sign = ({ request, options: sent }: { request: Request; options: object }): void => {
    const { context, payload } = sent as TransportOptions & { context: CallContext };
    // A retry does not go once another call with the key was refused meanwhile.
    gate.check(context.credentials.ak);
    const signed = {
      'content-type': 'application/json',
      ...(context.projectId === undefined ? {} : { 'x-project-id': context.projectId }),
      ...context.signedHeaders,
    };
    const signing = signRequest({ method: request.method, url: new URL(request.url), headers: signed, body: payload }, context.credentials);
    for (const [name, value] of Object.entries({ ...signed, ...signing, 'user-agent': userAgent })) request.headers.set(name, value);
  };

  // What every call shares, given to ky whole with each call's own: an instance's defaults would be
  // merged into every call's options anew.
  const shared = {
    fetch: countingAttempts(options.fetch ? fetchTransport(options.fetch) : (options.transport ?? nodeTransport), metrics) as typeof globalThis.fetch,
    hooks: {
      // Each attempt is signed afresh, so a retry late in a long budget never carries a stale date.
      beforeRequest: [sign],
      beforeRetry: [sign],
      beforeError: [({ error }: { error: Error }) => toHuaweiError(error)],
    },
  } satisfies Options;

  // The credentials to send with (`first`, else the provider's), once the gate lets a call with them
  // go (or says why not).
  const admitted = async (call: HuaweiCall<v.GenericSchema>, first?: Credentials): Promise<{ credentials: Credentials; pass: GatePass }> => {
    for (let next = first; ; next = undefined) {
      if (call.deadline.remainingMs() < policy.minAttemptMs) throw noTimeLeft();
      const credentials = next ?? (await options.credentials({ deadline: call.deadline }));
      const turn = gate.turn(credentials.ak, call.method);
      if (turn.kind === 'go') return { credentials, pass: turn.pass };
      await untilOrDeadline(turn.until, call.deadline, policy.minAttemptMs);
    }
  };

  // A refusal with a rotated secret behind it is worth one more call, with the new key: the key read
  // again fresh (the provider skips its caches), when it is not the one refused.
  const rotatedSince = async (used: Credentials, deadline: Deadline): Promise<Credentials | undefined> => {
    const fresh = await (async () => options.credentials({ fresh: true, deadline }))().catch(() => undefined);
    const changed = fresh !== undefined && (fresh.ak !== used.ak || fresh.sk !== used.sk || fresh.securityToken !== used.securityToken);
    return changed ? fresh : undefined;
  };

  // `rotatedTo`: the second and last call, with the key that replaced a refused one.
  const send = async (call: HuaweiCall<v.GenericSchema>, url: string, rotatedTo?: Credentials): Promise<HuaweiAnswer<unknown>> => {
    const { credentials, pass } = await admitted(call, rotatedTo);
    const remaining = call.deadline.remainingMs();
    const retrying = call.retry === 'idempotent';
    const kyOptions: Options & TransportOptions = {
      ...shared,
      method: call.method,
      context: { projectId: call.projectId, signedHeaders: call.signedHeaders, credentials } satisfies CallContext,
      // Beside the Request, not in it (node-fetch.ts): ky hands it to the transport and the hooks.
      ...(call.body === undefined ? {} : { payload: JSON.stringify(call.body) }),
      timeout: Math.min(attemptTimeoutMs, remaining),
      // Bounds the whole call, waits included: no call outlives its deadline. A single attempt is
      // already bounded by its timeout.
      ...(retrying ? { totalTimeout: remaining } : {}),
      retry: !retrying
        ? 0
        : {
            limit: policy.callRetries,
            methods: ['get', 'post'],
            statusCodes: [...policy.retriedStatuses],
            afterStatusCodes: [...policy.retryAfterStatuses],
            retryOnTimeout: true,
            jitter: policy.jitter,
            delay: (attempt) => backoffCeiling(attempt, policy.backoff),
            backoffLimit: policy.backoff.capMs,
            maxRetryAfter: remaining,
            shouldRetry: ({ error, retryCount }) => shouldRetry(error, retryCount, call, policy),
          },
    };
    let response: Response;
    try {
      response = await ky(url, kyOptions);
    } catch (error) {
      const huawei = toHuaweiError(error);
      if (!huawei.signatureRefused) {
        // Any answer from Huawei shows the signature passed its gateway; no answer shows nothing.
        if (huawei.status > 0) pass.answered();
        else pass.unanswered();
        throw huawei;
      }
      // A refused call did nothing: with a rotated key it may go once more, else the key cools down.
      const rotated = rotatedTo ? undefined : await rotatedSince(credentials, call.deadline);
      if (!rotated) throw pass.refused(refusalReason(huawei), huawei.requestId);
      // The refused key is not sent again, unless its AK goes on with the new SK (the next call's turn).
      if (rotated.ak !== credentials.ak) pass.refused(refusalReason(huawei), huawei.requestId);
      else pass.unanswered();
      return send(call, url, rotated);
    }
    pass.answered();
    const requestId = response.headers.get('x-request-id') ?? undefined;
    try {
      return { data: await readJson(response, call.response, requestId), requestId };
    } catch (error) {
      metrics.count(MetricName.huaweiFailures);
      throw error;
    }
  };

  return {
    async call(call) {
      const query = call.query?.length ? `?${canonicalQuery(call.query)}` : '';
      const url = `${call.endpoint.replace(/\/+$/, '')}${buildPath(call.path)}${query}`;
      return (await send(call, url)) as HuaweiAnswer<v.InferOutput<typeof call.response>>;
    },
  };
}

function noTimeLeft(): HuaweiApiError {
  return new HuaweiApiError({
    status: 0,
    errorCode: DEADLINE_EXCEEDED,
    errorMsg: 'no time left in this invocation to call Huawei Cloud',
    ambiguous: false,
  });
}

/** Resolves when `until` does, or when only the time for one attempt is left. */
async function untilOrDeadline(until: Promise<void>, deadline: Deadline, minAttemptMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, deadline.remainingMs() - minAttemptMs));
  });
  try {
    await Promise.race([until, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Why the key cools down: Huawei's words, and the clock when the answer's date says it is off. */
function refusalReason(refusal: HuaweiApiError): string {
  const skew = refusal.clockSkewMs;
  const clock =
    skew !== undefined && Math.abs(skew) > CLOCK_SKEW_NOTE_MS
      ? `; clock skew: Huawei Cloud's clock is ${Math.round(Math.abs(skew) / 1000)} s ${skew > 0 ? 'ahead of' : 'behind'} ours`
      : '';
  return `Huawei Cloud refused the signature (${refusal.errorCode}: ${refusal.errorMsg})${clock}`;
}

// false stops retrying and surfaces the error at hand (its code and message are what the caller
// reports); undefined leaves the decision to ky's status, timeout and network-error rules.
function shouldRetry(error: Error, retryCount: number, call: HuaweiCall<v.GenericSchema>, policy: HuaweiRetryPolicy): boolean | undefined {
  const huawei = toHuaweiError(error);
  if (!huawei.retryable) return false;
  const wait = isHTTPError(error)
    ? (retryAfterMs(error.response.headers.get('retry-after')) ?? backoffCeiling(retryCount, policy.backoff))
    : backoffCeiling(retryCount, policy.backoff);
  if (wait + policy.minAttemptMs > call.deadline.remainingMs()) return false;
  // DMS's "busy" codes are 400s, which ky would not retry by status. Everything else goes on to
  // ky's own rules, which honour Retry-After (a forced retry would not).
  return huawei.status >= 400 && huawei.status < 500 && policy.retriedCodes.includes(huawei.errorCode) ? true : undefined;
}

// Every attempt counted where its answer (or the lack of one) arrives, retried or not.
function countingAttempts(transport: HuaweiTransport, metrics: Metrics): HuaweiTransport {
  const answered = (response: Response): Response => {
    if (!response.ok) {
      const refusal = errorFromResponse(response.status, transportedText(response) ?? '', response.headers);
      if (refusal.throttled) metrics.count(MetricName.huaweiThrottled);
      else if (refusal.status >= 500 || refusal.status === 401 || refusal.status === 403) metrics.count(MetricName.huaweiFailures);
      // Once per refused signature, retried or not: the alarm on these says a key is near its lock-out.
      if (refusal.signatureRefused) metrics.count(MetricName.huaweiAuthFailures);
    }
    return response;
  };
  const failed = (error: unknown): never => {
    metrics.count(MetricName.huaweiFailures);
    throw error;
  };
  return (request, sent) => transport(request, sent).then(answered, failed);
}

/** A Fetch API function as a transport: the body goes back into the Request. */
function fetchTransport(fetch: typeof globalThis.fetch): HuaweiTransport {
  return (request, { payload }) => fetch(payload === undefined ? request : new Request(request, { body: payload }));
}

async function readJson<TSchema extends v.GenericSchema>(response: Response, schema: TSchema, requestId: string | undefined): Promise<v.InferOutput<TSchema>> {
  const text = transportedText(response) ?? (await response.text());
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    throw badResponse(response.status, 'the answer is not JSON', requestId);
  }
  const parsed = v.safeParse(schema, json);
  if (!parsed.success) throw badResponse(response.status, `unexpected answer: ${v.summarize(parsed.issues)}`, requestId);
  return parsed.output;
}

// A 2xx we cannot read may still have done what was asked: the caller must check, not repeat.
function badResponse(status: number, message: string, requestId: string | undefined): HuaweiApiError {
  return new HuaweiApiError({ status, errorCode: BAD_RESPONSE, errorMsg: message, requestId, ambiguous: true });
}

export function toHuaweiError(error: unknown): HuaweiApiError {
  if (error instanceof HuaweiApiError) return error;
  if (error instanceof HTTPError) {
    const body = transportedText(error.response) ?? (typeof error.data === 'string' ? error.data : error.data === undefined ? '' : JSON.stringify(error.data));
    return errorFromResponse(error.response.status, body, error.response.headers);
  }
  if (isTimeoutError(error)) {
    return new HuaweiApiError({ status: 0, errorCode: UPSTREAM_TIMEOUT, errorMsg: 'Huawei Cloud did not answer in time' });
  }
  // ky's, undici's and Node's messages name the method and the URL: the message is made from codes.
  return new HuaweiApiError({ status: 0, errorCode: NETWORK_ERROR, errorMsg: describeTransportFailure(error) });
}
