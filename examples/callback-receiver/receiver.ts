// An HTTP request listener for the enabler's callbacks: read the raw body (bounded), verify it
// (webhook.ts), take each webhook-id once, answer 2xx at once, and only then process the event.
// Anything that does not verify is refused with a 4xx and never processed.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { createSeenIds, DEFAULT_TOLERANCE_SECONDS, secretKey, verifyWebhook, type SeenIds, type Verdict } from './webhook.ts';

/** A verified callback: `{type, timestamp, data}` as sent, with its webhook-id. */
export interface WebhookEvent {
  readonly id: string;
  /** smart_connect.enable.accepted | already_enabled | succeeded | failed | rejected, smart_connect.reconcile.completed */
  readonly type: string;
  readonly timestamp: unknown;
  /** A JobResult, or a fleet run's summary for smart_connect.reconcile.completed. */
  readonly data: unknown;
}

export interface ReceiverOptions {
  /**
   * The deployment's CALLBACK_SECRET: whsec_ followed by base64. While rotating it, give the old and
   * the new one: a message signed with either is taken.
   */
  readonly secret: string | readonly string[];
  /** Runs after the answer has gone, once per webhook-id. */
  readonly onEvent: (event: WebhookEvent) => void | Promise<void>;
  /** A processing failure (the sender was already answered 2xx). Default: one line on stderr. */
  readonly onError?: (error: unknown, event: WebhookEvent) => void;
  /** Told of every refused delivery (for logs and metrics); the reason never holds the body. */
  readonly onRefused?: (status: number, reason: string) => void;
  readonly seen?: SeenIds;
  readonly toleranceSeconds?: number;
  /** Larger bodies are refused with 413. Default 5 MiB (a fleet summary lists every matched instance). */
  readonly maxBodyBytes?: number;
  /** Milliseconds since the epoch; default Date.now. */
  readonly now?: () => number;
}

export function createReceiver(options: ReceiverOptions): RequestListener {
  const keys = (typeof options.secret === 'string' ? [options.secret] : options.secret).map(secretKey);
  if (keys.length === 0) throw new Error('the receiver needs a secret');
  const seen = options.seen ?? createSeenIds();
  const now = options.now ?? Date.now;
  const maxBodyBytes = options.maxBodyBytes ?? 5 * 1024 * 1024;
  const onError = options.onError ?? ((error: unknown, event: WebhookEvent) => process.stderr.write(`processing ${event.id} failed: ${String(error)}\n`));

  const refuse = (res: ServerResponse, status: number, reason: string) => {
    options.onRefused?.(status, reason);
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end(`${reason}\n`);
  };

  return (req, res) => {
    if (req.method !== 'POST') return refuse(res, 405, 'POST only');
    readBody(req, maxBodyBytes).then(
      (body) => {
        if (body === undefined) return refuse(res, 413, `body larger than ${maxBodyBytes} bytes`);
        const nowSeconds = Math.floor(now() / 1000);
        const toleranceSeconds = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
        const verdicts = keys.map((key) => verifyWebhook({ key, headers: req.headers, body, nowSeconds, toleranceSeconds }));
        const verdict: Verdict = verdicts.find((each) => each.ok) ?? verdicts[0] ?? { ok: false, reason: 'no secret' };
        if (!verdict.ok) return refuse(res, 401, verdict.reason);
        // Parsed only once the bytes are known to be the sender's.
        const event = eventOf(verdict.id, body);
        if (!event) return refuse(res, 400, 'the body is not a callback ({type, timestamp, data})');
        const first = seen.firstTime(event.id, now());
        // Answered before any work: the sender waits for this answer, and retries what it does not get.
        res.writeHead(204).end();
        if (first)
          setImmediate(
            () =>
              void Promise.resolve()
                .then(() => options.onEvent(event))
                .catch((error: unknown) => onError(error, event)),
          );
      },
      () => res.destroy(),
    );
  };
}

/** The raw body, or undefined as soon as it is larger than the limit. */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners('data');
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function eventOf(id: string, body: Buffer): WebhookEvent | undefined {
  let payload: unknown;
  try {
    payload = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  const { type, timestamp, data } = payload as Record<string, unknown>;
  return typeof type === 'string' ? { id, type, timestamp, data } : undefined;
}
