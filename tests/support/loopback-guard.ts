// A guard for tests that run code which could be talked into connecting somewhere (callbacks,
// SSRF attempts): every client socket may only reach loopback, and no name but localhost may be
// resolved. A regression then fails the test instead of reaching the network, the metadata
// service or a private range. The built bundles are covered too: they import node:net,
// node:dns and node:dns/promises as built-ins, whose shared exports are patched here (and
// synced into their ESM bindings).
import dns from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';
import net, { type LookupFunction } from 'node:net';

export const isLoopbackAddress = (address: string): boolean => {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  return /^127\./.test(bare) || bare === '::1' || /^::ffff:127\./i.test(bare) || /^::ffff:7f[0-9a-f]{2}:/i.test(bare);
};

export interface LoopbackGuard {
  /** Every host a client socket asked for, in order (loopback or not). */
  readonly connects: string[];
  /** Hosts (or resolved addresses) refused: must stay empty in a passing test. */
  readonly refused: string[];
  /** Names some code tried to resolve (other than localhost), all refused. */
  readonly lookups: string[];
  restore(): void;
}

type Connect = (this: net.Socket, ...args: unknown[]) => net.Socket;
type LookupAll = (hostname: string, options?: unknown) => Promise<unknown>;

function loopbackOnlyLookup(inner: LookupFunction, refused: string[]): LookupFunction {
  return (hostname, options, callback) =>
    inner(hostname, options, (err, address, family) => {
      if (err) return callback(err, address, family);
      const addresses = typeof address === 'string' ? [address] : address.map((entry) => entry.address);
      const bad = addresses.filter((a) => !isLoopbackAddress(a));
      if (bad.length) {
        refused.push(`${hostname} -> ${bad.join(',')}`);
        return callback(new Error(`loopback guard: ${hostname} resolved to ${bad.join(',')}, not loopback`), '');
      }
      return callback(null, address, family);
    });
}

export function installLoopbackGuard(): LoopbackGuard {
  const connects: string[] = [];
  const refused: string[] = [];
  const lookups: string[] = [];

  const socketProto = net.Socket.prototype as unknown as { connect: Connect };
  const originalConnect = socketProto.connect;
  socketProto.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    // net.connect passes its normalised [options, callback] array; tls.connect passes options.
    const first = args[0];
    const options = (Array.isArray(first) ? first[0] : first) as (net.TcpNetConnectOpts & { path?: unknown }) | undefined;
    // node:http hands its request options over whole, with `path: null`: only a string path is a
    // local (IPC) socket.
    if (options && typeof options === 'object' && typeof options.path !== 'string') {
      const host = options.host ?? 'localhost';
      connects.push(host);
      if (net.isIP(host) !== 0 && !isLoopbackAddress(host)) {
        refused.push(host);
        throw new Error(`loopback guard: refusing to connect to ${host}`);
      }
      options.lookup = loopbackOnlyLookup(options.lookup ?? (dns.lookup as LookupFunction), refused);
    }
    return originalConnect.apply(this, args);
  };

  // Name resolution: only localhost, whichever API asks.
  const originalLookup = dns.lookup;
  const originalPromisesLookup = dns.promises.lookup;
  const allowedName = (hostname: string) => hostname === 'localhost' || net.isIP(hostname) !== 0;
  const guardedLookup = function (this: unknown, hostname: string, ...rest: unknown[]) {
    if (!allowedName(hostname)) {
      lookups.push(hostname);
      const callback = rest.at(-1);
      const error = Object.assign(new Error(`loopback guard: no name may be resolved (${hostname})`), { code: 'ENOTFOUND' });
      if (typeof callback === 'function') process.nextTick(() => (callback as (e: Error) => void)(error));
      return undefined;
    }
    return (originalLookup as unknown as (...a: unknown[]) => unknown).call(this, hostname, ...rest);
  };
  const guardedPromisesLookup: LookupAll = async (hostname, options) => {
    if (!allowedName(hostname)) {
      lookups.push(hostname);
      throw Object.assign(new Error(`loopback guard: no name may be resolved (${hostname})`), { code: 'ENOTFOUND' });
    }
    return (originalPromisesLookup as unknown as LookupAll)(hostname, options);
  };
  (dns as unknown as { lookup: unknown }).lookup = guardedLookup;
  (dns.promises as unknown as { lookup: unknown }).lookup = guardedPromisesLookup;
  syncBuiltinESMExports();

  return {
    connects,
    refused,
    lookups,
    restore() {
      socketProto.connect = originalConnect;
      (dns as unknown as { lookup: unknown }).lookup = originalLookup;
      (dns.promises as unknown as { lookup: unknown }).lookup = originalPromisesLookup;
      syncBuiltinESMExports();
    },
  };
}
