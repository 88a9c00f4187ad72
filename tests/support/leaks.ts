// Finds secrets in what the code wrote: any 24-character run of a secret, plain or in the forms an
// echo takes (percent-encoded in either case, base64 and base64url at each of the three byte
// alignments a secret can have inside a longer encoded text), in the text as written and with its
// escapes undone (percent-escapes, \uXXXX, HTML character references, nested up to three deep).
// Written apart from shared/redact.ts, so that a mistake there is not repeated here.

/** A run this long of a secret, in any form, is a leak (DESIGN.md "Semantics"). */
export const LEAK_RUN = 24;

export interface NamedSecret {
  readonly name: string;
  readonly value: string;
}

/** The forms of a secret an echo may carry, by name. */
export function echoForms(secret: string): Array<readonly [form: string, text: string]> {
  const uri = encodeURIComponent(secret);
  const forms: Array<readonly [string, string]> = [
    ['plain', secret],
    ['percent-encoded', uri],
    ['percent-encoded (lower case)', uri.replace(/%[0-9A-F]{2}/g, (sequence) => sequence.toLowerCase())],
  ];
  const bytes = Buffer.from(secret, 'utf8');
  for (const skip of [0, 1, 2]) {
    const part = bytes.subarray(skip);
    // Only the characters made of the secret's bits alone: the last one may share bits with what follows.
    const determined = Math.floor((part.length * 4) / 3);
    forms.push([`base64 (from byte ${skip})`, part.toString('base64').slice(0, determined)]);
    forms.push([`base64url (from byte ${skip})`, part.toString('base64url').slice(0, determined)]);
  }
  return forms;
}

/** Every place in `text` that carries a run of a secret: "name (form)", once each; empty when clean. */
export type LeakFinder = (text: string) => string[];

export function leakFinder(secrets: readonly NamedSecret[]): LeakFinder {
  const runs = new Map<string, string>();
  const wholes: Array<readonly [string, string]> = [];
  for (const { name, value } of secrets) {
    for (const [form, text] of echoForms(value)) {
      const label = `${name} (${form})`;
      if (text.length < LEAK_RUN) {
        if (text.length >= 8) wholes.push([text, label]);
        continue;
      }
      for (let at = 0; at + LEAK_RUN <= text.length; at += 1) {
        const run = text.slice(at, at + LEAK_RUN);
        if (!runs.has(run)) runs.set(run, label);
      }
    }
  }
  return (text) => {
    const found = new Set<string>();
    for (const version of unescapings(text)) {
      for (let at = 0; at + LEAK_RUN <= version.length; at += 1) {
        const label = runs.get(version.slice(at, at + LEAK_RUN));
        if (label) found.add(label);
      }
      for (const [whole, label] of wholes) if (version.includes(whole)) found.add(label);
    }
    return [...found];
  };
}

const ESCAPES = /%([0-9a-f]{2})|\\u([0-9a-f]{4})|&#(\d{1,7});|&#x([0-9a-f]{1,6});/gi;

/** The text, then the text with its escapes undone, again while any are left (three rounds at most). */
function unescapings(text: string): string[] {
  const versions = [text];
  for (let round = 0; round < 3; round += 1) {
    const last = versions.at(-1) ?? '';
    const next = last.replace(ESCAPES, (sequence: string, percent?: string, unicode?: string, decimal?: string, hex?: string) => {
      const code = Number.parseInt(percent ?? unicode ?? hex ?? decimal ?? '', decimal ? 10 : 16);
      return code <= 0x10ffff ? String.fromCodePoint(code) : sequence;
    });
    if (next === last) break;
    versions.push(next);
  }
  return versions;
}

/** Throws naming each leak and where it was, when any text carries a secret. */
export function expectNoSecretRuns(find: LeakFinder, channels: Readonly<Record<string, readonly string[]>>): void {
  const findings: string[] = [];
  for (const [channel, texts] of Object.entries(channels)) {
    for (const text of texts) {
      const leaks = find(text);
      if (leaks.length) findings.push(`${channel}: ${leaks.join(', ')} in:\n${text.slice(0, 1_500)}`);
    }
  }
  if (findings.length) throw new Error(`secrets leaked\n${findings.join('\n---\n')}`);
}
