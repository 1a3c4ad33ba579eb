/** The `ordo` command, run as a child process from the sources. */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../src/store/embedded.js';
import { emptyDatabase, freshDatabase } from '../support/database.js';
import { runOrdo, spawnOrdo } from '../support/cli.js';

const ordo = spawnOrdo;
const run = runOrdo;

const waitFor = (child: ChildProcessWithoutNullStreams, text: string) =>
  new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      if (out.includes(text)) resolve(out);
    });
    child.on('close', (code) => reject(new Error(`exited ${code} before printing '${text}': ${out}`)));
  });

describe('ordo workflow', () => {
  it('prints the standard workflow as a Mermaid diagram, the same as the API serves', async () => {
    const res = await run(['workflow', 'show', 'standard', '--mermaid']);
    expect(res.code).toBe(0);
    expect(res.stdout.startsWith('stateDiagram-v2')).toBe(true);
    for (const state of ['order_placed', 'payment_partially_refunded', 'fulfillment_partially_delivered']) expect(res.stdout).toContain(state);
    const { toMermaid } = await import('../../src/domain/workflow/mermaid.js');
    const { standard } = await import('../../src/workflows/standard.js');
    expect(res.stdout).toBe(toMermaid(standard));
  });

  it('prints the workflow as JSON without --mermaid', async () => {
    const res = await run(['workflow', 'show', 'standard']);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout).tracks.map((t: { id: string }) => t.id)).toEqual(['order', 'payment', 'fulfillment']);
  });

  it('refuses an unknown workflow with one plain line and a non-zero exit', async () => {
    const res = await run(['workflow', 'show', 'nope']);
    expect(res.code).toBe(1);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/^ordo: there is no workflow 'nope'/);
  });
});

/** Servers started and not stopped yet: a test that fails or times out stops them (`stopServing`), so none outlives it. */
const serving = new Set<ChildProcessWithoutNullStreams>();

/** Stops what is still serving as SIGINT does (the embedded PostgreSQL with it); killed if it takes more than 10 s. */
const stopServing = () =>
  Promise.all([...serving].map((child) => new Promise<void>((resolve) => {
    const timer = setTimeout(() => (child.kill('SIGKILL'), resolve()), 10_000);
    child.once('close', () => (clearTimeout(timer), resolve()));
    child.kill('SIGINT');
  })));

async function startServing(env: Record<string, string>) {
  const port = await freePort();
  const child = ordo(['serve'], { ...env, PORT: String(port) });
  serving.add(child);
  child.on('close', () => serving.delete(child));
  const banner = await waitFor(child, 'Admin key');
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { banner, base: `http://127.0.0.1:${port}`, stop: () => (child.kill('SIGINT'), closed) };
}

describe('ordo serve', () => {
  // After a timeout too, when the test's own `finally` may never run.
  afterEach(stopServing);

  it('serves the API on DATABASE_URL with the given admin key, and stops cleanly on SIGINT', async () => {
    const port = await freePort();
    const child = ordo(['serve'], { DATABASE_URL: await freshDatabase(), PORT: String(port), ORDO_ADMIN_KEY: 'cli-test-key' });
    const banner = await waitFor(child, 'Admin key');
    expect(banner).toContain(`http://127.0.0.1:${port}`);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok', database: true });
    const created = await fetch(`http://127.0.0.1:${port}/v1/orders`, {
      method: 'POST',
      headers: { authorization: 'Bearer cli-test-key', 'content-type': 'application/json' },
      body: JSON.stringify({ currency: 'USD', lines: [{ sku: 'A', quantity: 1, unitPrice: 100 }] }),
    });
    expect(created.status).toBe(201);
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGINT');
    expect(await closed).toBe(0);
  });

  it('starts its own embedded PostgreSQL, makes and keeps an admin key, and reuses the data on the next start', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ordo-cli-'));
    const env = { ORDO_DATA_DIR: dataDir, DATABASE_URL: '', ORDO_ADMIN_KEY: '' };
    try {
      const first = await startServing(env);
      const key = (await readFile(path.join(dataDir, 'admin.key'), 'utf8')).trim();
      expect(first.banner).toContain(key);
      expect(first.banner).toContain(`embedded PostgreSQL, data in ${dataDir}`);
      const created = await fetch(`${first.base}/v1/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ currency: 'USD', lines: [{ sku: 'A', quantity: 1, unitPrice: 100 }] }),
      });
      const { id } = (await created.json()) as { id: string };
      expect(await first.stop()).toBe(0);

      const second = await startServing(env);
      // Printed when made, never again: the second start says where it is kept.
      expect(second.banner).not.toContain(key);
      expect(second.banner).toContain(path.join(dataDir, 'admin.key'));
      const read = await fetch(`${second.base}/v1/orders/${id}`, { headers: { authorization: `Bearer ${key}` } });
      expect(read.status).toBe(200);
      expect(await second.stop()).toBe(0);
    } finally {
      await stopServing();
      await rm(dataDir, { recursive: true, force: true });
    }
    // Two starts of an embedded PostgreSQL, the first with initdb: on a loaded 2-core machine, more than the default 30 s.
  }, 90_000);

  it('exits with one plain line when the configuration is wrong', async () => {
    const res = await run(['serve'], { PORT: 'eighty' });
    expect(res.code).toBe(1);
    expect(res.stderr.trim()).toBe("ordo: PORT must be a port number, not 'eighty'");
  });
});

describe('ordo db distribute', () => {
  it('refuses a database without Citus with one plain line and a non-zero exit, leaving it unmigrated', async () => {
    const url = await emptyDatabase();
    const res = await run(['db', 'distribute'], { DATABASE_URL: url });
    expect(res.code).toBe(1);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/^ordo: this database has no citus extension/);
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      expect((await db.query(`SELECT 1 FROM pg_tables WHERE schemaname = 'public'`)).rowCount).toBe(0);
    } finally {
      await db.end();
    }
  });

  it('refuses without DATABASE_URL: the embedded PostgreSQL has no Citus', async () => {
    const res = await run(['db', 'distribute'], { DATABASE_URL: '' });
    expect(res.code).toBe(1);
    expect(res.stderr.trim()).toBe('ordo: ordo db distribute needs DATABASE_URL, the Citus coordinator to lay out');
  });
});
