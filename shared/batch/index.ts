// Batches: items run with bounded concurrency, each ordered group one after another; and plain bounds
// on what runs at once.
export { runBatch, type ItemVerdict } from './batch.ts';
export { atMostAtOnce, eachAtMost } from './limit.ts';
