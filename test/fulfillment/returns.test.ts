/**
 * Returns (RMA), end to end over HTTP: asked for, received (resellable units restocked),
 * refunded against the order's payments for exactly the returned lines' value, or rejected;
 * the fulfillment track's `returned` once every sent unit is back; refusals and who may do
 * what. Every scenario ends with the invariants of DESIGN.md 1 and 2.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.js';
import { expectProblem } from '../http/helpers.js';
import { expectUnchanged, historyOf, snapshot } from '../payments/helpers.js';
import { askReturn, historyTypes, level, movementsOf, moveReturn, parcel, place, stockedSku, type Json, scenarioSuite } from './support.js';

const { app, touched } = scenarioSuite();
let t: TestApp;
beforeAll(() => {
  t = app();
});

/** A x2 at 10.00 and B x1 at 30.00, no shipping (total 50.00), paid by card, 10 of each on hand. */
async function paidOrder(opts: { workflow?: 'standard' | 'xcart'; key?: string; paid?: boolean } = {}) {
  const a = await stockedSku(t, 'RET-A');
  const b = await stockedSku(t, 'RET-B');
  const o = touched.add(await place(t, { paid: opts.paid ?? true, ...(opts.workflow ? { workflow: opts.workflow } : {}), ...(opts.key ? { key: opts.key } : {}), lines: [{ sku: a, quantity: 2, unitPrice: 1000 }, { sku: b, quantity: 1, unitPrice: 3000 }] }));
  return { o, a, b, lineA: o.lines[0].id as string, lineB: o.lines[1].id as string };
}

/** The same, every unit shipped in one parcel and delivered. */
async function delivered(opts: { workflow?: 'standard' | 'xcart'; key?: string } = {}) {
  const x = await paidOrder(opts);
  const f = await parcel(t, x.o.id, [{ lineId: x.lineA, quantity: 2 }, { lineId: x.lineB, quantity: 1 }], 'delivered');
  return { ...x, fulfillmentId: f.id, order: f.order };
}

const returnIdOf = (res: { body: Json }) => res.body.returns[res.body.returns.length - 1].id as string;

describe('a return received and refunded', () => {
  it('in two returns: restock, refunds of the lines\' value, partially_refunded then refunded, and returned once every unit is back', async () => {
    const { o, a, b, lineA, lineB, order } = await delivered();
    expect(order.status).toEqual({ order: 'completed', payment: 'paid', fulfillment: 'delivered' });
    expect(await level(t, a)).toEqual({ onHand: 8, reserved: 0 });

    const asked = await askReturn(t, o.id, [{ lineId: lineA, quantity: 1 }], 'too small');
    expect(asked.status, asked.text).toBe(201);
    expect(asked.body.returns[0]).toMatchObject({ state: 'requested', reason: 'too small', restocked: 0, lines: [{ lineId: lineA, quantity: 1 }] });
    expect(await level(t, a)).toEqual({ onHand: 8, reserved: 0 });
    const first = returnIdOf(asked);

    const received = await moveReturn(t, first, 'received');
    expect(received.status, received.text).toBe(200);
    expect(received.body.returns[0]).toMatchObject({ state: 'received', restocked: 1 });
    expect(received.body.lines[0]).toMatchObject({ quantity: 2, committed: 1, reserved: 0 });
    expect(received.body.status.fulfillment).toBe('delivered');
    expect(received.body.refunds).toEqual([]);
    expect(await level(t, a)).toEqual({ onHand: 9, reserved: 0 });

    const refunded = await moveReturn(t, first, 'refunded');
    expect(refunded.status, refunded.text).toBe(200);
    expect(refunded.body.returns[0].state).toBe('refunded');
    expect(refunded.body.refunds).toHaveLength(1);
    expect(refunded.body.refunds[0]).toMatchObject({ amount: 1000, lines: [{ lineId: lineA, quantity: 1 }], state: 'settled', reason: 'return: too small', paymentId: o.payments[0].id, restock: false });
    expect(refunded.body.totals).toMatchObject({ paid: 5000, refunded: 1000 });
    expect(refunded.body.payments[0]).toMatchObject({ captured: 5000, refunded: 1000, state: 'partially_refunded' });
    expect(refunded.body.status.payment).toBe('partially_refunded');
    // The refund restocks nothing a second time.
    expect(await movementsOf(t, o.id, a)).toEqual(['reserve 2', 'commit 2', 'restock 1']);

    const rest = await askReturn(t, o.id, [{ lineId: lineA, quantity: 1 }, { lineId: lineB, quantity: 1 }], 'does not match');
    expect(rest.status, rest.text).toBe(201);
    const second = returnIdOf(rest);
    const back = await moveReturn(t, second, 'received');
    expect(back.body.returns[1]).toMatchObject({ state: 'received', restocked: 2 });
    expect(back.body.status.fulfillment).toBe('returned');
    expect(await level(t, a)).toEqual({ onHand: 10, reserved: 0 });
    expect(await level(t, b)).toEqual({ onHand: 10, reserved: 0 });
    const all = await moveReturn(t, second, 'refunded');
    expect(all.body.refunds.map((r: Json) => r.amount)).toEqual([1000, 4000]);
    expect(all.body.totals).toMatchObject({ paid: 5000, refunded: 5000 });
    expect(all.body.payments[0]).toMatchObject({ refunded: 5000, state: 'refunded' });
    expect(all.body.status.payment).toBe('refunded');

    const history = await historyOf(t, o.id);
    expect(historyTypes(history).filter((x) => x.startsWith('return.'))).toEqual(['return.created', 'return.changed', 'return.changed', 'return.created', 'return.changed', 'return.changed']);
    expect(history.filter((h) => h.type === 'return.changed').map((h) => `${h.data.from}->${h.data.to}`)).toEqual(['requested->received', 'received->refunded', 'requested->received', 'received->refunded']);
    expect(history.find((h) => h.type === 'order.status_changed' && h.to === 'returned')).toMatchObject({ track: 'fulfillment', from: 'delivered' });
  });

  it('restock: false on receiving leaves the stock as it is; the refund is still the lines\' value', async () => {
    const { o, a, lineA } = await delivered();
    const id = returnIdOf(await askReturn(t, o.id, [{ lineId: lineA, quantity: 2 }], 'arrived broken'));
    const received = await moveReturn(t, id, 'received', { restock: false });
    expect(received.status, received.text).toBe(200);
    expect(received.body.returns[0]).toMatchObject({ state: 'received', restocked: 0 });
    expect(received.body.lines[0]).toMatchObject({ committed: 2 });
    expect(await level(t, a)).toEqual({ onHand: 8, reserved: 0 });
    // B never came back: not every unit is back.
    expect(received.body.status.fulfillment).toBe('delivered');
    const refunded = await moveReturn(t, id, 'refunded');
    expect(refunded.body.refunds[0]).toMatchObject({ amount: 2000, lines: [{ lineId: lineA, quantity: 2 }] });
    expect(refunded.body.status.payment).toBe('partially_refunded');
    expect(await level(t, a)).toEqual({ onHand: 8, reserved: 0 });
    expect(await movementsOf(t, o.id, a)).toEqual(['reserve 2', 'commit 2']);
  });

  it('every sent unit back, none resellable: still returned', async () => {
    const { o, lineA, lineB } = await delivered();
    const id = returnIdOf(await askReturn(t, o.id, [{ lineId: lineA, quantity: 2 }, { lineId: lineB, quantity: 1 }], 'water damage'));
    const received = await moveReturn(t, id, 'received', { restock: false });
    expect(received.body.status.fulfillment).toBe('returned');
    expect(received.body.returns[0].restocked).toBe(0);
  });

  it('the one sent unit back while another is still to ship: the track stays partially_shipped (returned needs everything)', async () => {
    const { o, a, lineA } = await paidOrder();
    await parcel(t, o.id, [{ lineId: lineA, quantity: 1 }], 'shipped');
    const id = returnIdOf(await askReturn(t, o.id, [{ lineId: lineA, quantity: 1 }]));
    const received = await moveReturn(t, id, 'received');
    expect(received.body.status.fulfillment).toBe('partially_shipped');
    expect(await level(t, a)).toEqual({ onHand: 9, reserved: 0 });
    expect((await moveReturn(t, id, 'refunded')).body.refunds[0].amount).toBe(1000);
  });

  it('the unit still to ship after a return of the sent one is not sold a second time', async () => {
    const { o, a, lineA } = await paidOrder();
    await parcel(t, o.id, [{ lineId: lineA, quantity: 1 }], 'shipped');
    const id = returnIdOf(await askReturn(t, o.id, [{ lineId: lineA, quantity: 1 }]));
    await moveReturn(t, id, 'received');
    expect(await level(t, a)).toEqual({ onHand: 9, reserved: 0 });
    await parcel(t, o.id, [{ lineId: lineA, quantity: 1 }], 'shipped');
    expect(await movementsOf(t, o.id, a)).toEqual(['reserve 2', 'commit 2', 'restock 1']);
    expect(await level(t, a)).toEqual({ onHand: 9, reserved: 0 });
  });

  it("X-Cart: every unit back -> fulfilment R; everything refunded -> payment R", async () => {
    const { o, a, lineA, lineB, order } = await delivered({ workflow: 'xcart' });
    expect(order.status).toEqual({ payment: 'P', fulfilment: 'D' });
    const id = returnIdOf(await askReturn(t, o.id, [{ lineId: lineA, quantity: 2 }, { lineId: lineB, quantity: 1 }]));
    expect((await moveReturn(t, id, 'received')).body.status).toEqual({ payment: 'P', fulfilment: 'R' });
    const refunded = await moveReturn(t, id, 'refunded');
    expect(refunded.body.status).toEqual({ payment: 'R', fulfilment: 'R' });
    expect(refunded.body.totals).toMatchObject({ paid: 5000, refunded: 5000 });
    // The payment status R lets go of what is still held: the units already came back, nothing twice.
    expect(await level(t, a)).toEqual({ onHand: 10, reserved: 0 });
  });
});

describe('refusals', () => {
  it('units that were not sent cannot come back (return_exceeds_sent), counting earlier returns and cancelled parcels', async () => {
    const { o, lineA, lineB } = await paidOrder();
    const before0 = await snapshot(t, o.id);
    expectProblem(await askReturn(t, o.id, [{ lineId: lineA, quantity: 1 }]), 422, 'return_exceeds_sent');
    await expectUnchanged(t, o.id, before0);

    const f = await parcel(t, o.id, [{ lineId: lineA, quantity: 1 }, { lineId: lineB, quantity: 1 }], 'shipped');
    const over = await askReturn(t, o.id, [{ lineId: lineA, quantity: 2 }]);
    expectProblem(over, 422, 'return_exceeds_sent');
    expect(over.body).toMatchObject({ lineId: lineA, left: 1 });
    const first = returnIdOf(await askReturn(t, o.id, [{ lineId: lineA, quantity: 1 }]));
    const before = await snapshot(t, o.id);
    const again = await askReturn(t, o.id, [{ lineId: lineA, quantity: 1 }]);
    expectProblem(again, 422, 'return_exceeds_sent');
    expect(again.body.left).toBe(0);
    expectProblem(await askReturn(t, o.id, [{ lineId: '01890000-0000-7000-8000-00000000000c', quantity: 1 }]), 422, 'line_not_found');
    expect((await askReturn(t, o.id, [])).status).toBe(400);
    expect((await t.call('POST', `/v1/orders/${o.id}/returns`, { lines: [{ lineId: lineA, quantity: 1 }] })).status).toBe(400);
    await expectUnchanged(t, o.id, before);

    // A rejected return frees its units for another.
    expect((await moveReturn(t, first, 'rejected')).status).toBe(200);
    expect((await askReturn(t, o.id, [{ lineId: lineA, quantity: 1 }])).status).toBe(201);

    // A cancelled parcel's units were never sent.
    expect((await t.call('POST', `/v1/fulfillments/${f.id}/transitions`, { to: 'cancelled' })).status).toBe(200);
    expectProblem(await askReturn(t, o.id, [{ lineId: lineB, quantity: 1 }]), 422, 'return_exceeds_sent');
  });

  it('units in a parcel that has not shipped yet cannot be returned', async () => {
    const { o, lineA } = await paidOrder();
    await parcel(t, o.id, [{ lineId: lineA, quantity: 2 }]);
    const before = await snapshot(t, o.id);
    expectProblem(await askReturn(t, o.id, [{ lineId: lineA, quantity: 1 }]), 422, 'return_exceeds_sent');
    await expectUnchanged(t, o.id, before);
  });

  it('rejected: nothing restocked or refunded, and a rejected return moves no more', async () => {
    const { o, a, lineA } = await delivered();
    const id = returnIdOf(await askReturn(t, o.id, [{ lineId: lineA, quantity: 1 }], 'worn'));
    const rejected = await moveReturn(t, id, 'rejected');
    expect(rejected.status, rejected.text).toBe(200);
    expect(rejected.body.returns[0]).toMatchObject({ state: 'rejected', restocked: 0 });
    expect(rejected.body.refunds).toEqual([]);
    expect(rejected.body.status.fulfillment).toBe('delivered');
    expect(await level(t, a)).toEqual({ onHand: 8, reserved: 0 });
    const before = await snapshot(t, o.id);
    for (const to of ['received', 'refunded', 'requested']) {
      const res = await moveReturn(t, id, to);
      expectProblem(res, 409, 'transition_not_allowed');
      expect(res.body).toMatchObject({ from: 'rejected', to, allowed: [] });
    }
    await expectUnchanged(t, o.id, before);
  });

  it('steps a return cannot take: 409 with the allowed list, and no money moves', async () => {
    const { o, lineA } = await delivered();
    const id = returnIdOf(await askReturn(t, o.id, [{ lineId: lineA, quantity: 1 }]));
    let before = await snapshot(t, o.id);
    const early = await moveReturn(t, id, 'refunded');
    expectProblem(early, 409, 'transition_not_allowed');
    expect(early.body).toMatchObject({ from: 'requested', to: 'refunded', allowed: ['received', 'rejected'] });
    await expectUnchanged(t, o.id, before);

    await moveReturn(t, id, 'received');
    before = await snapshot(t, o.id);
    const late = await moveReturn(t, id, 'rejected');
    expectProblem(late, 409, 'transition_not_allowed');
    expect(late.body.allowed).toEqual(['refunded']);
    expectProblem(await moveReturn(t, id, 'received'), 409, 'transition_not_allowed');
    await expectUnchanged(t, o.id, before);

    await moveReturn(t, id, 'refunded');
    before = await snapshot(t, o.id);
    const twice = await moveReturn(t, id, 'refunded');
    expectProblem(twice, 409, 'transition_not_allowed');
    expect(twice.body.allowed).toEqual([]);
    expectProblem(await moveReturn(t, '01890000-0000-7000-8000-00000000000d', 'received'), 404, 'return_not_found');
    expect((await moveReturn(t, id, 'lost')).status).toBe(400);
    await expectUnchanged(t, o.id, before);
    expect(before.order.refunds).toHaveLength(1);
  });

  it('a storefront key may ask for a return of its own order, not of another\'s, and may not receive one (403)', async () => {
    const customerId = `cust-ret-${Date.now()}`;
    const key = await t.storefrontKey(customerId);
    const { o, a, lineA } = await delivered({ key });
    expect(o.customer.id).toBe(customerId);
    const asked = await askReturn(t, o.id, [{ lineId: lineA, quantity: 1 }], 'changed my mind', key);
    expect(asked.status, asked.text).toBe(201);
    const id = returnIdOf(asked);

    const other = await t.storefrontKey(`${customerId}-other`);
    expectProblem(await askReturn(t, o.id, [{ lineId: lineA, quantity: 1 }], 'not mine', other), 404, 'order_not_found');
    const before = await snapshot(t, o.id);
    expectProblem(await moveReturn(t, id, 'received', {}, key), 403, 'forbidden');
    expectProblem(await moveReturn(t, id, 'refunded', {}, key), 403, 'forbidden');
    await expectUnchanged(t, o.id, before);
    expect(await level(t, a)).toEqual({ onHand: 8, reserved: 0 });

    expect((await moveReturn(t, id, 'received')).status).toBe(200);
    expect(await level(t, a)).toEqual({ onHand: 9, reserved: 0 });
  });
});

describe('refunds against several payments', () => {
  it('a return worth more than either of two payments is refunded across them', async () => {
    const { o, lineA, lineB } = await paidOrder({ paid: false });
    expect((await t.call('POST', `/v1/orders/${o.id}/payments`, { method: 'card', amount: 2000 })).status).toBe(201);
    const second = await t.call('POST', `/v1/orders/${o.id}/payments`, { method: 'card' });
    expect(second.body.totals).toMatchObject({ paid: 5000, balance: 0 });
    await parcel(t, o.id, [{ lineId: lineA, quantity: 2 }, { lineId: lineB, quantity: 1 }], 'delivered');
    const id = returnIdOf(await askReturn(t, o.id, [{ lineId: lineA, quantity: 2 }, { lineId: lineB, quantity: 1 }]));
    await moveReturn(t, id, 'received');
    const refunded = await moveReturn(t, id, 'refunded');
    expect(refunded.status, refunded.text).toBe(200);
    expect(refunded.body.totals).toMatchObject({ paid: 5000, refunded: 5000 });
  });
});
