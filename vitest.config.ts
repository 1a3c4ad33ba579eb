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
    // Three forks for the whole run. Below the maximum, the pool ends a fork it found idle while
    // the run is still handing it files when isolate is off: the run fails ("Terminating worker
    // thread") and leaves that fork and the suite's PostgreSQL behind.
    minWorkers: 3,
    // A fork runs file after file with the modules it loaded, instead of a fresh process and a
    // fresh import of Ordo per file: that import was most of the run's work (collect 134 s, wall
    // 211 s on 2 cores; 15 s and 99-128 s without). Suites restore what they change of the
    // process (environment variables, spies) and close what they open; Ordo's own state lives in
    // the instances a suite creates, not in its modules.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
