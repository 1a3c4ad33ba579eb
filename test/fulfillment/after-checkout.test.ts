/** Cancellation, returns and changes after checkout, end to end through the HTTP API. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody, startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const level = async (sku: string) => (await t.call('GET', `/v1/inventory/${sku}`)).body;
async function order(sku: string, quantity: number, payment?: Record<string, unknown>) {
  await t.call('PUT', `/v1/inventory/${sku}`, { onHand: 10 });
  const o = await t.call('POST', '/v1/orders', orderBody({ lines: [{ sku, quantity, unitPrice: 1000 }], shipping: { amount: 500 }, ...(payment ? { payment } : {}) }));
  expect(o.status).toBe(201);
  return o.body;
}

describe('cancellation', () => {
  it('cancels some units of a line: stock released, totals follow, the order stays placed', async () => {
    const o = await order('CAN-A', 3);
    const res = await t.call('POST', `/v1/orders/${o.id}/cancellations`, { lines: [{ lineId: o.lines[0].id, quantity: 1 }], reason: 'out of colour' });
    expect(res.status).toBe(200);
    expect(res.body.lines[0]).toMatchObject({ quantity: 2, cancelled: 1, reserved: 2 });
    expect(res.body.totals).toMatchObject({ subtotal: 2000, shipping: 500, total: 2500 });
    expect(res.body.status.order).toBe('placed');
    expect(await level('CAN-A')).toMatchObject({ reserved: 2 });
  });

  it('cancels everything: the workflow\'s cancelled status, stock released, shipping dropped; refund only when asked', async () => {
    const o = await order('CAN-B', 2, { method: 'card' });
    expect(await level('CAN-B')).toMatchObject({ onHand: 8, reserved: 0 });
    const res = await t.call('POST', `/v1/orders/${o.id}/cancellations`, { reason: 'customer asked' });
    expect(res.body.status.order).toBe('cancelled');
    expect(res.body.totals).toMatchObject({ total: 0, paid: 2500, refunded: 0, balance: 0, overpaid: 2500 });
    expect(await level('CAN-B')).toMatchObject({ onHand: 10, reserved: 0 });
    const withRefund = await order('CAN-C', 2, { method: 'card' });
    const refunded = await t.call('POST', `/v1/orders/${withRefund.id}/cancellations`, { reason: 'customer asked', refund: true });
    expect(refunded.body.totals).toMatchObject({ total: 0, paid: 2500, refunded: 2500, balance: 0 });
    expect(refunded.body.status.payment).toBe('refunded');
  });

  it('a Nexway partial cancellation goes to PARTIAL_CANCELED, a whole one to CANCELED', async () => {
    const o = await order('CAN-D', 2, { method: 'card' });
    const nexway = (await t.call('POST', '/v1/orders', orderBody({ workflow: 'nexway', lines: [{ sku: 'CAN-D', quantity: 2, unitPrice: 1000 }, { sku: 'CAN-E', quantity: 1, unitPrice: 500 }], payment: { method: 'card' } }))).body;
    expect(o.status.payment).toBe('paid');
    const part = await t.call('POST', `/v1/orders/${nexway.id}/cancellations`, { lines: [{ lineId: nexway.lines[1].id, quantity: 1 }], reason: 'withdrawal', refund: true });
    expect(part.body.status.order).toBe('PARTIAL_CANCELED');
    const rest = await t.call('POST', `/v1/orders/${nexway.id}/cancellations`, { reason: 'withdrawal', refund: true });
    expect(rest.body.status.order).toBe('CANCELED');
    expect(rest.body.totals.balance).toBe(0);
  });

  it('refuses cancelling more than is left, and changes nothing', async () => {
    const o = await order('CAN-F', 1);
    const res = await t.call('POST', `/v1/orders/${o.id}/cancellations`, { lines: [{ lineId: o.lines[0].id, quantity: 2 }], reason: 'x' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('cancellation_exceeds_line');
    expect((await t.call('GET', `/v1/orders/${o.id}`)).body.version).toBe(o.version);
  });
});

describe('returns', () => {
  it('a return received restocks, refunded pays the lines back, and every unit back makes the order returned', async () => {
    const o = await order('RET-A', 2, { method: 'card' });
    const lineId = o.lines[0].id;
    const f = (await t.call('POST', `/v1/orders/${o.id}/fulfillments`, { lines: [{ lineId, quantity: 2 }] })).body.fulfillments[0].id;
    await t.call('POST', `/v1/fulfillments/${f}/transitions`, { to: 'delivered' });
    expect(await level('RET-A')).toMatchObject({ onHand: 8 });
    const tooMany = await t.call('POST', `/v1/orders/${o.id}/returns`, { lines: [{ lineId, quantity: 3 }], reason: 'too small' });
    expect(tooMany.body.code).toBe('return_exceeds_sent');
    const asked = await t.call('POST', `/v1/orders/${o.id}/returns`, { lines: [{ lineId, quantity: 2 }], reason: 'too small' });
    expect(asked.status).toBe(201);
    const returnId = asked.body.returns[0].id;
    const received = await t.call('POST', `/v1/returns/${returnId}/transitions`, { to: 'received' });
    expect(received.body.returns[0]).toMatchObject({ state: 'received', restocked: 2 });
    expect(received.body.status.fulfillment).toBe('returned');
    expect(await level('RET-A')).toMatchObject({ onHand: 10 });
    const refunded = await t.call('POST', `/v1/returns/${returnId}/transitions`, { to: 'refunded' });
    expect(refunded.body.returns[0].state).toBe('refunded');
    expect(refunded.body.totals).toMatchObject({ refunded: 2000 });
    expect((await t.ordo.stock.check()).mismatches).toEqual([]);
  });

  it('a rejected return restocks nothing', async () => {
    const o = await order('RET-B', 1, { method: 'card' });
    const lineId = o.lines[0].id;
    const parcel = (await t.call('POST', `/v1/orders/${o.id}/fulfillments`, { lines: [{ lineId, quantity: 1 }] })).body.fulfillments[0].id;
    await t.call('POST', `/v1/fulfillments/${parcel}/transitions`, { to: 'shipped' });
    const asked = await t.call('POST', `/v1/orders/${o.id}/returns`, { lines: [{ lineId, quantity: 1 }], reason: 'changed mind' });
    const rejected = await t.call('POST', `/v1/returns/${asked.body.returns[0].id}/transitions`, { to: 'rejected' });
    expect(rejected.body.returns[0].state).toBe('rejected');
    expect(await level('RET-B')).toMatchObject({ onHand: 9 });
  });
});

describe('modifications', () => {
  it('a dry run shows the new totals and the difference and writes nothing', async () => {
    const o = await order('MOD-A', 1, { method: 'card' });
    const preview = await t.call('POST', `/v1/orders/${o.id}/modifications`, { dryRun: true, changeLines: [{ lineId: o.lines[0].id, quantity: 3 }] });
    expect(preview.body).toMatchObject({ dryRun: true, difference: 2000, before: { total: 1500 }, after: { total: 3500 } });
    expect((await t.call('GET', `/v1/orders/${o.id}`)).body.version).toBe(o.version);
    expect(await level('MOD-A')).toMatchObject({ onHand: 9, reserved: 0 });
  });

  it('dearer: stock follows, the payment waits for the difference, a payment covering it makes it paid again', async () => {
    const o = await order('MOD-B', 1, { method: 'card' });
    const changed = await t.call('POST', `/v1/orders/${o.id}/modifications`, { addLines: [{ sku: 'MOD-B', quantity: 2, unitPrice: 1000 }], surcharges: [{ description: 'gift wrap', amount: 300 }], note: 'phone call' });
    expect(changed.status).toBe(200);
    expect(changed.body.totals).toMatchObject({ total: 3800, paid: 1500, balance: 2300 });
    expect(changed.body.status.payment).toBe('partially_paid');
    expect(await level('MOD-B')).toMatchObject({ onHand: 7 });
    const paid = await t.call('POST', `/v1/orders/${o.id}/payments`, { method: 'card' });
    expect(paid.body.status.payment).toBe('paid');
    const history = (await t.call('GET', `/v1/orders/${o.id}/history`)).body.items;
    expect(history.find((h: { type: string }) => h.type === 'order.modified').data).toMatchObject({ difference: 2300, note: 'phone call' });
  });

  it('cheaper: the difference is refunded against the payment; a discount is a negative surcharge', async () => {
    const o = await order('MOD-C', 3, { method: 'card' });
    const changed = await t.call('POST', `/v1/orders/${o.id}/modifications`, { changeLines: [{ lineId: o.lines[0].id, quantity: 1 }], surcharges: [{ description: 'sorry', amount: -200 }] });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body.totals).toMatchObject({ total: 1300, paid: 3500, refunded: 2200, balance: 0 });
    expect(changed.body.status.payment).toBe('partially_refunded');
    expect(await level('MOD-C')).toMatchObject({ onHand: 9 });
  });

  it('Vendure: a dearer change waits in ArrangingAdditionalPayment until paid', async () => {
    const v = (await t.call('POST', '/v1/orders', orderBody({ workflow: 'vendure', lines: [{ sku: 'MOD-V', quantity: 1, unitPrice: 1000 }] }))).body;
    await t.call('POST', `/v1/orders/${v.id}/transitions`, { to: 'ArrangingPayment' });
    const settled = await t.call('POST', `/v1/orders/${v.id}/payments`, { method: 'card' });
    expect(settled.body.status.order).toBe('PaymentSettled');
    const changed = await t.call('POST', `/v1/orders/${v.id}/modifications`, { addLines: [{ sku: 'MOD-V2', quantity: 1, unitPrice: 500 }] });
    expect(changed.body.status.order).toBe('ArrangingAdditionalPayment');
    const paid = await t.call('POST', `/v1/orders/${v.id}/payments`, { method: 'card' });
    expect(paid.body.status.order).toBe('PaymentSettled');
  });

  it('a cart is changed through its basket, not modified', async () => {
    const draft = (await t.call('POST', '/v1/orders', orderBody({ draft: true }))).body;
    const res = await t.call('POST', `/v1/orders/${draft.id}/modifications`, { surcharges: [{ description: 'x', amount: 1 }] });
    expect(res.body.code).toBe('order_not_modifiable');
  });
});
