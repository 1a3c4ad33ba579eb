/**
 * `npm run bench -- <section>` refuses unknown options and impossible values with one plain
 * line on stderr and a non-zero exit, before it starts any server or creates any database.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runToEnd } from '../support/cli.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const bench = (args: readonly string[]) =>
  runToEnd(spawn(process.execPath, ['--import', 'tsx', 'bench/main.ts', ...args], { cwd: ROOT, env: { ...process.env, BENCH_DEBUG: '' } }));

describe('bench: bad input', () => {
  it.each([
    [['lifecycle', '--clients', '0'], /--clients must be a whole number >= 1, not '0'/],
    [['scale', '--sizes', '-5'], /--sizes must be a whole number/],
    [['contention', '--buyers', 'many'], /--buyers must be a whole number >= 1, not 'many'/],
    [['status-change', '--duration', '0'], /--duration must be a number of seconds above 0/],
    [['timers', '--timers', '2.5'], /--timers must be a whole number/],
    [['lifecycle', '--bogus'], /unknown option '--bogus'/],
    [['nosuch'], /unknown section 'nosuch'/],
    [['lifecycle', '--database-url', 'mysql://x'], /--database-url must be a postgres:\/\/ URL/],
  ])('%j: one line and a non-zero exit', async (args, said) => {
    const res = await bench(args);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    const lines = res.stderr.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(said);
    expect(lines[0]).toMatch(/^bench: /);
    expect(res.stderr).not.toMatch(/\bat .+:\d+:\d+/); // no stack trace
  }, 30_000);
});
