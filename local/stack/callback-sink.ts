// Receives the functions' callbacks in the local stack: local/hosting's recorder verifies each with
// the standardwebhooks library (not with project code) and keeps it raw for GET /callbacks; the sink
// prints one readable line and answers 204 when it verified, 400 when not. Dev tooling only; never
// bundled into a function.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { callbackPayload, createCallbackRecorder, type ReceivedCallback } from '../hosting/index.ts';
import { writeJson } from './json-response.ts';

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

export function createCallbackSink(options: CallbackSinkOptions): CallbackSink {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const recorder = createCallbackRecorder({ secret: options.secret, limit: options.limit ?? 10_000 });

  return {
    received: recorder.received,
    receive(req, res, raw) {
      const callback = recorder.record(req, raw);
      const data = callbackPayload(callback.body)?.data;
      const field = (value: unknown) => (typeof value === 'string' && value ? value : '-');
      const error = typeof data?.error?.code === 'string' ? ` error=${data.error.code}` : '';
      log(
        `callback ${callback.type ?? '(not a callback payload)'} job_id=${field(data?.job_id)} instance=${field(data?.instance_id)}${error} ` +
          (callback.verified ? 'verified' : `NOT VERIFIED (${callback.verify_error})`),
      );
      if (callback.verified) {
        res.writeHead(204);
        res.end();
      } else {
        writeJson(res, 400, { error_code: 'INVALID_SIGNATURE', error_msg: `the callback did not verify: ${callback.verify_error}` });
      }
    },
    list(req, res) {
      const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
      const type = query.get('type');
      const instanceId = query.get('instance_id');
      const selected = recorder.received.filter(
        (callback) => (!type || callback.type === type) && (!instanceId || callbackPayload(callback.body)?.data?.instance_id === instanceId),
      );
      // The fields README lists (every callback here came to /callbacks: no path).
      writeJson(
        res,
        200,
        selected.map(({ path: _path, ...listed }) => listed),
      );
    },
  };
}
