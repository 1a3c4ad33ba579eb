/**
 * A real Ordo server for the browser suite: `ordo serve` as a child process (from the sources,
 * through tsx, so a half-finished compiled build elsewhere in the tree does not matter), on its
 * own embedded PostgreSQL in a temporary directory, on the test clock, with the admin UI built.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../../src/store/embedded.js';
import { buildAdminIfStale } from '../../../scripts/build-admin-if-stale.mjs';

const root = path.resolve(import.meta.dirname, '../../..');
export const ADMIN_KEY = 'browser-suite-admin-key-0123456789';

export interface BrowserServer {
  readonly base: string;
  readonly call: (method: string, url: string, body?: unknown, key?: string) => Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- bodies are checked field by field
  stop(): Promise<void>;
}

export async function startServer(): Promise<BrowserServer> {
  if (buildAdminIfStale((line) => console.log(line)) === 'failed') throw new Error('the admin UI could not be built');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ordo-browser-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), 'serve'], {
    cwd: root,
    env: { ...process.env, ORDO_DATA_DIR: dataDir, ORDO_ADMIN_KEY: ADMIN_KEY, PORT: String(port), HOST: '127.0.0.1', ORDO_CLOCK: 'test', LOG_LEVEL: 'warn' },
  });
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  let out = '';
  child.stderr.on('data', (d: Buffer) => (out += d));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => ((out += d), out.includes('Admin key') && resolve()));
    void closed.then((code) => reject(new Error(`ordo serve exited ${code}: ${out}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    call: async (method, url, body, key = ADMIN_KEY) => {
      const res = await fetch(`${base}${url}`, { method, headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    stop: async () => {
      child.kill('SIGINT');
      await closed;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
