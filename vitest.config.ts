import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests start real servers on loopback; keep the 2-core machine responsive.
    maxWorkers: 2,
    // The reporter lists each test slower than this: at its default (300 ms) a busy machine lists
    // hundreds of loopback tests and a passing run stops being short.
    slowTestThreshold: 1_000,
  },
});
