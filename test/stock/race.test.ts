/**
 * Many buyers racing for the last units, against the real database: exactly the units on
 * hand are sold, the others are refused (or backordered where the SKU allows it), and the
 * ledger still equals the levels. Run with both forms of the stock lock (plain and Citus).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { admin, all, customer, expectLevels, expectRecordsConsistent, history, input, ledger, levels, ok, outbox, uniqueSku } from './helpers.js';

let t: TestApp;

const BUYERS = 200;

async function stockOf(sku: string, onHand: number, backorders = false) {
  ok(await t.ordo.stock.set(sku, { onHand, backorders, reason: 'race setup' }, admin));
}

async function expectNoMismatch() {
  const check = await t.ordo.stock.check();
  expect(check.mismatches).toEqual([]);
}

// The stock lock has a plain form and a Citus form (one statement per SKU); both must hold.
describe.each(['plain', 'citus'] as const)('%s statements', (statements) => {
  beforeAll(async () => { t = await startTestApp({ statements }); });
  afterAll(() => t.close());

  describe('the last five units, no backorders', () => {
    it(`${BUYERS} concurrent in-process buyers: exactly 5 orders, the rest refused with insufficient_stock`, async () => {
      const sku = uniqueSku('RACE');
      await stockOf(sku, 5);
      const results = await all(BUYERS, (i) => t.ordo.orders.create(input([{ sku, quantity: 1 }], { customer: { email: `b${i}@example.com` } }), customer(`race-${i}`)));
      const accepted = results.filter((r) => r.ok);
      const refused = results.flatMap((r) => (r.ok ? [] : [r]));
      expect(accepted).toHaveLength(5);
      expect(refused).toHaveLength(BUYERS - 5);
      for (const r of refused) {
        expect(r.code).toBe('insufficient_stock');
        expect((r.details as { shortages: unknown[] }).shortages).toEqual([{ sku, requested: 1, available: 0 }]);
      }
      for (const r of accepted) {
        if (!r.ok) continue;
        expect(r.value.status.order).toBe('placed');
        expect(r.value.lines[0]).toMatchObject({ sku, reserved: 1, committed: 0 });
      }
      expect(ok(await t.ordo.stock.get(sku))).toEqual({ sku, onHand: 5, reserved: 5, available: 0, backorders: false });
      await expectLevels(t.ordo.pool, sku, { onHand: 5, reserved: 5 });
      // One adjustment and one reservation per order sold; nothing written for the refused buyers.
      const sums = await ledger(t.ordo.pool, sku);
      expect(sums.count).toBe(1 + 5);
      const orders = await t.ordo.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE body->'lines'->0->>'sku' = $1`, [sku]);
      expect(orders.rows[0]!.n).toBe(5);
      await expectNoMismatch();
    });

    it(`${BUYERS} concurrent buyers over HTTP: exactly 5 get 201, the rest 409 insufficient_stock`, async () => {
      const sku = uniqueSku('RACE-HTTP');
      expect((await t.call('PUT', `/v1/inventory/${sku}`, { onHand: 5 })).status).toBe(200);
      const replies = await all(BUYERS, (i) =>
        t.call('POST', '/v1/orders', { currency: 'EUR', customer: { email: `h${i}@example.com` }, lines: [{ sku, quantity: 1, unitPrice: 500 }] }));
      const created = replies.filter((r) => r.status === 201);
      const refused = replies.filter((r) => r.status !== 201);
      expect(created).toHaveLength(5);
      expect(refused).toHaveLength(BUYERS - 5);
      for (const r of refused) {
        expect(r.status).toBe(409);
        expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(r.body.code).toBe('insufficient_stock');
        expect(r.body.shortages).toEqual([{ sku, requested: 1, available: 0 }]);
      }
      expect(new Set(created.map((r) => r.body.id)).size).toBe(5);
      expect((await t.call('GET', `/v1/inventory/${sku}`)).body).toEqual({ sku, onHand: 5, reserved: 5, available: 0, backorders: false });
      await expectLevels(t.ordo.pool, sku, { onHand: 5, reserved: 5 });
      await expectNoMismatch();
    });

    it('a buyer asking for more than is left is told how many are available', async () => {
      const sku = uniqueSku('RACE-QTY');
      await stockOf(sku, 5);
      const results = await all(40, () => t.ordo.orders.create(input([{ sku, quantity: 2 }]), admin));
      expect(results.filter((r) => r.ok)).toHaveLength(2);
      const refused = results.flatMap((r) => (r.ok ? [] : [r]));
      expect(refused).toHaveLength(38);
      // Two orders of 2 leave 1; with 3 left a buyer of 2 still fits, so every refusal saw exactly 1.
      for (const r of refused) {
        expect(r.code).toBe('insufficient_stock');
        const [s] = (r.details as { shortages: { sku: string; requested: number; available: number }[] }).shortages;
        expect(s).toEqual({ sku, requested: 2, available: 1 });
      }
      await expectLevels(t.ordo.pool, sku, { onHand: 5, reserved: 4 });
    });
  });

  describe('backorders allowed', () => {
    it('every buyer is accepted; available goes below zero by exactly the excess; each order past the fifth is backordered', async () => {
      const sku = uniqueSku('RACE-BO');
      await stockOf(sku, 5, true);
      const n = 60;
      const results = await all(n, () => t.ordo.orders.create(input([{ sku, quantity: 1 }]), admin));
      const orders = results.map(ok);
      expect(orders).toHaveLength(n);
      expect(ok(await t.ordo.stock.get(sku))).toEqual({ sku, onHand: 5, reserved: n, available: 5 - n, backorders: true });
      await expectLevels(t.ordo.pool, sku, { onHand: 5, reserved: n });
      let backordered = 0;
      for (const o of orders) {
        const h = await history(t.ordo.pool, o.id);
        const marks = h.filter((r) => r.type === 'stock.backordered');
        const events = (await outbox(t.ordo.pool, o.id)).filter((r) => r.type === 'stock.backordered');
        expect(events).toHaveLength(marks.length);
        if (marks.length > 0) {
          backordered++;
          expect(marks).toHaveLength(1);
          expect(marks[0]!.data).toEqual({ skus: [sku] });
          expect(events[0]!.payload).toMatchObject({ data: { skus: [sku], order: { status: o.status } } });
        }
        // The order holds its unit either way.
        expect(o.lines[0]).toMatchObject({ reserved: 1, committed: 0 });
        await expectRecordsConsistent(t.ordo.pool, o.id);
      }
      expect(backordered).toBe(n - 5);
      await expectNoMismatch();
    });

    it('X-Cart: backordered orders are NB to the admin and N to the customer who placed them', async () => {
      const sku = uniqueSku('RACE-XC');
      await stockOf(sku, 5, true);
      const key = await t.storefrontKey('xcart-racer');
      const n = 25;
      const replies = await all(n, (i) =>
        t.call('POST', '/v1/orders', { workflow: 'xcart', currency: 'USD', customer: { email: `x${i}@example.com` }, lines: [{ sku, quantity: 1, unitPrice: 900 }] }, { key }));
      expect(replies.map((r) => r.status)).toEqual(Array(n).fill(201));
      // The customer sees N everywhere, including in the answer to the order that ran out.
      for (const r of replies) expect(r.body.status).toEqual({ payment: 'Q', fulfilment: 'N' });
      const ids = replies.map((r) => r.body.id as string);
      const asAdmin = await Promise.all(ids.map((id) => t.call('GET', `/v1/orders/${id}`)));
      const nb = asAdmin.filter((r) => r.body.status.fulfilment === 'NB');
      expect(nb).toHaveLength(n - 5);
      expect(asAdmin.filter((r) => r.body.status.fulfilment === 'N')).toHaveLength(5);
      for (const r of asAdmin) expect(r.body.status.payment).toBe('Q');
      for (const r of nb) {
        const mine = await t.call('GET', `/v1/orders/${r.body.id}`, undefined, { key });
        expect(mine.status).toBe(200);
        expect(mine.body.status.fulfilment).toBe('N');
        const h = await history(t.ordo.pool, r.body.id);
        expect(h.filter((x) => x.type === 'stock.backordered')).toHaveLength(1);
        expect(h.filter((x) => x.type === 'order.status_changed' && x.track === 'fulfilment').map((x) => `${x.from_state}->${x.to_state}`)).toEqual(['N->NB']);
        expect((await outbox(t.ordo.pool, r.body.id)).map((x) => x.type)).toContain('stock.backordered');
      }
      // The customer's own listing shows N too.
      const listed = await t.call('GET', '/v1/orders?workflow=xcart&limit=100', undefined, { key });
      expect(listed.body.items.filter((o: { id: string }) => ids.includes(o.id)).map((o: { status: { fulfilment: string } }) => o.status.fulfilment)).toEqual(Array(n).fill('N'));
      await expectLevels(t.ordo.pool, sku, { onHand: 5, reserved: n });
      await expectNoMismatch();
    });
  });

  it('X-Cart: a customer cannot tell from the history or the status filter that an order is backordered', async () => {
    const sku = uniqueSku('RACE-XC-LEAK');
    await stockOf(sku, 0, true);
    const key = await t.storefrontKey('xcart-leak');
    const o = await t.call('POST', '/v1/orders', { workflow: 'xcart', currency: 'USD', lines: [{ sku, quantity: 1, unitPrice: 900 }] }, { key });
    expect((await t.call('GET', `/v1/orders/${o.body.id}`)).body.status.fulfilment).toBe('NB');
    const h = await t.call('GET', `/v1/orders/${o.body.id}/history`, undefined, { key });
    expect(h.status).toBe(200);
    for (const item of h.body.items) {
      expect(item.from).not.toBe('NB');
      expect(item.to).not.toBe('NB');
    }
    const listed = await t.call('GET', '/v1/orders?status=NB', undefined, { key });
    expect(listed.body.items.map((x: { id: string }) => x.id)).not.toContain(o.body.id);
  });

  describe('several SKUs at once', () => {
    it('orders taking A and B in either line order never deadlock and never oversell either SKU', async () => {
      const a = uniqueSku('RACE-A');
      const b = uniqueSku('RACE-B');
      await stockOf(a, 7);
      await stockOf(b, 4);
      const shapes = [[a, b], [b, a], [a], [b]] as const;
      const n = 160;
      const results = await all(n, (i) => t.ordo.orders.create(input(shapes[i % 4]!.map((sku) => ({ sku, quantity: 1 }))), admin));
      const accepted = results.flatMap((r) => (r.ok ? [r.value] : []));
      const refused = results.flatMap((r) => (r.ok ? [] : [r]));
      expect(accepted.length + refused.length).toBe(n);
      const soldA = accepted.filter((o) => o.lines.some((l) => l.sku === a)).length;
      const soldB = accepted.filter((o) => o.lines.some((l) => l.sku === b)).length;
      // More buyers than units for each SKU: both sell out, exactly.
      expect(soldA).toBe(7);
      expect(soldB).toBe(4);
      for (const r of refused) {
        expect(r.code).toBe('insufficient_stock');
        for (const s of (r.details as { shortages: { sku: string; requested: number; available: number }[] }).shortages) {
          expect([a, b]).toContain(s.sku);
          expect(s).toMatchObject({ requested: 1, available: 0 });
        }
      }
      expect(await levels(t.ordo.pool, a)).toEqual({ onHand: 7, reserved: 7, available: 0, backorders: false });
      expect(await levels(t.ordo.pool, b)).toEqual({ onHand: 4, reserved: 4, available: 0, backorders: false });
      await expectLevels(t.ordo.pool, a, { onHand: 7, reserved: 7 });
      await expectLevels(t.ordo.pool, b, { onHand: 4, reserved: 4 });
      await expectNoMismatch();
    });

    it('racing cancellations and new buyers on two SKUs keep the ledger and never oversell', async () => {
      const a = uniqueSku('RACE-CA');
      const b = uniqueSku('RACE-CB');
      await stockOf(a, 6);
      await stockOf(b, 6);
      const first = await all(6, (i) => t.ordo.orders.create(input(i % 2 ? [{ sku: a, quantity: 1 }, { sku: b, quantity: 1 }] : [{ sku: b, quantity: 1 }, { sku: a, quantity: 1 }]), admin));
      const held = first.map(ok);
      await expectLevels(t.ordo.pool, a, { onHand: 6, reserved: 6 });
      // Cancel three while 60 buyers race for what those cancellations give back.
      const [cancels, buys] = await Promise.all([
        Promise.all(held.slice(0, 3).map((o) => t.ordo.orders.execute(o.id, { type: 'transition', track: 'order', to: 'cancelled' }, admin))),
        all(60, (i) => t.ordo.orders.create(input(i % 2 ? [{ sku: a, quantity: 1 }, { sku: b, quantity: 1 }] : [{ sku: b, quantity: 1 }, { sku: a, quantity: 1 }]), admin)),
      ]);
      cancels.forEach((c) => expect(ok(c).status.order).toBe('cancelled'));
      const sold = buys.filter((r) => r.ok).length;
      expect(sold).toBeLessThanOrEqual(3);
      for (const r of buys) if (!r.ok) expect(r.code).toBe('insufficient_stock');
      await expectLevels(t.ordo.pool, a, { onHand: 6, reserved: 3 + sold });
      await expectLevels(t.ordo.pool, b, { onHand: 6, reserved: 3 + sold });
      await expectNoMismatch();
    });
  });
});
