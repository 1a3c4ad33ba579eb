/**
 * Deposits on the standard workflow (issue 3; seed 002's deposit flow): the workflow's share
 * of the total up front (depositPercent 25), offered from depositMinimumTotal (100.00), the
 * balance by a deadline (depositBalanceDeadline 30 d, or the order's own balanceDueAt); unpaid
 * by then the order is called off, the deposit kept and the stock released.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.js';
import { expectProblem, uniqueEmail } from '../http/helpers.js';
import { advance, callback, DAY, expectLedgerConsistent, expectUnchanged, fromNow, getOrder, historyOf, inventory, snapshot, startPaymentsApp, steps, stocked, types, type Json } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await startPaymentsApp();
});
afterAll(() => t.close());

/** 2 x unitPrice, no shipping. */
async function place(sku: string, unitPrice: number, payment?: Record<string, unknown>): Promise<Json> {
  const r = await t.call('POST', '/v1/orders', { currency: 'EUR', customer: { email: uniqueEmail('deposit') }, lines: [{ sku, quantity: 2, unitPrice }], ...(payment ? { payment } : {}) });
  expect(r.status, r.text).toBe(201);
  return r.body;
}
const pay = (orderId: string, payment: Record<string, unknown>) => t.call('POST', `/v1/orders/${orderId}/payments`, payment);

describe('the deposit', () => {
  it('is 25 % of the total (standard depositPercent), paid by card at once; the balance stays open', async () => {
    const sku = await stocked(t, 'DEP-SHARE', 10);
    const o = await place(sku, 10_000, { method: 'card', deposit: true });
    expect(o.status).toEqual({ order: 'placed', payment: 'partially_paid', fulfillment: 'unfulfilled' });
    expect(o.totals).toEqual({ subtotal: 20_000, shipping: 0, surcharges: 0, total: 20_000, paid: 5000, refunded: 0, net: 5000, refundsPending: 0, balance: 15_000, overpaid: 0 });
    expect(o.payments).toHaveLength(1);
    expect(o.payments[0]).toMatchObject({ method: 'card', deposit: true, amount: 5000, state: 'settled', authorized: 5000, captured: 5000 });
    // The stock stays held (not taken) until the order is paid in full.
    expect(await inventory(t, sku)).toEqual({ onHand: 10, reserved: 2, available: 8 });
    expect((await historyOf(t, o.id))[2]).toMatchObject({ type: 'payment.created', data: { deposit: true, amount: 5000 } });
    expect(steps(await historyOf(t, o.id))).toEqual(['order:draft->placed', 'payment:unpaid->partially_paid']);
  });

  it('is split in whole minor units: 25 % of 100.01 is 25.00, the balance 75.01', async () => {
    const r = await t.call('POST', '/v1/orders', { currency: 'EUR', lines: [{ sku: await stocked(t, 'DEP-ROUND', 10), quantity: 1, unitPrice: 10_001 }], payment: { method: 'card', deposit: true } });
    expect(r.status, r.text).toBe(201);
    expect(r.body.payments[0]).toMatchObject({ deposit: true, amount: 2500, captured: 2500 });
    expect(r.body.totals).toMatchObject({ total: 10_001, paid: 2500, balance: 7501 });
  });

  it('is offered from the minimum total exactly; below it is 422 deposit_not_offered and nothing changes', async () => {
    const at = await place(await stocked(t, 'DEP-MIN', 10), 5000);
    const ok = await pay(at.id, { method: 'card', deposit: true });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.body.totals).toMatchObject({ total: 10_000, paid: 2500, balance: 7500 });

    const below = await place(await stocked(t, 'DEP-BELOW', 10), 4999);
    const before = await snapshot(t, below.id);
    const refused = await pay(below.id, { method: 'card', deposit: true });
    expectProblem(refused, 422, 'deposit_not_offered');
    expect(refused.body).toMatchObject({ minimum: 10_000, total: 9998 });
    await expectUnchanged(t, below.id, before);
    // Creating an order with a deposit below the minimum is refused as a whole: no order is written.
    const email = uniqueEmail('deposit-below');
    const created = await t.call('POST', '/v1/orders', { currency: 'EUR', customer: { email }, lines: [{ sku: 'DEP-BELOW-NEW', quantity: 1, unitPrice: 9999 }], payment: { method: 'card', deposit: true } });
    expectProblem(created, 422, 'deposit_not_offered');
    const n = await t.ordo.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE body->'customer'->>'email' = $1`, [email]);
    expect(n.rows[0]!.n).toBe(0);
  });

  it('is offered once per order: a second deposit is 422 deposit_not_offered', async () => {
    const o = await place(await stocked(t, 'DEP-TWICE', 10), 10_000, { method: 'card', deposit: true });
    const before = await snapshot(t, o.id);
    expectProblem(await pay(o.id, { method: 'card', deposit: true }), 422, 'deposit_not_offered');
    await expectUnchanged(t, o.id, before);
  });
});

describe('the balance deadline', () => {
  it('defaults to 30 days (depositBalanceDeadline); unpaid by then the order is cancelled, the deposit kept, the stock released', async () => {
    const sku = await stocked(t, 'DEP-DEADLINE', 10);
    const o = await place(sku, 10_000, { method: 'card', deposit: true });
    const due = fromNow(t, 30 * DAY);
    expect(o.timers).toContainEqual({ name: 'deposit-deadline', track: 'payment', dueAt: due, extended: false });

    // The 72 h payment deadline passes without effect: something was paid.
    await advance(t, 30 * DAY - 1);
    expect((await getOrder(t, o.id)).status).toEqual({ order: 'placed', payment: 'partially_paid', fulfillment: 'unfulfilled' });
    expect(await inventory(t, sku)).toEqual({ onHand: 10, reserved: 2, available: 8 });

    await advance(t, 1);
    const after = await getOrder(t, o.id);
    expect(after.status).toEqual({ order: 'cancelled', payment: 'partially_paid', fulfillment: 'unfulfilled' });
    expect(after.totals).toEqual({ subtotal: 20_000, shipping: 0, surcharges: 0, total: 20_000, paid: 5000, refunded: 0, net: 5000, refundsPending: 0, balance: 15_000, overpaid: 0 });
    expect(after.payments[0]).toMatchObject({ deposit: true, state: 'settled', captured: 5000, refunded: 0 });
    expect(after.refunds).toEqual([]);
    expect(after.timers).toEqual([]);
    expect(await inventory(t, sku)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    const h = await historyOf(t, o.id);
    // The cancellation says what becomes of the deposit: kept, as the workflow does not refund cancellations.
    expect(types(h).slice(-3)).toEqual(['timer.fired', 'order.status_changed', 'order.money_kept']);
    expect(h[h.length - 1]).toMatchObject({ data: { amount: 5000 } });
    expect(h.at(-3).data).toMatchObject({ name: 'deposit-deadline', event: 'timer.deposit_deadline', dueAt: due });
    expect(h.at(-2)).toMatchObject({ track: 'order', from: 'placed', to: 'cancelled', actor: { kind: 'system' } });
    await expectLedgerConsistent(t);
  });

  it("is the order's own balanceDueAt when given", async () => {
    const sku = await stocked(t, 'DEP-OWN', 10);
    const due = fromNow(t, 7 * DAY);
    const o = await place(sku, 10_000, { method: 'card', deposit: true, balanceDueAt: due });
    expect(o.timers).toContainEqual({ name: 'deposit-deadline', track: 'payment', dueAt: due, extended: false });
    await advance(t, 7 * DAY - 1);
    expect((await getOrder(t, o.id)).status.order).toBe('placed');
    await advance(t, 1);
    const after = await getOrder(t, o.id);
    expect(after.status.order).toBe('cancelled');
    expect(after.totals).toMatchObject({ paid: 5000, balance: 15_000 });
    expect(await inventory(t, sku)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('paid before the deadline: the order is paid, the deadline dropped, and passing it cancels nothing', async () => {
    const sku = await stocked(t, 'DEP-PAID', 10);
    const o = await place(sku, 10_000, { method: 'card', deposit: true });
    await advance(t, 10 * DAY);
    const rest = await pay(o.id, { method: 'card' });
    expect(rest.status, rest.text).toBe(201);
    expect(rest.body.payments.map((p: Json) => [p.deposit, p.amount, p.state])).toEqual([[true, 5000, 'settled'], [false, 15_000, 'settled']]);
    expect(rest.body.status).toEqual({ order: 'placed', payment: 'paid', fulfillment: 'unfulfilled' });
    expect(rest.body.totals).toMatchObject({ paid: 20_000, balance: 0 });
    expect(rest.body.timers.map((x: Json) => x.name)).not.toContain('deposit-deadline');
    expect(await inventory(t, sku)).toEqual({ onHand: 8, reserved: 0, available: 8 });

    await advance(t, 30 * DAY);
    const later = await getOrder(t, o.id);
    expect(later.status).toEqual({ order: 'placed', payment: 'paid', fulfillment: 'unfulfilled' });
    // The 72 h payment deadline fired without effect (something was paid); the deposit deadline never fired.
    const fired = (await historyOf(t, o.id)).filter((h) => h.type === 'timer.fired').map((h) => h.data.name);
    expect(fired).toEqual(['payment-deadline']);
    expect(steps(await historyOf(t, o.id))).toEqual(['order:draft->placed', 'payment:unpaid->partially_paid', 'payment:partially_paid->paid']);
    expect(await inventory(t, sku)).toEqual({ onHand: 8, reserved: 0, available: 8 });
  });

  it('a deposit by payment link counts once its callback settles it; the balance is due 30 days from the deposit request', async () => {
    const sku = await stocked(t, 'DEP-LINK', 10);
    const o = await place(sku, 10_000, { method: 'payment_link', deposit: true });
    const due = fromNow(t, 30 * DAY);
    expect(o.payments[0]).toMatchObject({ method: 'payment_link', deposit: true, amount: 5000, state: 'pending' });
    expect(o.status.payment).toBe('unpaid');
    expect(o.totals).toMatchObject({ paid: 0, balance: 20_000 });
    await advance(t, 2 * DAY);
    expect((await callback(t, { type: 'payment.settled', paymentId: o.payments[0].id })).body).toEqual({ status: 'applied' });
    const paid = await getOrder(t, o.id);
    expect(paid.status).toEqual({ order: 'placed', payment: 'partially_paid', fulfillment: 'unfulfilled' });
    expect(paid.totals).toMatchObject({ paid: 5000, balance: 15_000 });
    expect(paid.timers).toContainEqual({ name: 'deposit-deadline', track: 'payment', dueAt: due, extended: false });
    await advance(t, 28 * DAY);
    expect((await getOrder(t, o.id)).status.order).toBe('cancelled');
    expect(await inventory(t, sku)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });
});
