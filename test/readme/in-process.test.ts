/**
 * README's in-process example, run as written as an ES module (importing the sources, not the
 * package) against a fresh database: once it has run, the process exits at once. Without
 * `ordo.close()` the pool's idle connections hold it 10 s more (the embedded server, for ever).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freshDatabase } from '../support/database.js';
import { blocks, README } from './support.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const INDEX = path.join(ROOT, 'src/index.ts');
const DONE = 'the example ran to its end';

describe('README: the in-process example', () => {
  it('runs, and its process exits 0 within 3 s of its last line', async () => {
    const example = blocks(readFileSync(README, 'utf8'), 'ts').find((b) => b.includes('createOrdo'));
    expect(example).toBeDefined();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ordo-in-process-'));
    try {
      const file = path.join(dir, 'example.mts');
      await writeFile(file, `${example!.replace(/from 'ordo'/, `from ${JSON.stringify(INDEX)}`)}\nconsole.log(${JSON.stringify(DONE)});\n`);
      // From the repository, where tsx is installed.
      const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, env: { ...process.env, DATABASE_URL: await freshDatabase() } });
      let stderr = '';
      let doneAt: number | undefined;
      child.stderr.on('data', (d: Buffer) => (stderr += d));
      child.stdout.on('data', (d: Buffer) => (String(d).includes(DONE) ? (doneAt = Date.now()) : undefined));
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      clearTimeout(timer);
      expect(code, stderr).toBe(0);
      expect(doneAt, stderr).toBeDefined();
      expect(Date.now() - doneAt!).toBeLessThan(3000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 40_000);
});
