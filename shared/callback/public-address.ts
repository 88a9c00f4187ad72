// Which addresses a callback may reach: an allow-list, not a deny-list. Only global unicast passes:
// IPv4 outside every IANA special-purpose block (and multicast), IPv6 inside 2000::/3 outside its
// special-purpose blocks. Every other IPv6 form (IPv4-mapped, -compatible, -translated, NAT64,
// discard, ULA, link-local, multicast, anything yet unassigned) is refused without a rule of its own.
import { BlockList, isIP } from 'node:net';

type Block = readonly [network: string, prefix: number];

// IANA IPv4 Special-Purpose Address Registry, plus multicast (not unicast at all).
const IPV4_SPECIAL: readonly Block[] = [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches the local host on Linux
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, incl. the metadata service 169.254.169.254
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.31.196.0', 24], // AS112-v4
  ['192.52.193.0', 24], // AMT
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16],
  ['192.175.48.0', 24], // AS112 direct delegation
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, incl. broadcast
];

const IPV6_GLOBAL_UNICAST: Block = ['2000::', 3];

// IANA IPv6 Special-Purpose Address Registry, the blocks inside 2000::/3.
const IPV6_SPECIAL: readonly Block[] = [
  ['2001::', 23], // IETF protocol assignments: Teredo, ORCHID, AMT, benchmarking, ...
  ['2001:db8::', 32], // documentation
  ['2620:4f:8000::', 48], // AS112 direct delegation
  ['3fff::', 20], // documentation (RFC 9637)
];

const hex16 = (high: number, low: number): string => ((high << 8) | low).toString(16);

function buildLists(): { global: BlockList; special: BlockList } {
  const global = new BlockList();
  global.addSubnet(IPV6_GLOBAL_UNICAST[0], IPV6_GLOBAL_UNICAST[1], 'ipv6');
  const special = new BlockList();
  for (const [network, prefix] of IPV4_SPECIAL) {
    special.addSubnet(network, prefix, 'ipv4');
    // 6to4 (2002:V4::/48) routes to the IPv4 address it embeds: only a public one passes.
    const [a = 0, b = 0, c = 0, d = 0] = network.split('.').map(Number);
    special.addSubnet(`2002:${hex16(a, b)}:${hex16(c, d)}::`, 16 + prefix, 'ipv6');
  }
  for (const [network, prefix] of IPV6_SPECIAL) special.addSubnet(network, prefix, 'ipv6');
  return { global, special };
}

/** What an address that is not global unicast is called in refusals. */
export const NOT_PUBLIC = 'a private, loopback, link-local or reserved address';

// Built on first use: a function that never calls back should not pay for it at cold start.
let lists: ReturnType<typeof buildLists> | undefined;

/**
 * Whether an address is global unicast, so a callback may connect to it. Brackets are tolerated;
 * a zone id (fe80::1%eth0, meaningful on a local link only) or anything unreadable is refused.
 */
export function isPublicAddress(ip: string): boolean {
  const address = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  if (address.includes('%')) return false;
  const family = isIP(address);
  if (family === 0) return false;
  lists ??= buildLists();
  if (family === 4) return !lists.special.check(address, 'ipv4');
  // BlockList matches IPv4 rules against IPv4-mapped addresses; those are outside 2000::/3 anyway.
  return lists.global.check(address, 'ipv6') && !lists.special.check(address, 'ipv6');
}
