/**
 * The fault suite (issue 10): `npm run test:faults`. Kills a real `ordo serve` process under load,
 * so its files run one at a time (the kill timing must not compete with another suite for 2 cores)
 * and get minutes, not seconds.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    globalSetup: ['test/faults/support/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
