/**
 * Each due timer fires exactly once: however often the sweeper runs, however many sweepers
 * run at once (in one process or several), and when a person changes the order at the same
 * moment. The timers table stays an index of the orders' own timer lists throughout.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/engine/clock.js';
import type { OrderView } from '../../src/engine/order-view.js';
import { createOrdo } from '../../src/engine/ordo.js';
import { claimDueTimers } from '../../src/store/timers.js';
import { findOrdersForCommand } from '../../src/store/orders.js';
import type { TestApp } from '../support/app.js';
import { timerSuite } from './clock.js';
import { statementsOf } from '../support/statements.js';
import { admin, all, customer, expectLevels, expectRecordsConsistent, expectTimersIndexed, history, input, ok, orderMovements, uniqueSku } from '../stock/helpers.js';

let t: TestApp;

const MIN = 60;
const HOUR = 3600;
const none = { fired: 0, stale: 0, failed: 0 };
const get = async (id: string) => ok(await t.ordo.orders.get(id, admin));
const firings = async (id: string) => (await history(t.ordo.pool, id)).filter((h) => h.type === 'timer.fired').length;
const indexRows = async (ids: readonly string[]) => (await t.ordo.pool.query('SELECT 1 FROM timers WHERE order_id = ANY($1::uuid[])', [ids])).rowCount;
const drafts = (n: number) => all(n, () => t.ordo.orders.create(input([{ sku: 'ANY', quantity: 1 }], { draft: true }), admin)).then((rs) => rs.map(ok));
const sum = (rs: readonly { fired: number; stale: number; failed: number }[]) =>
  rs.reduce((a, r) => ({ fired: a.fired + r.fired, stale: a.stale + r.stale, failed: a.failed + r.failed }), none);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Timer claims have a plain form (SKIP LOCKED) and a Citus form (a conditional update per candidate); both must hold.
describe.each(['plain', 'citus'] as const)('%s statements', (statements) => {
  const suite = timerSuite({ statements });
  beforeAll(() => {
    t = suite.t();
  });

  describe('one sweeper', () => {
    it('fires a due timer once: sweeping again fires nothing, and history has one timer.fired', async () => {
      const [o] = await drafts(1);
      t.clock.advance(10 * MIN);
      expect(await t.ordo.sweeper.sweep()).toEqual({ fired: 1, stale: 0, failed: 0 });
      expect(await t.ordo.sweeper.sweep()).toEqual(none);
      t.clock.advance(HOUR);
      expect(await t.ordo.sweeper.sweep()).toEqual(none);
      expect(await firings(o!.id)).toBe(1);
      const after = await get(o!.id);
      expect(after.status.order).toBe('cancelled');
      expect(after.version).toBe(2);
      expect(await indexRows([o!.id])).toBe(0);
      await expectRecordsConsistent(t.ordo.pool, o!.id);
    });

    it('reads the orders of a claimed batch in one round trip, then writes each', async () => {
      const orders = await drafts(5);
      t.clock.advance(10 * MIN);
      let swept;
      const sent = await statementsOf(async () => { swept = await t.ordo.sweeper.sweep(); });
      expect(swept).toEqual({ fired: 5, stale: 0, failed: 0 });
      expect(sent.filter((q) => q === 'ordo_find_orders_for_command')).toHaveLength(1);
      expect(sent.filter((q) => q === 'ordo_find_order_for_command')).toHaveLength(0);
      for (const o of orders) expect((await get(o.id)).status.order).toBe('cancelled');
    });

    it('an order changed after its batch was read is read again: the command applies to what it now is', async () => {
      const [o] = await drafts(1);
      const [read] = [...(await findOrdersForCommand(t.ordo.pool, [o!.id])).values()];
      ok(await t.ordo.orders.execute(o!.id, { type: 'transition', track: 'order', to: 'placed' }, admin));
      const saved = ok(await t.ordo.orders.executeRead(o!.id, { type: 'transition', track: 'order', to: 'cancelled' }, admin, read));
      expect(saved.version).toBe(3);
      expect((await history(t.ordo.pool, o!.id)).filter((h) => h.track === 'order' && h.to_state).map((h) => h.to_state)).toEqual(['placed', 'cancelled']);
    });

    it('a timer whose order left the state is not fired: its index row goes with the state', async () => {
      const [o] = await drafts(1);
      expect(await indexRows([o!.id])).toBe(1);
      ok(await t.ordo.orders.execute(o!.id, { type: 'transition', track: 'order', to: 'placed' }, admin));
      const rows = await t.ordo.pool.query<{ name: string }>('SELECT name FROM timers WHERE order_id = $1', [o!.id]);
      expect(rows.rows.map((r) => r.name)).toEqual(['payment-deadline']);
      t.clock.advance(10 * MIN);
      expect(await t.ordo.sweeper.sweep()).toEqual(none);
      expect(await firings(o!.id)).toBe(0);
      expect((await get(o!.id)).status.order).toBe('placed');
    });

    it('an index row the order no longer waits on is dropped as stale, fires nothing, and leaves the real timer alone', async () => {
      const [o] = await drafts(1);
      const real = (await get(o!.id)).timers[0]!;
      // A leftover row, as if from an earlier setting of the same timer.
      await t.ordo.pool.query('INSERT INTO timers (order_id, name, due_at) VALUES ($1, $2, $3)', [o!.id, 'basket', new Date(t.clock.now().getTime() - 1000)]);
      expect(await t.ordo.sweeper.sweep()).toEqual({ fired: 0, stale: 1, failed: 0 });
      const rows = await t.ordo.pool.query<{ due_at: Date }>('SELECT due_at FROM timers WHERE order_id = $1', [o!.id]);
      expect(rows.rows.map((r) => r.due_at.toISOString())).toEqual([real.dueAt]);
      const after = await get(o!.id);
      expect(after.status.order).toBe('draft');
      expect(after.version).toBe(1);
      expect(await firings(o!.id)).toBe(0);
      // The real one still fires when due.
      t.clock.advance(10 * MIN);
      expect(await t.ordo.sweeper.sweep()).toEqual({ fired: 1, stale: 0, failed: 0 });
    });

    it('a row left over for an order that has finished is dropped as stale', async () => {
      const [o] = await drafts(1);
      ok(await t.ordo.orders.execute(o!.id, { type: 'transition', track: 'order', to: 'cancelled' }, admin));
      await t.ordo.pool.query('INSERT INTO timers (order_id, name, due_at) VALUES ($1, $2, $3)', [o!.id, 'basket', t.clock.now()]);
      expect(await t.ordo.sweeper.sweep()).toEqual({ fired: 0, stale: 1, failed: 0 });
      expect(await indexRows([o!.id])).toBe(0);
      expect(await firings(o!.id)).toBe(0);
      expect((await get(o!.id)).version).toBe(2);
    });

    it('a claim that was never finished (a sweeper died) lapses after its lease and the timer fires then, once', async () => {
      const [o] = await drafts(1);
      t.clock.advance(10 * MIN);
      const claimed = await claimDueTimers(t.ordo.pool, t.ordo.dialect, t.clock.now(), 100);
      expect(claimed.map((c) => c.orderId)).toEqual([o!.id]);
      expect(await t.ordo.sweeper.sweep()).toEqual(none);
      t.clock.advance(59);
      expect(await t.ordo.sweeper.sweep()).toEqual(none);
      expect((await get(o!.id)).status.order).toBe('draft');
      t.clock.advance(1);
      expect(await t.ordo.sweeper.sweep()).toEqual({ fired: 1, stale: 0, failed: 0 });
      expect(await t.ordo.sweeper.sweep()).toEqual(none);
      expect(await firings(o!.id)).toBe(1);
    });
  });

  describe('a timer racing a manual status change', () => {
    it('standard: the payment deadline and an admin cancelling at once: for each order exactly one takes effect', async () => {
      const sku = uniqueSku('TRACE');
      ok(await t.ordo.stock.set(sku, { onHand: 100 }, admin));
      const n = 20;
      const orders = (await all(n, () => t.ordo.orders.create(input([{ sku, quantity: 2 }]), admin))).map(ok);
      t.clock.advance(HOUR);
      // An order that stays out of the race keeps units reserved throughout.
      const bystander = ok(await t.ordo.orders.create(input([{ sku, quantity: 10 }]), admin));
      await expectLevels(t.ordo.pool, sku, { onHand: 100, reserved: 2 * n + 10 });
      t.clock.advance(71 * HOUR);
      // The sweeper works from the front of the due list; the admin cancels from the back, a little at a time.
      const [swept, cancels] = await Promise.all([
        t.ordo.sweeper.sweep(),
        Promise.all([...orders].reverse().map(async (o, i) => {
          await pause(i * 2);
          return [o.id, await t.ordo.orders.execute(o.id, { type: 'transition', track: 'order', to: 'cancelled' }, admin)] as const;
        })),
      ]);
      let timerWins = 0;
      for (const [id, result] of cancels) {
        const h = await history(t.ordo.pool, id);
        const cancelled = h.filter((x) => x.type === 'order.status_changed' && x.to_state === 'cancelled');
        expect(cancelled).toHaveLength(1);
        const fired = h.filter((x) => x.type === 'timer.fired');
        if (result.ok) {
          // The admin won: the timer never fired.
          expect(fired).toHaveLength(0);
          expect(cancelled[0]).toMatchObject({ actor_kind: 'admin', from_state: 'placed' });
        } else {
          timerWins++;
          expect(result.code).toBe('transition_not_allowed');
          expect(fired).toHaveLength(1);
          expect(cancelled[0]).toMatchObject({ actor_kind: 'system', from_state: 'placed' });
        }
        const o = await get(id);
        expect(o.status.order).toBe('cancelled');
        expect(o.version).toBe(2);
        expect(o.timers).toEqual([]);
        expect(o.lines[0]).toMatchObject({ reserved: 0, committed: 0 });
        expect(h.map((x) => x.type)).toEqual(['order.created', 'order.status_changed', ...(result.ok ? [] : ['timer.fired']), 'order.status_changed']);
        await expectRecordsConsistent(t.ordo.pool, id);
        expect(await orderMovements(t.ordo.pool, id)).toEqual(['reserve 2', 'release 2']);
      }
      expect(swept.fired).toBe(timerWins);
      expect(swept.failed).toBe(0);
      expect(swept.stale).toBeLessThanOrEqual(n - timerWins);
      await expectLevels(t.ordo.pool, sku, { onHand: 100, reserved: 10 });
      expect(await indexRows(orders.map((o) => o.id))).toBe(0);
      expect((await get(bystander.id)).status.order).toBe('placed');
    });

    it('a timer and an admin cancelling the only order holding a SKU: one wins, the other is told so, nothing throws', async () => {
      for (let trial = 0; trial < 5; trial++) {
        const sku = uniqueSku('TRACE-LAST');
        ok(await t.ordo.stock.set(sku, { onHand: 2 }, admin));
        const o = ok(await t.ordo.orders.create(input([{ sku, quantity: 2 }]), admin));
        t.clock.advance(72 * HOUR);
        const [swept, cancel] = await Promise.all([
          t.ordo.sweeper.sweep(),
          t.ordo.orders.execute(o.id, { type: 'transition', track: 'order', to: 'cancelled' }, admin),
        ]);
        expect(swept.fired + (cancel.ok ? 1 : 0)).toBe(1);
        await expectLevels(t.ordo.pool, sku, { onHand: 2, reserved: 0 });
      }
    });

    it('concurrent admin cancellations of the only order holding a SKU: one is accepted, the others refused, none throws', async () => {
      for (let trial = 0; trial < 5; trial++) {
        const sku = uniqueSku('CANCEL-LAST');
        ok(await t.ordo.stock.set(sku, { onHand: 2 }, admin));
        const o = ok(await t.ordo.orders.create(input([{ sku, quantity: 2 }]), admin));
        const results = await Promise.all(Array.from({ length: 4 }, () => t.ordo.orders.execute(o.id, { type: 'transition', track: 'order', to: 'cancelled' }, admin)));
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        for (const r of results) if (!r.ok) expect(r.code).toBe('transition_not_allowed');
      }
    });

    it('nuTickets: the basket timer and the customer paying at once: expired and released, or processing and held, never both', async () => {
      const sku = uniqueSku('TRACE-NT');
      ok(await t.ordo.stock.set(sku, { onHand: 50 }, admin));
      const n = 20;
      const me = customer('nt-racer');
      const orders = (await all(n, () => t.ordo.orders.create(input([{ sku, quantity: 1 }], { workflow: 'nutickets' }), me))).map(ok);
      t.clock.advance(10 * MIN);
      const [swept, pays] = await Promise.all([
        t.ordo.sweeper.sweep(),
        Promise.all([...orders].reverse().map(async (o, i) => {
          await pause(i * 2);
          return t.ordo.orders.execute(o.id, { type: 'transition', to: 'processing' }, me);
        })),
      ]);
      const paid = pays.filter((p) => p.ok).length;
      expect(swept.fired).toBe(n - paid);
      for (const [i, o] of [...orders].reverse().entries()) {
        const after = await get(o.id);
        const h = await history(t.ordo.pool, o.id);
        const changes = h.filter((x) => x.type === 'order.status_changed').map((x) => `${x.from_state}->${x.to_state}`);
        const pay = pays[i]!;
        if (pay.ok) {
          expect(after.status.order).toBe('processing');
          expect(changes).toEqual(['active->processing']);
          expect(await orderMovements(t.ordo.pool, o.id)).toEqual(['reserve 1']);
        } else {
          expect(pay.code).toBe('transition_not_allowed');
          expect(after.status.order).toBe('expired');
          expect(changes).toEqual(['active->expired']);
          expect(await orderMovements(t.ordo.pool, o.id)).toEqual(['reserve 1', 'release 1']);
        }
        expect(after.version).toBe(2);
        await expectRecordsConsistent(t.ordo.pool, o.id);
      }
      await expectLevels(t.ordo.pool, sku, { onHand: 50, reserved: paid });
    });
  });

  describe('several sweepers at once', () => {
    async function expectEachFiredOnce(orders: readonly OrderView[]) {
      for (const o of orders) {
        expect(await firings(o.id)).toBe(1);
        const after = await get(o.id);
        expect(after.status.order).toBe('cancelled');
        expect(after.version).toBe(2);
        await expectRecordsConsistent(t.ordo.pool, o.id);
      }
      expect(await indexRows(orders.map((o) => o.id))).toBe(0);
    }

    it('two sweeps in one process fire each due timer exactly once in total', async () => {
      const orders = await drafts(40);
      t.clock.advance(10 * MIN);
      const results = await Promise.all([t.ordo.sweeper.sweep(undefined, 5), t.ordo.sweeper.sweep(undefined, 5), t.ordo.sweeper.sweep(undefined, 5)]);
      expect(sum(results)).toEqual({ fired: 40, stale: 0, failed: 0 });
      await expectEachFiredOnce(orders);
    });

    it('three sweepers claiming at once: every due timer is claimed by exactly one of them', async () => {
      const orders = await drafts(30);
      t.clock.advance(10 * MIN);
      const now = t.clock.now();
      const claimAll = async () => {
        const mine: string[] = [];
        for (let batch = await claimDueTimers(t.ordo.pool, t.ordo.dialect, now, 4); batch.length > 0; batch = await claimDueTimers(t.ordo.pool, t.ordo.dialect, now, 4)) {
          mine.push(...batch.map((c) => c.orderId));
        }
        return mine;
      };
      const claims = await Promise.all([claimAll(), claimAll(), claimAll()]);
      const claimed = claims.flat();
      expect(claimed).toHaveLength(orders.length);
      expect(new Set(claimed)).toEqual(new Set(orders.map((o) => o.id)));
      // Claimed rows wait out their lease: the engine fires them on a later sweep, each once.
      t.clock.advance(60);
      expect(await t.ordo.sweeper.sweep()).toEqual({ fired: 30, stale: 0, failed: 0 });
      await expectEachFiredOnce(orders);
    });

    it('two Ordo instances on one database fire each due timer exactly once in total', async () => {
      const orders = await drafts(40);
      t.clock.advance(10 * MIN);
      const otherClock = new ManualClock(t.clock.now());
      const other = await createOrdo({ databaseUrl: t.ordo.databaseUrl, migrate: false, clock: otherClock, poolSize: 5, statements });
      try {
        // Connections open before the race: a sweeper still connecting finds the work done by the other.
        await Promise.all(Array.from({ length: 5 }, () => other.pool.query('SELECT 1')));
        const results = await Promise.all([t.ordo.sweeper.sweep(undefined, 5), other.sweeper.sweep(undefined, 5), other.sweeper.sweep(undefined, 5)]);
        expect(sum(results)).toEqual({ fired: 40, stale: 0, failed: 0 });
        // Both did some of the work.
        expect(results[0]!.fired).toBeLessThan(40);
        await expectEachFiredOnce(orders);
        expect(await other.sweeper.sweep()).toEqual(none);
      } finally {
        await other.close();
      }
    });
  });

  describe('the timers table is an index', () => {
    it('after a mixed sequence its rows equal the union of the orders\' timer lists', async () => {
      const sku = uniqueSku('TIDX');
      ok(await t.ordo.stock.set(sku, { onHand: 100 }, admin));
      const std = (await all(4, () => t.ordo.orders.create(input([{ sku, quantity: 1 }]), admin))).map(ok);
      const draft = await drafts(2);
      const nt = (await all(3, () => t.ordo.orders.create(input([{ sku, quantity: 1 }], { workflow: 'nutickets' }), customer('idx')))).map(ok);
      const link = ok(await t.ordo.orders.create(input([{ sku, quantity: 1 }], { workflow: 'nutickets', payment: { method: 'payment_link' } }), admin));
      await expectTimersIndexed(t.ordo.pool);
      ok(await t.ordo.orders.execute(std[0]!.id, { type: 'transition', track: 'payment', to: 'paid' }, admin));
      ok(await t.ordo.orders.execute(std[1]!.id, { type: 'transition', track: 'order', to: 'cancelled' }, admin));
      ok(await t.ordo.orders.execute(draft[0]!.id, { type: 'transition', track: 'order', to: 'placed' }, admin));
      ok(await t.ordo.orders.execute(nt[0]!.id, { type: 'extend_timer', name: 'basket' }, customer('idx')));
      ok(await t.ordo.orders.execute(nt[1]!.id, { type: 'transition', to: 'awaiting_invoice' }, customer('idx')));
      await expectTimersIndexed(t.ordo.pool);
      t.clock.advance(10 * MIN);
      expect((await t.ordo.sweeper.sweep()).fired).toBe(2); // draft[1] and nt[2]; nt[0] was extended
      await expectTimersIndexed(t.ordo.pool);
      t.clock.advance(10 * MIN);
      expect((await t.ordo.sweeper.sweep()).fired).toBe(1); // nt[0]
      await expectTimersIndexed(t.ordo.pool);
      const count = await t.ordo.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM timers WHERE order_id = ANY($1::uuid[])', [[...std, ...draft, ...nt, link].map((o) => o.id)]);
      // Left waiting: three standard payment deadlines (std[0] paid, std[2], std[3]), draft[0]'s deadline, the payment link.
      expect(count.rows[0]!.n).toBe(5);
    });
  });
});
