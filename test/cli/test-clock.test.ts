/**
 * Rehearsing on the test clock (ORDO_CLOCK=test) keeps its future-dated orders out of the real
 * ones: on the embedded server in a database of its own, ordo_rehearsal; on DATABASE_URL only a
 * database holding no orders made on the system clock is taken (and marked as a rehearsal's).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrdo } from '../../src/engine/ordo.js';
import { freePort } from '../../src/store/embedded.js';
import { runOrdo, serveOrdo, type Serving } from '../support/cli.js';
import { freshDatabase } from '../support/database.js';

const KEY = 'test-clock-key';
const auth = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };

const serve = (env: Record<string, string>) => serveOrdo({ ORDO_ADMIN_KEY: KEY, ORDO_PG_PORT: '', ...env });

const createOrder = async (s: Serving, sku: string) => {
  const r = await fetch(`${s.base}/v1/orders`, { method: 'POST', headers: auth, body: JSON.stringify({ currency: 'EUR', lines: [{ sku, quantity: 1, unitPrice: 500 }] }) });
  expect(r.status).toBe(201);
};
const skus = async (s: Serving) => {
  const r = await fetch(`${s.base}/v1/orders`, { headers: auth });
  const page = (await r.json()) as { items: { lines: { sku: string }[] }[] };
  return page.items.map((o) => o.lines[0]!.sku);
};

describe('the test clock on the embedded server', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'ordo-test-clock-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('rehearses in the database ordo_rehearsal, leaving the real orders as they were', async () => {
    const env = { ORDO_DATA_DIR: dataDir, DATABASE_URL: '' };
    const real = await serve(env);
    await createOrder(real, 'REAL');
    expect(await real.stop()).toBe(0);

    const rehearsal = await serve({ ...env, ORDO_CLOCK: 'test' });
    expect(rehearsal.out()).toContain('rehearsal orders go to the database ordo_rehearsal');
    const owner = JSON.parse(await readFile(path.join(dataDir, 'owner.json'), 'utf8')) as { databaseUrl: string };
    expect(new URL(owner.databaseUrl).pathname).toBe('/ordo_rehearsal');
    expect(await skus(rehearsal)).toEqual([]);
    await createOrder(rehearsal, 'REHEARSED');
    const advanced = await fetch(`${rehearsal.base}/v1/clock/advance`, { method: 'POST', headers: auth, body: JSON.stringify({ seconds: 30 * 86400 }) });
    expect(advanced.status).toBe(200);
    expect(await rehearsal.stop()).toBe(0);

    const again = await serve(env);
    expect(await skus(again)).toEqual(['REAL']);
    expect(await again.stop()).toBe(0);
  }, 120_000);
});

describe('the test clock on DATABASE_URL', () => {
  it('refuses a database holding orders made on the system clock, with one plain line', async () => {
    const databaseUrl = await freshDatabase();
    const ordo = await createOrdo({ databaseUrl, migrate: false });
    const made = await ordo.orders.create({ currency: 'EUR', lines: [{ sku: 'LIVE', quantity: 1, unitPrice: 500 }] }, { kind: 'admin', id: 'test' });
    expect(made.ok).toBe(true);
    await ordo.close();

    const res = await runOrdo(['serve'], { DATABASE_URL: databaseUrl, ORDO_CLOCK: 'test', ORDO_ADMIN_KEY: KEY, PORT: String(await freePort()) });
    expect(res.code).toBe(1);
    expect(res.stderr.trim()).toBe('ordo: the database at DATABASE_URL holds orders made on the real clock; rehearse on the test clock with a database of its own (an empty one, e.g. createdb ordo_rehearsal)');
  }, 60_000);

  it('takes an empty database, marks it, and takes it again with its rehearsal orders', async () => {
    const env = { DATABASE_URL: await freshDatabase(), ORDO_CLOCK: 'test' };
    const first = await serve(env);
    await createOrder(first, 'REHEARSED');
    expect(await first.stop()).toBe(0);

    const second = await serve(env);
    expect(await skus(second)).toEqual(['REHEARSED']);
    expect(await second.stop()).toBe(0);
  }, 60_000);
});
