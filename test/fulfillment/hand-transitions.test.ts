/**
 * A goods status set by hand tells the truth about the parcels: shipped and delivered send
 * what is left (its stock taken as for any parcel); what cannot be made true is refused.
 */
import { describe, expect, it } from 'vitest';
import { historyOf } from '../payments/helpers.js';
import { historyTypes, level, ok, parcel, place, scenarioSuite, stockedSku, type Json } from './support.js';

const { app, touched } = scenarioSuite();

const transition = (id: string, body: Record<string, unknown>) => app().call('POST', `/v1/orders/${id}/transitions`, body);
const fulfilled = (o: Json) => (o.lines as Json[]).map((l) => l.fulfilled);

describe('standard: shipped and delivered by hand', () => {
  it('a paid order marked shipped then delivered with no parcel is completed with every unit fulfilled', async () => {
    const sku = await stockedSku(app(), 'HAND-SHIP', 10);
    const o = touched.add(await place(app(), { lines: [{ sku, quantity: 2, unitPrice: 1000 }], paid: true }));
    const shipped = await transition(o.id, { track: 'fulfillment', to: 'shipped' });
    ok(shipped);
    expect(shipped.body.status).toEqual({ order: 'placed', payment: 'paid', fulfillment: 'shipped' });
    expect(fulfilled(shipped.body)).toEqual([2]);
    expect(shipped.body.fulfillments).toMatchObject([{ state: 'shipped', lines: [{ lineId: o.lines[0].id, quantity: 2 }] }]);
    const delivered = await transition(o.id, { track: 'fulfillment', to: 'delivered' });
    ok(delivered);
    expect(delivered.body.status).toEqual({ order: 'completed', payment: 'paid', fulfillment: 'delivered' });
    expect(fulfilled(delivered.body)).toEqual([2]);
    expect(delivered.body.fulfillments.map((f: Json) => f.state)).toEqual(['delivered']);
    expect(await level(app(), sku)).toEqual({ onHand: 8, reserved: 0 });
    const history = historyTypes(await historyOf(app(), o.id));
    expect(history).toEqual(expect.arrayContaining(['fulfillment.created', 'fulfillment.changed']));
  });

  it('the parcel made by hand is a parcel like any other: it can be found and moved by its id', async () => {
    const o = touched.add(await place(app(), { lines: [{ sku: await stockedSku(app(), 'HAND-ID'), quantity: 1, unitPrice: 500 }], paid: true }));
    const shipped = await transition(o.id, { to: 'shipped' });
    ok(shipped);
    const id: string = shipped.body.fulfillments[0].id;
    // Made by the engine's id source, as every other parcel's id.
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const back = await app().call('POST', `/v1/fulfillments/${id}/transitions`, { to: 'cancelled' });
    ok(back);
    expect(back.body.status.fulfillment).toBe('unfulfilled');
    expect(fulfilled(back.body)).toEqual([0]);
  });

  it('moves parcels already made along and sends only what is left', async () => {
    const o = touched.add(await place(app(), { lines: [{ sku: await stockedSku(app(), 'HAND-REST'), quantity: 3, unitPrice: 1000 }], paid: true }));
    const lineId = o.lines[0].id;
    await parcel(app(), o.id, [{ lineId, quantity: 1 }], 'pending');
    const shipped = await transition(o.id, { to: 'shipped' });
    ok(shipped);
    expect(shipped.body.fulfillments.map((f: Json) => [f.state, f.lines[0].quantity])).toEqual([['shipped', 1], ['shipped', 2]]);
    expect(fulfilled(shipped.body)).toEqual([3]);
  });

  it('refuses a partial status no parcel bears out: fulfillment_required', async () => {
    const o = touched.add(await place(app(), { lines: [{ sku: await stockedSku(app(), 'HAND-PART'), quantity: 2, unitPrice: 1000 }], paid: true }));
    const refused = await transition(o.id, { to: 'partially_shipped' });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body).toMatchObject({ code: 'fulfillment_required', track: 'fulfillment', claims: 'partially_shipped', goods: 'unfulfilled', allowed: ['shipped'] });
    const after = (await app().call('GET', `/v1/orders/${o.id}`)).body;
    expect(after.version).toBe(o.version);
    expect(after.fulfillments).toEqual([]);
  });

  it('refuses shipping a cancelled order, and no longer offers it', async () => {
    const sku = await stockedSku(app(), 'HAND-CANCELLED');
    const o = touched.add(await place(app(), { lines: [{ sku, quantity: 1, unitPrice: 1000 }] }));
    const cancelled = await transition(o.id, { to: 'cancelled' });
    ok(cancelled);
    expect(cancelled.body.next.fulfillment).toEqual([]);
    const refused = await transition(o.id, { to: 'shipped' });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body).toMatchObject({ code: 'fulfillment_required', allowed: [] });
    expect(await level(app(), sku)).toEqual({ onHand: 10, reserved: 0 });
  });
});

describe('X-Cart: the admin sets the fulfilment status by hand', () => {
  it('Shipped and Delivered send the goods, as the admin says', async () => {
    const sku = await stockedSku(app(), 'HAND-XC', 10);
    const o = touched.add(await place(app(), { workflow: 'xcart', lines: [{ sku, quantity: 2, unitPrice: 1000 }], paid: true }));
    expect(o.status).toEqual({ payment: 'P', fulfilment: 'N' });
    const s = await transition(o.id, { track: 'fulfilment', to: 'S' });
    ok(s);
    expect(fulfilled(s.body)).toEqual([2]);
    const d = await transition(o.id, { track: 'fulfilment', to: 'D' });
    ok(d);
    expect(d.body.status).toEqual({ payment: 'P', fulfilment: 'D' });
    expect(d.body.fulfillments.map((f: Json) => f.state)).toEqual(['delivered']);
    expect(await level(app(), sku)).toEqual({ onHand: 8, reserved: 0 });
  });

  it('an order whose payment is cancelled ships nothing: Shipped is refused and not offered', async () => {
    const o = touched.add(await place(app(), { workflow: 'xcart', lines: [{ sku: await stockedSku(app(), 'HAND-XC-C'), quantity: 1, unitPrice: 1000 }] }));
    const c = await transition(o.id, { track: 'payment', to: 'C' });
    ok(c);
    expect(c.body.next.fulfilment).not.toContain('S');
    expect(c.body.next.fulfilment).toContain('WND');
    const refused = await transition(o.id, { track: 'fulfilment', to: 'S' });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.code).toBe('fulfillment_required');
  });
});
