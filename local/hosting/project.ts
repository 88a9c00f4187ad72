// The ids the samples in events/ use: the local stack seeds its simulator with them, so the samples'
// bodies work against it as they are, and tests and the benchmark use the same project.

export const DEFAULT_PROJECT_ID = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';

export const DEFAULT_INSTANCES = [
  '5c1f3a9e-7b2d-4e8a-9f10-2a3b4c5d6e01',
  '5c1f3a9e-7b2d-4e8a-9f10-2a3b4c5d6e02',
  '5c1f3a9e-7b2d-4e8a-9f10-2a3b4c5d6e03',
] as const;
