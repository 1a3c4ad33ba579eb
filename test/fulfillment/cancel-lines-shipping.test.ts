/** Cancelling the last lines one by one takes the shipping with them, unless a parcel went out on it. */
import { describe, expect, it } from 'vitest';
import { decideCancel } from '../../src/domain/cancellation.js';
import type { Fulfillment } from '../../src/domain/fulfillments/fulfillment.js';
import { line, makeOrder, NOW } from '../domain/fixtures.js';
import { cancel, ok, parcel, place, scenarioSuite, stockedSku } from './support.js';

const placed = { order: 'placed', payment: 'unpaid', fulfillment: 'unfulfilled' };
const twoLines = [line('A', 1, 1000), line('B', 2, 500)];
const withShipping = { shipping: { amount: 495 } };
const sent = (state: Fulfillment['state']): Fulfillment => ({
  id: 'f-1', lines: [{ lineId: 'line-A', quantity: 1 }], carrier: null, trackingNumber: null, trackingUrl: null, state, createdAt: NOW.toISOString(), updatedAt: NOW.toISOString(),
});

describe('decideCancel and the shipping', () => {
  it('keeps the shipping while lines are left, drops it with the last ones', () => {
    const order = makeOrder(placed, twoLines, withShipping);
    const first = decideCancel(order, { type: 'cancel', lines: [{ lineId: 'line-A', quantity: 1 }], reason: 'r' });
    if (!first.ok) throw new Error(first.message);
    expect(first.value.order.shipping?.amount).toBe(495);
    expect(first.value.fact).toBe('order.partially_cancelled');
    const last = decideCancel(first.value.order, { type: 'cancel', lines: [{ lineId: 'line-B', quantity: 2 }], reason: 'r' });
    if (!last.ok) throw new Error(last.message);
    expect(last.value.fact).toBe('order.cancelled');
    expect(last.value.order.shipping?.amount).toBe(0);
    expect(last.value.events[0]!.data).toMatchObject({ shippingCancelled: 495 });
  });

  it.each(['shipped', 'delivered'] as const)('keeps the shipping when a parcel was %s on it', (state) => {
    const order = makeOrder(placed, [{ ...line('A', 1, 1000), fulfilled: 1 }], { ...withShipping, fulfillments: [sent(state)] });
    const all = decideCancel(order, { type: 'cancel', lines: [{ lineId: 'line-A', quantity: 1 }], reason: 'r' });
    if (!all.ok) throw new Error(all.message);
    expect(all.value.fact).toBe('order.cancelled');
    expect(all.value.order.shipping?.amount).toBe(495);
  });

  it('a parcel only packed (pending) or cancelled used no shipping', () => {
    for (const state of ['pending', 'cancelled'] as const) {
      const order = makeOrder(placed, [line('A', 1, 1000)], { ...withShipping, fulfillments: [sent(state)] });
      const all = decideCancel(order, { type: 'cancel', lines: [{ lineId: 'line-A', quantity: 1 }], reason: 'r' });
      expect(all.ok && all.value.order.shipping?.amount, state).toBe(0);
    }
  });

  it('the caller may still keep it, or drop it earlier', () => {
    const order = makeOrder(placed, twoLines, withShipping);
    const kept = decideCancel(order, { type: 'cancel', lines: [{ lineId: 'line-A', quantity: 1 }, { lineId: 'line-B', quantity: 2 }], cancelShipping: false, reason: 'r' });
    expect(kept.ok && kept.value.order.shipping?.amount).toBe(495);
    const early = decideCancel(order, { type: 'cancel', lines: [{ lineId: 'line-A', quantity: 1 }], cancelShipping: true, reason: 'r' });
    expect(early.ok && early.value.order.shipping?.amount).toBe(0);
  });
});

describe('over HTTP', () => {
  const { app, touched } = scenarioSuite();

  it('every line cancelled one by one: the order is cancelled and nothing is charged', async () => {
    const a = await stockedSku(app(), 'CXL-SHIP-A');
    const b = await stockedSku(app(), 'CXL-SHIP-B');
    const o = touched.add(await place(app(), { lines: [{ sku: a, quantity: 1, unitPrice: 1000 }, { sku: b, quantity: 2, unitPrice: 500 }], shipping: 495 }));
    const first = await cancel(app(), o.id, { lines: [{ lineId: o.lines[0].id, quantity: 1 }], reason: 'out of stock' });
    ok(first);
    expect(first.body.totals).toMatchObject({ shipping: 495, total: 1495 });
    const last = await cancel(app(), o.id, { lines: [{ lineId: o.lines[1].id, quantity: 2 }], reason: 'changed mind' });
    ok(last);
    expect(last.body.status.order).toBe('cancelled');
    expect(last.body.totals).toMatchObject({ subtotal: 0, shipping: 0, total: 0 });
  });

  it('the last lines cancelled after a parcel left: the shipping stays charged', async () => {
    const a = await stockedSku(app(), 'CXL-SENT-A');
    const o = touched.add(await place(app(), { lines: [{ sku: a, quantity: 2, unitPrice: 1000 }], shipping: 495, paid: true }));
    const lineId = o.lines[0].id;
    await parcel(app(), o.id, [{ lineId, quantity: 1 }], 'shipped');
    const rest = await cancel(app(), o.id, { lines: [{ lineId, quantity: 2 }], reason: 'the rest is not wanted' });
    ok(rest);
    expect(rest.body.totals.shipping).toBe(495);
  });
});
