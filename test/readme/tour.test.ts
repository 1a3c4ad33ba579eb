/**
 * README's "A tour of the API", run as written and in order: its ```sh blocks in one bash with
 * `set -euo pipefail`, against a real `ordo serve` on a fresh database. The README's commands
 * use `curl -f`, so any refusal fails the tour.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/store/embedded.js';
import { spawnOrdo } from '../support/cli.js';
import { freshDatabase } from '../support/database.js';
import { blocks, section } from './support.js';

const KEY = 'readme-tour-admin-key';

describe('README: A tour of the API', () => {
  let port: number;
  let server: ReturnType<typeof spawnOrdo>;
  let closed: Promise<number | null>;
  let cwd: string;
  beforeAll(async () => {
    port = await freePort();
    cwd = await mkdtemp(path.join(os.tmpdir(), 'ordo-tour-'));
    server = spawnOrdo(['serve'], { DATABASE_URL: await freshDatabase(), ORDO_ADMIN_KEY: KEY, PORT: String(port), ORDO_CLOCK: '' });
    closed = new Promise((resolve) => server.on('close', resolve));
    let out = '';
    server.stderr.on('data', (d: Buffer) => (out += d));
    await new Promise<void>((resolve, reject) => {
      server.stdout.on('data', (d: Buffer) => ((out += d), out.includes('Admin key') && resolve()));
      void closed.then((code) => reject(new Error(`serve exited ${code}: ${out}`)));
    });
  });
  afterAll(async () => {
    server.kill('SIGINT');
    await closed;
    await rm(cwd, { recursive: true, force: true });
  });

  it('has its shell examples use curl -f, so that a refusal fails them', () => {
    const curls = blocks(section('A tour of the API'), 'sh').join('\n').match(/\bcurl\b[^\n]*/g) ?? [];
    expect(curls.length).toBeGreaterThan(20);
    for (const c of curls) expect(c).toMatch(/^curl -fsS /);
  });

  it('runs every command, in order, as written', async () => {
    // Only the port differs from what a newcomer runs beside `npm start`.
    const script = ['set -euo pipefail', ...blocks(section('A tour of the API'), 'sh')].join('\n').replaceAll('localhost:3000', `localhost:${port}`);
    const bash = spawn('bash', ['-c', script], { cwd, env: { ...process.env, ORDO_ADMIN_KEY: KEY } });
    let stdout = '';
    let stderr = '';
    bash.stdout.on('data', (d: Buffer) => (stdout += d));
    bash.stderr.on('data', (d: Buffer) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => bash.on('close', resolve));
    expect(code, `${stderr}\nlast answer: ${stdout.slice(-600)}`).toBe(0);
    expect(stderr).toBe('');
  }, 60_000);
});
