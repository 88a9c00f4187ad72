// One guarded POST: the socket resolves the host itself, within the time left, and refuses any
// address that is not global unicast (unless the host is allow-listed). The check before sending and
// the connection each resolve, and a name may answer differently the second time (rebinding).
import { isIP, type LookupFunction } from 'node:net';
import { LOOKUP_TIMEOUT, resolveWithin, type Resolve } from './lookup.ts';
import { isPublicAddress, NOT_PUBLIC } from './public-address.ts';
import type { CallbackDestination } from './destination.ts';
import { quote, type Deadline } from '../runtime/index.ts';

/** How one POST ended: it never rejects. */
export type Attempt =
  | { readonly kind: 'response'; readonly status: number; readonly retryAfter: string | undefined }
  /** The address was refused at connect time: nothing was sent. */
  | { readonly kind: 'refused'; readonly message: string }
  | { readonly kind: 'error'; readonly message: string };

/** One POST of a body to the transport's destination. */
export type Post = (headers: Record<string, string>, body: string, timeoutMs: number) => Promise<Attempt>;

// The socket error that tells a refused address from any other failure.
const ADDRESS_REFUSED = 'CALLBACK_ADDRESS_REFUSED';
// How long a response body may keep the socket open after its status has been read.
const DRAIN_MS = 1_000;

/**
 * POSTs to one destination, each socket resolving the host through the guarded lookup. A post never
 * rejects: every way it can end is an Attempt.
 */
export function guardedTransport(destination: CallbackDestination, resolve: Resolve, deadline: Deadline): Post {
  const lookup = guardedLookup(resolve, destination, deadline);
  const { url } = destination;
  return async (headers, body, timeoutMs) => {
    // Loaded on the first callback only (node:https brings TLS): most cold starts never need them.
    const requestFn = url.protocol === 'https:' ? (await import('node:https')).request : (await import('node:http')).request;
    return new Promise((done) => {
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const finish = (attempt: Attempt) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        done(attempt);
      };
      // node:http(s) never follows redirects; agent:false keeps no pooled socket whose address was
      // checked for an earlier request.
      const req = requestFn(url, { method: 'POST', headers, lookup, agent: false }, (res) => {
        // Only the status matters; drain the body, but do not let a slow one hold the socket.
        const drain = setTimeout(() => res.destroy(), DRAIN_MS).unref();
        res.on('close', () => clearTimeout(drain));
        res.resume();
        const retryAfter = res.headers['retry-after'];
        finish({ kind: 'response', status: res.statusCode ?? 0, retryAfter });
      });
      timer = setTimeout(() => {
        finish({ kind: 'error', message: `no answer within ${timeoutMs} ms` });
        req.destroy();
      }, timeoutMs);
      req.on('error', (error: NodeJS.ErrnoException) => {
        finish(error.code === ADDRESS_REFUSED ? { kind: 'refused', message: error.message } : { kind: 'error', message: describeError(error) });
      });
      req.end(body);
    });
  };
}

/** The socket's own lookup for a destination, bounded by the deadline. */
function guardedLookup(resolve: Resolve, destination: CallbackDestination, deadline: Deadline): LookupFunction {
  return (hostname, options, callback) => {
    const wanted = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : (options.family ?? 0);
    const fail = (code: string, message: string) => callback(Object.assign(new Error(message), { code }), '');
    const name = quote(hostname);
    resolveWithin(resolve, hostname, deadline.remainingMs()).then(
      (addresses) => {
        if (!destination.allowListed && !addresses.every(isPublicAddress)) {
          return fail(ADDRESS_REFUSED, `callback host ${name} resolved to ${NOT_PUBLIC} at connect time`);
        }
        const entries = addresses
          .map((address) => ({ address, family: isIP(address) }))
          .filter((entry) => entry.family !== 0 && (wanted === 0 || entry.family === wanted));
        const first = entries[0];
        if (!first) return fail('ENOTFOUND', `callback host ${name} has no usable address`);
        if (options.all) return callback(null, entries);
        return callback(null, first.address, first.family);
      },
      (error: unknown) => {
        // The resolver's own message repeats the name whole; ours quotes it.
        const code = (error as NodeJS.ErrnoException | undefined)?.code;
        if (code === LOOKUP_TIMEOUT) return fail(code, (error as Error).message);
        fail('ENOTFOUND', `callback host ${name} could not be resolved${code ? ` (${quote(code)})` : ''}`);
      },
    );
  };
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}
