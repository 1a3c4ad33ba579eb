/** Shipping an order in parts: parcels take units, commit their stock, and move the order's fulfillment status. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody, startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const level = async (sku: string) => (await t.call('GET', `/v1/inventory/${sku}`)).body;
const ship = (id: string, lines: { lineId: string; quantity: number }[], extra: Record<string, unknown> = {}) => t.call('POST', `/v1/orders/${id}/fulfillments`, { lines, ...extra });
const move = (fulfillmentId: string, to: string) => t.call('POST', `/v1/fulfillments/${fulfillmentId}/transitions`, { to });

async function paidOrder(sku: string, quantity: number) {
  await t.call('PUT', `/v1/inventory/${sku}`, { onHand: 10 });
  const o = await t.call('POST', '/v1/orders', orderBody({ lines: [{ sku, quantity, unitPrice: 1000 }], payment: { method: 'card' } }));
  expect(o.body.status.payment).toBe('paid');
  return o.body;
}

describe('fulfillments', () => {
  it('ships and delivers an order in two parcels; the order completes once paid and delivered', async () => {
    const o = await paidOrder('FUL-A', 3);
    const lineId = o.lines[0].id;
    const first = await ship(o.id, [{ lineId, quantity: 2 }], { carrier: 'DHL', trackingNumber: 'JD001', trackingUrl: 'https://track.example/JD001' });
    expect(first.status).toBe(201);
    expect(first.body.fulfillments[0]).toMatchObject({ state: 'pending', carrier: 'DHL', trackingNumber: 'JD001', lines: [{ lineId, quantity: 2 }] });
    expect(first.body.status.fulfillment).toBe('unfulfilled');
    const f1 = first.body.fulfillments[0].id;
    expect((await move(f1, 'shipped')).body.status.fulfillment).toBe('partially_shipped');
    const second = await ship(o.id, [{ lineId, quantity: 1 }]);
    const f2 = second.body.fulfillments[1].id;
    expect((await move(f2, 'shipped')).body.status.fulfillment).toBe('shipped');
    expect((await move(f1, 'delivered')).body.status.fulfillment).toBe('partially_delivered');
    const done = await move(f2, 'delivered');
    expect(done.body.status).toEqual({ order: 'completed', payment: 'paid', fulfillment: 'delivered' });
    expect(await level('FUL-A')).toMatchObject({ onHand: 7, reserved: 0 });
  });

  it('never fulfils more than is left, and refuses a step a parcel cannot take', async () => {
    const o = await paidOrder('FUL-B', 2);
    const lineId = o.lines[0].id;
    const over = await ship(o.id, [{ lineId, quantity: 3 }]);
    expect(over.status).toBe(422);
    expect(over.body).toMatchObject({ code: 'fulfillment_exceeds_line', left: 2 });
    const f = (await ship(o.id, [{ lineId, quantity: 2 }])).body.fulfillments[0].id;
    expect((await ship(o.id, [{ lineId, quantity: 1 }])).body.code).toBe('fulfillment_exceeds_line');
    await move(f, 'shipped');
    const back = await move(f, 'pending');
    expect(back.status).toBe(409);
    expect(back.body).toMatchObject({ code: 'transition_not_allowed', allowed: ['delivered', 'cancelled'] });
  });

  it('a cancelled parcel gives its units back to be fulfilled again, and moves the status back', async () => {
    const o = await paidOrder('FUL-C', 2);
    const lineId = o.lines[0].id;
    const f = (await ship(o.id, [{ lineId, quantity: 2 }])).body.fulfillments[0].id;
    expect((await move(f, 'shipped')).body.status.fulfillment).toBe('shipped');
    const cancelled = await move(f, 'cancelled');
    expect(cancelled.body.status.fulfillment).toBe('unfulfilled');
    expect(cancelled.body.lines[0].fulfilled).toBe(0);
    expect((await ship(o.id, [{ lineId, quantity: 2 }])).status).toBe(201);
    expect((await t.ordo.stock.check()).mismatches).toEqual([]);
  });

  it('commits held stock when a parcel is made for an order not paid yet', async () => {
    await t.call('PUT', '/v1/inventory/FUL-D', { onHand: 5 });
    const o = (await t.call('POST', '/v1/orders', orderBody({ lines: [{ sku: 'FUL-D', quantity: 2, unitPrice: 100 }] }))).body;
    expect(await level('FUL-D')).toMatchObject({ onHand: 5, reserved: 2 });
    await ship(o.id, [{ lineId: o.lines[0].id, quantity: 1 }]);
    expect(await level('FUL-D')).toMatchObject({ onHand: 4, reserved: 1 });
    // Called off now: the unit still here is let go, the one that left is not put back.
    await t.call('POST', `/v1/orders/${o.id}/transitions`, { to: 'cancelled' });
    expect(await level('FUL-D')).toMatchObject({ onHand: 4, reserved: 0 });
    expect((await t.ordo.stock.check()).mismatches).toEqual([]);
  });

  it('an unknown fulfillment is 404, and a storefront key may not ship', async () => {
    expect((await move('01890000-0000-7000-8000-000000000000', 'shipped')).body.code).toBe('fulfillment_not_found');
    const key = await t.storefrontKey('cust-ful');
    const o = (await t.call('POST', '/v1/orders', orderBody(), { key })).body;
    expect((await t.call('POST', `/v1/orders/${o.id}/fulfillments`, { lines: [{ lineId: o.lines[0].id, quantity: 1 }] }, { key })).status).toBe(403);
  });
});
