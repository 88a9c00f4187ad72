// The error vocabulary: every code this service emits, its kind (transient or not, invalid input, a
// misconfigured deployment), what it means and what a caller should do.
export * from './codes.ts';
export * from './meanings.ts';
