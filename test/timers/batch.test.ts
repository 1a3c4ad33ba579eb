/**
 * A sweep writes a claimed batch's firings together: one statement and one commit for the
 * batch, not one per order. Only saves that cannot be refused go in it (stock given back, never
 * taken); an order changed since the batch read it, and anything else, is decided again alone.
 * The outcome is the same as firing each timer by itself.
 */
import pg from 'pg';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { OrderCommand } from '../../src/domain/decide.js';
import type { Order } from '../../src/domain/order.js';
import type { Result } from '../../src/domain/result.js';
import { findOrdersForCommand } from '../../src/store/orders.js';
import type { TestApp } from '../support/app.js';
import { statementsOf } from '../support/statements.js';
import { timerSuite } from './clock.js';
import { admin, all, expectLevels, expectRecordsConsistent, history, input, ok, rejected, system, uniqueSku } from '../stock/helpers.js';

let t: TestApp;
const HOUR = 3600;
const cancel: OrderCommand = { type: 'transition', track: 'order', to: 'cancelled' };
const place: OrderCommand = { type: 'transition', track: 'order', to: 'placed' };
const writes = (sent: readonly string[]) => sent.filter((q) => q.startsWith('ordo_save_orders') || q.startsWith('ordo_update_order') || q === 'BEGIN');

/** `n` placed standard orders, each holding one unit of a fresh SKU with `n` on hand. */
async function holding(n: number): Promise<{ sku: string; ids: string[] }> {
  const sku = uniqueSku('SWEPT');
  ok(await t.ordo.stock.set(sku, { onHand: n }, admin));
  const orders = await all(n, () => t.ordo.orders.create(input([{ sku, quantity: 1 }]), admin).then(ok));
  return { sku, ids: orders.map((o) => o.id) };
}

/** Each order's outbox numbers its events 1, 2, … and the order counts them all. */
async function expectEventsNumbered(ids: readonly string[]): Promise<void> {
  const res = await t.ordo.pool.query<{ id: string; events: number; sequences: number[] }>(
    'SELECT o.id, o.events, array_agg(e.sequence::int ORDER BY e.sequence) AS sequences FROM orders o JOIN outbox e ON e.order_id = o.id WHERE o.id = ANY($1::uuid[]) GROUP BY o.id, o.events',
    [ids],
  );
  expect(res.rows).toHaveLength(ids.length);
  for (const r of res.rows) expect(r.sequences).toEqual(Array.from({ length: r.events }, (_, i) => i + 1));
}

describe('plain statements', () => {
  const suite = timerSuite({ statements: 'plain' });
  beforeAll(() => {
    t = suite.t();
  });

  it("writes a claimed batch's firings in one statement per part (two parts at once here), the stock they give back included", async () => {
    const { sku, ids } = await holding(6);
    await expectLevels(t.ordo.pool, sku, { onHand: 6, reserved: 6 });
    t.clock.advance(72 * HOUR);
    let swept;
    const sent = await statementsOf(async () => { swept = await t.ordo.sweeper.sweep(undefined, 500, 2); });
    expect(swept).toEqual({ fired: 6, stale: 0, failed: 0 });
    expect(writes(sent)).toEqual(['ordo_save_orders', 'ordo_save_orders']);
    await expectLevels(t.ordo.pool, sku, { onHand: 6, reserved: 0 });
    const released = await t.ordo.pool.query('SELECT order_id FROM stock_movements WHERE sku = $1 AND kind = $2', [sku, 'release']);
    expect(released.rows.map((r: { order_id: string }) => r.order_id).sort()).toEqual([...ids].sort());
    for (const id of ids) {
      const o = ok(await t.ordo.orders.get(id, admin));
      expect([o.status.order, o.version]).toEqual(['cancelled', 2]);
      expect((await history(t.ordo.pool, id)).filter((h) => h.type === 'timer.fired')).toHaveLength(1);
      await expectRecordsConsistent(t.ordo.pool, id);
    }
    await expectEventsNumbered(ids);
  });

  it('claims and reads the next batch while it fires this one', async () => {
    const { sku } = await holding(6);
    t.clock.advance(72 * HOUR);
    let swept;
    const sent = await statementsOf(async () => { swept = await t.ordo.sweeper.sweep(undefined, 2, 1); });
    expect(swept).toEqual({ fired: 6, stale: 0, failed: 0 });
    const claims = sent.flatMap((q, i) => (q === 'ordo_claim_timers' ? [i] : []));
    const saves = sent.flatMap((q, i) => (q === 'ordo_save_orders' ? [i] : []));
    // Three batches of two and the claim that finds nothing; each claim goes out before the previous batch is written.
    expect([claims.length, saves.length]).toEqual([4, 3]);
    for (const [k, save] of saves.entries()) expect(claims[k + 1]).toBeLessThan(save);
    await expectLevels(t.ordo.pool, sku, { onHand: 6, reserved: 0 });
  });

  it('an order changed after the batch read it is left out of the statement and decided again on what it now is', async () => {
    const drafts = await all(3, () => t.ordo.orders.create(input([{ sku: 'ANY', quantity: 1 }], { draft: true }), admin).then(ok));
    const read = await findOrdersForCommand(t.ordo.pool, drafts.map((o) => o.id));
    ok(await t.ordo.orders.execute(drafts[0]!.id, place, admin));
    let results: Result<Order>[] = [];
    const sent = await statementsOf(async () => {
      results = await t.ordo.orders.executeBatch(drafts.map((o) => ({ read: read.get(o.id)!, command: cancel })), system, 1);
    });
    // Alone, its write is the order's own statement (with the stock it gives back).
    expect(writes(sent)).toEqual(['ordo_save_orders', expect.stringMatching(/^ordo_update_order/)]);
    expect(results.map((r) => ok(r).version)).toEqual([3, 2, 2]);
    expect((await history(t.ordo.pool, drafts[0]!.id)).filter((h) => h.track === 'order' && h.to_state).map((h) => h.to_state)).toEqual(['placed', 'cancelled']);
    for (const o of drafts) await expectRecordsConsistent(t.ordo.pool, o.id);
  });

  it('a save that takes stock goes alone, and is refused alone when the stock is short', async () => {
    const sku = uniqueSku('TAKEN');
    ok(await t.ordo.stock.set(sku, { onHand: 1 }, admin));
    const [a, b, c] = await all(3, (i) => t.ordo.orders.create(input([{ sku: i < 2 ? sku : 'ANY', quantity: 1 }], { draft: true }), admin).then(ok));
    const read = await findOrdersForCommand(t.ordo.pool, [a!.id, b!.id, c!.id]);
    let results: Result<Order>[] = [];
    const sent = await statementsOf(async () => {
      results = await t.ordo.orders.executeBatch([
        { read: read.get(a!.id)!, command: place },
        { read: read.get(b!.id)!, command: place },
        { read: read.get(c!.id)!, command: cancel },
      ], admin, 1);
    });
    expect(writes(sent).sort()).toEqual(['ordo_save_orders', 'ordo_update_order_moving_stock', 'ordo_update_order_moving_stock']);
    const [ra, rb, rc] = results;
    expect([ra!.ok, rb!.ok].filter(Boolean)).toHaveLength(1);
    rejected(ra!.ok ? rb! : ra!, 'insufficient_stock');
    expect(ok(rc!).status.order).toBe('cancelled');
    await expectLevels(t.ordo.pool, sku, { onHand: 1, reserved: 1 });
  });

  it('when the batch statement fails (a deadlock, say), nothing of it stands and each firing goes alone', async () => {
    const { sku, ids } = await holding(3);
    t.clock.advance(72 * HOUR);
    const original = pg.Client.prototype.query;
    const failing = vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
      const q = args[0] as { name?: string };
      if (q?.name === 'ordo_save_orders') {
        // The pool hands the client a callback; answer through it, as the driver would.
        const done = args.find((a): a is (err: Error) => void => typeof a === 'function');
        const err = Object.assign(new Error('deadlock detected'), { code: '40P01' });
        if (done) return void setImmediate(() => done(err)) as never;
        return Promise.reject(err) as never;
      }
      return (original as (...a: unknown[]) => unknown).apply(this, args) as never;
    });
    const heard: string[] = [];
    const reported = vi.spyOn(console, 'error').mockImplementation((...what: unknown[]) => void heard.push(what.map(String).join(' ')));
    try {
      expect(await t.ordo.sweeper.sweep()).toEqual({ fired: 3, stale: 0, failed: 0 });
    } finally {
      failing.mockRestore();
      reported.mockRestore();
    }
    expect(heard.some((line) => line.includes('deadlock detected'))).toBe(true);
    await expectLevels(t.ordo.pool, sku, { onHand: 3, reserved: 0 });
    for (const id of ids) expect(ok(await t.ordo.orders.get(id, admin)).status.order).toBe('cancelled');
    await expectEventsNumbered(ids);
  });
});

describe('citus statements', () => {
  const suite = timerSuite({ statements: 'citus' });
  beforeAll(() => {
    t = suite.t();
  });

  it("fires each order with a statement of its own: a batch's orders live on many shards", async () => {
    const { sku } = await holding(3);
    t.clock.advance(72 * HOUR);
    let swept;
    const sent = await statementsOf(async () => { swept = await t.ordo.sweeper.sweep(); });
    expect(swept).toEqual({ fired: 3, stale: 0, failed: 0 });
    expect(sent).not.toContain('ordo_save_orders');
    await expectLevels(t.ordo.pool, sku, { onHand: 3, reserved: 0 });
  });
});
