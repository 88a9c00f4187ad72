// Summaries of a sample and how the report writes numbers.

/** @param {readonly number[]} values */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

/** Spread of a sample, (p75 - p25) / median: tells a steady number from a noisy one. */
export function spread(/** @type {readonly number[]} */ values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (/** @type {number} */ q) => sorted[Math.round(q * (sorted.length - 1))] ?? NaN;
  return (at(0.75) - at(0.25)) / median(values);
}

export const pct = (/** @type {number} */ x) => `${Math.round(x * 100)}%`;
export const ratio = (/** @type {number} */ a, /** @type {number} */ b) => `${(a / b).toFixed(2)}×`;
export const kb = (/** @type {number} */ n) => `${(n / 1000).toFixed(1)} kB`;
export const ms = (/** @type {number} */ n) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;
export const mib = (/** @type {number} */ kib) => `${(kib / 1024).toFixed(1)} MiB`;
