/**
 * `ordo serve` bounds how far its heap grows past what stays live (src/cli/heap-growth.ts):
 * the server's resident memory under load is mostly old generation V8 has not yet collected.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { boundHeapGrowth } from '../../src/cli/heap-growth.js';

const exec = promisify(execFile);
const FIXTURE = new URL('./heap-churn.fixture.ts', import.meta.url).pathname;

/** The most heap the churning fixture used, in a process of its own. */
async function peakOf(mode: 'bound' | 'default'): Promise<number> {
  const { stdout } = await exec(process.execPath, ['--import', 'tsx', FIXTURE, mode], { env: { ...process.env, NODE_OPTIONS: '' } });
  return (JSON.parse(stdout) as { peak: number }).peak;
}

describe('the server heap growth', () => {
  it('keeps a churning heap well under what V8 lets it reach by default', async () => {
    const [bound, unbounded] = await Promise.all([peakOf('bound'), peakOf('default')]);
    // About 95 against 130 MB here: the bound collects at a quarter over the live data.
    expect(bound).toBeLessThan(unbounded * 0.85);
  }, 60_000);

  it('leaves a growth given to Node by whoever started it', () => {
    expect(boundHeapGrowth(25, ['--heap-growing-percent=60'])).toBe(false);
    expect(boundHeapGrowth(25, ['--max-old-space-size=512', '--heap_growing_percent=60'])).toBe(false);
  });
});
