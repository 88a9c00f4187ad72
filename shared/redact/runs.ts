// Where any run of a given length of some texts (a secret's forms) shows up in another text.
//
// Matching folds case and base64url's '-' and '_' into '+' and '/': one form then stands for
// percent-encoding in either case, hex in either case, and base64 and base64url alike. A folded
// match that is not a real one can only take out innocent text, never let a secret through.
//
// A text is searched through probes read every `probe` characters: any run holds a probe-length
// part starting at such an offset (probe - 1 <= run - probe). The index holds a fingerprint of every
// probe-length part of the forms (a 32-bit polynomial hash in a typed array: cheap to build on a
// cold start, no garbage), so a text without secrets costs one look-up per `probe` characters. A
// probe found there is checked against the forms themselves, and a run found is extended as far as
// the form goes on matching.

const BASE = 0x01000193;

/** A character code folded: upper case to lower, '-' to '+', '_' to '/'. */
function folded(code: number): number {
  if (code >= 65 && code <= 90) return code + 32;
  if (code === 45) return 43;
  if (code === 95) return 47;
  return code;
}

const NON_ASCII = /[^\x00-\x7f]/;

function fold(text: string): string {
  // For ASCII the engine's own lower-casing is the same fold, and much faster on a cold start.
  if (!NON_ASCII.test(text)) return text.toLowerCase().replaceAll('-', '+').replaceAll('_', '/');
  let out = '';
  for (let i = 0; i < text.length; i += 1) out += String.fromCharCode(folded(text.charCodeAt(i)));
  return out;
}

function fingerprint(text: string, start: number, length: number): number {
  let hash = 0;
  for (let i = start; i < start + length; i += 1) hash = (Math.imul(hash, BASE) + folded(text.charCodeAt(i))) | 0;
  return hash;
}

/** A set of 32-bit fingerprints in open addressing (0 is stored as a flag of its own). */
class FingerprintSet {
  readonly #slots: Int32Array;
  readonly #mask: number;
  #hasZero = false;

  constructor(expected: number) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.#slots = new Int32Array(capacity);
    this.#mask = capacity - 1;
  }

  add(hash: number): void {
    if (hash === 0) this.#hasZero = true;
    else this.#slots[this.#slotOf(hash)] = hash;
  }

  has(hash: number): boolean {
    return hash === 0 ? this.#hasZero : this.#slots[this.#slotOf(hash)] === hash;
  }

  /** Where `hash` is stored, or the free slot where it would go. */
  #slotOf(hash: number): number {
    let slot = (hash ^ (hash >>> 16)) & this.#mask;
    for (let stored = this.#slots[slot]; stored !== 0 && stored !== hash; stored = this.#slots[slot]) slot = (slot + 1) & this.#mask;
    return slot;
  }
}

export type Region = readonly [start: number, end: number];

export class RunIndex {
  readonly #run: number;
  readonly #probe: number;
  readonly #forms: readonly string[];
  readonly #probes: FingerprintSet;
  /** How many characters were indexed (0: nothing to find). */
  readonly size: number;

  constructor(texts: readonly string[], options: { readonly run: number; readonly probe: number }) {
    const { run, probe } = options;
    if (probe - 1 > run - probe) throw new RangeError('a probe must fit in a run at every offset');
    this.#run = run;
    this.#probe = probe;
    this.#forms = [...new Set(texts.filter((text) => text.length >= run).map(fold))];
    this.size = this.#forms.reduce((sum, form) => sum + form.length, 0);
    this.#probes = new FingerprintSet(this.size);
    let weight = 1;
    for (let i = 1; i < probe; i += 1) weight = Math.imul(weight, BASE);
    for (const form of this.#forms) {
      // Rolling: the first character of the last part leaves, the next one joins.
      let hash = fingerprint(form, 0, probe);
      this.#probes.add(hash);
      for (let start = 1; start + probe <= form.length; start += 1) {
        hash = (Math.imul(hash - Math.imul(form.charCodeAt(start - 1), weight), BASE) + form.charCodeAt(start + probe - 1)) | 0;
        this.#probes.add(hash);
      }
    }
  }

  /** Where runs of the indexed texts are in `text`, each run extended as far as it goes on matching. */
  find(text: string, regions: Region[] = []): Region[] {
    const run = this.#run;
    const probe = this.#probe;
    if (this.size === 0 || text.length < run) return regions;
    let covered = 0;
    for (let at = 0; at + probe <= text.length; at += probe) {
      // Every run holding this probe lies inside what was found already.
      if (at + run <= covered) continue;
      if (!this.#probes.has(fingerprint(text, at, probe))) continue;
      const last = Math.min(at, text.length - run);
      for (let start = Math.max(0, at - (run - probe)); start <= last; start += 1) {
        if (start + run <= covered) continue;
        const found = this.#matchAt(text, start);
        if (found) {
          regions.push(found);
          covered = Math.max(covered, found[1]);
        }
      }
    }
    return regions;
  }

  /** The run at `start`, if a form holds it, extended both ways while the form goes on matching. */
  #matchAt(text: string, start: number): Region | undefined {
    const run = fold(text.slice(start, start + this.#run));
    for (const form of this.#forms) {
      const at = form.indexOf(run);
      if (at < 0) continue;
      let before = 0;
      while (start - before > 0 && at - before > 0 && folded(text.charCodeAt(start - before - 1)) === form.charCodeAt(at - before - 1)) before += 1;
      let after = 0;
      const end = start + this.#run;
      while (
        end + after < text.length &&
        at + this.#run + after < form.length &&
        folded(text.charCodeAt(end + after)) === form.charCodeAt(at + this.#run + after)
      )
        after += 1;
      return [start - before, end + after];
    }
    return undefined;
  }
}
