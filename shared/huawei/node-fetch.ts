// ky's transport (its `fetch` option): the Fetch API over node:http(s) with keep-alive sockets.
// ky still builds, signs, times and retries every request; only the wire work changes hands. Node's
// own HTTP client costs about a fifth less CPU per call than undici's fetch, and a cold start need
// not set up undici's fetch machinery at all (measured by `npm run bench`).
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { TransportCode } from './errors.ts';

// Huawei's answers are small JSON documents; anything this large is not one.
const MAX_BODY_BYTES = 4 * 1024 * 1024;
// Statuses whose Response may not carry a body.
const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);

const httpAgent = new HttpAgent({ keepAlive: true });
let https: Promise<{ agent: HttpsAgent; request: typeof httpRequest }> | undefined;

// Loaded on the first https call only: TLS is for the real endpoints, not the local simulator.
function httpsTransport() {
  https ??= import('node:https').then(({ Agent, request }) => ({ agent: new Agent({ keepAlive: true }), request }));
  return https;
}

/** ky recognises network failures by undici's shape: a TypeError 'fetch failed' with the cause. */
function networkError(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

export async function nodeFetch(input: Request | string | URL, init?: RequestInit): Promise<Response> {
  const request = input instanceof Request ? input : new Request(input, init);
  const url = new URL(request.url);
  const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (body) headers['content-length'] = String(body.length);
  const transport = url.protocol === 'https:' ? await httpsTransport() : { agent: httpAgent, request: httpRequest };

  return new Promise<Response>((resolve, reject) => {
    // An abort is ky's timeout: it must reach ky as the signal's reason, whenever it happens.
    const fail = (error: unknown) => reject(request.signal.aborted ? request.signal.reason : networkError(error));
    const req = transport.request(url, { method: request.method, headers, agent: transport.agent, signal: request.signal }, (res) => {
      readBody(res).then((bytes) => resolve(toResponse(res, bytes)), fail);
    });
    req.on('error', fail);
    req.end(body);
  });
}

/** An error our callers describe by its code alone (errors.ts), never by its message. */
function transportError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

function readBody(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) res.destroy(transportError(TransportCode.answerTooLarge, `answer larger than ${MAX_BODY_BYTES} bytes`));
      else chunks.push(chunk);
    });
    res.on('end', () => resolve(Buffer.concat(chunks)));
    // The first of these settles the promise: our own size limit, or the connection closing before
    // the answer was complete (Node reports that as an ECONNRESET 'aborted', or only as a close).
    res.on('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === TransportCode.answerTooLarge ? error : transportError(TransportCode.answerIncomplete, 'connection closed mid-answer'));
    });
    res.on('close', () => {
      if (!res.complete) reject(transportError(TransportCode.answerIncomplete, 'connection closed mid-answer'));
    });
  });
}

function toResponse(res: IncomingMessage, bytes: Buffer): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const status = res.statusCode ?? 502;
  return new Response(NULL_BODY_STATUSES.has(status) ? null : bytes, { status, statusText: res.statusMessage ?? '', headers });
}
