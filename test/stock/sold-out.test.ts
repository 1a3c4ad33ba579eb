/**
 * A SKU this process saw sold out: the next new order taking it is refused on a read of the levels
 * as committed (one light statement, no lock, nothing written), not on a write thrown away. The
 * read decides only the way: the answer is the one the write would give, a restock is seen at
 * once, and an order decided on a workflow that changed since is written as usual.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveCustomization } from '../../src/store/workflow-customizations.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { statementsOf } from '../support/statements.js';
import { admin, expectLevels, input, ledger, ok, rejected, uniqueSku } from './helpers.js';

let t: TestApp;
let citus: TestApp;
beforeAll(async () => {
  [t, citus] = await Promise.all([startTestApp({ statements: 'plain' }), startTestApp({ statements: 'citus' })]);
});
afterAll(() => Promise.all([t.close(), citus.close()]));

const READ = 'ordo_read_levels_and_revision';
const WRITE = 'ordo_insert_order_moving_stock';
const orderCount = async () => (await t.ordo.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM orders')).rows[0]!.n;

/** A new order for `quantity` of `sku`, with the statements it sent (the relay's own wake-ups left out). */
async function buy(sku: string, quantity: number, on: TestApp = t) {
  let result: Awaited<ReturnType<TestApp['ordo']['orders']['create']>> | undefined;
  const sent = await statementsOf(async () => { result = await on.ordo.orders.create(input([{ sku, quantity }]), admin); });
  return { result: result!, sent: sent.filter((q) => q === READ || q.startsWith('ordo_insert_order')) };
}

describe('a SKU seen sold out', () => {
  it('refuses the next buyer on a read of its level: the same refusal, and nothing written', async () => {
    const sku = uniqueSku('SOLD');
    ok(await t.ordo.stock.set(sku, { onHand: 1 }, admin));
    ok((await buy(sku, 1)).result);
    const first = await buy(sku, 1);
    expect(first.sent).toEqual([WRITE]);
    const byWrite = rejected(first.result, 'insufficient_stock');

    const orders = await orderCount();
    const second = await buy(sku, 1);
    expect(second.sent).toEqual([READ]);
    const byRead = rejected(second.result, 'insufficient_stock');
    expect(byRead).toEqual(byWrite);
    expect(byRead.details).toEqual({ shortages: [{ sku, requested: 1, available: 0 }] });
    expect(await orderCount()).toBe(orders);
    await expectLevels(t.ordo.pool, sku, { onHand: 1, reserved: 1 });
    expect(await ledger(t.ordo.pool, sku)).toEqual({ onHand: 1, reserved: 1, count: 2 });
  });

  it('on Citus (where a stock move is a transaction) as well', async () => {
    const sku = uniqueSku('SOLD');
    ok(await citus.ordo.stock.set(sku, { onHand: 0 }, admin));
    const byTransaction = rejected((await buy(sku, 1, citus)).result, 'insufficient_stock');
    const second = await buy(sku, 1, citus);
    expect(second.sent).toEqual([READ]);
    expect(rejected(second.result, 'insufficient_stock')).toEqual(byTransaction);
  });

  it('sells a restock at once, then goes back to writing straight away', async () => {
    const sku = uniqueSku('SOLD');
    ok(await t.ordo.stock.set(sku, { onHand: 0 }, admin));
    expect((await buy(sku, 1)).sent).toEqual([WRITE]);
    expect((await buy(sku, 1)).sent).toEqual([READ]);
    ok(await t.ordo.stock.set(sku, { onHand: 2, reason: 'restock' }, admin));

    const restocked = await buy(sku, 1);
    ok(restocked.result);
    expect(restocked.sent).toEqual([READ, WRITE]);
    const next = await buy(sku, 1);
    ok(next.result);
    expect(next.sent).toEqual([WRITE]);
    await expectLevels(t.ordo.pool, sku, { onHand: 2, reserved: 2 });
  });

  it('an order decided on a workflow changed since is written as usual, and decided again', async () => {
    const sku = uniqueSku('SOLD');
    ok(await t.ordo.stock.set(sku, { onHand: 0 }, admin));
    rejected((await buy(sku, 1)).result, 'insufficient_stock');
    // Another process's change to the workflow this process decides new orders on.
    const stored = await t.ordo.pool.query<{ revision: number }>(`SELECT revision FROM workflow_customizations WHERE workflow = 'standard'`);
    await saveCustomization(t.ordo.pool, 'standard', { revision: (stored.rows[0]?.revision ?? 0) + 1, settings: { paymentTimeout: '9h' }, labels: {}, statuses: [] }, t.clock.now());

    const after = await buy(sku, 1);
    rejected(after.result, 'insufficient_stock');
    // The read finds the workflow moved on; the write (on it) is refused as stale; decided again, the read refuses.
    expect(after.sent).toEqual([READ, WRITE, READ]);
  });

  it('a buyer still waiting for a connection when the SKU sells out is refused on the read', async () => {
    const sku = uniqueSku('SOLD');
    ok(await t.ordo.stock.set(sku, { onHand: 0 }, admin));
    // Every connection of the pool held: both buyers are decided, then wait for one. One is let go:
    // the first buyer writes on it, then hands it to the second.
    const held = await Promise.all(Array.from({ length: t.ordo.pool.options.max }, () => t.ordo.pool.connect()));
    let results: Awaited<ReturnType<TestApp['ordo']['orders']['create']>>[] = [];
    const sent = await statementsOf(async () => {
      const buyers = [t.ordo.orders.create(input([{ sku, quantity: 1 }]), admin), t.ordo.orders.create(input([{ sku, quantity: 1 }]), admin)];
      await new Promise((resolve) => setTimeout(resolve, 50));
      held.pop()!.release();
      results = await Promise.all(buyers);
    });
    for (const c of held) c.release();
    for (const r of results) rejected(r, 'insufficient_stock');
    // The first one's write found the SKU sold out; the second, decided before that, reads.
    expect(sent.filter((q) => q === READ || q.startsWith('ordo_insert_order'))).toEqual([WRITE, READ]);
  });

  it('many buyers of a restock at once: exactly what is on hand is sold', async () => {
    const sku = uniqueSku('SOLD');
    ok(await t.ordo.stock.set(sku, { onHand: 0 }, admin));
    rejected((await buy(sku, 1)).result, 'insufficient_stock');
    ok(await t.ordo.stock.set(sku, { onHand: 3, reason: 'restock' }, admin));
    const results = await Promise.all(Array.from({ length: 12 }, () => t.ordo.orders.create(input([{ sku, quantity: 1 }]), admin)));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.code)).toEqual(Array(9).fill('insufficient_stock'));
    await expectLevels(t.ordo.pool, sku, { onHand: 3, reserved: 3 });
  });
});
