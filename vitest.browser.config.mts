/**
 * The browser suite (issue 13): `npm run test:browser`. A real `ordo serve` with the built admin
 * UI, driven in headless Chromium (Debian's /usr/bin/chromium) through playwright-core. One file
 * at a time: each starts its own server and browser.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    env: { ORDO_BROWSER_SUITE: '1' },
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
