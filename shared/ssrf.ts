// The SSRF guard for callbacks: a caller names the URL, so without it the function could be made
// to POST into its own VPC, the instance metadata service or localhost.
import { BlockList, isIP } from 'node:net';
import { hostWithPort, isAllowedCallbackHost } from './callback-hosts.ts';

// IPv4 ranges that are not the public Internet (RFC 6890 special-purpose registry, abridged).
const IPV4_FORBIDDEN: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8], // "this network", 0.0.0.0 reaches the local host on Linux
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, incl. the metadata service 169.254.169.254
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, incl. broadcast
];

const IPV6_FORBIDDEN: readonly (readonly [string, number])[] = [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b:1::', 48], // local-use NAT64 (RFC 8215): translates into private networks
  ['100::', 64], // discard-only
  ['2001::', 23], // IETF protocol assignments, incl. Teredo
  ['2001:db8::', 32], // documentation
  ['3fff::', 20], // documentation (RFC 9637)
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated, still routed by some stacks)
  ['ff00::', 8], // multicast
];

function hex16(a: number, b: number): string {
  return ((a << 8) | b).toString(16);
}

function buildBlockList(): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of IPV4_FORBIDDEN) {
    list.addSubnet(network, prefix, 'ipv4');
    // BlockList already matches IPv4-mapped (::ffff:a.b.c.d) against IPv4 rules; the other
    // IPv6 forms that embed an IPv4 address need their own rules.
    const [a = 0, b = 0, c = 0, d = 0] = network.split('.').map(Number);
    list.addSubnet(`::${network}`, 96 + prefix, 'ipv6'); // IPv4-compatible (deprecated)
    list.addSubnet(`64:ff9b::${network}`, 96 + prefix, 'ipv6'); // NAT64 well-known prefix
    list.addSubnet(`2002:${hex16(a, b)}:${hex16(c, d)}::`, 16 + prefix, 'ipv6'); // 6to4
  }
  for (const [network, prefix] of IPV6_FORBIDDEN) list.addSubnet(network, prefix, 'ipv6');
  return list;
}

// Built on first use: a function that never calls back should not pay for it at cold start.
let forbidden: BlockList | undefined;

/** Whether an address is anything but a public unicast address. Unreadable input counts as forbidden. */
export function isForbiddenAddress(ip: string): boolean {
  const address = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  // A zone id (fe80::1%eth0) only means something on a local link; BlockList ignores it.
  if (address.includes('%')) return true;
  const family = isIP(address);
  if (family === 0) return true;
  forbidden ??= buildBlockList();
  return forbidden.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export type Resolve = (hostname: string) => Promise<string[]>;

/** Every address of a name, in the resolver's order (as the connection will see them). */
export const resolveAll: Resolve = async (hostname) => {
  const { lookup } = await import('node:dns/promises');
  return (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);
};

export type UrlCheck = { ok: true; addresses: string[] } | { ok: false; reason: string };

/**
 * Whether a callback URL may be called: https to a host whose every address is public, or any
 * http(s) URL whose host[:port] is in allowedHosts (then no address is checked and `addresses` is
 * empty). Reasons name the host and what was wrong, never credentials, paths or query strings.
 */
export async function checkCallbackUrl(url: URL, allowedHosts: readonly string[], resolve: Resolve = resolveAll): Promise<UrlCheck> {
  const host = hostWithPort(url);
  // Credentials in a URL end up in logs and proxies; the callback is signed instead.
  if (url.username || url.password) return { ok: false, reason: `callback URL for ${host} carries credentials (user:password@)` };
  const allowed = isAllowedCallbackHost(url, allowedHosts);
  if (url.protocol !== 'https:' && !(allowed && url.protocol === 'http:')) {
    return { ok: false, reason: `callback URL scheme ${url.protocol} is not allowed for ${host} (https only, http for CALLBACK_ALLOWED_HOSTS)` };
  }
  if (allowed) return { ok: true, addresses: [] };

  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (isIP(hostname) !== 0) {
    return isForbiddenAddress(hostname)
      ? { ok: false, reason: `callback host ${url.hostname} is a private, loopback, link-local or reserved address` }
      : { ok: true, addresses: [hostname] };
  }
  let addresses: string[];
  try {
    addresses = await resolve(hostname);
  } catch {
    return { ok: false, reason: `callback host ${hostname} could not be resolved` };
  }
  if (addresses.length === 0) return { ok: false, reason: `callback host ${hostname} has no address` };
  // One bad address is enough: the connection may pick any of them. The address itself is left
  // out of the reason, so a caller cannot use the refusal to read internal DNS.
  if (addresses.some(isForbiddenAddress)) {
    return { ok: false, reason: `callback host ${hostname} resolves to a private, loopback, link-local or reserved address` };
  }
  return { ok: true, addresses };
}
