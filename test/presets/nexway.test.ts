/**
 * Nexway Monetize (seed 003) as a scenario suite over HTTP: the order from checkout through
 * payment (asynchronous, refused and retried, aborted) to cancellation and withdrawal.
 * Fraud screening and the completion steps themselves are in test/completion/nexway.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.js';
import { publicType } from '../../src/domain/event-types.js';
import {
  advance, callback, createOrder, DAY, expectStatus, fromNow, getOrder, historyOf, lastChange, level, move, pay, presetSuite, refusedMove, sku, statusTrail, withSettings, type Json,
} from './support.js';

const { t, touched } = presetSuite();

/** One licence at 49.00. */
const PRICE = 4900;
const licence = (s: string) => [{ sku: s, quantity: 1, unitPrice: PRICE, name: 'Security suite, 1 year' }];

async function order(label: string, opts: { payment?: Record<string, unknown>; key?: string; extraLine?: boolean; metadata?: Record<string, unknown> } = {}): Promise<{ o: Json; s: string }> {
  const s = await sku(t(), label, 10);
  const lines = [...licence(s), ...(opts.extraLine ? [{ sku: s, quantity: 2, unitPrice: 1500, name: 'Extra seat' }] : [])];
  const input = { lines, ...(opts.payment ? { payment: opts.payment } : {}), ...(opts.metadata ? { metadata: opts.metadata } : {}) };
  const o = touched.add(await createOrder(t(), 'nexway', input, opts.key ? { key: opts.key } : {}));
  return { o, s };
}

const statusOf = async (id: string) => (await getOrder(t(), id)).status.order as string;

/** A paid order, COMPLETED: the completion steps take it there on their own; should it still be PENDING, the system's own step stands in. */
async function completed(app: TestApp, id: string): Promise<Json> {
  const now = await getOrder(app, id);
  if (now.status.order === 'PENDING') {
    const done = await app.ordo.orders.execute(id, { type: 'transition', to: 'COMPLETED' }, { kind: 'system', id: 'completion-steps' });
    expect(done.ok).toBe(true);
  }
  const after = await getOrder(app, id);
  expect(after.status).toEqual({ order: 'COMPLETED' });
  return after;
}

describe('003: statuses', () => {
  it('003: each status is marked temporary or permanent exactly as Nexway marks it', async () => {
    const wf = (await expectStatus(t().call('GET', '/v1/workflows/nexway'), 200)).body;
    expect(Object.fromEntries(wf.tracks[0].states.map((s: Json) => [s.id, s.kind]))).toEqual({
      CREATED: 'temporary', PAYMENT_PENDING: 'temporary', PAYMENT_REFUSED: 'permanent', FRAUD_PENDING: 'temporary', PENDING: 'temporary',
      PENDING_WITH_ERROR: 'temporary', PARTIAL_COMPLETED: 'temporary', COMPLETED: 'permanent', CANCEL_PENDING: 'temporary', ABORTED: 'permanent',
      CANCELED: 'permanent', CANCELED_WITH_ERROR: 'permanent', PARTIAL_CANCELED: 'temporary',
    });
  });
});

describe('003: checkout and payment', () => {
  it('003: checking out the cart creates the order in CREATED, where it waits for its first charge', async () => {
    const { o, s } = await order('NX-CREATED');
    expect(o.status).toEqual({ order: 'CREATED' });
    expect(o.placedAt).not.toBeNull();
    expect(o.timers).toEqual([]);
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 1, available: 9 });
    // A subscription's pre-billing order may wait here a long time.
    await advance(t(), 30 * DAY);
    expect(await statusOf(o.id)).toBe('CREATED');
    const charged = await pay(t(), o.id, { method: 'card' });
    expect(charged.totals).toMatchObject({ paid: PRICE, balance: 0 });
    expect((await statusTrail(t(), o.id)).slice(0, 2)).toEqual(['order:CREATED->PAYMENT_PENDING', 'order:PAYMENT_PENDING->PENDING']);
  });

  it('003: an asynchronous payment keeps the order in PAYMENT_PENDING until its confirmation arrives', async () => {
    const shopper = await t().storefrontKey('nx-async');
    const { o } = await order('NX-ASYNC', { key: shopper });
    // An asynchronous method (a wallet or a transfer): the gateway answers later.
    const started = await pay(t(), o.id, { method: 'card', simulate: 'pending' }, { key: shopper });
    expect(started.status).toEqual({ order: 'PAYMENT_PENDING' });
    expect(started.timers).toEqual([expect.objectContaining({ name: 'payment-timeout' })]);
    await advance(t(), 2 * DAY);
    expect(await statusOf(o.id)).toBe('PAYMENT_PENDING');
    await expectStatus(callback(t(), { type: 'payment.settled', paymentId: started.payments[0].id }), 200);
    const confirmed = await getOrder(t(), o.id);
    expect(confirmed.totals).toMatchObject({ paid: PRICE, balance: 0 });
    expect(confirmed.timers.map((x: Json) => x.name)).not.toContain('payment-timeout');
    expect((await statusTrail(t(), o.id)).slice(0, 2)).toEqual(['order:CREATED->PAYMENT_PENDING', 'order:PAYMENT_PENDING->PENDING']);
    expect((await historyOf(t(), o.id)).find((e: Json) => e.to === 'PENDING')).toMatchObject({ actor: { kind: 'gateway' } });
  });

  it('003: an asynchronous payment that has not arrived by its deadline aborts the order and frees its stock', async () => {
    const wf = (await expectStatus(t().call('GET', '/v1/workflows/nexway'), 200)).body;
    expect(wf.settings.paymentTimeout).toBe('7d');
    const { o, s } = await order('NX-ABORT', { payment: { method: 'card', simulate: 'pending' } });
    expect(o.status).toEqual({ order: 'PAYMENT_PENDING' });
    expect(o.timers).toEqual([{ name: 'payment-timeout', track: 'order', dueAt: fromNow(t(), 7 * DAY), extended: false }]);
    await advance(t(), 7 * DAY - 1);
    expect(await statusOf(o.id)).toBe('PAYMENT_PENDING');
    await advance(t(), 1);
    expect(await statusOf(o.id)).toBe('ABORTED');
    expect(await lastChange(t(), o.id)).toMatchObject({ from: 'PAYMENT_PENDING', to: 'ABORTED', actor: { kind: 'system' } });
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('003: an aborted order is never fulfilled: a parcel for it is refused and no stock is sold', async () => {
    const s = await sku(t(), 'NX-ABORT-SHIP', 10);
    const o = await createOrder(t(), 'nexway', { lines: licence(s), payment: { method: 'card', simulate: 'pending' } });
    await advance(t(), 7 * DAY);
    expect(await statusOf(o.id)).toBe('ABORTED');
    const shipped = await t().call('POST', `/v1/orders/${o.id}/fulfillments`, { lines: [{ lineId: o.lines[0].id, quantity: 1 }] });
    expect(shipped.status, shipped.text).toBe(409);
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('003: a refused payment leaves the order PAYMENT_REFUSED and lets go of what it held', async () => {
    const { o, s } = await order('NX-REFUSED', { payment: { method: 'card', simulate: 'decline' } });
    expect(o.status).toEqual({ order: 'PAYMENT_REFUSED' });
    expect(o.payments).toMatchObject([{ state: 'declined', captured: 0 }]);
    expect(o.totals).toMatchObject({ paid: 0, balance: PRICE });
    expect(await lastChange(t(), o.id)).toMatchObject({ from: 'PAYMENT_PENDING', to: 'PAYMENT_REFUSED', actor: { kind: 'gateway' } });
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('003: after a refusal the shopper can try again, and a retry that goes through carries the order on, at once or asynchronously', async () => {
    const { o: card, s } = await order('NX-RETRY', { payment: { method: 'card', simulate: 'decline' } });
    const retried = await pay(t(), card.id, { method: 'card' });
    expect(retried.totals).toMatchObject({ paid: PRICE, balance: 0 });
    expect((await statusTrail(t(), card.id)).slice(0, 4)).toEqual([
      'order:CREATED->PAYMENT_PENDING', 'order:PAYMENT_PENDING->PAYMENT_REFUSED', 'order:PAYMENT_REFUSED->PAYMENT_PENDING', 'order:PAYMENT_PENDING->PENDING',
    ]);
    // Held again for the order that is now paid (sold once its completion is done).
    expect((await level(t(), s)).available).toBe(9);

    const async = touched.add(await createOrder(t(), 'nexway', { lines: licence(s), payment: { method: 'card', simulate: 'decline' } }));
    const waiting = await pay(t(), async.id, { method: 'payment_link' });
    expect(waiting.status).toEqual({ order: 'PAYMENT_PENDING' });
    expect(await lastChange(t(), async.id)).toMatchObject({ from: 'PAYMENT_REFUSED', to: 'PAYMENT_PENDING' });
    expect((await level(t(), s)).available).toBe(8);
  });

  it('003: the merchant sets how long an asynchronous payment may stay unpaid before the order is aborted', async () => {
    await withSettings(t(), 'nexway', { paymentTimeout: '2d' }, async () => {
      const { o, s } = await order('NX-TIMEOUT-SET', { payment: { method: 'card', simulate: 'pending' } });
      expect(o.status).toEqual({ order: 'PAYMENT_PENDING' });
      expect(o.timers).toMatchObject([{ name: 'payment-timeout', dueAt: fromNow(t(), 2 * DAY) }]);
      await advance(t(), 2 * DAY - 1);
      expect(await statusOf(o.id)).toBe('PAYMENT_PENDING');
      await advance(t(), 1);
      expect(await statusOf(o.id)).toBe('ABORTED');
      expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    });
  });
});

// Fraud review and the completion steps are covered in test/completion/nexway.test.ts (screening by
// the merchant's rules or a screener of one's own, review by hand, accept, reject; steps running on
// their own, PARTIAL_COMPLETED, PENDING_WITH_ERROR, repair, rehearsal failures, crash recovery), the
// 6-day review expiry and the repair backoff in test/timers/nexway.test.ts.
describe('003: stepping in on completion', () => {
  it('003: an admin may step in and retry the failed steps at once', async () => {
    const s = await sku(t(), 'NX-RETRY-NOW', 10);
    // The confirmation e-mail fails once (a rehearsal the built-in step handler supports).
    const o = touched.add(await createOrder(t(), 'nexway', { lines: licence(s), payment: { method: 'card' }, metadata: { simulateFailure: { confirmation: 1 } } }));
    expect(o.status).toEqual({ order: 'PENDING_WITH_ERROR' });
    const retried = await expectStatus(t().call('POST', `/v1/orders/${o.id}/transitions`, { to: 'PENDING', reason: 'mail server is back' }), 200);
    expect(retried.body.status).toEqual({ order: 'COMPLETED' });
  });

  it('003: an order that cannot be delivered at all is cancelled and the shopper reimbursed', async () => {
    const s = await sku(t(), 'NX-UNDELIVERABLE', 10);
    const o = touched.add(await createOrder(t(), 'nexway', { lines: licence(s), payment: { method: 'card' }, metadata: { simulateFailure: 'fulfilment' } }));
    expect(o.status).toEqual({ order: 'PARTIAL_COMPLETED' });
    // The admin gives up on delivering: cancelled, and (Nexway refunds cancelled orders) reimbursed without being asked.
    const cancelled = await expectStatus(t().call('POST', `/v1/orders/${o.id}/cancellations`, { reason: 'licence server cannot issue keys' }), 200);
    expect(cancelled.body.status).toEqual({ order: 'CANCELED' });
    expect(cancelled.body.totals).toMatchObject({ paid: PRICE, refunded: PRICE, balance: 0 });
    expect(await level(t(), s)).toMatchObject({ onHand: 10, reserved: 0 });
  });
});

describe('003: cancellation and withdrawal', () => {
  it('003: the shopper may withdraw even after COMPLETED: the order goes through CANCEL_PENDING to CANCELED, refunded, with its reason', async () => {
    const { o, s } = await order('NX-WITHDRAW', { payment: { method: 'card' } });
    await completed(t(), o.id);
    expect((await level(t(), s)).onHand).toBe(9);
    const withdrawn = (await expectStatus(t().call('POST', `/v1/orders/${o.id}/cancellations`, { reason: 'right of withdrawal', refund: true }), 200)).body;
    expect(withdrawn.status).toEqual({ order: 'CANCELED' });
    expect(withdrawn.totals).toMatchObject({ paid: PRICE, refunded: PRICE, total: 0, balance: 0 });
    expect(withdrawn.refunds).toMatchObject([{ paymentId: o.payments[0].id, amount: PRICE, state: 'settled' }]);
    const h = (await historyOf(t(), o.id)).filter((e: Json) => e.type === 'order.status_changed').slice(-2);
    expect(h.map((e: Json) => `${e.from}->${e.to}:${e.reason}`)).toEqual(['COMPLETED->CANCEL_PENDING:right of withdrawal', 'CANCEL_PENDING->CANCELED:right of withdrawal']);
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('003: a cancelled order is refunded, without the caller having to ask for it separately', async () => {
    const s = await sku(t(), 'NX-CANCEL-REFUNDS', 10);
    const o = await createOrder(t(), 'nexway', { lines: licence(s), payment: { method: 'card' } });
    const cancelled = (await expectStatus(t().call('POST', `/v1/orders/${o.id}/cancellations`, { reason: 'shopper changed their mind' }), 200)).body;
    expect(cancelled.status).toEqual({ order: 'CANCELED' });
    expect(cancelled.totals).toMatchObject({ paid: PRICE, refunded: PRICE, balance: 0 });
  });

  it('003: a withdrawal the shopper asks for is processed: the order does not stay CANCEL_PENDING, and the money goes back', async () => {
    const shopper = await t().storefrontKey('nx-withdraws');
    const s = await sku(t(), 'NX-SHOPPER-WITHDRAWS', 10);
    const o = await createOrder(t(), 'nexway', { lines: licence(s), payment: { method: 'card' } }, { key: shopper });
    await completed(t(), o.id);
    const asked = await expectStatus(t().call('POST', `/v1/orders/${o.id}/transitions`, { to: 'CANCEL_PENDING', reason: 'withdrawal' }, { key: shopper }), 200);
    // Processed at once: cancelled in full and refunded (the answer is the order as it now is).
    expect(asked.body.status).toEqual({ order: 'CANCELED' });
    const after = await getOrder(t(), o.id);
    expect(after.status).toEqual({ order: 'CANCELED' });
    expect(after.totals).toMatchObject({ refunded: PRICE });
  });

  it('003: cancelling and refunding part of an order leaves it PARTIAL_CANCELED, the rest still owned', async () => {
    const { o, s } = await order('NX-PART-CANCEL', { payment: { method: 'card' }, extraLine: true });
    await completed(t(), o.id);
    const seats = o.lines[1];
    const part = (await expectStatus(t().call('POST', `/v1/orders/${o.id}/cancellations`, { lines: [{ lineId: seats.id, quantity: 2 }], reason: 'seats not needed', refund: true }), 200)).body;
    expect(part.status).toEqual({ order: 'PARTIAL_CANCELED' });
    expect(part.totals).toMatchObject({ total: PRICE, paid: PRICE + 3000, refunded: 3000, balance: 0 });
    expect(part.lines.map((l: Json) => [l.quantity, l.cancelled, l.committed])).toEqual([[1, 0, 1], [0, 2, 0]]);
    expect((await statusTrail(t(), o.id)).slice(-2)).toEqual(['order:COMPLETED->CANCEL_PENDING', 'order:CANCEL_PENDING->PARTIAL_CANCELED']);
    expect(await level(t(), s)).toEqual({ onHand: 9, reserved: 0, available: 9 });
  });

  it('003: a cancellation asked of an order that can no longer be cancelled is refused, and nothing changes', async () => {
    const { o } = await order('NX-CANCEL-TWICE', { payment: { method: 'card' } });
    await expectStatus(t().call('POST', `/v1/orders/${o.id}/cancellations`, { reason: 'first', refund: true }), 200);
    const before = await getOrder(t(), o.id);
    await expectStatus(t().call('POST', `/v1/orders/${o.id}/cancellations`, { reason: 'again', refund: true }), 409, 'order_ended');
    const after = await getOrder(t(), o.id);
    expect(after.version).toBe(before.version);
    expect(after.status).toEqual({ order: 'CANCELED' });
    expect(after.totals).toEqual(before.totals);
  });

  it('003: an aborted order is not eligible for cancellation: the request is refused', async () => {
    const s = await sku(t(), 'NX-CANCEL-ABORTED', 10);
    const o = await createOrder(t(), 'nexway', { lines: licence(s), payment: { method: 'card', simulate: 'pending' } });
    await advance(t(), 7 * DAY);
    expect(await statusOf(o.id)).toBe('ABORTED');
    const r = await t().call('POST', `/v1/orders/${o.id}/cancellations`, { reason: 'too late' });
    expect(r.status, r.text).toBe(409);
  });

  it('003: a cancellation whose e-mail fails ends CANCELED_WITH_ERROR, cancelled and refunded all the same; an admin sends it again and it is CANCELED', async () => {
    const { o, s } = await order('NX-CANCEL-ERROR', { payment: { method: 'card' }, metadata: { simulateFailure: { cancellation_notice: 1 } } });
    await completed(t(), o.id);
    const cancelled = (await expectStatus(t().call('POST', `/v1/orders/${o.id}/cancellations`, { reason: 'changed mind' }), 200)).body;
    expect(cancelled.status).toEqual({ order: 'CANCELED_WITH_ERROR' });
    expect(cancelled.totals).toMatchObject({ paid: PRICE, refunded: PRICE, balance: 0 });
    expect((await statusTrail(t(), o.id)).slice(-3)).toEqual(['order:COMPLETED->CANCEL_PENDING', 'order:CANCEL_PENDING->CANCELED', 'order:CANCELED->CANCELED_WITH_ERROR']);
    expect(await lastChange(t(), o.id)).toMatchObject({ actor: { kind: 'system' }, cause: 'cancellation.failed' });
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    // A permanent status: nothing retries on its own.
    await advance(t(), 7 * DAY);
    expect(await statusOf(o.id)).toBe('CANCELED_WITH_ERROR');
    // The admin repairs it: the e-mail goes out again (this time it works) and the order is CANCELED, once.
    expect((await move(t(), o.id, 'CANCELED', { reason: 'resend the e-mail' })).status).toEqual({ order: 'CANCELED' });
    const notices = (await historyOf(t(), o.id)).filter((e: Json) => e.type === 'order.cancellation_notice').map((e: Json) => e.data.result);
    expect(notices).toEqual(['failed', 'done']);
    expect((await getOrder(t(), o.id)).totals).toMatchObject({ refunded: PRICE });
  });

  it('003: a cancellation whose e-mail goes out ends CANCELED and is announced once', async () => {
    const { o } = await order('NX-CANCEL-NOTICE', { payment: { method: 'card' } });
    await expectStatus(t().call('POST', `/v1/orders/${o.id}/cancellations`, { reason: 'duplicate order' }), 200);
    expect(await statusOf(o.id)).toBe('CANCELED');
    expect((await historyOf(t(), o.id)).filter((e: Json) => e.type === 'order.cancellation_notice').map((e: Json) => e.data.result)).toEqual(['done']);
    await refusedMove(t(), o.id, 'CANCELED_WITH_ERROR', 409, 'transition_forbidden_for_actor');
  });
});

describe('003: notifications', () => {
  it('003: creation, refusal, abort, completion and cancellation are each announced once, as the history records them', async () => {
    const { o: refused } = await order('NX-NOTIFY-REFUSED', { payment: { method: 'card', simulate: 'decline' } });
    const { o: aborted } = await order('NX-NOTIFY-ABORTED', { payment: { method: 'card', simulate: 'pending' } });
    await advance(t(), 7 * DAY);
    const { o: withdrawn } = await order('NX-NOTIFY-CANCELED', { payment: { method: 'card' } });
    await completed(t(), withdrawn.id);
    await expectStatus(t().call('POST', `/v1/orders/${withdrawn.id}/cancellations`, { reason: 'withdrawal', refund: true }), 200);
    const announced = async (id: string) => {
      const rows = await t().ordo.pool.query<{ type: string; to: string | null }>(`SELECT type, payload->'data'->>'to' AS to FROM outbox WHERE order_id = $1 ORDER BY id`, [id]);
      // The outbox names events as consumers see them; messages sent are in the history, not in the outbox.
      const recorded = (await historyOf(t(), id)).filter((e: Json) => !e.type.startsWith('notification.'));
      expect(rows.rows.map((r) => r.type)).toEqual(recorded.map((e: Json) => publicType(e)));
      return rows.rows.filter((r) => r.type === 'order.status_changed').map((r) => r.to);
    };
    for (const o of [refused, aborted, withdrawn]) expect((await t().ordo.pool.query(`SELECT 1 FROM outbox WHERE order_id = $1 AND type = 'order.created'`, [o.id])).rowCount).toBe(1);
    expect(await announced(refused.id)).toContain('PAYMENT_REFUSED');
    expect(await announced(aborted.id)).toContain('ABORTED');
    const ends = await announced(withdrawn.id);
    expect(ends).toContain('COMPLETED');
    expect(ends.at(-1)).toBe('CANCELED');
  });
});
