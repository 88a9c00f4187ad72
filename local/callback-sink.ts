// Receives the functions' callbacks in the local stack: verifies each with the standardwebhooks
// library (not with project code), prints one readable line, and keeps them, raw, for GET /callbacks.
// Dev tooling only; never bundled into a function.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { writeJson } from './http-gateway.ts';

export interface ReceivedCallback {
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

export interface CallbackSinkOptions {
  /** The Standard Webhooks secret (whsec_...) the functions sign with. */
  secret: string | undefined;
  /** One line per callback; default stdout. */
  log?: (line: string) => void;
  /** Callbacks kept (oldest dropped first), default 10000. */
  limit?: number;
}

export interface CallbackSink {
  /** POST: verify, print, keep; 204 when verified, 400 when not. */
  receive(req: IncomingMessage, res: ServerResponse, body: Buffer): void;
  /** GET: the list as JSON, optionally filtered by ?type= and ?instance_id=. */
  list(req: IncomingMessage, res: ServerResponse): void;
  readonly received: readonly ReceivedCallback[];
}

interface Payload {
  type?: unknown;
  data?: { job_id?: unknown; instance_id?: unknown; error?: { code?: unknown } };
}

export function createCallbackSink(options: CallbackSinkOptions): CallbackSink {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const limit = options.limit ?? 10_000;
  const webhook = options.secret ? new Webhook(options.secret) : undefined;
  const received: ReceivedCallback[] = [];

  return {
    received,
    receive(req, res, raw) {
      const body = raw.toString('utf8');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headersDistinct)) if (value) headers[name] = value.join(', ');
      let verified = false;
      let verifyError: string | undefined;
      if (!webhook) {
        verifyError = 'no CALLBACK_SECRET to verify with';
      } else {
        try {
          webhook.verify(body, headers);
          verified = true;
        } catch (error) {
          verifyError = error instanceof Error ? error.message : String(error);
        }
      }
      const payload = parse(body);
      const type = typeof payload?.type === 'string' ? payload.type : null;
      received.push({
        received_at: new Date().toISOString(),
        type,
        verified,
        ...(verifyError ? { verify_error: verifyError } : {}),
        'webhook-id': headers['webhook-id'] ?? null,
        body,
        headers,
      });
      if (received.length > limit) received.splice(0, received.length - limit);

      const data = payload?.data;
      const field = (value: unknown) => (typeof value === 'string' && value ? value : '-');
      const error = typeof data?.error?.code === 'string' ? ` error=${data.error.code}` : '';
      log(
        `callback ${type ?? '(not a callback payload)'} job_id=${field(data?.job_id)} instance=${field(data?.instance_id)}${error} ` +
          (verified ? 'verified' : `NOT VERIFIED (${verifyError})`),
      );
      if (verified) {
        res.writeHead(204);
        res.end();
      } else {
        writeJson(res, 400, { error_code: 'INVALID_SIGNATURE', error_msg: `the callback did not verify: ${verifyError}` });
      }
    },
    list(req, res) {
      const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
      const type = query.get('type');
      const instanceId = query.get('instance_id');
      const selected = received.filter(
        (callback) => (!type || callback.type === type) && (!instanceId || parse(callback.body)?.data?.instance_id === instanceId),
      );
      writeJson(res, 200, selected);
    },
  };
}

function parse(body: string): Payload | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Payload) : undefined;
  } catch {
    return undefined;
  }
}
