// One ky instance for every call to Huawei Cloud: its hooks sign each attempt, retry what is safe to
// retry within the caller's deadline, and turn every failure into a HuaweiApiError.
import ky, { HTTPError, isHTTPError, isTimeoutError, type Options } from 'ky';
import * as v from 'valibot';
import { describeTransportFailure, errorFromResponse, HuaweiApiError, LocalErrorCode } from './errors.ts';
import { nodeTransport, transportedText, type HuaweiTransport, type TransportOptions } from './node-fetch.ts';
import { buildPath, canonicalQuery, signRequest, type Credentials } from './signer.ts';
import { backoffCeiling, DEFAULT_BACKOFF, retryAfterMs, type BackoffPolicy, type Deadline } from '../runtime/index.ts';
import { MetricName, noMetrics, type Metrics } from '../metrics/index.ts';

export type CredentialsProvider = () => Credentials | Promise<Credentials>;

export interface HuaweiClientOptions {
  readonly credentials: CredentialsProvider;
  /** Longest wait for one answer. */
  readonly attemptTimeoutMs?: number;
  /** Retries after the first attempt, for calls that may be retried. */
  readonly retryLimit?: number;
  readonly backoff?: BackoffPolicy;
  /** The transport under ky; default: node:http(s) with keep-alive (node-fetch.ts). */
  readonly transport?: HuaweiTransport;
  /** A Fetch API function under ky instead (tests): it gets each Request with its body. */
  readonly fetch?: typeof globalThis.fetch;
  readonly userAgent?: string;
  /** Where throttled and failed attempts are counted. */
  readonly metrics?: Metrics;
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

// Below this there is no point starting another attempt: it could not get an answer in time.
const MIN_ATTEMPT_MS = 250;

/** What the signing hook reads from each call's options (ky's `context`). */
interface CallContext {
  readonly projectId: string | undefined;
  readonly signedHeaders: Readonly<Record<string, string>> | undefined;
}

export function createHuaweiClient(options: HuaweiClientOptions): HuaweiClient {
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const retryLimit = options.retryLimit ?? 4;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 10_000;
  const metrics = options.metrics ?? noMetrics;
  const userAgent = options.userAgent ?? 'smart-connect-enabler';

  // Each attempt gets the headers Huawei's SDK signs (with host, X-Sdk-Date and X-Security-Token,
  // which the signer adds), the signature, then User-Agent, unsigned, as the SDK does. Set here
  // rather than given to ky: ky would merge them into new Headers twice for every call.
  // ky hands the hooks its options, the transport's and the call's context among them.
  const sign = async ({ request, options: sent }: { request: Request; options: object }): Promise<void> => {
    const { context, payload } = sent as TransportOptions & { context: CallContext };
    const signed = {
      'content-type': 'application/json',
      ...(context.projectId === undefined ? {} : { 'x-project-id': context.projectId }),
      ...context.signedHeaders,
    };
    const credentials = await options.credentials();
    const signing = signRequest({ method: request.method, url: new URL(request.url), headers: signed, body: payload }, credentials);
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

  return {
    async call(call) {
      const remaining = call.deadline.remainingMs();
      if (remaining < MIN_ATTEMPT_MS) {
        throw new HuaweiApiError({
          status: 0,
          errorCode: LocalErrorCode.deadline,
          errorMsg: 'no time left in this invocation to call Huawei Cloud',
          ambiguous: false,
        });
      }
      const query = call.query?.length ? `?${canonicalQuery(call.query)}` : '';
      const url = `${call.endpoint.replace(/\/+$/, '')}${buildPath(call.path)}${query}`;
      const retrying = call.retry === 'idempotent';
      const kyOptions: Options & TransportOptions = {
        ...shared,
        method: call.method,
        context: { projectId: call.projectId, signedHeaders: call.signedHeaders } satisfies CallContext,
        // Beside the Request, not in it (node-fetch.ts): ky hands it to the transport and the hooks.
        ...(call.body === undefined ? {} : { payload: JSON.stringify(call.body) }),
        timeout: Math.min(attemptTimeoutMs, remaining),
        // Bounds the whole call, waits included: no call outlives its deadline. A single attempt is
        // already bounded by its timeout.
        ...(retrying ? { totalTimeout: remaining } : {}),
        retry: !retrying ? 0 : {
          limit: retryLimit,
          methods: ['get', 'post'],
          statusCodes: [408, 429, 500, 502, 503, 504],
          afterStatusCodes: [429, 503],
          retryOnTimeout: true,
          jitter: true,
          delay: (attempt) => backoffCeiling(attempt, backoff),
          backoffLimit: backoff.capMs,
          maxRetryAfter: remaining,
          shouldRetry: ({ error, retryCount }) => shouldRetry(error, retryCount, call, backoff),
        },
      };
      let response: Response;
      try {
        response = await ky(url, kyOptions);
      } catch (error) {
        throw toHuaweiError(error);
      }
      const requestId = response.headers.get('x-request-id') ?? undefined;
      try {
        return { data: await readJson(response, call.response, requestId), requestId };
      } catch (error) {
        metrics.count(MetricName.huaweiFailures);
        throw error;
      }
    },
  };
}

// false stops retrying and surfaces the error at hand (its code and message are what the caller
// reports); undefined leaves the decision to ky's status, timeout and network-error rules.
function shouldRetry(error: Error, retryCount: number, call: HuaweiCall<v.GenericSchema>, backoff: BackoffPolicy): boolean | undefined {
  const huawei = toHuaweiError(error);
  if (!huawei.retryable) return false;
  const wait = isHTTPError(error)
    ? (retryAfterMs(error.response.headers.get('retry-after')) ?? backoffCeiling(retryCount, backoff))
    : backoffCeiling(retryCount, backoff);
  if (wait + MIN_ATTEMPT_MS > call.deadline.remainingMs()) return false;
  // DMS's "busy" codes are 400s, which ky would not retry by status. Everything else goes on to
  // ky's own rules, which honour Retry-After (a forced retry would not).
  return huawei.status >= 400 && huawei.status < 500 && !huawei.throttled ? true : undefined;
}

// Every attempt counted where its answer (or the lack of one) arrives, retried or not.
function countingAttempts(transport: HuaweiTransport, metrics: Metrics): HuaweiTransport {
  const answered = (response: Response): Response => {
    if (!response.ok) {
      const refusal = errorFromResponse(response.status, transportedText(response) ?? '', response.headers);
      if (refusal.throttled) metrics.count(MetricName.huaweiThrottled);
      else if (refusal.status >= 500 || refusal.status === 401 || refusal.status === 403) metrics.count(MetricName.huaweiFailures);
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

async function readJson<TSchema extends v.GenericSchema>(
  response: Response,
  schema: TSchema,
  requestId: string | undefined,
): Promise<v.InferOutput<TSchema>> {
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
  return new HuaweiApiError({ status, errorCode: LocalErrorCode.badResponse, errorMsg: message, requestId, ambiguous: true });
}

export function toHuaweiError(error: unknown): HuaweiApiError {
  if (error instanceof HuaweiApiError) return error;
  if (error instanceof HTTPError) {
    const body = transportedText(error.response) ?? (typeof error.data === 'string' ? error.data : error.data === undefined ? '' : JSON.stringify(error.data));
    return errorFromResponse(error.response.status, body, error.response.headers);
  }
  if (isTimeoutError(error)) {
    return new HuaweiApiError({ status: 0, errorCode: LocalErrorCode.timeout, errorMsg: 'Huawei Cloud did not answer in time' });
  }
  // ky's, undici's and Node's messages name the method and the URL: the message is made from codes.
  return new HuaweiApiError({ status: 0, errorCode: LocalErrorCode.network, errorMsg: describeTransportFailure(error) });
}
