// ky's transport (its `fetch` option): node:http(s) with keep-alive sockets. ky still builds, signs,
// times and retries every request; only the wire work changes hands, and the bodies travel beside the
// Fetch objects, not inside them: the request body comes as text (ky hands unknown options on to its
// fetch), and the answer's text is kept for the Response it belongs to (`transportedText`), because a
// Request or Response with a body makes a web stream to write, read back and cancel.
//
// This is the one place the client departs from ky as it comes, and what it buys is measured: in one
// `npm run bench` run (2026-12-07), ky over Node's own fetch (undici) took 1,103 µs of CPU per warm
// call against 761 µs here (1.39x against 0.95x the official SDK), and 67 against 61 ms to a cold
// start's first answer.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { TransportCode } from './errors.ts';

/** What ky hands the transport beside each Request (which carries no body). */
export interface TransportOptions {
  /** The request body, as sent and as signed. */
  readonly payload?: string | undefined;
}

export type HuaweiTransport = (request: Request, options: TransportOptions) => Promise<Response>;

// Huawei's answers are small JSON documents; anything this large is not one.
const MAX_BODY_BYTES = 4 * 1024 * 1024;
// Decodes as Response.text() does: UTF-8, a leading BOM dropped, bad bytes replaced.
const utf8 = new TextDecoder();

const httpAgent = new HttpAgent({ keepAlive: true });
let https: Promise<{ agent: HttpsAgent; request: typeof httpRequest }> | undefined;

// Loaded on the first https call only: TLS is for the real endpoints, not the local simulator.
function httpsTransport() {
  https ??= import('node:https').then(({ Agent, request }) => ({ agent: new Agent({ keepAlive: true }), request }));
  return https;
}

const answers = new WeakMap<Response, string>();

/** The answer's text, when this transport read it (its Response then has no body of its own). */
export function transportedText(response: Response): string | undefined {
  return answers.get(response);
}

/** ky recognises network failures by undici's shape: a TypeError 'fetch failed' with the cause. */
function networkError(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

export async function nodeTransport(request: Request, options: TransportOptions): Promise<Response> {
  const url = new URL(request.url);
  const body = options.payload === undefined ? undefined : Buffer.from(options.payload);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (body) headers['content-length'] = String(body.length);
  const transport = url.protocol === 'https:' ? await httpsTransport() : { agent: httpAgent, request: httpRequest };

  // An abort is ky's timeout: it must reach ky as the signal's reason, whenever it happens. Listened
  // to here rather than given to node:http, which would watch the request's end with several more.
  const { signal } = request;
  signal.throwIfAborted();
  return new Promise<Response>((resolve, reject) => {
    const fail = (error: unknown) => {
      signal.removeEventListener('abort', abort);
      reject(signal.aborted ? signal.reason : networkError(error));
    };
    const req = transport.request(url, { method: request.method, headers, agent: transport.agent }, (res) => {
      readBody(res).then((bytes) => {
        signal.removeEventListener('abort', abort);
        resolve(toResponse(res, bytes));
      }, fail);
    });
    const abort = () => req.destroy(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
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
    res.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
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
  // Repeated headers are joined by Headers itself, as fetch joins them.
  const headers = new Headers();
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  const response = new Response(null, { status: res.statusCode ?? 502, statusText: res.statusMessage ?? '', headers });
  answers.set(response, utf8.decode(bytes));
  return response;
}
