// Echoes come escaped as often as plain: percent-encoded (in either case, in part, or twice), JSON-
// or JavaScript-escaped, or as HTML character references. Each decoding of a text keeps where each
// of its characters came from, so that a secret found in the decoded text is taken out of the text
// as written.

export interface Decoded {
  readonly text: string;
  /** For each character of `text`: where in the original it starts, and where it ends. */
  readonly from: readonly number[];
  readonly to: readonly number[];
}

// Twice-encoded is common (a URL inside a query parameter); three levels cover a third wrapping.
const MAX_LEVELS = 3;
const ESCAPE_HINT = /[%\\&]/;
const HEX_DIGITS = /^[0-9a-fA-F]+$/;
const CHARACTER_REFERENCE = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));/y;
const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const SINGLE_ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', "'": "'" };

function hexAt(text: string, at: number, digits: number): number {
  const part = text.slice(at, at + digits);
  return part.length === digits && HEX_DIGITS.test(part) ? parseInt(part, 16) : -1;
}

function codePointText(code: number): string | undefined {
  return code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

/** The escape starting at `at`: what it stands for and how long it is; undefined when none. */
function escapeAt(text: string, at: number): readonly [string, number] | undefined {
  const first = text[at];
  if (first === '%') {
    const code = hexAt(text, at + 1, 2);
    return code < 0 ? undefined : [String.fromCharCode(code), 3];
  }
  if (first === '\\') {
    const next = text[at + 1] ?? '';
    if (next === 'u' || next === 'x') {
      const digits = next === 'u' ? 4 : 2;
      const code = hexAt(text, at + 2, digits);
      return code < 0 ? undefined : [String.fromCharCode(code), 2 + digits];
    }
    const single = SINGLE_ESCAPES[next];
    return single === undefined ? undefined : [single, 2];
  }
  if (first === '&') {
    CHARACTER_REFERENCE.lastIndex = at;
    const match = CHARACTER_REFERENCE.exec(text);
    if (!match) return undefined;
    const [whole, decimal, hex, name] = match;
    const decoded = decimal ? codePointText(Number(decimal)) : hex ? codePointText(parseInt(hex, 16)) : NAMED[name ?? ''];
    return decoded === undefined ? undefined : [decoded, whole.length];
  }
  return undefined;
}

/** One level of decoding, positions relative to `text`; undefined when nothing was escaped. */
function decodeOnce(text: string): Decoded | undefined {
  const parts: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  let decodedAny = false;
  for (let at = 0; at < text.length; ) {
    const escape = escapeAt(text, at);
    const [part, length] = escape ?? [text.charAt(at), 1];
    decodedAny ||= escape !== undefined;
    parts.push(part);
    // A character outside the BMP is two code units, both from the same escape.
    for (let unit = 0; unit < part.length; unit += 1) {
      from.push(at);
      to.push(at + length);
    }
    at += length;
  }
  return decodedAny ? { text: parts.join(''), from, to } : undefined;
}

/** The text decoded once, twice, ..., while there is anything left to decode; positions in the original. */
export function decodings(text: string): Decoded[] {
  if (!ESCAPE_HINT.test(text)) return [];
  const levels: Decoded[] = [];
  let current: Decoded | undefined;
  for (let level = 0; level < MAX_LEVELS; level += 1) {
    const source = current?.text ?? text;
    if (level > 0 && !ESCAPE_HINT.test(source)) break;
    const next = decodeOnce(source);
    if (!next) break;
    const previous = current;
    current = previous
      ? {
          text: next.text,
          from: next.from.map((at) => previous.from[at] ?? 0),
          to: next.to.map((end) => previous.to[end - 1] ?? 0),
        }
      : next;
    levels.push(current);
  }
  return levels;
}
