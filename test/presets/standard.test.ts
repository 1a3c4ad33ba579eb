/**
 * Ordo's `standard` workflow, for what it takes from the four platforms besides the basics
 * (which the stock, payment, timer and fulfillment suites cover): fraud holds (Nexway),
 * approval of items (nuTickets), free orders, and settings the merchant sets. Each test names
 * the seed a rule comes from and the gap of that platform the standard workflow closes.
 */
import { describe, expect, it } from 'vitest';
import {
  advance, createOrder, DAY, expectStatus, fromNow, getOrder, HOUR, lastChange, level, move, paymentAction, presetSuite, refusedMove, sku, statusTrail, withSettings, type Json,
} from './support.js';

/** Orders above 1,000.00, or from fraud.example, are flagged by the built-in screening rules. */
const { t, touched } = presetSuite({ fraud: { rules: { amountAbove: 100_000, emailDomains: ['fraud.example'] } } });

const flagged = { email: 'someone@fraud.example', name: 'Flagged Buyer' };

async function order(label: string, input: { customer?: Record<string, unknown>; payment?: Record<string, unknown>; unitPrice?: number; approval?: boolean; draft?: boolean } = {}) {
  const s = await sku(t(), label, 10);
  const lines = [{ sku: s, quantity: 2, unitPrice: input.unitPrice ?? 1000, ...(input.approval ? { requiresApproval: true } : {}) }];
  const o = touched.add(await createOrder(t(), 'standard', {
    lines, ...(input.customer ? { customer: input.customer } : {}), ...(input.payment ? { payment: input.payment } : {}), ...(input.draft ? { draft: true } : {}),
  }));
  return { o, s };
}

const ship = (id: string, lineId: string, quantity: number) => t().call('POST', `/v1/orders/${id}/fulfillments`, { lines: [{ lineId, quantity }] });

describe('003 (Nexway) fraud review, without its gap: the hold comes before the money is taken', () => {
  it('003: a flagged order waits in review, its stock held, its card only authorized, and nothing ships', async () => {
    const { o, s } = await order('STD-REVIEW', { customer: flagged, payment: { method: 'card', capture: false } });
    expect(o.status).toEqual({ order: 'in_review', payment: 'authorized', fulfillment: 'unfulfilled' });
    expect(o.placedAt).not.toBeNull();
    expect(o.timers).toEqual([{ name: 'review', track: 'order', dueAt: fromNow(t(), 6 * DAY), extended: false }]);
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 2, available: 8 });
    await expectStatus(ship(o.id, o.lines[0].id, 1), 409, 'order_on_hold');
    // Accepted: placed, captured, shipped.
    expect((await move(t(), o.id, 'placed', { track: 'order', reason: 'customer confirmed by phone' })).status.order).toBe('placed');
    const captured = await paymentAction(t(), o.payments[0].id, 'capture');
    expect(captured.status).toEqual({ order: 'placed', payment: 'paid', fulfillment: 'unfulfilled' });
    await expectStatus(ship(o.id, o.lines[0].id, 2), 201);
    expect(await level(t(), s)).toEqual({ onHand: 8, reserved: 0, available: 8 });
  });

  it('003: a card paid on a flagged order is only authorized; accepting the order captures it', async () => {
    const { o } = await order('STD-REVIEW-HOLD', { customer: flagged, payment: { method: 'card' } });
    expect(o.status).toEqual({ order: 'in_review', payment: 'authorized', fulfillment: 'unfulfilled' });
    expect(o.payments).toMatchObject([{ state: 'authorized', authorized: 2000, captured: 0 }]);
    expect(o.totals).toMatchObject({ paid: 0 });
    const accepted = await move(t(), o.id, 'placed', { track: 'order' });
    expect(accepted.status).toEqual({ order: 'placed', payment: 'paid', fulfillment: 'unfulfilled' });
    expect(accepted.payments).toMatchObject([{ state: 'settled', captured: 2000 }]);
    expect(accepted.totals).toMatchObject({ paid: 2000, balance: 0 });
  });

  it('003: screening rules flag by amount as well as by e-mail domain; other orders are placed at once', async () => {
    expect((await order('STD-REVIEW-AMOUNT', { unitPrice: 60_000 })).o.status.order).toBe('in_review');
    expect((await order('STD-REVIEW-CLEAN')).o.status.order).toBe('placed');
  });

  it('003: a review rejected cancels the order and lets its stock go; the held card is released', async () => {
    const { o, s } = await order('STD-REVIEW-REJECT', { customer: flagged, payment: { method: 'card' } });
    const rejected = await move(t(), o.id, 'cancelled', { track: 'order', reason: 'stolen card' });
    expect(rejected.status).toEqual({ order: 'cancelled', payment: 'voided', fulfillment: 'unfulfilled' });
    expect(rejected.payments).toMatchObject([{ state: 'voided', captured: 0 }]);
    expect(rejected.totals).toMatchObject({ paid: 0 });
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('003: a review nobody finishes is cancelled after the review timeout (6 days, a setting), never left stuck, and the card hold is let go', async () => {
    const { o, s } = await order('STD-REVIEW-LAPSE', { customer: flagged, payment: { method: 'card' } });
    await advance(t(), 6 * DAY - 1);
    expect((await getOrder(t(), o.id)).status.order).toBe('in_review');
    await advance(t(), 1);
    const lapsed = await getOrder(t(), o.id);
    expect(lapsed.status).toEqual({ order: 'cancelled', payment: 'voided', fulfillment: 'unfulfilled' });
    expect(lapsed.totals).toMatchObject({ paid: 0, refunded: 0 });
    expect(await lastChange(t(), o.id, 'order')).toMatchObject({ from: 'in_review', to: 'cancelled', actor: { kind: 'system' }, cause: 'timer.review_expired' });
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('003: a cart is screened again when it is checked out: one that grew past the limit goes to review, not to placed', async () => {
    const shopper = await t().storefrontKey('std-cart-grows');
    const s = await sku(t(), 'STD-REVIEW-CART', 200);
    const cart = touched.add(await createOrder(t(), 'standard', { lines: [{ sku: s, quantity: 1, unitPrice: 1000 }], draft: true }, { key: shopper }));
    expect(cart.status.order).toBe('draft');
    await expectStatus(t().call('POST', `/v1/orders/${cart.id}/basket`, { changeLines: [{ lineId: cart.lines[0].id, quantity: 150 }] }, { key: shopper }), 200);
    const checkedOut = await move(t(), cart.id, 'placed', { track: 'order', key: shopper });
    expect(checkedOut.status.order).toBe('in_review');
    await expectStatus(ship(cart.id, cart.lines[0].id, 1), 409, 'order_on_hold');
    // Accepted once, it stays accepted: back to placed, and not sent to review again.
    const accepted = await move(t(), cart.id, 'placed', { track: 'order' });
    expect(accepted.status.order).toBe('placed');
    expect((await statusTrail(t(), cart.id, 'order')).slice(-3)).toEqual(['draft->placed', 'placed->in_review', 'in_review->placed']);
  });

  it('003: an approved order from a flagged customer is reviewed before it goes on', async () => {
    const { o } = await order('STD-REVIEW-APPROVED', { customer: flagged, approval: true });
    expect(o.status.order).toBe('awaiting_approval');
    const approved = (await expectStatus(t().call('POST', `/v1/orders/${o.id}/approvals`, { decisions: [{ lineId: o.lines[0].id, approved: true, reason: 'ok' }] }), 200)).body;
    expect(approved.status.order).toBe('in_review');
  });

  it('003: an admin may hold any placed order for review by hand; the customer may not release it', async () => {
    const shopper = await t().storefrontKey('std-held');
    const s = await sku(t(), 'STD-HOLD', 10);
    const o = touched.add(await createOrder(t(), 'standard', { lines: [{ sku: s, quantity: 1, unitPrice: 500 }] }, { key: shopper }));
    expect((await move(t(), o.id, 'in_review', { track: 'order' })).status.order).toBe('in_review');
    await refusedMove(t(), o.id, 'placed', 409, 'transition_forbidden_for_actor', { track: 'order', key: shopper });
    expect((await statusTrail(t(), o.id, 'order')).at(-1)).toBe('placed->in_review');
  });
});

describe('002 (nuTickets) approval of items', () => {
  const review = (id: string, decisions: { lineId: string; approved: boolean; reason: string }[]) => t().call('POST', `/v1/orders/${id}/approvals`, { decisions });

  it('002: an order with items that need approval waits for it, its stock held, nothing shipped; approved, it is placed and the payment deadline starts', async () => {
    const { o, s } = await order('STD-APPROVAL', { approval: true });
    expect(o.status).toEqual({ order: 'awaiting_approval', payment: 'unpaid', fulfillment: 'unfulfilled' });
    expect(o.timers).toEqual([{ name: 'approval', track: 'order', dueAt: fromNow(t(), 7 * DAY), extended: false }]);
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 2, available: 8 });
    await expectStatus(ship(o.id, o.lines[0].id, 1), 409, 'order_on_hold');
    const approved = (await expectStatus(review(o.id, [{ lineId: o.lines[0].id, approved: true, reason: 'member' }]), 200)).body;
    expect(approved.status.order).toBe('placed');
    expect(approved.timers).toEqual([{ name: 'payment-deadline', track: 'order', dueAt: fromNow(t(), 72 * HOUR), extended: false }]);
  });

  it('002: items nobody decides on within the approval timeout (7 days, a setting) call the order off, never left holding stock', async () => {
    const { o, s } = await order('STD-APPROVAL-LAPSE', { approval: true });
    await advance(t(), 7 * DAY);
    expect((await getOrder(t(), o.id)).status.order).toBe('cancelled');
    expect(await lastChange(t(), o.id, 'order')).toMatchObject({ from: 'awaiting_approval', to: 'cancelled', cause: 'timer.approval_expired' });
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('002: every item rejected cancels the order and releases its stock', async () => {
    const { o, s } = await order('STD-APPROVAL-REJECT', { approval: true });
    const rejected = (await expectStatus(review(o.id, [{ lineId: o.lines[0].id, approved: false, reason: 'sold to members only' }]), 200)).body;
    expect(rejected.status.order).toBe('cancelled');
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('002: a cart with such items is checked out into the approval, not past it', async () => {
    const { o } = await order('STD-APPROVAL-CART', { approval: true, draft: true });
    expect(o.status.order).toBe('draft');
    await refusedMove(t(), o.id, 'placed', 409, 'guard_failed', { track: 'order' });
    expect((await move(t(), o.id, 'awaiting_approval', { track: 'order' })).status.order).toBe('awaiting_approval');
  });

  it('002: approved items that cost nothing complete without a payment (a guest list)', async () => {
    const { o } = await order('STD-APPROVAL-FREE', { approval: true, unitPrice: 0 });
    const approved = (await expectStatus(review(o.id, [{ lineId: o.lines[0].id, approved: true, reason: 'guest list' }]), 200)).body;
    expect(approved.status).toEqual({ order: 'placed', payment: 'paid', fulfillment: 'unfulfilled' });
  });
});

describe('gaps closed', () => {
  it('an order that ends (cancelled here) lets go of the card hold it still had', async () => {
    const { o } = await order('STD-END-VOID', { payment: { method: 'card', capture: false } });
    expect(o.payments).toMatchObject([{ state: 'authorized' }]);
    const cancelled = await move(t(), o.id, 'cancelled', { track: 'order', reason: 'customer called' });
    expect(cancelled.payments).toMatchObject([{ state: 'voided' }]);
    expect(cancelled.status.payment).toBe('voided');
  });

  it('a free order is paid as it is placed, and the payment deadline never cancels it', async () => {
    const { o, s } = await order('STD-FREE', { unitPrice: 0 });
    expect(o.status).toEqual({ order: 'placed', payment: 'paid', fulfillment: 'unfulfilled' });
    await advance(t(), 30 * DAY);
    expect((await getOrder(t(), o.id)).status.order).toBe('placed');
    await expectStatus(ship(o.id, o.lines[0].id, 2), 201);
    expect(await level(t(), s)).toEqual({ onHand: 8, reserved: 0, available: 8 });
  });

  it('the merchant sets how long a placed order may wait for its payment; nobody paying cancels it and frees its stock', async () => {
    await withSettings(t(), 'standard', { paymentTimeout: '24h' }, async () => {
      const { o, s } = await order('STD-PAY-DEADLINE');
      expect(o.timers).toEqual([{ name: 'payment-deadline', track: 'order', dueAt: fromNow(t(), 24 * HOUR), extended: false }]);
      await advance(t(), 24 * HOUR);
      const lapsed: Json = await getOrder(t(), o.id);
      expect(lapsed.status.order).toBe('cancelled');
      expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    });
  });
});
