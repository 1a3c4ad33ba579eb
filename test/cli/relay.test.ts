/** `ordo relay` and the relay inside `ordo serve`: events written anywhere get their places. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrdo, type Ordo } from '../../src/engine/ordo.js';
import { freshDatabase } from '../support/database.js';
import { runOrdo, serveOrdo } from '../support/cli.js';

const admin = { kind: 'admin', id: 'cli-test' } as const;
let ordo: Ordo;
let url: string;
beforeAll(async () => {
  url = await freshDatabase();
  ordo = await createOrdo({ databaseUrl: url, migrate: false });
});
afterAll(async () => {
  await ordo.close();
});

const unplaced = async () => (await ordo.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE position IS NULL')).rows[0]!.n;
const newOrder = async () => {
  const made = await ordo.orders.create({ currency: 'EUR', lines: [{ sku: 'MUG', quantity: 1, unitPrice: 1200 }] }, admin);
  if (!made.ok) throw new Error(made.message);
  return made.value.id;
};

describe('ordo relay', () => {
  it('--once places every committed event and exits 0', async () => {
    await newOrder();
    expect(await unplaced()).toBeGreaterThan(0);
    const run = await runOrdo(['relay', '--once'], { DATABASE_URL: url });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/drained/);
    expect(await unplaced()).toBe(0);
  });

  it('refuses an unknown option with one plain line', async () => {
    const run = await runOrdo(['relay', '--twice'], { DATABASE_URL: url });
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/unknown option/);
  });

  it('ordo serve runs a relay: an order made elsewhere gets its places without anyone asking', async () => {
    const server = await serveOrdo({ DATABASE_URL: url, ORDO_ADMIN_KEY: 'relay-test-admin-key' });
    try {
      await newOrder();
      const deadline = Date.now() + 20_000;
      while ((await unplaced()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await unplaced()).toBe(0);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
