// The error vocabulary: every code this service emits, with its meaning, its kind (transient or
// not, a misconfigured deployment) and what a caller should do.
export * from './codes.ts';
