// Text that reaches a terminal carries no control characters: each is written as its escape, so a
// message (Huawei's error_msg, the user's own argument echoed back) can neither forge a line nor
// drive the terminal (ANSI and OSC sequences start with ESC or a C1 control). The escapes are JSON's,
// so a JSON line passed through keeps its value.

// C0 (line breaks included), DEL, C1, the Unicode line and paragraph separators, and the bidi
// controls that reorder what a line shows.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this file is for
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function forTerminal(text: string): string {
  return text.replace(CONTROL, (char) => SHORT[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
