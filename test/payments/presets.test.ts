/**
 * Payment facts drive each preset's statuses (issue 3), as the seeds describe them:
 * X-Cart (seeds 000, 001) on its payment and fulfilment tracks, nuTickets (seed 002) on its
 * one track, and Ordo's standard workflow completing an order that is paid and delivered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.js';
import { uniqueEmail } from '../http/helpers.js';
import { advance, callback, expectLedgerConsistent, getOrder, historyOf, HOUR, inventory, startPaymentsApp, steps, stocked, type Json } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await startPaymentsApp();
});
afterAll(() => t.close());

/** 2 x 10.00 + 5.00 shipping = 25.00 */
const TOTAL = 2500;
async function place(workflow: string, sku: string, payment?: Record<string, unknown>): Promise<Json> {
  const r = await t.call('POST', '/v1/orders', {
    workflow, currency: 'EUR', customer: { email: uniqueEmail(workflow) }, lines: [{ sku, quantity: 2, unitPrice: 1000 }], shipping: { amount: 500 },
    ...(payment ? { payment } : {}),
  });
  expect(r.status, r.text).toBe(201);
  return r.body;
}
const pay = async (orderId: string, payment: Record<string, unknown>) => {
  const r = await t.call('POST', `/v1/orders/${orderId}/payments`, payment);
  expect(r.status, r.text).toBe(201);
  return r.body;
};
const refund = async (orderId: string, payload: Record<string, unknown>) => {
  const r = await t.call('POST', `/v1/orders/${orderId}/refunds`, { reason: 'test', ...payload });
  expect(r.status, r.text).toBe(201);
  return r.body;
};
const settle = (paymentId: string) => t.call('POST', `/v1/payments/${paymentId}/settle`, {});
const transition = async (orderId: string, track: string, to: string) => {
  const r = await t.call('POST', `/v1/orders/${orderId}/transitions`, { track, to });
  expect(r.status, r.text).toBe(200);
  return r.body;
};

describe('X-Cart', () => {
  it('online card, charged: Q -> P; the stock is taken', async () => {
    const sku = await stocked(t, 'XC-P', 10);
    const o = await place('xcart', sku, { method: 'card' });
    expect(o.status).toEqual({ payment: 'P', fulfilment: 'N' });
    expect(o.totals).toMatchObject({ paid: TOTAL, balance: 0 });
    expect(steps(await historyOf(t, o.id))).toEqual(['payment:Q->P']);
    expect(await inventory(t, sku)).toEqual({ onHand: 8, reserved: 0, available: 8 });
  });

  it('online card, authorized: Q -> A (set by the gateway, stock held); captured: A -> P', async () => {
    const sku = await stocked(t, 'XC-A', 10);
    const o = await place('xcart', sku, { method: 'card', capture: false });
    expect(o.status).toEqual({ payment: 'A', fulfilment: 'N' });
    expect(await inventory(t, sku)).toEqual({ onHand: 10, reserved: 2, available: 8 });
    const h = await historyOf(t, o.id);
    expect(h.filter((e: { type: string }) => e.type === 'order.status_changed').at(-1)).toMatchObject({ track: 'payment', from: 'Q', to: 'A', actor: { kind: 'gateway' } });
    // The gateway's first answer finished the checkout: X-Cart numbers the order then.
    expect(h.at(-1)).toMatchObject({ type: 'order.numbered', data: { code: o.code } });
    const cap = await t.call('POST', `/v1/payments/${o.payments[0].id}/capture`, {});
    expect(cap.body.status).toEqual({ payment: 'P', fulfilment: 'N' });
    expect(await inventory(t, sku)).toEqual({ onHand: 8, reserved: 0, available: 8 });
  });

  it('online card, declined: Q -> D, the stock restocked, and the fulfilment Not finished (add-on)', async () => {
    const sku = await stocked(t, 'XC-D', 10);
    const o = await place('xcart', sku, { method: 'card', simulate: 'decline' });
    expect(o.status).toEqual({ payment: 'D', fulfilment: 'NF' });
    expect(o.totals).toMatchObject({ paid: 0, balance: TOTAL });
    expect(steps(await historyOf(t, o.id))).toEqual(['payment:Q->D', 'fulfilment:N->NF']);
    expect(await inventory(t, sku)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('online card, pending: stays Q (the answer not known yet) until the callback: Q -> P', async () => {
    const o = await place('xcart', await stocked(t, 'XC-Q', 10), { method: 'card', simulate: 'pending' });
    expect(o.status).toEqual({ payment: 'Q', fulfilment: 'N' });
    await callback(t, { type: 'payment.settled', paymentId: o.payments[0].id });
    expect((await getOrder(t, o.id)).status).toEqual({ payment: 'P', fulfilment: 'N' });
  });

  it('a partial payment: Q -> PP, stock left as it is; the rest: PP -> P', async () => {
    const sku = await stocked(t, 'XC-PP', 10);
    const o = await place('xcart', sku);
    const part = await pay(o.id, { method: 'card', amount: 1000 });
    expect(part.status).toEqual({ payment: 'PP', fulfilment: 'N' });
    expect(part.totals).toMatchObject({ paid: 1000, balance: 1500 });
    expect(await inventory(t, sku)).toEqual({ onHand: 10, reserved: 2, available: 8 });
    const rest = await pay(o.id, { method: 'card' });
    expect(rest.status).toEqual({ payment: 'P', fulfilment: 'N' });
    expect(steps(await historyOf(t, o.id))).toEqual(['payment:Q->PP', 'payment:PP->P']);
  });

  it('refunded in full: P -> R, the stock restocked', async () => {
    const sku = await stocked(t, 'XC-R', 10);
    const o = await place('xcart', sku, { method: 'card' });
    const r = await refund(o.id, { amount: TOTAL });
    expect(r.status).toEqual({ payment: 'R', fulfilment: 'WND' });
    expect(r.totals).toMatchObject({ paid: TOTAL, refunded: TOTAL, balance: 0 });
    expect(await inventory(t, sku)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    await expectLedgerConsistent(t);
  });

  it('refunded in part: P -> PP (X-Cart shows a partial refund as partially paid); the rest: PP -> R', async () => {
    const sku = await stocked(t, 'XC-RPP', 10);
    const o = await place('xcart', sku, { method: 'card' });
    const part = await refund(o.id, { amount: 1000 });
    expect(part.status).toEqual({ payment: 'PP', fulfilment: 'N' });
    expect(part.totals).toMatchObject({ refunded: 1000, balance: 0 });
    expect(await inventory(t, sku)).toEqual({ onHand: 8, reserved: 0, available: 8 });
    const rest = await refund(o.id, { amount: 1500 });
    expect(rest.status).toEqual({ payment: 'R', fulfilment: 'WND' });
    expect(steps(await historyOf(t, o.id))).toEqual(['payment:Q->P', 'payment:P->PP', 'payment:PP->R', 'fulfilment:N->WND']);
  });

  it('offline (invoice): Q until an admin records the money, then P', async () => {
    const sku = await stocked(t, 'XC-OFF', 10);
    const o = await place('xcart', sku, { method: 'invoice' });
    expect(o.status).toEqual({ payment: 'Q', fulfilment: 'N' });
    expect(await inventory(t, sku)).toEqual({ onHand: 10, reserved: 2, available: 8 });
    await advance(t, 400 * 24 * HOUR);
    expect((await getOrder(t, o.id)).status).toEqual({ payment: 'Q', fulfilment: 'N' });
    const s = await settle(o.payments[0].id);
    expect(s.status).toBe(200);
    expect(s.body.status).toEqual({ payment: 'P', fulfilment: 'N' });
    expect((await historyOf(t, o.id)).at(-1)).toMatchObject({ track: 'payment', from: 'Q', to: 'P', actor: { kind: 'admin' } });
    expect(await inventory(t, sku)).toEqual({ onHand: 8, reserved: 0, available: 8 });
  });
});

describe('nuTickets', () => {
  it('basket, then card: active -> processing -> complete; the tickets are taken', async () => {
    const sku = await stocked(t, 'NT-CARD', 10);
    const o = await place('nutickets', sku);
    expect(o.status).toEqual({ order: 'active' });
    expect(o.timers.map((x: Json) => x.name)).toEqual(['basket']);
    const paid = await pay(o.id, { method: 'card' });
    expect(paid.status).toEqual({ order: 'complete' });
    expect(paid.totals).toMatchObject({ paid: TOTAL, balance: 0 });
    expect(paid.timers).toEqual([]);
    expect(steps(await historyOf(t, o.id))).toEqual(['order:active->processing', 'order:processing->complete']);
    expect(await inventory(t, sku)).toEqual({ onHand: 8, reserved: 0, available: 8 });
  });

  it('card declined: processing -> failed, the tickets released', async () => {
    const sku = await stocked(t, 'NT-DECL', 10);
    const o = await place('nutickets', sku, { method: 'card', simulate: 'decline' });
    expect(o.status).toEqual({ order: 'failed' });
    expect(steps(await historyOf(t, o.id))).toEqual(['order:active->processing', 'order:processing->failed']);
    expect(await inventory(t, sku)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('payment link: awaiting_payment_link, then complete when the gateway settles it', async () => {
    const sku = await stocked(t, 'NT-LINK', 10);
    const o = await place('nutickets', sku, { method: 'payment_link' });
    expect(o.status).toEqual({ order: 'awaiting_payment_link' });
    expect(o.timers).toEqual([{ name: 'payment-link', track: 'order', dueAt: o.payments[0].link.expiresAt, extended: false }]);
    expect((await callback(t, { type: 'payment.settled', paymentId: o.payments[0].id })).body).toEqual({ status: 'applied' });
    const after = await getOrder(t, o.id);
    expect(after.status).toEqual({ order: 'complete' });
    expect(after.totals).toMatchObject({ paid: TOTAL, balance: 0 });
    expect((await historyOf(t, o.id)).at(-1)).toMatchObject({ from: 'awaiting_payment_link', to: 'complete', actor: { kind: 'gateway' } });
    expect(await inventory(t, sku)).toEqual({ onHand: 8, reserved: 0, available: 8 });
  });

  it('an editable payment link pays for the basket as edited: complete once its callback settles it', async () => {
    const o = await place('nutickets', await stocked(t, 'NT-LINK-EDIT', 10), { method: 'payment_link', editable: true });
    const edited = await t.call('POST', `/v1/orders/${o.id}/basket`, { addLines: [{ sku: await stocked(t, 'NT-LINK-EDIT-2', 10), quantity: 1, unitPrice: 1000 }] });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body.totals.total).toBe(TOTAL + 1000);
    expect(edited.body.payments[0].amount).toBe(TOTAL + 1000);
    await callback(t, { type: 'payment.settled', paymentId: o.payments[0].id });
    const after = await getOrder(t, o.id);
    expect(after.totals).toMatchObject({ paid: TOTAL + 1000, balance: 0 });
    expect(after.status).toEqual({ order: 'complete' });
  });

  it('payment link unpaid by its expiry (default 72 h): expired, the tickets released', async () => {
    const sku = await stocked(t, 'NT-LINK-EXP', 10);
    const o = await place('nutickets', sku, { method: 'payment_link' });
    await advance(t, 72 * HOUR - 1);
    expect((await getOrder(t, o.id)).status).toEqual({ order: 'awaiting_payment_link' });
    await advance(t, 1);
    expect((await getOrder(t, o.id)).status).toEqual({ order: 'expired' });
    expect(await inventory(t, sku)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('unknown gateway answer: unknown, the tickets still held; the admin checks the gateway and completes it', async () => {
    const sku = await stocked(t, 'NT-UNK', 10);
    const o = await place('nutickets', sku, { method: 'card', simulate: 'unknown' });
    expect(o.status).toEqual({ order: 'unknown' });
    expect(await inventory(t, sku)).toEqual({ onHand: 10, reserved: 2, available: 8 });
    await advance(t, 400 * 24 * HOUR);
    expect((await getOrder(t, o.id)).status).toEqual({ order: 'unknown' });
    const r = await t.call('POST', `/v1/payments/${o.payments[0].id}/resolve`, { outcome: 'settled' });
    expect(r.status, r.text).toBe(200);
    expect(r.body.status).toEqual({ order: 'complete' });
    expect(steps(await historyOf(t, o.id))).toEqual(['order:active->processing', 'order:processing->unknown', 'order:unknown->complete']);
    expect(await inventory(t, sku)).toEqual({ onHand: 8, reserved: 0, available: 8 });
  });

  it('unknown resolved as failed: the order expires and the tickets are released', async () => {
    const sku = await stocked(t, 'NT-UNK-F', 10);
    const o = await place('nutickets', sku, { method: 'card', simulate: 'unknown' });
    const r = await t.call('POST', `/v1/payments/${o.payments[0].id}/resolve`, { outcome: 'failed' });
    expect(r.status, r.text).toBe(200);
    expect(r.body.status).toEqual({ order: 'expired' });
    expect(await inventory(t, sku)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('part paid: partially_paid; the balance completes it', async () => {
    const sku = await stocked(t, 'NT-PART', 10);
    const o = await place('nutickets', sku);
    const part = await pay(o.id, { method: 'card', amount: 1000 });
    expect(part.status).toEqual({ order: 'partially_paid' });
    expect(part.totals).toMatchObject({ paid: 1000, balance: 1500 });
    // A part payment that is not a deposit sets no balance deadline.
    expect(part.timers).toEqual([]);
    expect(await inventory(t, sku)).toEqual({ onHand: 10, reserved: 2, available: 8 });
    const rest = await pay(o.id, { method: 'card' });
    expect(rest.status).toEqual({ order: 'complete' });
    expect(steps(await historyOf(t, o.id))).toEqual(['order:active->processing', 'order:processing->partially_paid', 'order:partially_paid->complete']);
    expect(await inventory(t, sku)).toEqual({ onHand: 8, reserved: 0, available: 8 });
  });

  it('a deposit: partially_paid with the deposit share paid', async () => {
    const o = await place('nutickets', await stocked(t, 'NT-DEP', 10));
    const r = await t.call('POST', `/v1/orders/${o.id}/payments`, { method: 'card', deposit: true });
    expect(r.status, r.text).toBe(201);
    expect(r.body.status).toEqual({ order: 'partially_paid' });
    expect(r.body.payments[0].deposit).toBe(true);
  });

  it('a deposit unpaid by its deadline: cancelled, the deposit kept, the tickets released', async () => {
    const sku = await stocked(t, 'NT-DEP-LATE', 10);
    const o = await place('nutickets', sku);
    const due = new Date(t.clock.now().getTime() + 86_400_000).toISOString();
    const r = await t.call('POST', `/v1/orders/${o.id}/payments`, { method: 'card', deposit: true, balanceDueAt: due });
    expect(r.body.timers.map((x: Json) => [x.name, x.dueAt])).toEqual([['deposit-deadline', due]]);
    t.clock.advance(86_400);
    await t.ordo.sweeper.sweep();
    const after = (await t.call('GET', `/v1/orders/${o.id}`)).body;
    expect(after.status).toEqual({ order: 'cancelled' });
    expect(after.totals.paid).toBe(r.body.totals.paid);
    expect(await inventory(t, sku)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('refunds after completion: complete -> partially_refunded -> refunded', async () => {
    const sku = await stocked(t, 'NT-REFUND', 10);
    const o = await place('nutickets', sku, { method: 'card' });
    expect(o.status).toEqual({ order: 'complete' });
    const part = await refund(o.id, { lines: [{ lineId: o.lines[0].id, quantity: 1 }], restock: true });
    expect(part.status).toEqual({ order: 'partially_refunded' });
    expect(await inventory(t, sku)).toEqual({ onHand: 9, reserved: 0, available: 9 });
    const rest = await refund(o.id, { amount: 1500 });
    expect(rest.status).toEqual({ order: 'refunded' });
    expect(rest.totals).toMatchObject({ paid: TOTAL, refunded: TOTAL, balance: 0 });
    expect(await inventory(t, sku)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    await expectLedgerConsistent(t);
  });

  it('invoice: awaiting_invoice until an admin completes it by recording the money', async () => {
    const o = await place('nutickets', await stocked(t, 'NT-INV', 10), { method: 'invoice' });
    expect(o.status).toEqual({ order: 'awaiting_invoice' });
    const s = await settle(o.payments[0].id);
    expect(s.body.status).toEqual({ order: 'complete' });
    expect((await historyOf(t, o.id)).at(-1)).toMatchObject({ from: 'awaiting_invoice', to: 'complete', actor: { kind: 'admin' } });
  });
});

describe('standard', () => {
  it('paid, then delivered (admin moves the fulfillment): the order completes', async () => {
    const o = await place('standard', await stocked(t, 'STD-DONE', 10), { method: 'card' });
    expect(o.status).toEqual({ order: 'placed', payment: 'paid', fulfillment: 'unfulfilled' });
    await transition(o.id, 'fulfillment', 'shipped');
    const done = await transition(o.id, 'fulfillment', 'delivered');
    expect(done.status).toEqual({ order: 'completed', payment: 'paid', fulfillment: 'delivered' });
    expect(steps(await historyOf(t, o.id))).toEqual([
      'order:draft->placed', 'payment:unpaid->paid', 'fulfillment:unfulfilled->shipped', 'fulfillment:shipped->delivered', 'order:placed->completed',
    ]);
  });

  it('delivered first, paid later (invoice settled by an admin): the order completes on payment', async () => {
    const o = await place('standard', await stocked(t, 'STD-LATE', 10), { method: 'invoice' });
    await transition(o.id, 'fulfillment', 'shipped');
    const delivered = await transition(o.id, 'fulfillment', 'delivered');
    expect(delivered.status).toEqual({ order: 'placed', payment: 'unpaid', fulfillment: 'delivered' });
    const s = await settle(o.payments[0].id);
    expect(s.body.status).toEqual({ order: 'completed', payment: 'paid', fulfillment: 'delivered' });
    expect(steps(await historyOf(t, o.id)).slice(-2)).toEqual(['payment:unpaid->paid', 'order:placed->completed']);
  });

  it('partly paid and delivered: not completed until the rest is paid', async () => {
    const o = await place('standard', await stocked(t, 'STD-PART', 10));
    await pay(o.id, { method: 'card', amount: 1000 });
    await transition(o.id, 'fulfillment', 'shipped');
    const delivered = await transition(o.id, 'fulfillment', 'delivered');
    expect(delivered.status).toEqual({ order: 'placed', payment: 'partially_paid', fulfillment: 'delivered' });
    const rest = await pay(o.id, { method: 'card' });
    expect(rest.status).toEqual({ order: 'completed', payment: 'paid', fulfillment: 'delivered' });
  });
});
