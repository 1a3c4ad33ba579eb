/**
 * Each payment method over HTTP, its happy path and its failure paths (issue 3; nuTickets seed
 * 002 for the deferred methods): card through the simulated gateway (settle, authorize +
 * capture/void, decline, unknown, pending + callback), payment links (expiry, resends),
 * invoice, on-site, local, manual; the amount rules; several payments per order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.js';
import { expectProblem, uniqueEmail } from '../http/helpers.js';
import {
  advance, callback, DAY, expectLedgerConsistent, expectUnchanged, fromNow, getOrder, historyOf, HOUR, inventory, snapshot, startPaymentsApp, steps, stocked, types, type Json,
} from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await startPaymentsApp();
});
afterAll(() => t.close());

/** 2 x 10.00 + 5.00 shipping = 25.00 */
const TOTAL = 2500;
const body = (sku: string, over: Record<string, unknown> = {}) => ({
  currency: 'EUR',
  customer: { email: uniqueEmail('pay'), name: 'Payer' },
  lines: [{ sku, name: 'Mug', quantity: 2, unitPrice: 1000 }],
  shipping: { amount: 500 },
  ...over,
});

async function place(sku: string, payment?: Record<string, unknown>, over: Record<string, unknown> = {}, key?: string): Promise<Json> {
  const r = await t.call('POST', '/v1/orders', body(sku, { ...(payment ? { payment } : {}), ...over }), key ? { key } : {});
  expect(r.status, r.text).toBe(201);
  return r.body;
}
const pay = (orderId: string, payment: Record<string, unknown>, key?: string) => t.call('POST', `/v1/orders/${orderId}/payments`, payment, key ? { key } : {});
const paymentAction = (paymentId: string, action: 'capture' | 'void' | 'settle' | 'resolve', payload?: unknown, key?: string) =>
  t.call('POST', `/v1/payments/${paymentId}/${action}`, payload, key ? { key } : {});

describe('card', () => {
  it('settles at once by default: paid, the money captured, the stock taken', async () => {
    const sku = await stocked(t, 'CARD-SETTLE', 10);
    const o = await place(sku, { method: 'card' });
    expect(o.status).toEqual({ order: 'placed', payment: 'paid', fulfillment: 'unfulfilled' });
    expect(o.totals).toEqual({ subtotal: 2000, shipping: 500, surcharges: 0, total: TOTAL, paid: TOTAL, refunded: 0, net: TOTAL, refundsPending: 0, balance: 0, overpaid: 0 });
    expect(o.payments).toHaveLength(1);
    expect(o.payments[0]).toMatchObject({
      method: 'card', gateway: 'simulated', amount: TOTAL, state: 'settled', authorized: TOTAL, captured: TOTAL, refunded: 0,
      deposit: false, link: null, pendingOperation: null, reference: `sim_${o.payments[0].id}`,
    });
    expect(o.version).toBe(2);
    expect(await inventory(t, sku)).toEqual({ onHand: 8, reserved: 0, available: 8 });
    const h = await historyOf(t, o.id);
    expect(types(h)).toEqual(['order.created', 'order.status_changed', 'payment.created', 'payment.changed', 'order.status_changed']);
    expect(steps(h)).toEqual(['order:draft->placed', 'payment:unpaid->paid']);
    expect(h[3]).toMatchObject({ actor: { kind: 'gateway', id: 'simulated' }, data: { from: 'pending', to: 'settled', captured: TOTAL } });
    const listed = await t.call('GET', `/v1/orders/${o.id}/payments`);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ items: o.payments, refunds: [] });
    await expectLedgerConsistent(t);
  });

  it('capture: false only authorizes; a full capture then takes it all', async () => {
    const sku = await stocked(t, 'CARD-AUTH', 10);
    const o = await place(sku, { method: 'card', capture: false });
    expect(o.status.payment).toBe('authorized');
    expect(o.totals).toMatchObject({ paid: 0, balance: TOTAL });
    expect(o.payments[0]).toMatchObject({ state: 'authorized', authorized: TOTAL, captured: 0 });
    expect(await inventory(t, sku)).toEqual({ onHand: 10, reserved: 2, available: 8 });

    const cap = await paymentAction(o.payments[0].id, 'capture', {});
    expect(cap.status, cap.text).toBe(200);
    expect(cap.body.status.payment).toBe('paid');
    expect(cap.body.totals).toMatchObject({ paid: TOTAL, balance: 0 });
    expect(cap.body.payments[0]).toMatchObject({ state: 'settled', authorized: TOTAL, captured: TOTAL, pendingOperation: null });
    expect(await inventory(t, sku)).toEqual({ onHand: 8, reserved: 0, available: 8 });
    const h = await historyOf(t, o.id);
    expect(types(h).slice(-3)).toEqual(['payment.operation_requested', 'payment.changed', 'order.status_changed']);
    expect(h.at(-3).data).toMatchObject({ op: 'capture', amount: TOTAL });
    expect(steps(h)).toEqual(['order:draft->placed', 'payment:unpaid->authorized', 'payment:authorized->paid']);
  });

  it('a partial capture takes part (partially paid); more than authorized is 422 capture_exceeds_authorized and changes nothing', async () => {
    const o = await place(await stocked(t, 'CARD-PART', 10), { method: 'card', capture: false });
    const pid = o.payments[0].id;
    const before = await snapshot(t, o.id);
    const over = await paymentAction(pid, 'capture', { amount: TOTAL + 1 });
    expectProblem(over, 422, 'capture_exceeds_authorized');
    expect(over.body).toMatchObject({ capturable: TOTAL, requested: TOTAL + 1 });
    await expectUnchanged(t, o.id, before);

    const part = await paymentAction(pid, 'capture', { amount: 1000 });
    expect(part.status, part.text).toBe(200);
    expect(part.body.status.payment).toBe('partially_paid');
    expect(part.body.totals).toMatchObject({ paid: 1000, balance: 1500 });
    expect(part.body.payments[0]).toMatchObject({ state: 'settled', authorized: TOTAL, captured: 1000 });
    // The rest of the hold is not capturable any more: what is left is paid another way.
    const again = await snapshot(t, o.id);
    expectProblem(await paymentAction(pid, 'capture', {}), 409, 'payment_not_capturable');
    await expectUnchanged(t, o.id, again);
    const rest = await pay(o.id, { method: 'card' });
    expect(rest.status, rest.text).toBe(201);
    expect(rest.body.payments[1]).toMatchObject({ amount: 1500, state: 'settled', captured: 1500 });
    expect(rest.body.status.payment).toBe('paid');
    expect(rest.body.totals).toMatchObject({ paid: TOTAL, balance: 0 });
  });

  it('void releases an authorization; after a capture it is 409 payment_not_voidable and changes nothing', async () => {
    const voided = await place(await stocked(t, 'CARD-VOID', 10), { method: 'card', capture: false });
    const v = await paymentAction(voided.payments[0].id, 'void');
    expect(v.status, v.text).toBe(200);
    expect(v.body.status.payment).toBe('voided');
    expect(v.body.payments[0]).toMatchObject({ state: 'voided', authorized: TOTAL, captured: 0, pendingOperation: null });
    expect(v.body.totals).toMatchObject({ paid: 0, balance: TOTAL });
    expect(types(await historyOf(t, voided.id)).slice(-3)).toEqual(['payment.operation_requested', 'payment.changed', 'order.status_changed']);

    const captured = await place(await stocked(t, 'CARD-NOVOID', 10), { method: 'card', capture: false });
    await paymentAction(captured.payments[0].id, 'capture', { amount: 500 });
    const before = await snapshot(t, captured.id);
    const refused = await paymentAction(captured.payments[0].id, 'void');
    expectProblem(refused, 409, 'payment_not_voidable');
    expect(refused.body.state).toBe('settled');
    await expectUnchanged(t, captured.id, before);
  });

  it('after a void nobody pays: the payment deadline still calls the order off and releases its stock', async () => {
    const sku = await stocked(t, 'CARD-VOID-STUCK', 10);
    const o = await place(sku, { method: 'card', capture: false });
    await paymentAction(o.payments[0].id, 'void');
    await advance(t, 73 * HOUR);
    expect((await getOrder(t, o.id)).status.order).toBe('cancelled');
    expect(await inventory(t, sku)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('after a void the customer pays by card: the payment track says paid and the stock is taken', async () => {
    const sku = await stocked(t, 'CARD-VOID-REPAY', 10);
    const o = await place(sku, { method: 'card', capture: false });
    await paymentAction(o.payments[0].id, 'void');
    const again = await pay(o.id, { method: 'card' });
    expect(again.status, again.text).toBe(201);
    expect(again.body.totals).toMatchObject({ paid: TOTAL, balance: 0 });
    expect(again.body.status.payment).toBe('paid');
    expect(await inventory(t, sku)).toEqual({ onHand: 8, reserved: 0, available: 8 });
  });

  it('a decline fails the payment track and releases the stock; the customer may pay again', async () => {
    const sku = await stocked(t, 'CARD-DECLINE', 10);
    const o = await place(sku, { method: 'card', simulate: 'decline' });
    expect(o.status).toEqual({ order: 'placed', payment: 'failed', fulfillment: 'unfulfilled' });
    expect(o.payments[0]).toMatchObject({ state: 'declined', authorized: 0, captured: 0 });
    expect(o.totals).toMatchObject({ paid: 0, balance: TOTAL });
    expect(await inventory(t, sku)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    expect(steps(await historyOf(t, o.id))).toEqual(['order:draft->placed', 'payment:unpaid->failed']);

    const retry = await pay(o.id, { method: 'card' });
    expect(retry.status, retry.text).toBe(201);
    expect(retry.body.status.payment).toBe('paid');
    expect(retry.body.payments.map((p: Json) => p.state)).toEqual(['declined', 'settled']);
    expect(await inventory(t, sku)).toEqual({ onHand: 8, reserved: 0, available: 8 });
    await expectLedgerConsistent(t);
  });

  it('an unknown answer keeps the stock held; an admin resolves it as settled after checking the gateway', async () => {
    const sku = await stocked(t, 'CARD-UNKNOWN', 10);
    const o = await place(sku, { method: 'card', simulate: 'unknown' });
    expect(o.status.payment).toBe('unknown');
    expect(o.payments[0]).toMatchObject({ state: 'unknown', captured: 0, pendingOperation: null });
    expect(await inventory(t, sku)).toEqual({ onHand: 10, reserved: 2, available: 8 });
    // Nothing more can be paid while the answer is unknown: the money may already be on its way.
    const before = await snapshot(t, o.id);
    expectProblem(await pay(o.id, { method: 'card' }), 422, 'nothing_to_pay');
    await expectUnchanged(t, o.id, before);

    const resolved = await paymentAction(o.payments[0].id, 'resolve', { outcome: 'settled' });
    expect(resolved.status, resolved.text).toBe(200);
    expect(resolved.body.status.payment).toBe('paid');
    expect(resolved.body.payments[0]).toMatchObject({ state: 'settled', captured: TOTAL });
    expect(resolved.body.totals).toMatchObject({ paid: TOTAL, balance: 0 });
    expect(await inventory(t, sku)).toEqual({ onHand: 8, reserved: 0, available: 8 });
    const h = await historyOf(t, o.id);
    expect(h.at(-2)).toMatchObject({ type: 'payment.changed', actor: { kind: 'admin' }, data: { from: 'unknown', to: 'settled' } });
    expect(steps(h)).toEqual(['order:draft->placed', 'payment:unpaid->unknown', 'payment:unknown->paid']);

    const twice = await snapshot(t, o.id);
    expectProblem(await paymentAction(o.payments[0].id, 'resolve', { outcome: 'failed' }), 409, 'payment_not_resolvable');
    await expectUnchanged(t, o.id, twice);
  });

  it('an unknown answer resolved as failed fails the payment track and releases the stock', async () => {
    const sku = await stocked(t, 'CARD-UNKNOWN-F', 10);
    const o = await place(sku, { method: 'card', simulate: 'unknown' });
    const resolved = await paymentAction(o.payments[0].id, 'resolve', { outcome: 'failed' });
    expect(resolved.status, resolved.text).toBe(200);
    expect(resolved.body.status.payment).toBe('failed');
    expect(resolved.body.payments[0]).toMatchObject({ state: 'failed', captured: 0 });
    expect(await inventory(t, sku)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    const storefront = await t.storefrontKey('resolver');
    expectProblem(await paymentAction(o.payments[0].id, 'resolve', { outcome: 'settled' }, storefront), 403, 'forbidden');
  });

  it('pending waits for the gateway; its signed callback settles it', async () => {
    const sku = await stocked(t, 'CARD-PENDING', 10);
    const o = await place(sku, { method: 'card', simulate: 'pending' });
    expect(o.status.payment).toBe('unpaid');
    expect(o.payments[0]).toMatchObject({ state: 'pending', captured: 0, pendingOperation: null });
    expect(await inventory(t, sku)).toEqual({ onHand: 10, reserved: 2, available: 8 });
    const cb = await callback(t, { type: 'payment.settled', paymentId: o.payments[0].id, reference: 'ch_123' });
    expect(cb.status, cb.text).toBe(200);
    expect(cb.body).toEqual({ status: 'applied' });
    const after = await getOrder(t, o.id);
    expect(after.status.payment).toBe('paid');
    expect(after.payments[0]).toMatchObject({ state: 'settled', captured: TOTAL, reference: 'ch_123' });
    expect(after.totals).toMatchObject({ paid: TOTAL, balance: 0 });
    expect(await inventory(t, sku)).toEqual({ onHand: 8, reserved: 0, available: 8 });
  });
});

describe('payment link', () => {
  it('expires after the workflow default (72 h) unless the link has its own date', async () => {
    const o = await place(await stocked(t, 'LINK-DEFAULT', 10), { method: 'payment_link' });
    expect(o.status.payment).toBe('unpaid');
    expect(o.payments[0]).toMatchObject({ method: 'payment_link', gateway: 'simulated', state: 'pending', amount: TOTAL, link: { expiresAt: fromNow(t, 72 * HOUR), editable: false, sent: 1 } });
    expect(o.timers).toEqual([{ name: 'payment-deadline', track: 'order', dueAt: fromNow(t, 72 * HOUR), extended: false }]);
    expect((await historyOf(t, o.id))[2]).toMatchObject({ type: 'payment.created', data: { method: 'payment_link', link: { sent: 1 } } });

    const own = fromNow(t, 5 * DAY);
    const o2 = await place(await stocked(t, 'LINK-OWN', 10), { method: 'payment_link', expiresAt: own, editable: true });
    expect(o2.payments[0].link).toEqual({ expiresAt: own, editable: true, sent: 1 });
    expect(o2.timers).toEqual([{ name: 'payment-deadline', track: 'order', dueAt: own, extended: false }]);
  });

  it('unpaid by its expiry, the standard order is called off and its stock released; paid in time it is not', async () => {
    const sku = await stocked(t, 'LINK-EXPIRE', 10);
    const o = await place(sku, { method: 'payment_link', expiresAt: fromNow(t, 24 * HOUR) });
    const paid = await place(sku, { method: 'payment_link', expiresAt: fromNow(t, 24 * HOUR) });
    expect((await callback(t, { type: 'payment.settled', paymentId: paid.payments[0].id })).body).toEqual({ status: 'applied' });
    expect(await inventory(t, sku)).toEqual({ onHand: 8, reserved: 2, available: 6 });

    await advance(t, 24 * HOUR - 1);
    expect((await getOrder(t, o.id)).status.order).toBe('placed');
    await advance(t, 1);
    const after = await getOrder(t, o.id);
    expect(after.status).toEqual({ order: 'cancelled', payment: 'unpaid', fulfillment: 'unfulfilled' });
    expect(after.timers).toEqual([]);
    expect(await inventory(t, sku)).toEqual({ onHand: 8, reserved: 0, available: 8 });
    const h = await historyOf(t, o.id);
    expect(types(h).slice(-2)).toEqual(['timer.fired', 'order.status_changed']);
    expect(h.at(-1)).toMatchObject({ from: 'placed', to: 'cancelled', actor: { kind: 'system' }, cause: expect.stringContaining('payment_timeout') });
    expect((await getOrder(t, paid.id)).status).toEqual({ order: 'placed', payment: 'paid', fulfillment: 'unfulfilled' });
    await expectLedgerConsistent(t);
  });

  it("a link added to a placed order with its own expiresAt moves the order's payment deadline to it", async () => {
    const o = await place(await stocked(t, 'LINK-LATER', 10));
    const due = fromNow(t, 24 * HOUR);
    const r = await pay(o.id, { method: 'payment_link', expiresAt: due });
    expect(r.status, r.text).toBe(201);
    expect(r.body.payments[0].link.expiresAt).toBe(due);
    expect(r.body.timers).toEqual([{ name: 'payment-deadline', track: 'order', dueAt: due, extended: false }]);
    await advance(t, 25 * HOUR);
    expect((await getOrder(t, o.id)).status.order).toBe('cancelled');
  });

  it('is resent one order at a time: a payment_link.resent row and the sent count; no link is 409 no_payment_link', async () => {
    const o = await place(await stocked(t, 'LINK-RESEND', 10), { method: 'payment_link' });
    const r = await t.call('POST', `/v1/orders/${o.id}/payment-links/resend`);
    expect(r.status, r.text).toBe(200);
    expect(r.body.payments[0].link).toMatchObject({ sent: 2, expiresAt: o.payments[0].link.expiresAt });
    expect(r.body.version).toBe(o.version + 1);
    expect(r.body.status).toEqual(o.status);
    const again = await t.call('POST', `/v1/orders/${o.id}/payment-links/resend`);
    expect(again.body.payments[0].link.sent).toBe(3);
    const h = await historyOf(t, o.id);
    expect(types(h).slice(-2)).toEqual(['payment_link.resent', 'payment_link.resent']);
    expect(h.at(-1).data).toEqual({ paymentId: o.payments[0].id, sent: 3, expiresAt: o.payments[0].link.expiresAt });

    const card = await place(await stocked(t, 'LINK-NONE', 10), { method: 'card' });
    const before = await snapshot(t, card.id);
    expectProblem(await t.call('POST', `/v1/orders/${card.id}/payment-links/resend`), 409, 'no_payment_link');
    await expectUnchanged(t, card.id, before);
    const shop = await t.storefrontKey('link-resender');
    expectProblem(await t.call('POST', `/v1/orders/${o.id}/payment-links/resend`, undefined, { key: shop }), 403, 'forbidden');
  });

  it('is resent in bulk to every order awaiting a link, and to no other', async () => {
    const sku = await stocked(t, 'LINK-BULK', 20);
    const a = await place(sku, { method: 'payment_link' });
    const b = await place(sku, { method: 'payment_link' });
    const paidLink = await place(sku, { method: 'payment_link' });
    await callback(t, { type: 'payment.settled', paymentId: paidLink.payments[0].id });
    const card = await place(sku, { method: 'card' });
    const invoice = await place(sku, { method: 'invoice' });

    const r = await t.call('POST', '/v1/payment-links/resend');
    expect(r.status, r.text).toBe(200);
    expect(r.body.orders).toEqual(expect.arrayContaining([a.id, b.id]));
    for (const other of [paidLink.id, card.id, invoice.id]) expect(r.body.orders).not.toContain(other);
    expect(r.body.resent).toBe(r.body.orders.length);
    for (const o of [a, b]) {
      expect((await getOrder(t, o.id)).payments[0].link.sent).toBe(2);
      expect(types(await historyOf(t, o.id)).at(-1)).toBe('payment_link.resent');
    }
    expect(types(await historyOf(t, paidLink.id))).not.toContain('payment_link.resent');
    expect((await getOrder(t, paidLink.id)).payments[0].link.sent).toBe(1);
  });

  it('is not resent in bulk for an order whose link expired', async () => {
    const o = await place(await stocked(t, 'LINK-BULK-EXP', 10), { method: 'payment_link', expiresAt: fromNow(t, HOUR) });
    await advance(t, HOUR);
    expect((await getOrder(t, o.id)).status.order).toBe('cancelled');
    const r = await t.call('POST', '/v1/payment-links/resend');
    expect(r.body.orders).not.toContain(o.id);
    expect((await getOrder(t, o.id)).payments[0].link.sent).toBe(1);
  });

  it('an expired link is not resent one at a time either: 409 no_payment_link', async () => {
    const o = await place(await stocked(t, 'LINK-ONE-EXP', 10), { method: 'payment_link', expiresAt: fromNow(t, HOUR) });
    await advance(t, HOUR);
    const before = await snapshot(t, o.id);
    expectProblem(await t.call('POST', `/v1/orders/${o.id}/payment-links/resend`), 409, 'no_payment_link');
    await expectUnchanged(t, o.id, before);
  });
});

describe('invoice', () => {
  it('waits for the money; an admin settles it; a storefront key may not (403) and changes nothing', async () => {
    const email = uniqueEmail('invoice');
    const shop = await t.storefrontKey(email);
    const sku = await stocked(t, 'INVOICE', 10);
    const r = await t.call('POST', '/v1/orders', body(sku, { customer: { email }, payment: { method: 'invoice' } }), { key: shop });
    expect(r.status, r.text).toBe(201);
    const o = r.body;
    expect(o.status.payment).toBe('unpaid');
    expect(o.payments[0]).toMatchObject({ method: 'invoice', gateway: 'manual', state: 'pending', amount: TOTAL, captured: 0, pendingOperation: null });
    expect(await inventory(t, sku)).toEqual({ onHand: 10, reserved: 2, available: 8 });

    const before = await snapshot(t, o.id);
    expectProblem(await paymentAction(o.payments[0].id, 'settle', {}, shop), 403, 'forbidden');
    await expectUnchanged(t, o.id, before);

    const settled = await paymentAction(o.payments[0].id, 'settle', {});
    expect(settled.status, settled.text).toBe(200);
    expect(settled.body.status.payment).toBe('paid');
    expect(settled.body.payments[0]).toMatchObject({ state: 'settled', authorized: TOTAL, captured: TOTAL });
    expect(settled.body.totals).toMatchObject({ paid: TOTAL, balance: 0 });
    expect(await inventory(t, sku)).toEqual({ onHand: 8, reserved: 0, available: 8 });
    const h = await historyOf(t, o.id);
    expect(h.at(-2)).toMatchObject({ type: 'payment.changed', actor: { kind: 'admin' }, data: { from: 'pending', to: 'settled' } });

    const twice = await snapshot(t, o.id);
    expectProblem(await paymentAction(o.payments[0].id, 'settle', {}), 409, 'payment_not_settleable');
    await expectUnchanged(t, o.id, twice);
    expectProblem(await paymentAction('00000000-0000-4000-8000-000000000000', 'settle', {}), 404, 'payment_not_found');
  });
});

describe('on-site and local (nuTickets)', () => {
  const ticket = (sku: string, payment: Record<string, unknown>) => place(sku, payment, { workflow: 'nutickets' });

  it('on-site without an expiry date never expires; the box office records the money', async () => {
    const sku = await stocked(t, 'ONSITE', 10);
    const o = await ticket(sku, { method: 'onsite' });
    expect(o.status).toEqual({ order: 'awaiting_onsite_payment' });
    expect(o.payments[0]).toMatchObject({ method: 'onsite', gateway: 'manual', state: 'pending' });
    expect(o.timers).toEqual([]);
    await advance(t, 400 * DAY);
    expect((await getOrder(t, o.id)).status).toEqual({ order: 'awaiting_onsite_payment' });
    expect(await inventory(t, sku)).toEqual({ onHand: 10, reserved: 2, available: 8 });
    const settled = await paymentAction(o.payments[0].id, 'settle', {});
    expect(settled.body.status).toEqual({ order: 'complete' });
    expect(settled.body.totals).toMatchObject({ paid: TOTAL, balance: 0 });
    expect(await inventory(t, sku)).toEqual({ onHand: 8, reserved: 0, available: 8 });
  });

  it('on-site with an expiry date expires then and lets the tickets go', async () => {
    const sku = await stocked(t, 'ONSITE-EXP', 10);
    const due = fromNow(t, 2 * DAY);
    const o = await ticket(sku, { method: 'onsite', expiresAt: due });
    expect(o.timers).toEqual([{ name: 'onsite', track: 'order', dueAt: due, extended: false }]);
    await advance(t, 2 * DAY - 1);
    expect((await getOrder(t, o.id)).status).toEqual({ order: 'awaiting_onsite_payment' });
    await advance(t, 1);
    expect((await getOrder(t, o.id)).status).toEqual({ order: 'expired' });
    expect(await inventory(t, sku)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    expect(steps(await historyOf(t, o.id))).toEqual(['order:active->awaiting_onsite_payment', 'order:awaiting_onsite_payment->expired']);
  });

  it('local never expires; the gateway completes it with a callback', async () => {
    const sku = await stocked(t, 'LOCAL-GW', 10);
    const o = await ticket(sku, { method: 'local' });
    expect(o.status).toEqual({ order: 'awaiting_local_payment' });
    expect(o.payments[0]).toMatchObject({ method: 'local', gateway: 'simulated', state: 'pending' });
    expect(o.timers).toEqual([]);
    await advance(t, 400 * DAY);
    expect((await getOrder(t, o.id)).status).toEqual({ order: 'awaiting_local_payment' });
    expect((await callback(t, { type: 'payment.settled', paymentId: o.payments[0].id })).body).toEqual({ status: 'applied' });
    const after = await getOrder(t, o.id);
    expect(after.status).toEqual({ order: 'complete' });
    expect(after.totals).toMatchObject({ paid: TOTAL, balance: 0 });
    expect(await inventory(t, sku)).toEqual({ onHand: 8, reserved: 0, available: 8 });
  });

  it('local is completed by an admin too', async () => {
    const o = await ticket(await stocked(t, 'LOCAL-ADMIN', 10), { method: 'local' });
    const settled = await paymentAction(o.payments[0].id, 'settle', {});
    expect(settled.status, settled.text).toBe(200);
    expect(settled.body.status).toEqual({ order: 'complete' });
    expect((await historyOf(t, o.id)).at(-1)).toMatchObject({ from: 'awaiting_local_payment', to: 'complete', actor: { kind: 'admin' } });
  });
});

describe('on-site and local (standard)', () => {
  it('a local payment is not called off by the payment deadline', async () => {
    const o = await place(await stocked(t, 'STD-LOCAL', 10), { method: 'local' });
    await advance(t, 100 * HOUR);
    expect((await getOrder(t, o.id)).status.order).toBe('placed');
  });

  it('an on-site reservation without an expiry date is not called off by the payment deadline', async () => {
    const o = await place(await stocked(t, 'STD-ONSITE', 10), { method: 'onsite' });
    await advance(t, 100 * HOUR);
    expect((await getOrder(t, o.id)).status.order).toBe('placed');
  });
});

describe('manual', () => {
  it('an admin records money already received: settled at once', async () => {
    const sku = await stocked(t, 'MANUAL', 10);
    const o = await place(sku);
    const r = await pay(o.id, { method: 'manual' });
    expect(r.status, r.text).toBe(201);
    expect(r.body.status.payment).toBe('paid');
    expect(r.body.payments[0]).toMatchObject({ method: 'manual', gateway: 'manual', state: 'settled', amount: TOTAL, authorized: TOTAL, captured: TOTAL, pendingOperation: null });
    expect(r.body.totals).toMatchObject({ paid: TOTAL, balance: 0 });
    expect(await inventory(t, sku)).toEqual({ onHand: 8, reserved: 0, available: 8 });
    expect(types(await historyOf(t, o.id)).slice(-2)).toEqual(['payment.created', 'order.status_changed']);
  });

  it('a storefront key may not record one: 403 payment_method_not_allowed, nothing changes', async () => {
    const email = uniqueEmail('manual');
    const shop = await t.storefrontKey(email);
    const created = await t.call('POST', '/v1/orders', body(await stocked(t, 'MANUAL-SHOP', 10), { customer: { email } }), { key: shop });
    expect(created.status, created.text).toBe(201);
    const before = await snapshot(t, created.body.id);
    expectProblem(await pay(created.body.id, { method: 'manual' }, shop), 403, 'payment_method_not_allowed');
    await expectUnchanged(t, created.body.id, before);
    // The same customer may pay by card.
    const card = await pay(created.body.id, { method: 'card' }, shop);
    expect(card.status, card.text).toBe(201);
    expect(card.body.status.payment).toBe('paid');
  });
});

describe('amounts', () => {
  it('nothing_to_pay on a paid order; payment_exceeds_balance above what is owed; neither changes anything', async () => {
    const paid = await place(await stocked(t, 'AMT-PAID', 10), { method: 'card' });
    const before = await snapshot(t, paid.id);
    const nothing = await pay(paid.id, { method: 'card' });
    expectProblem(nothing, 422, 'nothing_to_pay');
    expect(nothing.body.outstanding).toBe(0);
    await expectUnchanged(t, paid.id, before);

    const open = await place(await stocked(t, 'AMT-OPEN', 10));
    const openBefore = await snapshot(t, open.id);
    const over = await pay(open.id, { method: 'card', amount: TOTAL + 1 });
    expectProblem(over, 422, 'payment_exceeds_balance');
    expect(over.body).toMatchObject({ outstanding: TOTAL, requested: TOTAL + 1 });
    await expectUnchanged(t, open.id, openBefore);

    // A payment still waiting for its money counts as on its way.
    const invoice = await pay(open.id, { method: 'invoice', amount: 2000 });
    expect(invoice.status).toBe(201);
    const afterInvoice = await snapshot(t, open.id);
    const tooMuch = await pay(open.id, { method: 'card', amount: 501 });
    expectProblem(tooMuch, 422, 'payment_exceeds_balance');
    expect(tooMuch.body).toMatchObject({ outstanding: 500 });
    await expectUnchanged(t, open.id, afterInvoice);
  });

  it('several payments per order: two partial card payments covering the total make it paid', async () => {
    const sku = await stocked(t, 'AMT-SPLIT', 10);
    const o = await place(sku);
    const first = await pay(o.id, { method: 'card', amount: 1000 });
    expect(first.status, first.text).toBe(201);
    expect(first.body.status.payment).toBe('partially_paid');
    expect(first.body.totals).toMatchObject({ paid: 1000, balance: 1500 });
    expect(await inventory(t, sku)).toEqual({ onHand: 10, reserved: 2, available: 8 });
    const second = await pay(o.id, { method: 'card' });
    expect(second.status, second.text).toBe(201);
    expect(second.body.payments.map((p: Json) => [p.amount, p.state, p.captured])).toEqual([[1000, 'settled', 1000], [1500, 'settled', 1500]]);
    expect(second.body.status.payment).toBe('paid');
    expect(second.body.totals).toMatchObject({ paid: TOTAL, refunded: 0, balance: 0 });
    expect(await inventory(t, sku)).toEqual({ onHand: 8, reserved: 0, available: 8 });
    expect(steps(await historyOf(t, o.id))).toEqual(['order:draft->placed', 'payment:unpaid->partially_paid', 'payment:partially_paid->paid']);
  });

  it('a payment retried with the same Idempotency-Key is taken once; its first answer comes back', async () => {
    const o = await place(await stocked(t, 'AMT-IDEM', 10));
    const headers = { 'idempotency-key': `pay-${o.id}` };
    const first = await t.call('POST', `/v1/orders/${o.id}/payments`, { method: 'card' }, { headers });
    expect(first.status, first.text).toBe(201);
    const retry = await t.call('POST', `/v1/orders/${o.id}/payments`, { method: 'card' }, { headers });
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    const after = await getOrder(t, o.id);
    expect(after.payments).toHaveLength(1);
    expect(after.totals).toMatchObject({ paid: TOTAL, balance: 0 });
    expect(types(await historyOf(t, o.id)).filter((x) => x === 'payment.created')).toHaveLength(1);
  });

  it('five payments racing for the same balance: one is taken, the others are 422 nothing_to_pay', async () => {
    const sku = await stocked(t, 'AMT-RACE', 10);
    const o = await place(sku);
    const replies = await Promise.all(Array.from({ length: 5 }, () => pay(o.id, { method: 'card' })));
    expect(replies.map((r) => r.status).sort()).toEqual([201, 422, 422, 422, 422]);
    for (const r of replies.filter((x) => x.status === 422)) expectProblem(r, 422, 'nothing_to_pay');
    const after = await getOrder(t, o.id);
    expect(after.payments).toHaveLength(1);
    expect(after.payments[0]).toMatchObject({ amount: TOTAL, state: 'settled', captured: TOTAL });
    expect(after.totals).toMatchObject({ paid: TOTAL, balance: 0 });
    expect(after.status.payment).toBe('paid');
    expect(await inventory(t, sku)).toEqual({ onHand: 8, reserved: 0, available: 8 });
  });
});
