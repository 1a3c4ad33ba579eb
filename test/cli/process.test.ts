/**
 * `ordo serve` as a process on its embedded PostgreSQL: a restart after kill -9, a second serve
 * and one-off commands on the same data directory, and a bounded shutdown whatever the
 * database's state. The steps run in order on one data directory (each start runs initdb once).
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/store/embedded.js';
import { runOrdo, serveOrdo, type Serving } from '../support/cli.js';

const run = runOrdo;

const startServing = serveOrdo;

/** Whether the process runs (a zombie, dead but not yet reaped by whoever adopted it, does not). */
const alive = (pid: number) => {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

const postmasterPid = async (dataDir: string) => Number((await readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);

async function waitUntil(what: string, ok: () => boolean | Promise<boolean>, ms: number) {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) if (await ok()) return;
  throw new Error(`not ${what} within ${ms} ms`);
}

describe('ordo serve on its embedded PostgreSQL, as a process', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let serving: Serving | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'ordo-process-'));
    env = { ORDO_DATA_DIR: dataDir, DATABASE_URL: '', ORDO_ADMIN_KEY: 'process-test-key', ORDO_PG_PORT: '' };
  });
  afterAll(async () => {
    if (serving && serving.child.exitCode === null) {
      serving.child.kill('SIGINT');
      await serving.closed;
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts again after kill -9, stopping the PostgreSQL the killed process left running', async () => {
    const first = await startServing(env);
    expect((await fetch(`${first.base}/healthz`)).status).toBe(200);
    const orphan = await postmasterPid(dataDir);
    first.child.kill('SIGKILL');
    await first.closed;
    expect(alive(orphan)).toBe(true); // left behind, holding the data directory

    const started = Date.now();
    serving = await startServing(env);
    expect((await fetch(`${serving.base}/healthz`)).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(alive(orphan)).toBe(false);
    expect(await postmasterPid(dataDir)).not.toBe(orphan);
  }, 90_000);

  it('refuses a second serve on the same data directory with one plain line', async () => {
    const res = await run(['serve'], { ...env, PORT: String(await freePort()) });
    expect(res.code).toBe(1);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr.trim()).toBe(`ordo: another Ordo (pid ${serving!.child.pid}) is already running on the data directory ${dataDir}: stop it, or give this one its own with ORDO_DATA_DIR=<dir>`);
    expect((await fetch(`${serving!.base}/healthz`)).status).toBe(200);
  }, 60_000);

  it('runs check stock, sweep and migrate on the running server\'s database rather than starting another', async () => {
    const put = await fetch(`${serving!.base}/v1/inventory/PROCESS-SKU`, {
      method: 'PUT',
      headers: { authorization: 'Bearer process-test-key', 'content-type': 'application/json' },
      body: JSON.stringify({ onHand: 4 }),
    });
    expect(put.status).toBe(200);
    const postmaster = await postmasterPid(dataDir);

    const check = await run(['check', 'stock'], env);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('1 SKU(s) checked, 0 inconsistent');
    const sweep = await run(['sweep'], env);
    expect(sweep.stderr).toBe('');
    expect(sweep.code).toBe(0);
    const migrate = await run(['migrate'], env);
    expect(migrate.code).toBe(0);
    expect(migrate.stdout).toContain('the database is up to date');

    // The server and its database carry on as they were.
    expect(await postmasterPid(dataDir)).toBe(postmaster);
    expect((await fetch(`${serving!.base}/healthz`)).status).toBe(200);
  }, 60_000);

  it('stops on SIGINT within 3 s, with its PostgreSQL and its record of it', async () => {
    const postmaster = await postmasterPid(dataDir);
    const started = Date.now();
    serving!.child.kill('SIGINT');
    expect(await serving!.closed).toBe(0);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(alive(postmaster)).toBe(false);
    expect(existsSync(path.join(dataDir, 'owner.json'))).toBe(false);
  }, 30_000);

  it('runs check stock on its own embedded PostgreSQL when no server runs, and exits 1 on a mismatch', async () => {
    serving = await startServing(env);
    const { databaseUrl } = JSON.parse(await readFile(path.join(dataDir, 'owner.json'), 'utf8')) as { databaseUrl: string };
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    await db.query(`UPDATE inventory SET on_hand = on_hand + 1 WHERE sku = 'PROCESS-SKU'`);
    await db.end();
    serving.child.kill('SIGINT');
    expect(await serving.closed).toBe(0);

    const check = await run(['check', 'stock'], env);
    expect(check.stdout).toContain('PROCESS-SKU: on hand 5 (ledger 4)');
    expect(check.code).toBe(1);
    expect(existsSync(path.join(dataDir, 'owner.json'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
  }, 90_000);

  it('answers 503 with Retry-After when its PostgreSQL dies', async () => {
    serving = await startServing(env);
    const postmaster = await postmasterPid(dataDir);
    process.kill(postmaster, 'SIGKILL');
    await waitUntil('dead', () => !alive(postmaster), 5000);

    const health = await fetch(`${serving.base}/healthz`);
    expect(health.status).toBe(503);
    expect(health.headers.get('retry-after')).toBe('5');
    const orders = await fetch(`${serving.base}/v1/orders`, { headers: { authorization: 'Bearer process-test-key' } });
    expect(orders.status).toBe(503);
    expect(orders.headers.get('retry-after')).toBe('5');
    expect(((await orders.json()) as { code: string }).code).toBe('database_unavailable');
  }, 90_000);

  it('stops on SIGINT within 3 s after its PostgreSQL died', async () => {
    const started = Date.now();
    serving!.child.kill('SIGINT');
    expect(await serving!.closed).toBe(0);
    expect(Date.now() - started).toBeLessThan(3000);
  }, 30_000);
});
