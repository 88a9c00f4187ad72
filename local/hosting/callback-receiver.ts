// Receiving the functions' callbacks outside AWS: each POST kept raw (path, headers, body) with its
// payload type and whether its Standard Webhooks signature verifies, checked with the standardwebhooks
// library rather than with project code. The local stack's callback sink builds on the recorder;
// tests start a receiver of their own on loopback. Never bundled into a function.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedCallback {
  /** Path and query string the callback was posted to. */
  readonly path: string;
  readonly received_at: string;
  /** The payload's type (smart_connect.enable.accepted, ...); null when the body is not such JSON. */
  readonly type: string | null;
  readonly verified: boolean;
  /** Why the signature did not verify. */
  readonly verify_error?: string;
  readonly 'webhook-id': string | null;
  /** The body exactly as received: verify the signature over it. */
  readonly body: string;
  /** As received (lower-case names, repeated headers joined with ", "). */
  readonly headers: Record<string, string>;
}

/** A callback's payload, as far as it is one. */
export interface CallbackPayload {
  type?: unknown;
  data?: { job_id?: unknown; instance_id?: unknown; error?: { code?: unknown } };
}

export interface CallbackRecorderOptions {
  /** The Standard Webhooks secret (whsec_...) to verify with; none: nothing verifies. */
  secret?: string | undefined;
  /** Callbacks kept (oldest dropped first); default all. */
  limit?: number;
}

export interface CallbackRecorder {
  /** Keeps one callback, verified if it can be. */
  record(req: Pick<IncomingMessage, 'url' | 'headersDistinct'>, body: Buffer): ReceivedCallback;
  /** In arrival order. */
  readonly received: ReceivedCallback[];
  /** The first callback (already there or still to come) that matches; rejects after timeoutMs (default 10000). */
  waitFor(predicate: (callback: ReceivedCallback) => boolean, timeoutMs?: number): Promise<ReceivedCallback>;
}

export function createCallbackRecorder(options: CallbackRecorderOptions = {}): CallbackRecorder {
  const webhook = options.secret ? new Webhook(options.secret) : undefined;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const received: ReceivedCallback[] = [];
  return {
    received,
    record(req, raw) {
      const body = raw.toString('utf8');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headersDistinct)) if (value) headers[name] = value.join(', ');
      const verifyError = verify(webhook, body, headers);
      const type = callbackPayload(body)?.type;
      const callback: ReceivedCallback = {
        path: req.url ?? '/',
        received_at: new Date().toISOString(),
        type: typeof type === 'string' ? type : null,
        verified: verifyError === undefined,
        ...(verifyError ? { verify_error: verifyError } : {}),
        'webhook-id': headers['webhook-id'] ?? null,
        body,
        headers,
      };
      received.push(callback);
      if (received.length > limit) received.splice(0, received.length - limit);
      return callback;
    },
    async waitFor(predicate, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(predicate);
        if (found) return found;
        if (Date.now() >= until) throw new Error(`no matching callback arrived within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}

/** Why the signature does not verify; undefined when it does. */
function verify(webhook: Webhook | undefined, body: string, headers: Record<string, string>): string | undefined {
  if (!webhook) return 'no CALLBACK_SECRET to verify with';
  try {
    webhook.verify(body, headers);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The body as a callback payload; undefined when it is not a JSON object. */
export function callbackPayload(body: string): CallbackPayload | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as CallbackPayload) : undefined;
  } catch {
    return undefined;
  }
}

/** Standard Webhooks headers as the standardwebhooks library's verify() takes them. */
export function webhookHeaders(callback: Pick<ReceivedCallback, 'headers'>): Record<string, string> {
  const pick = (name: string) => callback.headers[name] ?? '';
  return { 'webhook-id': pick('webhook-id'), 'webhook-timestamp': pick('webhook-timestamp'), 'webhook-signature': pick('webhook-signature') };
}

export interface CallbackReceiver extends CallbackRecorder {
  readonly port: number;
  /** 127.0.0.1:<port>, as CALLBACK_ALLOWED_HOSTS takes it. */
  readonly host: string;
  url(path: string): string;
  /** Answer this status (and headers) to callbacks posted to `path` from now on (default 204). */
  answer(path: string, status: number, headers?: Record<string, string>): void;
  close(): Promise<void>;
}

/** A receiver of its own on 127.0.0.1, on a free port. */
export async function startCallbackReceiver(options: CallbackRecorderOptions = {}): Promise<CallbackReceiver> {
  const recorder = createCallbackRecorder(options);
  const answers = new Map<string, { status: number; headers: Record<string, string> }>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const { path } = recorder.record(req, Buffer.concat(chunks));
      const answer = answers.get(path);
      res.writeHead(answer?.status ?? 204, answer?.headers ?? {});
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    ...recorder,
    port,
    host: `127.0.0.1:${port}`,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    answer: (path, status, headers = {}) => void answers.set(path, { status, headers }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
