// Batches: items run with bounded concurrency, each ordered group one after another.
export { runBatch, type ItemVerdict } from './batch.ts';
