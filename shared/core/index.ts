// The composition root: config in, the schema, the DMS client and the enable use case out.
export { createCore, type Core } from './core.ts';
