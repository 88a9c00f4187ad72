// fast-check arbitraries for IP addresses and the many ways of writing them, for SSRF properties.
// The private (non-global) blocks are written out here from the IANA special-purpose registries,
// not taken from the code under test; public addresses come from ranges no such block touches.
import fc from 'fast-check';

// ---- IPv4: a number, written any way WHATWG URL reads it -------------------------------------------

type V4Block = readonly [a: number, b: number, c: number, d: number, prefix: number];

/** IANA IPv4 Special-Purpose Address Registry, plus multicast. */
export const IPV4_NOT_GLOBAL: readonly V4Block[] = [
  [0, 0, 0, 0, 8],
  [10, 0, 0, 0, 8],
  [100, 64, 0, 0, 10],
  [127, 0, 0, 0, 8],
  [169, 254, 0, 0, 16],
  [172, 16, 0, 0, 12],
  [192, 0, 0, 0, 24],
  [192, 0, 2, 0, 24],
  [192, 31, 196, 0, 24],
  [192, 52, 193, 0, 24],
  [192, 88, 99, 0, 24],
  [192, 168, 0, 0, 16],
  [192, 175, 48, 0, 24],
  [198, 18, 0, 0, 15],
  [198, 51, 100, 0, 24],
  [203, 0, 113, 0, 24],
  [224, 0, 0, 0, 4],
  [240, 0, 0, 0, 4],
];

const v4 = (a: number, b: number, c: number, d: number) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

function inV4Block([a, b, c, d, prefix]: V4Block): fc.Arbitrary<number> {
  const size = 2 ** (32 - prefix);
  return fc.integer({ min: 0, max: size - 1 }).map((host) => v4(a, b, c, d) + host);
}

export const privateIpv4: fc.Arbitrary<number> = fc.oneof(...IPV4_NOT_GLOBAL.map(inV4Block));

// First octets outside every block above (0, 10, 100, 127, 169, 172, 192, 198, 203, 224-255).
const PUBLIC_FIRST_OCTETS = Array.from({ length: 223 }, (_, i) => i + 1).filter((n) => ![10, 100, 127, 169, 172, 192, 198, 203].includes(n));
export const publicIpv4: fc.Arbitrary<number> = fc
  .tuple(fc.constantFrom(...PUBLIC_FIRST_OCTETS), fc.integer({ min: 0, max: 2 ** 24 - 1 }))
  .map(([first, rest]) => first * 2 ** 24 + rest);

export const dottedQuad = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

const radix = fc.constantFrom('dec', 'oct', 'hex', 'HEX');
function part(value: number, how: string): string {
  if (how === 'oct') return `0${value.toString(8)}`;
  if (how === 'hex') return `0x${value.toString(16)}`;
  if (how === 'HEX') return `0X${value.toString(16).toUpperCase()}`;
  return String(value);
}

/** The host of a URL for an IPv4 address: 1 to 4 parts, each decimal, octal or hex, maybe a trailing dot. */
export function ipv4Notation(n: number): fc.Arbitrary<string> {
  return fc.tuple(fc.integer({ min: 1, max: 4 }), fc.array(radix, { minLength: 4, maxLength: 4 }), fc.boolean()).map(([parts, radices, dot]) => {
    const bytes = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
    const leading = bytes.slice(0, parts - 1);
    // The last part carries every byte left, as one number.
    const last = bytes.slice(parts - 1).reduce((sum, byte) => sum * 256 + byte, 0);
    const text = [...leading, last].map((value, i) => part(value, radices[i] ?? 'dec')).join('.');
    return dot ? `${text}.` : text;
  });
}

// ---- IPv6: eight groups, written compressed, expanded, padded, in either case, with an IPv4 tail ----

export type Groups = readonly number[];

const g16 = fc.integer({ min: 0, max: 0xffff });
const groupsOf = (head: readonly number[]) => fc.array(g16, { minLength: 8 - head.length, maxLength: 8 - head.length }).map((tail) => [...head, ...tail]);
/** Groups whose first `prefix` bits are those of `network` (a prefix up to 128). */
function inV6Block(network: Groups, prefix: number): fc.Arbitrary<Groups> {
  return groupsOf([]).map((random) =>
    random.map((value, i) => {
      const bits = Math.max(0, Math.min(16, prefix - i * 16));
      const mask = bits === 0 ? 0 : (0xffff << (16 - bits)) & 0xffff;
      return ((network[i] ?? 0) & mask) | (value & ~mask & 0xffff);
    }),
  );
}
const withV4 = (head: readonly number[], n: number): Groups => [...head, n >>> 16, n & 0xffff];

/** Not global unicast: outside 2000::/3, or one of its special-purpose blocks, or an IPv4 form. */
export const privateIpv6: fc.Arbitrary<Groups> = fc.oneof(
  fc.constantFrom<Groups>([0, 0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0, 0]),
  inV6Block([0xfe80], 10), // link-local
  inV6Block([0xfec0], 10), // site-local
  inV6Block([0xfc00], 7), // unique-local
  inV6Block([0xff00], 8), // multicast
  inV6Block([0x0100], 64), // discard
  inV6Block([0x2001], 23), // IETF protocol assignments, Teredo
  inV6Block([0x2001, 0xdb8], 32), // documentation
  inV6Block([0x3fff], 20), // documentation
  inV6Block([0x2620, 0x4f, 0x8000], 48), // AS112
  inV6Block([0x4000], 2), // unassigned 4000::/2, incl. 5f00::/16 (SRv6)
  inV6Block([0x0000], 3), // ::/3, everything but the forms below
  inV6Block([0x8000], 2),
  fc.oneof(privateIpv4, publicIpv4).chain((n) =>
    fc.constantFrom(
      withV4([0, 0, 0, 0, 0, 0xffff], n), // IPv4-mapped
      withV4([0, 0, 0, 0, 0xffff, 0], n), // IPv4-translated
      withV4([0, 0, 0, 0, 0, 0], n), // IPv4-compatible
      withV4([0x64, 0xff9b, 0, 0, 0, 0], n), // NAT64
      [0x64, 0xff9b, 1, n >>> 16, n & 0xffff, 0, 0, 1], // local-use NAT64
    ),
  ),
  privateIpv4.chain((n) => groupsOf([0x2002, n >>> 16, n & 0xffff])), // 6to4 of a private IPv4
);

/** Global unicast: 2400::/6 and beyond, 3000::-3ffe::, and 6to4 of a public IPv4. */
export const publicIpv6: fc.Arbitrary<Groups> = fc.oneof(
  fc
    .integer({ min: 0x2400, max: 0x2fff })
    .filter((first) => first !== 0x2620)
    .chain((first) => groupsOf([first])),
  fc.integer({ min: 0x3000, max: 0x3ffe }).chain((first) => groupsOf([first])),
  publicIpv4.chain((n) => groupsOf([0x2002, n >>> 16, n & 0xffff])),
);

/** Text for eight groups: any zero run compressed or none, groups padded or not, any case, maybe a dotted IPv4 tail. */
export function ipv6Notation(groups: Groups): fc.Arbitrary<string> {
  return fc.record({ pad: fc.boolean(), upper: fc.boolean(), dottedTail: fc.boolean(), compress: fc.nat() }).map(({ pad, upper, dottedTail, compress }) => {
    const hex = (value: number) => (pad ? value.toString(16).padStart(4, '0') : value.toString(16));
    const tail = dottedTail ? [dottedQuad(((groups[6] ?? 0) * 65_536 + (groups[7] ?? 0)) >>> 0)] : [];
    const head = (dottedTail ? groups.slice(0, 6) : groups).map(hex);
    const runs: Array<[number, number]> = [];
    head.forEach((_, i) => {
      if ((groups[i] ?? 1) !== 0) return;
      const run = runs.at(-1);
      if (run && run[0] + run[1] === i) run[1] += 1;
      else runs.push([i, 1]);
    });
    // Some zero run (or none) becomes "::".
    const chosen = runs.length ? runs[compress % (runs.length + 1)] : undefined;
    let text: string;
    if (chosen) {
      const [start, length] = chosen;
      const before = head.slice(0, start).join(':');
      const after = [...head.slice(start + length), ...tail].join(':');
      text = `${before}::${after}`;
    } else {
      text = [...head, ...tail].join(':');
    }
    return upper ? text.toUpperCase() : text;
  });
}
