// Secrets out of every string that leaves: logs, HTTP answers, callbacks, the command line. A known
// secret is found by any 24-character run of it, plain or in a form an echo takes (percent-encoded,
// JSON- or HTML-escaped, base64 or base64url at any byte alignment, hex), so a token cut short by an
// upstream, or inside a longer encoded text, is found too. Credential-shaped values (Authorization
// values, signatures, webhook secrets) go whoever's they are.
import { decodings } from './decode.ts';
import { RunIndex, type Region } from './runs.ts';

export const REDACTED = '[redacted]';
/** Any run this long of a secret, in any of its forms, is taken out (a shorter secret: whole). */
export const SECRET_RUN = 24;
/** Where Huawei's words leave (answers, callbacks, the command line): redacted, then cut to this. */
export const MESSAGE_MAX = 300;
/** Any one string of what leaves as a whole (a log line, a callback, the command line's JSON), once redacted. */
export const OUTPUT_STRING_MAX = 2_000;

// Runs are looked for through probes read every PROBE characters (see RunIndex).
const PROBE = 12;
// Shorter values cannot be told from ordinary text; they are not secrets anyone issues.
const MIN_SECRET = 4;
const MIN_ENCODED_FORM = 8;

interface SecretMatcher {
  /** Every SECRET_RUN-character run of every form of every secret. */
  readonly runs: RunIndex;
  /** Forms shorter than a run, found whole. */
  readonly wholes: readonly string[];
  /** Strings shorter than this hold nothing to take out. */
  readonly minLength: number;
}

/**
 * The forms a secret can take in an echo, each at least MIN_SECRET characters. Case and base64url
 * are folded where runs are matched (RunIndex); the variants here serve secrets shorter than a run.
 */
function formsOf(secret: string): string[] {
  const uri = encodeURIComponent(secret);
  const forms = new Set([
    secret,
    uri,
    uri.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
    uri.replaceAll('%20', '+'),
    JSON.stringify(secret).slice(1, -1),
  ]);
  const bytes = Buffer.from(secret, 'utf8');
  const hex = bytes.toString('hex');
  const encoded = new Set<string>([hex, hex.toUpperCase()]);
  // Inside a longer base64 text a secret starts at one of three byte alignments; its characters
  // are those of the secret, or of the secret less one or two bytes, less the last character,
  // which shares bits with whatever follows.
  for (const skip of [0, 1, 2]) {
    const part = bytes.subarray(skip);
    const determined = Math.floor((part.length * 4) / 3);
    const base64 = part.toString('base64').slice(0, determined);
    encoded.add(base64);
    encoded.add(base64.replaceAll('+', '-').replaceAll('/', '_'));
  }
  for (const form of encoded) if (form.length >= MIN_ENCODED_FORM) forms.add(form);
  return [...forms].filter((form) => form.length >= MIN_SECRET);
}

function buildMatcher(secrets: readonly string[]): SecretMatcher {
  const forms = secrets.filter((secret) => secret.length >= MIN_SECRET).flatMap(formsOf);
  const wholes = [...new Set(forms.filter((form) => form.length < SECRET_RUN))];
  const shortest = Math.min(SECRET_RUN, ...wholes.map((whole) => whole.length));
  return {
    runs: new RunIndex(forms, { run: SECRET_RUN, probe: PROBE }),
    wholes,
    minLength: Math.min(shortest, SHAPE_MIN),
  };
}

// The deployment's secret list is read anew for every line but rarely changes: the few lists in use are
// kept, found by their (interned) strings, so deriving the runs is paid once per list.
const CACHE_SIZE = 4;
const cache: Array<{ secrets: readonly string[]; matcher: SecretMatcher }> = [];

function matcherFor(secrets: readonly string[]): SecretMatcher {
  const found = cache.find((entry) => entry.secrets.length === secrets.length && entry.secrets.every((secret, i) => secret === secrets[i]));
  if (found) return found.matcher;
  const matcher = buildMatcher(secrets);
  cache.unshift({ secrets: [...secrets], matcher });
  cache.length = Math.min(cache.length, CACHE_SIZE);
  return matcher;
}

function secretRegions(matcher: SecretMatcher, text: string): Region[] {
  const regions = matcher.runs.find(text);
  for (const whole of matcher.wholes) {
    for (let at = text.indexOf(whole); at >= 0; at = text.indexOf(whole, at + 1)) regions.push([at, at + whole.length]);
  }
  return regions;
}

function cutOut(text: string, regions: Region[]): string {
  regions.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [start, end] of regions) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  let out = '';
  let from = 0;
  for (const [start, end] of merged) {
    out += `${text.slice(from, start)}${REDACTED}`;
    from = end;
  }
  return out + text.slice(from);
}

// Credential-shaped values, whoever's they are. The names are those of headers, parameters and JSON
// fields that carry credentials; the value (after an auth scheme, kept) ends at a delimiter.
const SHAPES: ReadonlyArray<readonly [RegExp, string]> = [
  [/SDK-HMAC-SHA256\s+Access=[^,\s]+,\s*SignedHeaders=[^,\s]+,\s*Signature=[0-9a-fA-F]+/g, `SDK-HMAC-SHA256 ${REDACTED}`],
  [
    /\b((?:proxy-)?authorization|x-(?:security|auth|subject|amz-security)-token|(?:security|session|access|refresh)[-_]?token|api[-_]?key|client[-_]?secret|passw(?:or)?d)(["']?\s*[:=]\s*["']?)((?:Bearer|Basic|Digest|Token|SDK-HMAC-SHA256|AWS4-HMAC-SHA256)\s+)?[^\s"'<>&;,]+/gi,
    `$1$2$3${REDACTED}`,
  ],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/-]{8,}=*/g, `$1 ${REDACTED}`],
  [/Signature=[0-9a-fA-F]{16,}/g, `Signature=${REDACTED}`],
  // A bare HMAC in hex (a request signature quoted without its name): no id we write is this long.
  [/(?<![0-9a-fA-F])[0-9a-fA-F]{40,}(?![0-9a-fA-F])/g, REDACTED],
  [/whsec_[A-Za-z0-9+/=]+/g, REDACTED],
  // user:password@ in a URL.
  [/(\/\/[^\s/:@]*:)[^\s/@]+@/g, `$1${REDACTED}@`],
];
// One cheap test before the shape rules run; strings shorter than SHAPE_MIN hold no credential shape.
// A hex run is tried from its first digit only: ids are hex, and trying 40 digits from every digit of
// every id made this test the dearest part of a redaction.
const SHAPE_HINT = /sdk-hmac|authoriz|token|api[-_]?key|secret|passw|bearer|basic|signature=|whsec_|\/\/[^\s/]*@|(?<![0-9a-f])[0-9a-f]{40}/i;
const SHAPE_MIN = 12;

function withoutShapes(text: string): string {
  if (!SHAPE_HINT.test(text)) return text;
  let out = text;
  for (const [shape, replacement] of SHAPES) out = out.replace(shape, replacement);
  return out;
}

function redactWith(matcher: SecretMatcher, text: string): string {
  if (text.length < matcher.minLength) return text;
  const regions = secretRegions(matcher, text);
  if (matcher.runs.size > 0 || matcher.wholes.length > 0) {
    // Escaped or percent-encoded echoes, decoded: a run found there covers the text it came from.
    for (const decoded of decodings(text)) {
      for (const [start, end] of secretRegions(matcher, decoded.text)) regions.push([decoded.from[start] ?? 0, decoded.to[end - 1] ?? text.length]);
    }
  }
  return withoutShapes(regions.length ? cutOut(text, regions) : text);
}

/** `text` without the given secrets (in any form, whole or any run of them) or credential shapes. */
export function redact(text: string, secrets: readonly string[] = []): string {
  return redactWith(matcherFor(secrets), text);
}

/** `text` cut to `max` characters, marked when cut. Cut only what is already redacted. */
export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Redacted first, then cut short: the order that keeps a part of a secret from surviving the cut. */
export function redactBounded(text: string, secrets: readonly string[], max: number): string {
  return truncate(redact(text, secrets), max);
}

const SECRET_KEY =
  /^(authorization|proxy-authorization|cookie|sk|secret|secret_key|security_token|x-security-token|x-amz-security-token|x-auth-token|callback_secret|password|token)$/i;
// Deeper than anything that leaves: cut rather than let an unchecked subtree through.
const MAX_DEPTH = 6;

export interface RedactFieldsOptions {
  /** Each string (and key), once redacted, is cut to this many characters. */
  readonly maxLength?: number;
}

/**
 * A deep copy with secret-named keys masked and every string and key redacted (then bounded, when
 * asked): what logs, answers, callbacks and the command line write.
 */
export function redactFields(value: unknown, secrets: readonly string[], options: RedactFieldsOptions = {}): unknown {
  const matcher = matcherFor(secrets);
  const max = options.maxLength ?? Infinity;
  const clean = (text: string) => truncate(redactWith(matcher, text), max);
  const walk = (item: unknown, depth: number): unknown => {
    if (typeof item === 'string') return clean(item);
    if (item === null || typeof item !== 'object') return item;
    if (depth > MAX_DEPTH) return '[truncated]';
    if (Array.isArray(item)) return item.map((entry) => walk(entry, depth + 1));
    if (item instanceof Error) return { name: clean(item.name), message: clean(item.message) };
    return Object.fromEntries(Object.entries(item).map(([key, entry]) => [clean(key), SECRET_KEY.test(key) ? REDACTED : walk(entry, depth + 1)]));
  };
  return walk(value, 0);
}
