// node:crypto, loaded on first use rather than on import: the benchmark's measured processes import
// the event builders before the bundle they measure, and loading node:crypto there would be a cost
// that the process without our bundle (the floor) never pays.
export function nodeCrypto(): typeof import('node:crypto') {
  return process.getBuiltinModule('node:crypto');
}
