import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The fault suite kills real server processes for minutes: `npm run test:faults` runs it alone.
    exclude: [...configDefaults.exclude, 'test/faults/**'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    // Suites wait on PostgreSQL and on the processes they start far more than they compute: three
    // at once keep two cores busy (the default, one fewer than the cores, runs them one by one here).
    maxWorkers: 3,
    minWorkers: 1,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
