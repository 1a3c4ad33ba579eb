/**
 * Refunds over HTTP (issue 3; Vendure's refund model in SEED-RULES): by amount, or by lines,
 * shipping and an adjustment; several per payment, never more than it captured; restocking;
 * against a named payment; pending at the gateway and answered by a signed callback; offline
 * payments refunded by hand at once; the payment track partially_refunded, then refunded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.js';
import { expectProblem, uniqueEmail } from '../http/helpers.js';
import { callback, expectLedgerConsistent, expectUnchanged, getOrder, historyOf, inventory, snapshot, startPaymentsApp, steps, stocked, types, type Json } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await startPaymentsApp();
});
afterAll(() => t.close());

/** Line A: 2 x 10.00, line B: 1 x 30.00, shipping 5.00: 55.00, paid by card unless told otherwise. */
const TOTAL = 5500;
interface Placed { readonly order: Json; readonly a: string; readonly b: string; readonly skuA: string; readonly skuB: string }
async function paidOrder(label: string, payment: Record<string, unknown> | null = { method: 'card' }): Promise<Placed> {
  const skuA = await stocked(t, `${label}-A`, 10);
  const skuB = await stocked(t, `${label}-B`, 10);
  const r = await t.call('POST', '/v1/orders', {
    currency: 'EUR', customer: { email: uniqueEmail('refund') },
    lines: [{ sku: skuA, quantity: 2, unitPrice: 1000 }, { sku: skuB, quantity: 1, unitPrice: 3000 }],
    shipping: { amount: 500 }, ...(payment ? { payment } : {}),
  });
  expect(r.status, r.text).toBe(201);
  return { order: r.body, a: r.body.lines[0].id, b: r.body.lines[1].id, skuA, skuB };
}
const refund = (orderId: string, payload: Record<string, unknown>, key?: string) => t.call('POST', `/v1/orders/${orderId}/refunds`, { reason: 'customer asked', ...payload }, key ? { key } : {});

async function refunded(orderId: string, payload: Record<string, unknown>): Promise<Json> {
  const r = await refund(orderId, payload);
  expect(r.status, r.text).toBe(201);
  return r.body;
}

describe('what is refunded', () => {
  it('an amount: the refund settles at the gateway; the payment and the order are partially refunded', async () => {
    const { order } = await paidOrder('RF-AMOUNT');
    const o = await refunded(order.id, { amount: 700, reason: 'late delivery' });
    expect(o.refunds).toHaveLength(1);
    expect(o.refunds[0]).toMatchObject({ paymentId: order.payments[0].id, amount: 700, lines: [], shipping: 0, adjustment: 0, reason: 'late delivery', restock: false, state: 'settled', reference: expect.stringMatching(/^simr_/) });
    expect(o.payments[0]).toMatchObject({ state: 'partially_refunded', captured: TOTAL, refunded: 700, pendingOperation: null });
    expect(o.totals).toMatchObject({ total: TOTAL, paid: TOTAL, refunded: 700, balance: 0 });
    expect(o.status).toEqual({ order: 'placed', payment: 'partially_refunded', fulfillment: 'unfulfilled' });
    const h = await historyOf(t, order.id);
    expect(types(h).slice(-5)).toEqual(['refund.created', 'payment.operation_requested', 'refund.changed', 'payment.changed', 'order.status_changed']);
    expect(h.at(-5).data).toMatchObject({ amount: 700, reason: 'late delivery', paymentId: order.payments[0].id });
    expect(h.at(-4).data).toMatchObject({ op: 'refund', amount: 700, refundId: o.refunds[0].id });
    expect(h.at(-3)).toMatchObject({ actor: { kind: 'gateway', id: 'simulated' }, data: { from: 'pending', to: 'settled', amount: 700 } });
    expect(steps(h).at(-1)).toBe('payment:paid->partially_refunded');
  });

  it('lines: each refunded line is its quantity times its unit price', async () => {
    const { order, a, b } = await paidOrder('RF-LINES');
    const o = await refunded(order.id, { lines: [{ lineId: a, quantity: 1 }, { lineId: b, quantity: 1 }] });
    expect(o.refunds[0]).toMatchObject({ amount: 4000, lines: [{ lineId: a, quantity: 1 }, { lineId: b, quantity: 1 }], shipping: 0, adjustment: 0 });
    expect(o.totals).toMatchObject({ refunded: 4000, balance: 0 });
  });

  it('shipping: true gives back all of it that is left, a number that much', async () => {
    const { order, a } = await paidOrder('RF-SHIP');
    const some = await refunded(order.id, { shipping: 200 });
    expect(some.refunds[0]).toMatchObject({ amount: 200, shipping: 200, lines: [] });
    const rest = await refunded(order.id, { lines: [{ lineId: a, quantity: 1 }], shipping: true });
    expect(rest.refunds[1]).toMatchObject({ amount: 1300, shipping: 300, lines: [{ lineId: a, quantity: 1 }] });
    expect(rest.totals).toMatchObject({ refunded: 1500, balance: 0 });
  });

  it('an adjustment is added to the lines and shipping; a negative one (a restocking fee) is taken off', async () => {
    const { order, a, b } = await paidOrder('RF-ADJ');
    const plus = await refunded(order.id, { lines: [{ lineId: a, quantity: 1 }], adjustment: 250 });
    expect(plus.refunds[0]).toMatchObject({ amount: 1250, adjustment: 250 });
    const minus = await refunded(order.id, { lines: [{ lineId: b, quantity: 1 }], shipping: true, adjustment: -500 });
    expect(minus.refunds[1]).toMatchObject({ amount: 3000, shipping: 500, adjustment: -500 });
    expect(minus.totals).toMatchObject({ refunded: 4250, balance: 0 });
    expect(minus.payments[0]).toMatchObject({ refunded: 4250, state: 'partially_refunded' });
    // An adjustment that leaves nothing to give back is refused.
    const before = await snapshot(t, order.id);
    expectProblem(await refund(order.id, { lines: [{ lineId: a, quantity: 1 }], adjustment: -1000 }), 422, 'validation_failed');
    await expectUnchanged(t, order.id, before);
  });
});

describe('limits', () => {
  it('several refunds up to what was captured make it refunded; one minor unit more is 422 refund_exceeds_captured and changes nothing', async () => {
    const { order } = await paidOrder('RF-SEVERAL');
    const r1 = await refunded(order.id, { amount: 1000 });
    expect(r1.status.payment).toBe('partially_refunded');
    const r2 = await refunded(order.id, { amount: 2000 });
    expect(r2.status.payment).toBe('partially_refunded');
    expect(r2.totals).toMatchObject({ refunded: 3000, balance: 0 });
    const before = await snapshot(t, order.id);
    const over = await refund(order.id, { amount: 2501 });
    expectProblem(over, 422, 'refund_exceeds_captured');
    expect(over.body).toMatchObject({ requested: 2501, payments: [{ paymentId: order.payments[0].id, refundable: 2500 }] });
    await expectUnchanged(t, order.id, before);

    const r3 = await refunded(order.id, { amount: 2500 });
    expect(r3.refunds.map((r: Json) => [r.amount, r.state])).toEqual([[1000, 'settled'], [2000, 'settled'], [2500, 'settled']]);
    expect(r3.payments[0]).toMatchObject({ state: 'refunded', captured: TOTAL, refunded: TOTAL });
    expect(r3.totals).toMatchObject({ paid: TOTAL, refunded: TOTAL, balance: 0 });
    expect(r3.status.payment).toBe('refunded');
    expect(steps(await historyOf(t, order.id))).toEqual([
      // All the money back and nothing shipped: the order ends rather than wait placed for ever.
      'order:draft->placed', 'payment:unpaid->paid', 'payment:paid->partially_refunded', 'order:placed->cancelled', 'payment:partially_refunded->refunded',
    ]);
    const done = await snapshot(t, order.id);
    expectProblem(await refund(order.id, { amount: 1 }), 422, 'refund_exceeds_captured');
    await expectUnchanged(t, order.id, done);
  });

  it('a refund retried with the same Idempotency-Key gives the money back once', async () => {
    const { order } = await paidOrder('RF-IDEM');
    const headers = { 'idempotency-key': `refund-${order.id}` };
    const first = await t.call('POST', `/v1/orders/${order.id}/refunds`, { amount: 900, reason: 'once' }, { headers });
    expect(first.status, first.text).toBe(201);
    const retry = await t.call('POST', `/v1/orders/${order.id}/refunds`, { amount: 900, reason: 'once' }, { headers });
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    const after = await getOrder(t, order.id);
    expect(after.refunds).toHaveLength(1);
    expect(after.totals).toMatchObject({ refunded: 900, balance: 0 });
    expect(after.payments[0].refunded).toBe(900);
  });

  it('a line is refunded at most its quantity across refunds: refund_exceeds_line; an unknown line is line_not_found', async () => {
    const { order, a } = await paidOrder('RF-LINE-MAX');
    const before = await snapshot(t, order.id);
    const over = await refund(order.id, { lines: [{ lineId: a, quantity: 3 }] });
    expectProblem(over, 422, 'refund_exceeds_line');
    expect(over.body).toMatchObject({ lineId: a, refundable: 2 });
    await expectUnchanged(t, order.id, before);
    await refunded(order.id, { lines: [{ lineId: a, quantity: 2 }] });
    const after = await snapshot(t, order.id);
    const again = await refund(order.id, { lines: [{ lineId: a, quantity: 1 }] });
    expectProblem(again, 422, 'refund_exceeds_line');
    expect(again.body).toMatchObject({ lineId: a, refundable: 0 });
    expectProblem(await refund(order.id, { lines: [{ lineId: '00000000-0000-4000-8000-000000000000', quantity: 1 }] }), 422, 'line_not_found');
    await expectUnchanged(t, order.id, after);
  });

  it('shipping is refunded at most once in all: refund_exceeds_shipping', async () => {
    const { order } = await paidOrder('RF-SHIP-MAX');
    const before = await snapshot(t, order.id);
    expectProblem(await refund(order.id, { shipping: 501 }), 422, 'refund_exceeds_shipping');
    await expectUnchanged(t, order.id, before);
    await refunded(order.id, { shipping: true });
    const after = await snapshot(t, order.id);
    expectProblem(await refund(order.id, { shipping: 1 }), 422, 'refund_exceeds_shipping');
    // `true` with nothing left is nothing to refund.
    expectProblem(await refund(order.id, { shipping: true }), 422, 'validation_failed');
    await expectUnchanged(t, order.id, after);
  });

  it('nothing captured, nothing to refund; a storefront key may not refund', async () => {
    const { order } = await paidOrder('RF-UNPAID', null);
    const before = await snapshot(t, order.id);
    expectProblem(await refund(order.id, { amount: 100 }), 422, 'refund_exceeds_captured');
    const shop = await t.storefrontKey('refunder');
    expectProblem(await refund(order.id, { amount: 100 }, shop), 403, 'forbidden');
    await expectUnchanged(t, order.id, before);
  });
});

describe('stock', () => {
  it('restock puts the refunded units back on the shelf; without it they stay sold; the ledger adds up', async () => {
    const { order, a, b, skuA, skuB } = await paidOrder('RF-RESTOCK');
    expect(await inventory(t, skuA)).toEqual({ onHand: 8, reserved: 0, available: 8 });
    expect(await inventory(t, skuB)).toEqual({ onHand: 9, reserved: 0, available: 9 });
    const o = await refunded(order.id, { lines: [{ lineId: a, quantity: 1 }], restock: true });
    expect(o.refunds[0]).toMatchObject({ restock: true, amount: 1000 });
    expect(o.lines[0]).toMatchObject({ committed: 1, reserved: 0 });
    expect(await inventory(t, skuA)).toEqual({ onHand: 9, reserved: 0, available: 9 });
    await refunded(order.id, { lines: [{ lineId: b, quantity: 1 }] });
    expect(await inventory(t, skuB)).toEqual({ onHand: 9, reserved: 0, available: 9 });
    const moves = await t.call('GET', `/v1/inventory/${encodeURIComponent(skuA)}/movements`);
    expect(moves.body.items.map((m: Json) => [m.kind, m.quantity, m.onHandDelta, m.orderId])).toEqual([
      ['restock', 1, 1, order.id], ['commit', 2, -2, order.id], ['reserve', 2, 0, order.id], ['adjust', 10, 10, null],
    ]);
    await expectLedgerConsistent(t);
  });
});

describe('which payment', () => {
  it('a named paymentId is refunded, even when another payment could cover it; past what it captured is refused', async () => {
    const { order } = await paidOrder('RF-NAMED', null);
    const first = await t.call('POST', `/v1/orders/${order.id}/payments`, { method: 'card', amount: 2000 });
    const second = await t.call('POST', `/v1/orders/${order.id}/payments`, { method: 'card' });
    expect(second.body.status.payment).toBe('paid');
    const [p1, p2] = second.body.payments.map((p: Json) => p.id);
    expect(first.body.payments[0].id).toBe(p1);

    const o = await refunded(order.id, { paymentId: p1, amount: 1500 });
    expect(o.refunds[0]).toMatchObject({ paymentId: p1, amount: 1500 });
    expect(o.payments.map((p: Json) => [p.captured, p.refunded, p.state])).toEqual([[2000, 1500, 'partially_refunded'], [3500, 0, 'settled']]);

    const before = await snapshot(t, order.id);
    const over = await refund(order.id, { paymentId: p1, amount: 501 });
    expectProblem(over, 422, 'refund_exceeds_captured');
    expect(over.body.payments).toEqual([{ paymentId: p1, refundable: 500 }]);
    expectProblem(await refund(order.id, { paymentId: '00000000-0000-4000-8000-000000000000', amount: 1 }), 404, 'payment_not_found');
    await expectUnchanged(t, order.id, before);

    // Without a paymentId, one payment that can cover the whole refund is picked.
    const any = await refunded(order.id, { amount: 3000 });
    expect(any.refunds[1]).toMatchObject({ paymentId: p2, amount: 3000 });
    expect(any.totals).toMatchObject({ paid: TOTAL, refunded: 4500, balance: 0 });
  });

  it('an offline payment (invoice) is refunded by hand: recorded as done at once, no gateway call', async () => {
    const { order } = await paidOrder('RF-INVOICE', { method: 'invoice' });
    await t.call('POST', `/v1/payments/${order.payments[0].id}/settle`, {});
    const o = await refunded(order.id, { amount: 1200, reason: 'paid back by wire' });
    expect(o.refunds[0]).toMatchObject({ amount: 1200, state: 'settled', reference: null });
    expect(o.payments[0]).toMatchObject({ method: 'invoice', state: 'partially_refunded', refunded: 1200, pendingOperation: null });
    expect(o.totals).toMatchObject({ refunded: 1200, balance: 0 });
    expect(o.status.payment).toBe('partially_refunded');
    const h = await historyOf(t, order.id);
    expect(types(h).slice(-4)).toEqual(['refund.created', 'refund.changed', 'payment.changed', 'order.status_changed']);
    expect(types(h)).not.toContain('payment.operation_requested');
    expect(h.at(-3).actor.kind).toBe('admin');
  });

  it('card then invoice, refund without paymentId: the invoice payment is refunded by hand', async () => {
    const { order } = await paidOrder('RF-MIX-1', null);
    await t.call('POST', `/v1/orders/${order.id}/payments`, { method: 'card', amount: 1000 });
    const inv = await t.call('POST', `/v1/orders/${order.id}/payments`, { method: 'invoice' });
    await t.call('POST', `/v1/payments/${inv.body.payments[1].id}/settle`, {});
    const r = await refund(order.id, { amount: 1200 });
    expect(r.status, r.text).toBe(201);
    expect(r.body.refunds[0]).toMatchObject({ paymentId: inv.body.payments[1].id, amount: 1200, state: 'settled' });
    expect(r.body.payments.every((p: Json) => p.pendingOperation === null)).toBe(true);
  });

  it('invoice then card, refund without paymentId: the card refund goes through the gateway', async () => {
    const { order } = await paidOrder('RF-MIX-2', null);
    const inv = await t.call('POST', `/v1/orders/${order.id}/payments`, { method: 'invoice', amount: 1000 });
    await t.call('POST', `/v1/payments/${inv.body.payments[0].id}/settle`, {});
    const card = await t.call('POST', `/v1/orders/${order.id}/payments`, { method: 'card' });
    expect(card.body.status.payment).toBe('paid');
    const r = await refund(order.id, { amount: 1200 });
    expect(r.status, r.text).toBe(201);
    expect(r.body.refunds[0]).toMatchObject({ paymentId: card.body.payments[1].id, state: 'settled', reference: expect.stringMatching(/^simr_/) });
    expect(types(await historyOf(t, order.id))).toContain('payment.operation_requested');
  });
});

describe('pending at the gateway', () => {
  it('waits for refund.settled: nothing counts as refunded (nor restocked) until then, but its amount is spoken for', async () => {
    const { order, a, skuA } = await paidOrder('RF-PENDING');
    const pid = order.payments[0].id;
    const o = await refunded(order.id, { lines: [{ lineId: a, quantity: 2 }], restock: true, simulate: 'pending' });
    expect(o.refunds[0]).toMatchObject({ amount: 2000, state: 'pending', restock: true });
    expect(o.payments[0]).toMatchObject({ state: 'settled', refunded: 0, pendingOperation: null });
    expect(o.totals).toMatchObject({ refunded: 0, balance: 0 });
    expect(o.status.payment).toBe('paid');
    expect(await inventory(t, skuA)).toEqual({ onHand: 8, reserved: 0, available: 8 });
    // 5500 captured, 2000 on its way back: 3501 more is too much.
    const before = await snapshot(t, order.id);
    expectProblem(await refund(order.id, { amount: 3501 }), 422, 'refund_exceeds_captured');
    await expectUnchanged(t, order.id, before);

    const cb = await callback(t, { type: 'refund.settled', paymentId: pid, refundId: o.refunds[0].id, reference: 're_42' });
    expect(cb.status, cb.text).toBe(200);
    expect(cb.body).toEqual({ status: 'applied' });
    const after = await getOrder(t, order.id);
    expect(after.refunds[0]).toMatchObject({ state: 'settled', reference: 're_42' });
    expect(after.payments[0]).toMatchObject({ state: 'partially_refunded', refunded: 2000 });
    expect(after.totals).toMatchObject({ refunded: 2000, balance: 0 });
    expect(after.status.payment).toBe('partially_refunded');
    expect(await inventory(t, skuA)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    const h = await historyOf(t, order.id);
    expect(types(h).slice(-3)).toEqual(['refund.changed', 'payment.changed', 'order.status_changed']);
    expect(h.at(-3)).toMatchObject({ actor: { kind: 'gateway', id: 'simulated' }, data: { from: 'pending', to: 'settled' } });
    await expectLedgerConsistent(t);
  });

  it('refund.failed leaves the money where it was, and the amount may be refunded again', async () => {
    const { order } = await paidOrder('RF-FAILED');
    const pid = order.payments[0].id;
    const o = await refunded(order.id, { amount: TOTAL, simulate: 'pending' });
    expect(o.refunds[0].state).toBe('pending');
    // Without refundId the payment's pending refund is meant.
    expect((await callback(t, { type: 'refund.failed', paymentId: pid })).body).toEqual({ status: 'applied' });
    const after = await getOrder(t, order.id);
    expect(after.refunds[0]).toMatchObject({ amount: TOTAL, state: 'failed' });
    expect(after.payments[0]).toMatchObject({ state: 'settled', refunded: 0 });
    expect(after.totals).toMatchObject({ paid: TOTAL, refunded: 0, balance: 0 });
    expect(after.status.payment).toBe('paid');
    expect(types(await historyOf(t, order.id)).slice(-1)).toEqual(['refund.changed']);

    // A late refund.settled for the failed refund changes nothing.
    const late = await callback(t, { type: 'refund.settled', paymentId: pid, refundId: o.refunds[0].id });
    expect(late.body).toEqual({ status: 'ignored' });
    expect((await getOrder(t, order.id)).totals).toMatchObject({ refunded: 0 });

    const again = await refunded(order.id, { amount: TOTAL });
    expect(again.status.payment).toBe('refunded');
    expect(again.totals).toMatchObject({ refunded: TOTAL, balance: 0 });
  });
});
