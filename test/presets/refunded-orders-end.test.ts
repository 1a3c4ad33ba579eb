/**
 * No order waits in a temporary status for ever: an order whose money all went back is ended
 * by the workflow, not left placed (standard), New (X-Cart) or partially paid (nuTickets).
 */
import { describe, expect, it } from 'vitest';
import { createOrder, getOrder, level, moveParcel, parcel, pay, presetSuite, refund, sku } from './support.js';

const { t, touched } = presetSuite();

const card = { method: 'card' };
const two = (s: string) => [{ sku: s, quantity: 2, unitPrice: 1500, name: 'Mug' }];

describe('standard', () => {
  it('a fully refunded order nothing was shipped on is cancelled, its stock back on the shelf', async () => {
    const s = await sku(t(), 'END-STD');
    const o = touched.add(await createOrder(t(), 'standard', { lines: two(s), shipping: 500, payment: card }));
    expect(o.status).toEqual({ order: 'placed', payment: 'paid', fulfillment: 'unfulfilled' });
    expect(await level(t(), s)).toEqual({ onHand: 8, reserved: 0, available: 8 });
    const back = await refund(t(), o.id, { amount: 3500 });
    expect(back.status).toEqual({ order: 'cancelled', payment: 'refunded', fulfillment: 'unfulfilled' });
    expect(back.next.order).toEqual([]);
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('a partial refund leaves the order to go on', async () => {
    const o = touched.add(await createOrder(t(), 'standard', { lines: two(await sku(t(), 'END-STD-PART')), payment: card }));
    const part = await refund(t(), o.id, { amount: 1000 });
    expect(part.status).toEqual({ order: 'placed', payment: 'partially_refunded', fulfillment: 'unfulfilled' });
  });

  it('refunded in full after it shipped: it ends as completed once delivered', async () => {
    const o = touched.add(await createOrder(t(), 'standard', { lines: two(await sku(t(), 'END-STD-SENT')), payment: card }));
    const sent = await parcel(t(), o.id, [{ lineId: o.lines[0].id, quantity: 2 }]);
    await moveParcel(t(), sent.parcelId, 'shipped');
    const back = await refund(t(), o.id, { amount: 3000 });
    // The goods are on their way: nothing is cancelled under them.
    expect(back.status).toEqual({ order: 'placed', payment: 'refunded', fulfillment: 'shipped' });
    expect((await moveParcel(t(), sent.parcelId, 'delivered')).status).toEqual({ order: 'completed', payment: 'refunded', fulfillment: 'delivered' });
  });
});

describe('X-Cart', () => {
  it('a fully refunded order nothing was shipped on will not be delivered', async () => {
    const s = await sku(t(), 'END-XC');
    const o = touched.add(await createOrder(t(), 'xcart', { lines: two(s), payment: card }));
    expect(o.status).toEqual({ payment: 'P', fulfilment: 'N' });
    const back = await refund(t(), o.id, { amount: 3000 });
    expect(back.status).toEqual({ payment: 'R', fulfilment: 'WND' });
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('refunded after it shipped: the fulfilment status stays as the goods are', async () => {
    const o = touched.add(await createOrder(t(), 'xcart', { lines: two(await sku(t(), 'END-XC-SENT')), payment: card }));
    const sent = await parcel(t(), o.id, [{ lineId: o.lines[0].id, quantity: 2 }]);
    await moveParcel(t(), sent.parcelId, 'shipped');
    expect((await refund(t(), o.id, { amount: 3000 })).status).toEqual({ payment: 'R', fulfilment: 'S' });
  });
});

describe('nuTickets', () => {
  it('a deposit given back in full ends the order as refunded and its tickets go back on sale', async () => {
    const s = await sku(t(), 'END-NT');
    const o = touched.add(await createOrder(t(), 'nutickets', { lines: two(s) }));
    const deposit = await pay(t(), o.id, { ...card, deposit: true });
    expect(deposit.status).toEqual({ order: 'partially_paid' });
    const back = await refund(t(), o.id, { amount: deposit.totals.paid });
    expect(back.status).toEqual({ order: 'refunded' });
    expect(back.timers).toEqual([]);
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    expect((await getOrder(t(), o.id)).next.order).toEqual([]);
  });
});
