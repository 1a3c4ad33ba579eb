/**
 * On plain PostgreSQL a command that moves stock writes the order and moves the stock in one
 * statement, holding the SKUs' row locks for that one round trip, unless a SKU would go below
 * zero available: then it writes nothing, and the command is refused from what the statement
 * saw, or, where that SKU allows backorders, the transactional path decides under the locks.
 * On Citus the move stays a transaction of its own (orders and SKUs live on different shards).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { statementsOf } from '../support/statements.js';
import { admin, expectLevels, input, ledger, levels, ok, rejected, uniqueSku } from './helpers.js';

describe('plain statements', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp({ statements: 'plain' }); });
  afterAll(() => t.close());

  const stockOf = async (sku: string, onHand: number, backorders = false) => ok(await t.ordo.stock.set(sku, { onHand, backorders, reason: 'setup' }, admin));

  it('a checkout that reserves stock there is enough of is one statement, no transaction', async () => {
    const sku = uniqueSku('ONE');
    await stockOf(sku, 3);
    const sent = await statementsOf(async () => ok(await t.ordo.orders.create(input([{ sku, quantity: 2 }]), admin)));
    expect(sent).toContain('ordo_insert_order_moving_stock');
    expect(sent).not.toContain('BEGIN');
    await expectLevels(t.ordo.pool, sku, { onHand: 3, reserved: 2 });
    expect(await ledger(t.ordo.pool, sku)).toEqual({ onHand: 3, reserved: 2, count: 2 });
  });

  it('a cancellation that releases its reservation writes the order with the stock in one statement (the order as this process answered it)', async () => {
    const sku = uniqueSku('ONE');
    await stockOf(sku, 3);
    const order = ok(await t.ordo.orders.create(input([{ sku, quantity: 2 }]), admin));
    const sent = await statementsOf(async () => ok(await t.ordo.orders.execute(order.id, { type: 'transition', track: 'order', to: 'cancelled' }, admin)));
    // (A wake-up for the event relay may go out meanwhile: it is no part of the command.)
    expect(sent.filter((q) => !q.includes('pg_notify')).slice(0, 1)).toEqual(['ordo_update_order_moving_stock']);
    expect(sent).not.toContain('BEGIN');
    await expectLevels(t.ordo.pool, sku, { onHand: 3, reserved: 0 });
    expect(await ledger(t.ordo.pool, sku)).toEqual({ onHand: 3, reserved: 0, count: 3 });
  });

  it('a SKU that runs short (no backorders) writes nothing, and is refused from what the one statement saw: no transaction', async () => {
    const sku = uniqueSku('ONE');
    await stockOf(sku, 1);
    const before = (await t.ordo.pool.query('SELECT count(*)::int AS n FROM orders')).rows[0].n;
    let result: Awaited<ReturnType<TestApp['ordo']['orders']['create']>> | undefined;
    const sent = await statementsOf(async () => { result = await t.ordo.orders.create(input([{ sku, quantity: 2 }]), admin); });
    const refusal = rejected(result!, 'insufficient_stock');
    expect(refusal.details).toEqual({ shortages: [{ sku, requested: 2, available: 1 }] });
    expect(sent).toContain('ordo_insert_order_moving_stock');
    expect(sent).not.toContain('BEGIN');
    expect((await t.ordo.pool.query('SELECT count(*)::int AS n FROM orders')).rows[0].n).toBe(before);
    await expectLevels(t.ordo.pool, sku, { onHand: 1, reserved: 0 });
    expect(await ledger(t.ordo.pool, sku)).toEqual({ onHand: 1, reserved: 0, count: 1 });
  });

  it('a SKU that allows backorders and goes below zero is left to the domain, in a transaction: the line is backordered', async () => {
    const sku = uniqueSku('ONE');
    await stockOf(sku, 1, true);
    let created: Awaited<ReturnType<TestApp['ordo']['orders']['create']>> | undefined;
    const sent = await statementsOf(async () => { created = await t.ordo.orders.create(input([{ sku, quantity: 3 }]), admin); });
    expect(sent.indexOf('ordo_insert_order_moving_stock')).toBeLessThan(sent.indexOf('BEGIN'));
    const order = ok(created!);
    const history = ok(await t.ordo.orders.history(order.id, admin)).map((h) => h.type);
    expect(history).toContain('stock.backordered');
    expect(await levels(t.ordo.pool, sku)).toMatchObject({ onHand: 1, reserved: 3, available: -2 });
  });

  it('a level changed after the statement began counts as it was when its lock was granted', async () => {
    const sku = uniqueSku('ONE');
    await stockOf(sku, 3);
    ok(await t.ordo.orders.create(input([{ sku, quantity: 2 }]), admin));
    // Another transaction holds the SKU and gives one unit back; three buyers of one wait on its lock.
    const other = new pg.Client({ connectionString: t.ordo.databaseUrl });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT 1 FROM inventory WHERE sku = $1 FOR UPDATE', [sku]);
      await other.query('UPDATE inventory SET reserved = reserved - 1 WHERE sku = $1', [sku]);
      await other.query(`INSERT INTO stock_movements (id, sku, kind, quantity, on_hand_delta, reserved_delta, actor_kind, at) VALUES (gen_random_uuid(), $1, 'release', 1, 0, -1, 'admin', now())`, [sku]);
      const buyers = [1, 2, 3].map(() => t.ordo.orders.create(input([{ sku, quantity: 1 }]), admin));
      await new Promise((resolve) => setTimeout(resolve, 200));
      await other.query('COMMIT');
      // Two units were free once the lock was granted (one as the buyers began): two sold, not one, never three.
      const results = await Promise.all(buyers);
      expect(results.filter((r) => r.ok)).toHaveLength(2);
      for (const r of results.filter((x) => !x.ok)) rejected(r, 'insufficient_stock');
    } finally {
      await other.end();
    }
    await expectLevels(t.ordo.pool, sku, { onHand: 3, reserved: 3 });
  });

  it('a new order for a SKU already sold out is refused without waiting for the SKU\'s lock', async () => {
    const sku = uniqueSku('ONE');
    await stockOf(sku, 1);
    ok(await t.ordo.orders.create(input([{ sku, quantity: 1 }]), admin));
    const other = new pg.Client({ connectionString: t.ordo.databaseUrl });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT 1 FROM inventory WHERE sku = $1 FOR UPDATE', [sku]);
      const late = t.ordo.orders.create(input([{ sku, quantity: 1 }]), admin);
      const first = await Promise.race([late.then(() => 'answered'), new Promise((resolve) => setTimeout(() => resolve('waiting'), 2000))]);
      expect(first).toBe('answered');
      rejected(await late, 'insufficient_stock');
    } finally {
      await other.query('ROLLBACK');
      await other.end();
    }
    await expectLevels(t.ordo.pool, sku, { onHand: 1, reserved: 1 });
  });
});

describe('citus statements', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp({ statements: 'citus' }); });
  afterAll(() => t.close());

  it('a cancellation that releases its reservation is a transaction of its own', async () => {
    const sku = uniqueSku('ONE');
    ok(await t.ordo.stock.set(sku, { onHand: 3, backorders: false, reason: 'setup' }, admin));
    const order = ok(await t.ordo.orders.create(input([{ sku, quantity: 2 }]), admin));
    const sent = await statementsOf(async () => ok(await t.ordo.orders.execute(order.id, { type: 'transition', track: 'order', to: 'cancelled' }, admin)));
    expect(sent).toContain('BEGIN');
    expect(sent).toContain('ordo_update_order');
    expect(sent).not.toContain('ordo_update_order_moving_stock');
    await expectLevels(t.ordo.pool, sku, { onHand: 3, reserved: 0 });
  });
});
