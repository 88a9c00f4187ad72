// "Did you mean": the known name closest to a mistyped one by edit distance (a swap of two
// neighbouring letters counts as one edit: `enabel` is one from `enable`), or the one known name it
// begins; nothing when none is close, so a guess is never far-fetched.

// Longer text is not a typo of a short name, and is not worth comparing.
const TYPED_MAX = 64;

export function closest(typed: string, known: readonly string[]): string | undefined {
  const text = typed.toLowerCase();
  if (text.length === 0 || text.length > TYPED_MAX) return undefined;
  // About one edit in three letters, at least one and at most three.
  const allowed = Math.min(3, Math.max(1, Math.floor(text.length / 3)));
  let best: string | undefined;
  let bestDistance = allowed + 1;
  for (const name of known) {
    const distance = editDistance(text, name);
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  if (best !== undefined) return best;
  const started = text.length >= 3 ? known.filter((name) => name.startsWith(text)) : [];
  return started.length === 1 ? started[0] : undefined;
}

/** Insertions, deletions, substitutions and swaps of neighbours (optimal string alignment). */
function editDistance(a: string, b: string): number {
  // rows[i][j]: the distance between a's first i characters and b's first j.
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number) => rows[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i += 1) {
    const row = rows[i] as number[];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) distance = Math.min(distance, at(i - 2, j - 2) + 1);
      row[j] = distance;
    }
  }
  return at(a.length, b.length);
}
