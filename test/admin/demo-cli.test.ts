/** `ordo demo`'s options: a bad one is one plain line and a non-zero exit, before any database is opened. */
import { describe, expect, it } from 'vitest';
import { runOrdo } from '../support/cli.js';
import { demoOrderCount } from '../../src/cli/demo.js';

describe('ordo demo', () => {
  it('reads --orders as a whole number from 1 to a million', () => {
    expect(demoOrderCount(undefined)).toBe(120);
    expect(demoOrderCount('100000')).toBe(100_000);
    for (const bad of ['0', '-3', '1.5', 'many', '1000001', '']) expect(() => demoOrderCount(bad), bad).toThrow(/--orders must be a whole number/);
  });

  it('refuses a bad option in one line', async () => {
    for (const args of [['demo', '--orders', 'lots'], ['demo', '--bogus']]) {
      const res = await runOrdo(args, { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
      expect(res.code, res.stderr).not.toBe(0);
      expect(res.stderr.trim().split('\n'), res.stderr).toHaveLength(1);
      expect(res.stdout).toBe('');
    }
  });
});
