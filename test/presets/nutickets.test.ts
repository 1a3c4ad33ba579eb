/**
 * Seed 002, nuTickets (from Nu Web Group), as a scenario suite over HTTP: the basket and its
 * timer, paying at once, the deferred routes (a link to pay by, an invoice, the venue, a local method), approval,
 * deposits, and what may still happen after completion. One test per rule; rules Ordo does
 * not have yet are `it.todo`, rules it gets wrong `it.fails` with what was seen.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  advance, callback, changeBasket, createOrder, DAY, expectStatus, fromNow, getOrder, historyOf, HOUR, lastChange, level, MINUTE,
  move, movementsOf, pay, paymentAction, presetSuite, refund, refusedMove, sku, statusTrail, withSettings, type Json,
} from './support.js';

const { t, touched } = presetSuite();

let shopper: string;
beforeAll(async () => {
  shopper = await t().storefrontKey('nt-fan');
});

/** Two tickets at 25.00 each, no shipping: 50.00. */
const TOTAL = 5000;
const tickets = (s: string, quantity = 2) => [{ sku: s, quantity, unitPrice: 2500, name: 'Standing ticket' }];

/** A basket (or an order on a payment route) for a fresh SKU with 10 tickets on sale. */
async function basket(label: string, opts: { payment?: Record<string, unknown>; key?: string | null } = {}): Promise<{ o: Json; s: string }> {
  const s = await sku(t(), label, 10);
  const key = opts.key === null ? {} : { key: opts.key ?? shopper };
  const o = touched.add(await createOrder(t(), 'nutickets', { lines: tickets(s), ...(opts.payment ? { payment: opts.payment } : {}) }, key));
  return { o, s };
}

const statusOf = async (id: string) => (await getOrder(t(), id)).status.order as string;

describe('002: the basket', () => {
  it('002: a basket opened by the shopper or by the box office is active and holds its tickets, with no payment tried', async () => {
    const { o: shop, s } = await basket('NT-BASKET');
    const { o: boxOffice } = await basket('NT-BASKET-BOX', { key: null });
    for (const o of [shop, boxOffice]) {
      expect(o.status).toEqual({ order: 'active' });
      expect(o.payments).toEqual([]);
      expect(o.totals).toMatchObject({ total: TOTAL, paid: 0, balance: TOTAL });
      expect(o.timers).toEqual([{ name: 'basket', track: 'order', dueAt: fromNow(t(), 10 * MINUTE), extended: false }]);
      expect((await historyOf(t(), o.id)).map((e: Json) => e.type)).toEqual(['order.created']);
    }
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 2, available: 8 });
    expect((await historyOf(t(), shop.id))[0]).toMatchObject({ actor: { kind: 'customer' } });
    expect((await historyOf(t(), boxOffice.id))[0]).toMatchObject({ actor: { kind: 'admin' } });
  });

  it('002: a basket left alone for the basket timeout (10 minutes by default) expires and its tickets go back on sale', async () => {
    const wf = (await expectStatus(t().call('GET', '/v1/workflows/nutickets'), 200)).body;
    expect(wf.settings.basketTimeout).toBe('10m');
    const { o, s } = await basket('NT-IDLE');
    await advance(t(), 10 * MINUTE - 1);
    expect(await statusOf(o.id)).toBe('active');
    await advance(t(), 1);
    expect(await statusOf(o.id)).toBe('expired');
    expect(await lastChange(t(), o.id)).toMatchObject({ from: 'active', to: 'expired', actor: { kind: 'system' } });
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    expect(await movementsOf(t(), o.id)).toEqual(['reserve 2', 'release 2']);
  });

  it('002: every change to the basket starts its timer again', async () => {
    const { o, s } = await basket('NT-RESTART');
    const extra = await sku(t(), 'NT-RESTART-EXTRA', 5);
    await advance(t(), 6 * MINUTE);
    const changed = await changeBasket(t(), o.id, { addLines: [{ sku: extra, quantity: 1, unitPrice: 1500 }] }, { key: shopper });
    expect(changed.timers).toEqual([{ name: 'basket', track: 'order', dueAt: fromNow(t(), 10 * MINUTE), extended: false }]);
    expect(changed.totals.total).toBe(TOTAL + 1500);
    expect(await level(t(), extra)).toEqual({ onHand: 5, reserved: 1, available: 4 });
    await advance(t(), 5 * MINUTE); // past the first due time
    expect(await statusOf(o.id)).toBe('active');
    await advance(t(), 5 * MINUTE);
    expect(await statusOf(o.id)).toBe('expired');
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    expect(await level(t(), extra)).toEqual({ onHand: 5, reserved: 0, available: 5 });
  });

  it('002: the shopper may ask for more time once, which adds one basket timeout; a second ask is refused', async () => {
    const { o } = await basket('NT-MORE-TIME');
    const due = fromNow(t(), 10 * MINUTE);
    await advance(t(), 8 * MINUTE);
    const more = await expectStatus(t().call('POST', `/v1/orders/${o.id}/timers/basket/extend`, undefined, { key: shopper }), 200);
    expect(more.body.timers).toEqual([{ name: 'basket', track: 'order', dueAt: new Date(Date.parse(due) + 10 * MINUTE * 1000).toISOString(), extended: true }]);
    await expectStatus(t().call('POST', `/v1/orders/${o.id}/timers/basket/extend`, undefined, { key: shopper }), 409, 'timer_already_extended');
    await advance(t(), 12 * MINUTE - 1);
    expect(await statusOf(o.id)).toBe('active');
    await advance(t(), 1);
    expect(await statusOf(o.id)).toBe('expired');
    expect((await historyOf(t(), o.id)).map((e: Json) => e.type)).toEqual(['order.created', 'timer.extended', 'timer.fired', 'order.status_changed']);
  });

  it('002: each company sets its own basket timeout; baskets opened after the change use it', async () => {
    const { o: before } = await basket('NT-TIMEOUT-BEFORE');
    await withSettings(t(), 'nutickets', { basketTimeout: '25m' }, async () => {
      const { o, s } = await basket('NT-TIMEOUT');
      expect(o.timers).toEqual([{ name: 'basket', track: 'order', dueAt: fromNow(t(), 25 * MINUTE), extended: false }]);
      // A basket already open keeps the due time it was given.
      expect((await getOrder(t(), before.id)).timers).toMatchObject([{ name: 'basket', dueAt: before.timers[0].dueAt }]);
      await advance(t(), 10 * MINUTE);
      expect(await statusOf(before.id)).toBe('expired');
      expect(await statusOf(o.id)).toBe('active');
      // A change to the basket restarts it at the company's timeout too.
      const changed = await changeBasket(t(), o.id, { addLines: tickets(s, 1) }, { key: shopper });
      expect(changed.timers).toMatchObject([{ name: 'basket', dueAt: fromNow(t(), 25 * MINUTE) }]);
      await advance(t(), 25 * MINUTE);
      expect(await statusOf(o.id)).toBe('expired');
      expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    });
    // Back to the default for the next basket.
    const { o: after } = await basket('NT-TIMEOUT-AFTER');
    expect(after.timers).toMatchObject([{ name: 'basket', dueAt: fromNow(t(), 10 * MINUTE) }]);
  });

  it('002: a company setting is refused unless it is one the workflow has, with a value of its kind; nothing changes', async () => {
    for (const [body, code] of [[{ basketTimeout: 'ten minutes' }, 'invalid_setting'], [{ depositPercent: 150 }, 'invalid_setting'], [{ queueSize: 4 }, 'unknown_setting']] as const) {
      await expectStatus(t().call('PATCH', '/v1/workflows/nutickets/settings', body), 422, code);
    }
    await expectStatus(t().call('PATCH', '/v1/workflows/nutickets/settings', { basketTimeout: '20m' }, { key: shopper }), 403);
    expect((await expectStatus(t().call('GET', '/v1/workflows/nutickets'), 200)).body).toMatchObject({ revision: expect.any(Number), settings: { basketTimeout: '10m', depositPercent: 25 } });
  });
});

describe('002: paying at once', () => {
  it('002: paying takes the basket to processing until the gateway answers, and its confirmation completes the order', async () => {
    const { o, s } = await basket('NT-PAY');
    const paying = await pay(t(), o.id, { method: 'card', simulate: 'pending' }, { key: shopper });
    expect(paying.status).toEqual({ order: 'processing' });
    expect(paying.timers).toEqual([]);
    // The basket timer no longer runs: the order waits for the gateway, its tickets held.
    await advance(t(), HOUR);
    expect(await statusOf(o.id)).toBe('processing');
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 2, available: 8 });
    await expectStatus(callback(t(), { type: 'payment.settled', paymentId: paying.payments[0].id }), 200);
    const done = await getOrder(t(), o.id);
    expect(done.status).toEqual({ order: 'complete' });
    expect(done.totals).toMatchObject({ paid: TOTAL, balance: 0 });
    expect(await statusTrail(t(), o.id)).toEqual(['order:active->processing', 'order:processing->complete']);
    expect(await lastChange(t(), o.id)).toMatchObject({ actor: { kind: 'gateway' } });
    expect(await level(t(), s)).toEqual({ onHand: 8, reserved: 0, available: 8 });
  });

  it('002: a declined payment fails the order and gives its tickets back', async () => {
    const { o, s } = await basket('NT-DECLINED');
    const failed = await pay(t(), o.id, { method: 'card', simulate: 'decline' }, { key: shopper });
    expect(failed.status).toEqual({ order: 'failed' });
    expect(failed.payments).toMatchObject([{ state: 'declined', captured: 0 }]);
    expect(await statusTrail(t(), o.id)).toEqual(['order:active->processing', 'order:processing->failed']);
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('002: when the gateway answer cannot be read the order is unknown and its tickets stay reserved', async () => {
    const { o, s } = await basket('NT-UNKNOWN');
    const unclear = await pay(t(), o.id, { method: 'card', simulate: 'unknown' }, { key: shopper });
    expect(unclear.status).toEqual({ order: 'unknown' });
    expect(unclear.payments).toMatchObject([{ state: 'unknown' }]);
    await advance(t(), 30 * DAY);
    expect(await statusOf(o.id)).toBe('unknown');
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 2, available: 8 });
    expect(await statusTrail(t(), o.id)).toEqual(['order:active->processing', 'order:processing->unknown']);
  });

  it('002: once the admin has checked the gateway, an unknown order is completed, or expired with its tickets released', async () => {
    const { o: found, s } = await basket('NT-UNKNOWN-RESOLVED');
    const foundPaying = await pay(t(), found.id, { method: 'card', simulate: 'unknown' }, { key: shopper });
    const completed = await paymentAction(t(), foundPaying.payments[0].id, 'resolve', { outcome: 'settled' });
    expect(completed.status).toEqual({ order: 'complete' });
    expect(completed.totals).toMatchObject({ paid: TOTAL, balance: 0 });
    expect(await lastChange(t(), found.id)).toMatchObject({ from: 'unknown', to: 'complete', actor: { kind: 'admin' } });

    const lost = touched.add(await createOrder(t(), 'nutickets', { lines: tickets(s) }, { key: shopper }));
    const lostPaying = await pay(t(), lost.id, { method: 'card', simulate: 'unknown' }, { key: shopper });
    const expired = await paymentAction(t(), lostPaying.payments[0].id, 'resolve', { outcome: 'failed' });
    expect(expired.status).toEqual({ order: 'expired' });
    expect(await lastChange(t(), lost.id)).toMatchObject({ from: 'unknown', to: 'expired', actor: { kind: 'admin' } });
    expect(await movementsOf(t(), lost.id)).toEqual(['reserve 2', 'release 2']);
    expect(await level(t(), s)).toEqual({ onHand: 8, reserved: 0, available: 8 });
  });
});

describe('002: payment link', () => {
  it('002: the box office sends a payment link; the order waits for it and completes when the gateway reports it paid', async () => {
    const { o, s } = await basket('NT-LINK');
    const sent = await pay(t(), o.id, { method: 'payment_link' });
    expect(sent.status).toEqual({ order: 'awaiting_payment_link' });
    expect(sent.payments).toMatchObject([{ method: 'payment_link', state: 'pending', amount: TOTAL, link: { sent: 1, editable: false } }]);
    expect(await lastChange(t(), o.id)).toMatchObject({ from: 'active', to: 'awaiting_payment_link', actor: { kind: 'admin' } });
    await expectStatus(callback(t(), { type: 'payment.settled', paymentId: sent.payments[0].id }), 200);
    const paid = await getOrder(t(), o.id);
    expect(paid.status).toEqual({ order: 'complete' });
    expect(paid.timers).toEqual([]);
    expect(await lastChange(t(), o.id)).toMatchObject({ from: 'awaiting_payment_link', to: 'complete', actor: { kind: 'gateway' } });
    expect(await level(t(), s)).toEqual({ onHand: 8, reserved: 0, available: 8 });
  });

  it('002: a link that is not paid expires after 72 hours by default, releasing the tickets', async () => {
    const { o, s } = await basket('NT-LINK-72H');
    const sent = await pay(t(), o.id, { method: 'payment_link' });
    expect(sent.payments[0].link.expiresAt).toBe(fromNow(t(), 72 * HOUR));
    expect(sent.timers).toEqual([{ name: 'payment-link', track: 'order', dueAt: fromNow(t(), 72 * HOUR), extended: false }]);
    await advance(t(), 72 * HOUR - 1);
    expect(await statusOf(o.id)).toBe('awaiting_payment_link');
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 2, available: 8 });
    await advance(t(), 1);
    expect(await statusOf(o.id)).toBe('expired');
    expect(await lastChange(t(), o.id)).toMatchObject({ from: 'awaiting_payment_link', to: 'expired', actor: { kind: 'system' } });
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('002: a link may be given its own expiry date, sooner or later than the default', async () => {
    const { o: soon } = await basket('NT-LINK-SOON');
    const { o: late } = await basket('NT-LINK-LATE');
    expect((await pay(t(), soon.id, { method: 'payment_link', expiresAt: fromNow(t(), 5 * HOUR) })).payments[0].link.expiresAt).toBe(fromNow(t(), 5 * HOUR));
    expect((await pay(t(), late.id, { method: 'payment_link', expiresAt: fromNow(t(), 100 * HOUR) })).timers[0].dueAt).toBe(fromNow(t(), 100 * HOUR));
    await advance(t(), 5 * HOUR);
    expect(await statusOf(soon.id)).toBe('expired');
    await advance(t(), 90 * HOUR);
    expect(await statusOf(late.id)).toBe('awaiting_payment_link');
    await advance(t(), 5 * HOUR);
    expect(await statusOf(late.id)).toBe('expired');
  });

  it('002: editing the basket through an editable link cuts its expiry down to one basket timeout; a plain link allows no edit', async () => {
    const { o, s } = await basket('NT-LINK-EDIT');
    await pay(t(), o.id, { method: 'payment_link', editable: true });
    await advance(t(), HOUR);
    const edited = await changeBasket(t(), o.id, { changeLines: [{ lineId: o.lines[0].id, quantity: 3 }] }, { key: shopper });
    expect(edited.status).toEqual({ order: 'awaiting_payment_link' });
    expect(edited.timers).toEqual([{ name: 'payment-link', track: 'order', dueAt: fromNow(t(), 10 * MINUTE), extended: false }]);
    expect(edited.payments[0].amount).toBe(3 * 2500);
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 3, available: 7 });
    await advance(t(), 10 * MINUTE);
    expect(await statusOf(o.id)).toBe('expired');
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });

    const { o: plain } = await basket('NT-LINK-PLAIN');
    await pay(t(), plain.id, { method: 'payment_link' });
    await expectStatus(t().call('POST', `/v1/orders/${plain.id}/basket`, { changeLines: [{ lineId: plain.lines[0].id, quantity: 3 }] }, { key: shopper }), 409, 'basket_not_editable');
  });

  it('002: the admin resends link reminders one order at a time or to every order still waiting on a link', async () => {
    const { o } = await basket('NT-RESEND');
    const { o: lapsed } = await basket('NT-RESEND-LAPSED');
    await pay(t(), lapsed.id, { method: 'payment_link', expiresAt: fromNow(t(), HOUR) });
    await advance(t(), HOUR);
    expect(await statusOf(lapsed.id)).toBe('expired');
    await pay(t(), o.id, { method: 'payment_link' });
    const one = await expectStatus(t().call('POST', `/v1/orders/${o.id}/payment-links/resend`), 200);
    expect(one.body.payments[0].link.sent).toBe(2);
    const everyone = await expectStatus(t().call('POST', '/v1/payment-links/resend'), 200);
    expect(everyone.body.orders).toContain(o.id);
    expect(everyone.body.orders).not.toContain(lapsed.id);
    expect(everyone.body.resent).toBe(everyone.body.orders.length);
    expect((await getOrder(t(), o.id)).payments[0].link.sent).toBe(3);
    expect((await historyOf(t(), o.id)).filter((e: Json) => e.type === 'payment_link.resent').map((e: Json) => e.data.sent)).toEqual([2, 3]);
    await expectStatus(t().call('POST', `/v1/orders/${lapsed.id}/payment-links/resend`), 409, 'no_payment_link');
  });

  it('002: only the box office sends a payment link or reserves tickets to pay on site; a shopper may do neither', async () => {
    const { o } = await basket('NT-SHOP-LINK');
    const link = await t().call('POST', `/v1/orders/${o.id}/payments`, { method: 'payment_link' }, { key: shopper });
    expect([403, 409], link.text).toContain(link.status);
    expect(await statusOf(o.id)).toBe('active');
    const s = await sku(t(), 'NT-SHOP-ONSITE', 10);
    const onsite = await t().call('POST', '/v1/orders', { workflow: 'nutickets', currency: 'EUR', lines: tickets(s), payment: { method: 'onsite' } }, { key: shopper });
    expect([403, 409, 422], onsite.text).toContain(onsite.status);
  });
});

describe('002: paying later by invoice, at the venue, or by a local method', () => {
  it('002: paying by invoice leaves the order awaiting the money; the admin completes it by hand once it has arrived', async () => {
    const { o, s } = await basket('NT-INVOICE', { payment: { method: 'invoice' } });
    expect(o.status).toEqual({ order: 'awaiting_invoice' });
    expect(o.payments).toMatchObject([{ method: 'invoice', gateway: 'manual', state: 'pending' }]);
    expect(o.timers).toEqual([]);
    await refusedMove(t(), o.id, 'complete', 409, 'transition_forbidden_for_actor', { key: shopper });
    await advance(t(), 30 * DAY);
    expect(await statusOf(o.id)).toBe('awaiting_invoice');
    const done = await paymentAction(t(), o.payments[0].id, 'settle');
    expect(done.status).toEqual({ order: 'complete' });
    expect(done.totals).toMatchObject({ paid: TOTAL, balance: 0 });
    expect(await lastChange(t(), o.id)).toMatchObject({ from: 'awaiting_invoice', to: 'complete', actor: { kind: 'admin' } });
    expect(await level(t(), s)).toEqual({ onHand: 8, reserved: 0, available: 8 });
    // The box office may send an invoice too.
    const boxOffice = touched.add(await createOrder(t(), 'nutickets', { lines: tickets(s) }));
    expect((await pay(t(), boxOffice.id, { method: 'invoice' })).status).toEqual({ order: 'awaiting_invoice' });
    expect(await lastChange(t(), boxOffice.id)).toMatchObject({ from: 'active', to: 'awaiting_invoice', actor: { kind: 'admin' } });
  });

  it('002: tickets reserved to pay on site without an expiry date stay reserved until the box office takes the money', async () => {
    const { o, s } = await basket('NT-ONSITE', { key: null, payment: { method: 'onsite' } });
    expect(o.status).toEqual({ order: 'awaiting_onsite_payment' });
    expect(o.timers).toEqual([]);
    await advance(t(), 365 * DAY);
    expect(await statusOf(o.id)).toBe('awaiting_onsite_payment');
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 2, available: 8 });
    const paid = await paymentAction(t(), o.payments[0].id, 'settle');
    expect(paid.status).toEqual({ order: 'complete' });
    expect(await level(t(), s)).toEqual({ onHand: 8, reserved: 0, available: 8 });
  });

  it('002: an on-site reservation given an expiry date expires then and releases its tickets', async () => {
    const s = await sku(t(), 'NT-ONSITE-DATED', 10);
    const o = touched.add(await createOrder(t(), 'nutickets', { lines: tickets(s), payment: { method: 'onsite', expiresAt: fromNow(t(), 3 * DAY) } }));
    expect(o.timers).toEqual([{ name: 'onsite', track: 'order', dueAt: fromNow(t(), 3 * DAY), extended: false }]);
    await advance(t(), 3 * DAY - 1);
    expect(await statusOf(o.id)).toBe('awaiting_onsite_payment');
    await advance(t(), 1);
    expect(await statusOf(o.id)).toBe('expired');
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('002: a local payment never expires; the gateway or the admin completes it', async () => {
    const { o: viaGateway, s } = await basket('NT-LOCAL', { payment: { method: 'local' } });
    const viaAdmin = touched.add(await createOrder(t(), 'nutickets', { lines: tickets(s), payment: { method: 'local', expiresAt: fromNow(t(), HOUR) } }, { key: shopper }));
    for (const o of [viaGateway, viaAdmin]) {
      expect(o.status).toEqual({ order: 'awaiting_local_payment' });
      expect(o.timers).toEqual([]);
    }
    await advance(t(), 365 * DAY);
    expect(await statusOf(viaGateway.id)).toBe('awaiting_local_payment');
    expect(await statusOf(viaAdmin.id)).toBe('awaiting_local_payment');
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 4, available: 6 });
    await expectStatus(callback(t(), { type: 'payment.settled', paymentId: viaGateway.payments[0].id }), 200);
    expect(await lastChange(t(), viaGateway.id)).toMatchObject({ from: 'awaiting_local_payment', to: 'complete', actor: { kind: 'gateway' } });
    await paymentAction(t(), viaAdmin.payments[0].id, 'settle');
    expect(await lastChange(t(), viaAdmin.id)).toMatchObject({ from: 'awaiting_local_payment', to: 'complete', actor: { kind: 'admin' } });
    expect(await level(t(), s)).toEqual({ onHand: 6, reserved: 0, available: 6 });
  });
});

describe('002: approval before payment', () => {
  /** A shopper's basket with a VIP ticket (50.00) and a backstage pass (30.00) that both need approval, and a standing ticket (25.00) that does not. */
  async function needsApproval(label: string, prices: { vip?: number; pass?: number; standing?: number } = {}) {
    const s = await sku(t(), label, 10);
    const lines = [
      { sku: s, quantity: 1, unitPrice: prices.vip ?? 5000, name: 'VIP ticket', requiresApproval: true },
      { sku: s, quantity: 1, unitPrice: prices.pass ?? 3000, name: 'Backstage pass', requiresApproval: true },
      ...(prices.standing === 0 ? [] : [{ sku: s, quantity: 1, unitPrice: prices.standing ?? 2500, name: 'Standing ticket' }]),
    ];
    const created = await expectStatus(t().call('POST', '/v1/orders', { workflow: 'nutickets', currency: 'EUR', lines }, { key: shopper }), 201);
    return { o: touched.add(created.body), s };
  }
  const review = (id: string, decisions: { lineId: string; approved: boolean; reason: string }[], key?: string) =>
    t().call('POST', `/v1/orders/${id}/approvals`, { decisions }, key ? { key } : {});

  it('002: a basket with tickets that need approval waits for the admin, every ticket held and no payment asked', async () => {
    const { o, s } = await needsApproval('NT-APPROVAL');
    expect(o.status).toEqual({ order: 'awaiting_approval' });
    expect(o.lines.map((l: Json) => l.approval?.state ?? null)).toEqual(['pending', 'pending', null]);
    expect(o.payments).toEqual([]);
    expect(o.timers).toEqual([]);
    expect(await statusTrail(t(), o.id)).toEqual(['order:active->awaiting_approval']);
    await advance(t(), 30 * DAY);
    expect(await statusOf(o.id)).toBe('awaiting_approval');
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 3, available: 7 });
  });

  it('002: the admin decides each item on its own, giving a reason; the order waits until all are decided, and a decision is not taken back', async () => {
    const { o, s } = await needsApproval('NT-PER-ITEM');
    const [vip, pass] = o.lines;
    await expectStatus(review(o.id, [{ lineId: vip.id, approved: true, reason: 'x' }], shopper), 403);
    const first = (await expectStatus(review(o.id, [{ lineId: pass.id, approved: false, reason: 'backstage is full' }]), 200)).body;
    expect(first.status).toEqual({ order: 'awaiting_approval' });
    expect(first.lines[1]).toMatchObject({ quantity: 0, cancelled: 1, reserved: 0, approval: { state: 'rejected', reason: 'backstage is full' } });
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 2, available: 8 });
    await expectStatus(review(o.id, [{ lineId: pass.id, approved: true, reason: 'changed our mind' }]), 409, 'line_not_awaiting_approval');
    const second = (await expectStatus(review(o.id, [{ lineId: vip.id, approved: true, reason: 'long-time member' }]), 200)).body;
    expect(second.lines[0].approval).toEqual({ state: 'approved', reason: 'long-time member' });
    const reviews = (await historyOf(t(), o.id)).filter((e: Json) => e.type === 'order.items_reviewed');
    expect(reviews.map((e: Json) => e.data.decisions.map((d: Json) => `${d.approved ? 'approved' : 'rejected'}: ${d.reason}`))).toEqual([
      ['rejected: backstage is full'], ['approved: long-time member'],
    ]);
  });

  it('002: once its items are decided, the order is sent a payment link for what was approved and completes when that is paid', async () => {
    const { o, s } = await needsApproval('NT-APPROVED');
    const decided = (await expectStatus(review(o.id, [
      { lineId: o.lines[0].id, approved: true, reason: 'member' },
      { lineId: o.lines[1].id, approved: false, reason: 'members only' },
    ]), 200)).body;
    expect(decided.status).toEqual({ order: 'awaiting_payment_link' });
    expect(decided.payments).toMatchObject([{ method: 'payment_link', state: 'pending', amount: 5000 + 2500, link: { sent: 1 } }]);
    expect(decided.timers).toEqual([{ name: 'payment-link', track: 'order', dueAt: fromNow(t(), 72 * HOUR), extended: false }]);
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 2, available: 8 });
    await expectStatus(callback(t(), { type: 'payment.settled', paymentId: decided.payments[0].id }), 200);
    const paid = await getOrder(t(), o.id);
    expect(paid.status).toEqual({ order: 'complete' });
    expect(paid.totals).toMatchObject({ total: 7500, paid: 7500, balance: 0 });
    expect(await statusTrail(t(), o.id)).toEqual(['order:active->awaiting_approval', 'order:awaiting_approval->awaiting_payment_link', 'order:awaiting_payment_link->complete']);
    expect(await level(t(), s)).toEqual({ onHand: 8, reserved: 0, available: 8 });
  });

  it('002: guest-list items, once approved, need no payment and go straight to complete', async () => {
    const { o, s } = await needsApproval('NT-GUEST-LIST', { vip: 0, pass: 0, standing: 0 });
    const done = (await expectStatus(review(o.id, [
      { lineId: o.lines[0].id, approved: true, reason: 'on the guest list' },
      { lineId: o.lines[1].id, approved: true, reason: 'crew' },
    ]), 200)).body;
    expect(done.status).toEqual({ order: 'complete' });
    expect(done.payments).toEqual([]);
    expect(done.totals).toMatchObject({ total: 0, paid: 0, balance: 0 });
    expect(await level(t(), s)).toEqual({ onHand: 8, reserved: 0, available: 8 });
  });

  it('002: an order whose every item is rejected is rejected, its tickets released and the reasons kept', async () => {
    const { o, s } = await needsApproval('NT-REJECTED', { standing: 0 });
    const rejected = (await expectStatus(review(o.id, [
      { lineId: o.lines[0].id, approved: false, reason: 'not on the member list' },
      { lineId: o.lines[1].id, approved: false, reason: 'backstage is full' },
    ]), 200)).body;
    expect(rejected.status).toEqual({ order: 'rejected' });
    expect(rejected.lines.map((l: Json) => l.approval)).toEqual([{ state: 'rejected', reason: 'not on the member list' }, { state: 'rejected', reason: 'backstage is full' }]);
    expect(await lastChange(t(), o.id)).toMatchObject({ from: 'awaiting_approval', to: 'rejected', actor: { kind: 'admin' } });
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });
});

describe('002: deposits', () => {
  it('002: a deposit pays the configured share now and leaves the order partially paid, with a deadline for the balance', async () => {
    const wf = (await expectStatus(t().call('GET', '/v1/workflows/nutickets'), 200)).body;
    expect(wf.settings).toMatchObject({ depositPercent: 25, depositMinimumTotal: 0, depositBalanceDeadline: '30d' });
    const { o, s } = await basket('NT-DEPOSIT');
    const deposit = await pay(t(), o.id, { method: 'card', deposit: true }, { key: shopper });
    expect(deposit.status).toEqual({ order: 'partially_paid' });
    expect(deposit.payments).toMatchObject([{ deposit: true, state: 'settled', captured: TOTAL / 4 }]);
    expect(deposit.totals).toMatchObject({ paid: TOTAL / 4, balance: (TOTAL * 3) / 4 });
    expect(deposit.timers).toEqual([{ name: 'deposit-deadline', track: 'order', dueAt: fromNow(t(), 30 * DAY), extended: false }]);
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 2, available: 8 });
  });

  it('002: paying the balance before the deadline completes the order', async () => {
    const { o, s } = await basket('NT-BALANCE');
    await pay(t(), o.id, { method: 'card', deposit: true, balanceDueAt: fromNow(t(), 7 * DAY) }, { key: shopper });
    await advance(t(), 6 * DAY);
    const rest = await pay(t(), o.id, { method: 'card' }, { key: shopper });
    expect(rest.status).toEqual({ order: 'complete' });
    expect(rest.totals).toMatchObject({ paid: TOTAL, balance: 0 });
    expect(rest.timers).toEqual([]);
    expect(await statusTrail(t(), o.id)).toEqual(['order:active->processing', 'order:processing->partially_paid', 'order:partially_paid->complete']);
    expect(await level(t(), s)).toEqual({ onHand: 8, reserved: 0, available: 8 });
  });

  it('002: a balance unpaid by the deadline cancels the order; the deposit is kept and the tickets released', async () => {
    const { o, s } = await basket('NT-DEADLINE');
    await pay(t(), o.id, { method: 'card', deposit: true, balanceDueAt: fromNow(t(), 7 * DAY) }, { key: shopper });
    await advance(t(), 7 * DAY - 1);
    expect(await statusOf(o.id)).toBe('partially_paid');
    await advance(t(), 1);
    const lapsed = await getOrder(t(), o.id);
    expect(lapsed.status).toEqual({ order: 'cancelled' });
    expect(lapsed.totals).toMatchObject({ paid: TOTAL / 4, refunded: 0 });
    expect(lapsed.refunds).toEqual([]);
    expect(await lastChange(t(), o.id)).toMatchObject({ from: 'partially_paid', to: 'cancelled', actor: { kind: 'system' } });
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('002: each company sets its own deposit share and the order total from which deposits are offered', async () => {
    await withSettings(t(), 'nutickets', { depositPercent: 40, depositMinimumTotal: 8000 }, async () => {
      // 50.00 is below the company's minimum: no deposit is offered.
      const { o: small } = await basket('NT-DEPOSIT-SMALL');
      await expectStatus(t().call('POST', `/v1/orders/${small.id}/payments`, { method: 'card', deposit: true }, { key: shopper }), 422, 'deposit_not_offered');
      expect((await getOrder(t(), small.id)).status).toEqual({ order: 'active' });
      // 100.00 qualifies, and 40 % is asked up front.
      const s = await sku(t(), 'NT-DEPOSIT-BIG', 10);
      const big = touched.add(await createOrder(t(), 'nutickets', { lines: tickets(s, 4) }, { key: shopper }));
      const deposit = await pay(t(), big.id, { method: 'card', deposit: true }, { key: shopper });
      expect(deposit.status).toEqual({ order: 'partially_paid' });
      expect(deposit.payments).toMatchObject([{ deposit: true, state: 'settled', captured: 4000 }]);
      expect(deposit.totals).toMatchObject({ total: 10000, paid: 4000, balance: 6000 });
    });
  });
});

describe('002: after completion', () => {
  async function completed(label: string) {
    const s = await sku(t(), label, 10);
    const o = touched.add(await createOrder(t(), 'nutickets', {
      lines: [...tickets(s), { sku: s, quantity: 1, unitPrice: 4000, name: 'Seated ticket' }],
      payment: { method: 'card' },
    }, { key: shopper }));
    expect(o.status).toEqual({ order: 'complete' });
    expect(await level(t(), s)).toEqual({ onHand: 7, reserved: 0, available: 7 });
    return { o, s };
  }

  it('002: the admin may cancel a completed order and its tickets go back on sale', async () => {
    const { o, s } = await completed('NT-CANCEL');
    const cancelled = (await expectStatus(t().call('POST', `/v1/orders/${o.id}/cancellations`, { reason: 'event moved' }), 200)).body;
    expect(cancelled.status).toEqual({ order: 'cancelled' });
    expect(await lastChange(t(), o.id)).toMatchObject({ from: 'complete', to: 'cancelled', actor: { kind: 'admin' }, reason: 'event moved' });
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('002: a full refund makes the order refunded and returns its tickets to stock', async () => {
    const { o, s } = await completed('NT-REFUND');
    const back = await refund(t(), o.id, { amount: TOTAL + 4000 });
    expect(back.status).toEqual({ order: 'refunded' });
    expect(back.totals).toMatchObject({ paid: TOTAL + 4000, refunded: TOTAL + 4000 });
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('002: refunding some tickets leaves the order standing for the others', async () => {
    const { o, s } = await completed('NT-PART-REFUND');
    const seated = o.lines[1];
    const part = await refund(t(), o.id, { lines: [{ lineId: seated.id, quantity: 1 }], restock: true });
    expect(part.status).toEqual({ order: 'partially_refunded' });
    expect(part.totals).toMatchObject({ paid: TOTAL + 4000, refunded: 4000 });
    expect(part.lines.map((l: Json) => [l.quantity, l.committed])).toEqual([[2, 2], [1, 0]]);
    expect(await level(t(), s)).toEqual({ onHand: 8, reserved: 0, available: 8 });
    // Still a valid order: the rest may be refunded or cancelled later.
    expect(part.next.order).toEqual(expect.arrayContaining(['cancelled', 'refunded']));
    const rest = await refund(t(), o.id, { amount: TOTAL });
    expect(rest.status).toEqual({ order: 'refunded' });
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('002: the customer may cancel a completed order only where the company allows it; the tickets go back on sale', async () => {
    const { o, s } = await completed('NT-SELF-CANCEL');
    // Not allowed by default: the admin may, the customer may not.
    await refusedMove(t(), o.id, 'cancelled', 409, 'guard_failed', { key: shopper });
    expect((await expectStatus(t().call('GET', `/v1/orders/${o.id}`, undefined, { key: shopper }), 200)).body.next.order).not.toContain('cancelled');
    await withSettings(t(), 'nutickets', { customerCancellation: true }, async () => {
      expect((await expectStatus(t().call('GET', `/v1/orders/${o.id}`, undefined, { key: shopper }), 200)).body.next.order).toEqual(['cancelled']);
      const cancelled = await move(t(), o.id, 'cancelled', { key: shopper });
      expect(cancelled.status).toEqual({ order: 'cancelled' });
    });
    expect(await lastChange(t(), o.id)).toMatchObject({ from: 'complete', to: 'cancelled', actor: { kind: 'customer' } });
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    // inferred: cancelling gives no money back by itself; a refund is the box office's decision.
    expect((await getOrder(t(), o.id)).totals).toMatchObject({ paid: TOTAL + 4000, refunded: 0 });
  });
});
