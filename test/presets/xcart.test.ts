/**
 * X-Cart (seeds 000 and 001) as a scenario suite over HTTP: each test is one rule of the two
 * seed pages, checked on a real server and database (both tracks' statuses, stock levels,
 * totals, history). Rules Ordo does not have yet are `it.todo`; rules it gets wrong are
 * `it.fails`, with what was seen.
 */
import { describe, expect, it } from 'vitest';
import {
  advance, backorderableSku, callback, createOrder, DAY, expectStatus, getOrder, historyOf, lastChange, level, move, movementsOf, outboxTypes,
  paymentAction, presetSuite, refund, refusedMove, sku, statusTrail, uniqueEmail, withSettings, fromNow, type Json,
} from './support.js';

const { t, touched } = presetSuite();

/** Two of a 10.00 item and 5.00 shipping: 25.00. */
const TOTAL = 2500;
const twoOf = (s: string) => [{ sku: s, quantity: 2, unitPrice: 1000 }];

async function order(label: string, payment?: Record<string, unknown>, opts: { key?: string } = {}): Promise<{ o: Json; s: string }> {
  const s = await sku(t(), label, 10);
  const o = touched.add(await createOrder(t(), 'xcart', { lines: twoOf(s), shipping: 500, ...(payment ? { payment } : {}) }, opts));
  return { o, s };
}

describe('000/001: two tracks, letter codes inside, names outside', () => {
  it('001: an order carries two statuses, one for the money and one for the goods, stored as letter codes, shown by name, each moving on its own', async () => {
    const wf = (await expectStatus(t().call('GET', '/v1/workflows/xcart'), 200)).body;
    const labels = Object.fromEntries(wf.tracks.map((tr: Json) => [tr.id, Object.fromEntries(tr.states.map((st: Json) => [st.id, st.label]))]));
    expect(labels).toEqual({
      payment: { Q: 'Awaiting payment', P: 'Paid', PP: 'Partially paid', A: 'Authorized', D: 'Declined', C: 'Cancelled', R: 'Refunded' },
      fulfilment: { N: 'New', NB: 'New/Backorder', P: 'Processing', S: 'Shipped', D: 'Delivered', WND: 'Will not deliver', R: 'Returned', NF: 'Not finished' },
    });

    const { o } = await order('XC-TRACKS');
    expect(o.status).toEqual({ payment: 'Q', fulfilment: 'N' });
    // P exists on both tracks: the track must be named, and only that track moves.
    await expectStatus(t().call('POST', `/v1/orders/${o.id}/transitions`, { to: 'P' }), 422, 'track_required');
    expect((await move(t(), o.id, 'P', { track: 'fulfilment' })).status).toEqual({ payment: 'Q', fulfilment: 'P' });
    expect((await move(t(), o.id, 'P', { track: 'payment' })).status).toEqual({ payment: 'P', fulfilment: 'P' });
    expect(await statusTrail(t(), o.id)).toEqual(['fulfilment:N->P', 'payment:Q->P']);
  });
});

describe('000: offline payment methods', () => {
  it('000: an order paid by an offline method is placed at Awaiting payment and keeps waiting there', async () => {
    const { o, s } = await order('XC-OFFLINE', { method: 'invoice' });
    expect(o.status).toEqual({ payment: 'Q', fulfilment: 'N' });
    expect(o.placedAt).not.toBeNull();
    expect(o.payments).toMatchObject([{ method: 'invoice', gateway: 'manual', state: 'pending' }]);
    expect(o.totals).toMatchObject({ total: TOTAL, paid: 0, balance: TOTAL });
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 2, available: 8 });
    // Nothing times an offline order out: it waits for the merchant.
    await advance(t(), 60 * DAY);
    expect((await getOrder(t(), o.id)).status).toEqual({ payment: 'Q', fulfilment: 'N' });
    expect(await statusTrail(t(), o.id)).toEqual([]);
  });

  it('000: when the money for an offline order comes in, the admin records it and the order is Paid, its items taken from stock', async () => {
    const { o, s } = await order('XC-OFFLINE-PAID', { method: 'invoice' });
    const paid = await paymentAction(t(), o.payments[0].id, 'settle');
    expect(paid.status).toEqual({ payment: 'P', fulfilment: 'N' });
    expect(paid.totals).toMatchObject({ paid: TOTAL, balance: 0 });
    expect(await lastChange(t(), o.id, 'payment')).toMatchObject({ from: 'Q', to: 'P', actor: { kind: 'admin' } });
    expect(await level(t(), s)).toEqual({ onHand: 8, reserved: 0, available: 8 });
    expect(await movementsOf(t(), o.id)).toEqual(['reserve 2', 'commit 2']);
  });

  it('000: an offline order refunded outside any gateway is recorded as refunded at once and goes from Paid to Refunded, restocking', async () => {
    const { o, s } = await order('XC-OFFLINE-REFUND', { method: 'invoice' });
    await paymentAction(t(), o.payments[0].id, 'settle');
    const back = await refund(t(), o.id, { amount: TOTAL });
    expect(back.refunds).toMatchObject([{ amount: TOTAL, state: 'settled' }]);
    expect(back.status).toEqual({ payment: 'R', fulfilment: 'WND' });
    expect(back.totals).toMatchObject({ paid: TOTAL, refunded: TOTAL, balance: 0 });
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    expect(await statusTrail(t(), o.id, 'payment')).toEqual(['Q->P', 'P->R']);
  });
});

describe('000: online payment methods, by what the gateway answers', () => {
  it('000: a card charged at once places the order straight at Paid', async () => {
    const { o, s } = await order('XC-CARD', { method: 'card' });
    expect(o.status).toEqual({ payment: 'P', fulfilment: 'N' });
    expect(o.totals).toMatchObject({ paid: TOTAL, balance: 0 });
    expect(await lastChange(t(), o.id, 'payment')).toMatchObject({ from: 'Q', to: 'P', actor: { kind: 'gateway' } });
    expect(await level(t(), s)).toEqual({ onHand: 8, reserved: 0, available: 8 });
  });

  it('000: a card that is only authorized places the order at Authorized, the items held but not sold', async () => {
    const { o, s } = await order('XC-AUTH', { method: 'card', capture: false });
    expect(o.status).toEqual({ payment: 'A', fulfilment: 'N' });
    expect(o.payments).toMatchObject([{ state: 'authorized', authorized: TOTAL, captured: 0 }]);
    expect(o.totals).toMatchObject({ paid: 0, balance: TOTAL });
    expect(await lastChange(t(), o.id, 'payment')).toMatchObject({ from: 'Q', to: 'A', actor: { kind: 'gateway' } });
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 2, available: 8 });
  });

  it('001: while the gateway has not answered yet, an online order waits at Awaiting payment', async () => {
    const { o, s } = await order('XC-PENDING', { method: 'card', simulate: 'pending' });
    expect(o.status).toEqual({ payment: 'Q', fulfilment: 'N' });
    expect(o.payments).toMatchObject([{ state: 'pending', captured: 0 }]);
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 2, available: 8 });
    expect(await statusTrail(t(), o.id)).toEqual([]);
  });

  it('000: from Awaiting payment or Authorized, the gateway settling the payment makes the order Paid', async () => {
    const { o: waiting, s } = await order('XC-TO-PAID', { method: 'card', simulate: 'pending' });
    await expectStatus(callback(t(), { type: 'payment.settled', paymentId: waiting.payments[0].id }), 200);
    expect((await getOrder(t(), waiting.id)).status).toEqual({ payment: 'P', fulfilment: 'N' });
    expect(await lastChange(t(), waiting.id, 'payment')).toMatchObject({ from: 'Q', to: 'P', actor: { kind: 'gateway' } });

    const held = touched.add(await createOrder(t(), 'xcart', { lines: twoOf(s), shipping: 500, payment: { method: 'card', capture: false } }));
    const captured = await paymentAction(t(), held.payments[0].id, 'capture');
    expect(captured.status).toEqual({ payment: 'P', fulfilment: 'N' });
    expect(captured.totals).toMatchObject({ paid: TOTAL, balance: 0 });
    expect(await statusTrail(t(), held.id, 'payment')).toEqual(['Q->A', 'A->P']);
    expect(await level(t(), s)).toEqual({ onHand: 6, reserved: 0, available: 6 });
  });

  it('000: a gateway that takes only part of the total leaves the order Partially paid, from Awaiting payment or Authorized alike', async () => {
    const { o: waiting, s } = await order('XC-TO-PP', { method: 'card', simulate: 'pending' });
    await expectStatus(callback(t(), { type: 'payment.settled', paymentId: waiting.payments[0].id, amount: 700 }), 200);
    const part = await getOrder(t(), waiting.id);
    expect(part.status).toEqual({ payment: 'PP', fulfilment: 'N' });
    expect(part.totals).toMatchObject({ paid: 700, balance: TOTAL - 700 });

    const held = touched.add(await createOrder(t(), 'xcart', { lines: twoOf(s), shipping: 500, payment: { method: 'card', capture: false } }));
    const partCaptured = await paymentAction(t(), held.payments[0].id, 'capture', { amount: 1000 });
    expect(partCaptured.status).toEqual({ payment: 'PP', fulfilment: 'N' });
    expect(await statusTrail(t(), held.id, 'payment')).toEqual(['Q->A', 'A->PP']);
    // Partially paid moves no stock: both orders still hold what Q and A held.
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 4, available: 6 });
  });

  it('000: a declined or failed charge leaves the order Declined and Not finished, its items back in stock', async () => {
    const { o: declined, s } = await order('XC-DECLINED', { method: 'card', simulate: 'decline' });
    expect(declined.status).toEqual({ payment: 'D', fulfilment: 'NF' });
    expect(declined.totals).toMatchObject({ paid: 0, balance: TOTAL });
    expect(await statusTrail(t(), declined.id)).toEqual(['payment:Q->D', 'fulfilment:N->NF']);
    expect(await lastChange(t(), declined.id, 'payment')).toMatchObject({ actor: { kind: 'gateway' } });

    const failed = touched.add(await createOrder(t(), 'xcart', { lines: twoOf(s), shipping: 500, payment: { method: 'card', simulate: 'fail' } }));
    expect(failed.status).toEqual({ payment: 'D', fulfilment: 'NF' });
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    expect(await movementsOf(t(), declined.id)).toEqual(['reserve 2', 'release 2']);
  });

  it('000: an authorization the gateway later declines takes the order from Authorized to Declined and Not finished, restocking', async () => {
    const { o, s } = await order('XC-AUTH-DECLINED', { method: 'card', capture: false });
    await expectStatus(callback(t(), { type: 'payment.declined', paymentId: o.payments[0].id }), 200);
    const after = await getOrder(t(), o.id);
    expect(after.status).toEqual({ payment: 'D', fulfilment: 'NF' });
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('000: a paid order refunded in full through the gateway becomes Refunded and its items go back in stock', async () => {
    const { o, s } = await order('XC-REFUNDED', { method: 'card' });
    const back = await refund(t(), o.id, { amount: TOTAL });
    expect(back.status).toEqual({ payment: 'R', fulfilment: 'WND' });
    expect(back.refunds).toMatchObject([{ paymentId: o.payments[0].id, amount: TOTAL, state: 'settled' }]);
    expect(back.totals).toMatchObject({ paid: TOTAL, refunded: TOTAL, balance: 0 });
    expect(await lastChange(t(), o.id, 'payment')).toMatchObject({ from: 'P', to: 'R', actor: { kind: 'gateway' } });
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('000: a partial refund of a paid order shows it as Partially paid and leaves the stock as it was', async () => {
    const { o, s } = await order('XC-PART-REFUND', { method: 'card' });
    const part = await refund(t(), o.id, { amount: 1000 });
    expect(part.status).toEqual({ payment: 'PP', fulfilment: 'N' });
    expect(part.totals).toMatchObject({ paid: TOTAL, refunded: 1000, balance: 0 });
    expect(await level(t(), s)).toEqual({ onHand: 8, reserved: 0, available: 8 });
    const rest = await refund(t(), o.id, { amount: TOTAL - 1000 });
    expect(rest.status).toEqual({ payment: 'R', fulfilment: 'WND' });
    expect(await statusTrail(t(), o.id, 'payment')).toEqual(['Q->P', 'P->PP', 'PP->R']);
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  // X-Cart's own guide: voiding the authorization of an Authorized order cancels it.
  it('001: voiding the hold on an Authorized order cancels it (C) and gives its items back', async () => {
    const { o, s } = await order('XC-VOID', { method: 'card', capture: false });
    const voided = await paymentAction(t(), o.payments[0].id, 'void');
    expect(voided.payments).toMatchObject([{ state: 'voided' }]);
    expect(voided.status).toEqual({ payment: 'C', fulfilment: 'N' });
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });
});

describe('000/001: who may set which status', () => {
  it('000: the admin may set either track to whatever status they choose, whenever they choose', async () => {
    const { o } = await order('XC-BY-HAND');
    for (const to of ['C', 'Q', 'P', 'PP', 'R', 'P']) await move(t(), o.id, to, { track: 'payment', reason: `set ${to} by hand` });
    for (const to of ['P', 'S', 'D', 'WND', 'R', 'NF', 'N']) await move(t(), o.id, to, { track: 'fulfilment' });
    const h = (await historyOf(t(), o.id)).filter((e: Json) => e.type === 'order.status_changed');
    expect(h.map((e: Json) => `${e.track}:${e.from}->${e.to}`)).toEqual([
      'payment:Q->C', 'payment:C->Q', 'payment:Q->P', 'payment:P->PP', 'payment:PP->R', 'payment:R->P',
      'fulfilment:N->P', 'fulfilment:P->S', 'fulfilment:S->D', 'fulfilment:D->WND', 'fulfilment:WND->R', 'fulfilment:R->NF', 'fulfilment:NF->N',
    ]);
    expect(new Set(h.map((e: Json) => e.actor.kind))).toEqual(new Set(['admin']));
    expect(h[0]).toMatchObject({ reason: 'set C by hand' });
    expect((await getOrder(t(), o.id)).status).toEqual({ payment: 'P', fulfilment: 'N' });
  });

  it('001: only a gateway may set Authorized or Declined: the admin is refused both, and the customer every status', async () => {
    const shopper = await t().storefrontKey('xc-who');
    const { o } = await order('XC-GATEWAY-ONLY', undefined, { key: shopper });
    const refusedA = await refusedMove(t(), o.id, 'A', 409, 'transition_forbidden_for_actor', { track: 'payment' });
    expect(refusedA.actors).toEqual(['gateway']);
    await refusedMove(t(), o.id, 'D', 409, 'transition_forbidden_for_actor', { track: 'payment' });
    await refusedMove(t(), o.id, 'P', 409, 'transition_forbidden_for_actor', { track: 'payment', key: shopper });
    await refusedMove(t(), o.id, 'S', 409, 'transition_forbidden_for_actor', { track: 'fulfilment', key: shopper });
    const admin = await getOrder(t(), o.id);
    expect(admin.next.payment).not.toContain('A');
    expect(admin.next.payment).not.toContain('D');
  });

  it('001: New/Backorder is assigned by the system alone; the admin may take an order out of it but never put one in', async () => {
    const { o } = await order('XC-NB-SYSTEM');
    const refused = await refusedMove(t(), o.id, 'NB', 409, 'transition_forbidden_for_actor', { track: 'fulfilment' });
    expect(refused.actors).toEqual(['system']);
    expect((await getOrder(t(), o.id)).next.fulfilment).not.toContain('NB');
  });
});

describe('001: what each payment status does to stock', () => {
  it('001: Awaiting payment and Authorized hold the ordered quantities; Paid takes them off the shelf', async () => {
    const s = await sku(t(), 'XC-TAKE', 10);
    touched.add(await createOrder(t(), 'xcart', { lines: twoOf(s), payment: { method: 'invoice' } }));
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 2, available: 8 });
    touched.add(await createOrder(t(), 'xcart', { lines: twoOf(s), payment: { method: 'card', capture: false } }));
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 4, available: 6 });
    const paid = touched.add(await createOrder(t(), 'xcart', { lines: twoOf(s), payment: { method: 'card' } }));
    expect(await level(t(), s)).toEqual({ onHand: 8, reserved: 4, available: 4 });
    expect(await movementsOf(t(), paid.id)).toEqual(['reserve 2', 'commit 2']);
  });

  it('001: Refunded, Cancelled and Declined put the items back in stock', async () => {
    const s = await sku(t(), 'XC-GIVE-BACK', 10);
    const cancelled = touched.add(await createOrder(t(), 'xcart', { lines: twoOf(s) }));
    await move(t(), cancelled.id, 'C', { track: 'payment' });
    expect(await movementsOf(t(), cancelled.id)).toEqual(['reserve 2', 'release 2']);
    const refunded = touched.add(await createOrder(t(), 'xcart', { lines: twoOf(s), payment: { method: 'card' } }));
    expect(await level(t(), s)).toEqual({ onHand: 8, reserved: 0, available: 8 });
    await move(t(), refunded.id, 'R', { track: 'payment' });
    expect(await movementsOf(t(), refunded.id)).toEqual(['reserve 2', 'commit 2', 'restock 2']);
    const declined = touched.add(await createOrder(t(), 'xcart', { lines: twoOf(s), payment: { method: 'card', simulate: 'decline' } }));
    expect(await movementsOf(t(), declined.id)).toEqual(['reserve 2', 'release 2']);
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('001: Partially paid leaves stock exactly as it found it, whatever came before', async () => {
    const s = await sku(t(), 'XC-PP-STOCK', 10);
    const held = touched.add(await createOrder(t(), 'xcart', { lines: twoOf(s) }));
    await move(t(), held.id, 'PP', { track: 'payment' });
    expect(await movementsOf(t(), held.id)).toEqual(['reserve 2']);
    const sold = touched.add(await createOrder(t(), 'xcart', { lines: twoOf(s), payment: { method: 'card' } }));
    await move(t(), sold.id, 'PP', { track: 'payment' });
    expect(await movementsOf(t(), sold.id)).toEqual(['reserve 2', 'commit 2']);
    const givenBack = touched.add(await createOrder(t(), 'xcart', { lines: twoOf(s) }));
    await move(t(), givenBack.id, 'C', { track: 'payment' });
    await move(t(), givenBack.id, 'PP', { track: 'payment' });
    expect(await movementsOf(t(), givenBack.id)).toEqual(['reserve 2', 'release 2']);
    expect(await level(t(), s)).toEqual({ onHand: 8, reserved: 2, available: 6 });
  });

  it('000: after Paid the merchant is advised to use Refunded, before payment Cancelled; both restock and neither is enforced', async () => {
    const s = await sku(t(), 'XC-ADVICE', 10);
    const unpaid = touched.add(await createOrder(t(), 'xcart', { lines: twoOf(s) }));
    expect((await move(t(), unpaid.id, 'C', { track: 'payment' })).status.payment).toBe('C');
    const paid = touched.add(await createOrder(t(), 'xcart', { lines: twoOf(s), payment: { method: 'card' } }));
    expect((await move(t(), paid.id, 'R', { track: 'payment' })).status.payment).toBe('R');
    // The other way round is only advice: accepted, with the same stock effect.
    const paidThenCancelled = touched.add(await createOrder(t(), 'xcart', { lines: twoOf(s), payment: { method: 'card' } }));
    expect((await move(t(), paidThenCancelled.id, 'C', { track: 'payment' })).status.payment).toBe('C');
    const unpaidThenRefunded = touched.add(await createOrder(t(), 'xcart', { lines: twoOf(s) }));
    expect((await move(t(), unpaidThenRefunded.id, 'R', { track: 'payment' })).status.payment).toBe('R');
    expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });
});

describe('001: the last unit, ordered by two customers at once', () => {
  async function race(label: string) {
    const last = await backorderableSku(t(), `${label}-LAST`, 1);
    const plenty = await sku(t(), `${label}-PLENTY`, 10);
    const keys = [await t().storefrontKey(`${label}-a`), await t().storefrontKey(`${label}-b`)];
    const replies = await Promise.all(keys.map((key) => t().call('POST', '/v1/orders', {
      workflow: 'xcart', currency: 'EUR', customer: { email: uniqueEmail('xc-race') },
      lines: [{ sku: last, quantity: 1, unitPrice: 3000 }, { sku: plenty, quantity: 1, unitPrice: 1000 }], payment: { method: 'card' },
    }, { key })));
    for (const r of replies) expect(r.status, r.text).toBe(201);
    const orders = await Promise.all(replies.map(async (r) => touched.add(await getOrder(t(), r.body.id))));
    // "First placed" is whichever took the unit: X-Cart numbers an order when its payment is
    // recorded, which under a race need not follow the order in which the two took stock.
    orders.sort((a, b) => Number(a.status.fulfilment === 'NB') - Number(b.status.fulfilment === 'NB'));
    return { first: orders[0]!, second: orders[1]!, last, plenty, keys: Object.fromEntries(replies.map((r, i) => [r.body.id, keys[i]!])) };
  }

  it('001: the order placed first gets the last unit; the second is New/Backorder for it and the admin is told', async () => {
    const { first, second, last, plenty } = await race('XC-RACE');
    expect(first.status).toEqual({ payment: 'P', fulfilment: 'N' });
    expect(second.status).toEqual({ payment: 'P', fulfilment: 'NB' });
    const h = await historyOf(t(), second.id);
    expect(h.filter((e: Json) => e.type === 'stock.backordered')).toMatchObject([{ data: { skus: [last] } }]);
    expect(h.filter((e: Json) => e.track === 'fulfilment').map((e: Json) => `${e.from}->${e.to} on ${e.cause} by ${e.actor.kind}`)).toEqual(['N->NB on stock.backordered by system']);
    // NB is the system's status alone: the customer who ordered did not take that step.
    expect(h.find((e: Json) => e.type === 'order.created').actor.kind).not.toBe('system');
    expect(await outboxTypes(t(), second.id)).toContain('stock.backordered');
    expect((await historyOf(t(), first.id)).map((e: Json) => e.type)).not.toContain('stock.backordered');
    expect(await level(t(), last)).toEqual({ onHand: -1, reserved: 0, available: -1 });
    expect(await level(t(), plenty)).toEqual({ onHand: 8, reserved: 0, available: 8 });
  });

  it('001: the customer of a backordered order sees it as New, with no trace of the backorder', async () => {
    const { second, keys } = await race('XC-RACE-SHOWN');
    const key = keys[second.id]!;
    const seen = await expectStatus(t().call('GET', `/v1/orders/${second.id}`, undefined, { key }), 200);
    expect(seen.body.status).toEqual({ payment: 'P', fulfilment: 'N' });
    const h = (await expectStatus(t().call('GET', `/v1/orders/${second.id}/history`, undefined, { key }), 200)).body.items;
    expect(h.map((e: Json) => e.type)).not.toContain('stock.backordered');
    expect(h.filter((e: Json) => e.track === 'fulfilment')).toEqual([]);
    expect((await expectStatus(t().call('GET', '/v1/orders?status=fulfilment:NB', undefined, { key }), 200)).body.items).toEqual([]);
    expect((await expectStatus(t().call('GET', '/v1/orders?status=fulfilment:N', undefined, { key }), 200)).body.items.map((o: Json) => o.id)).toEqual([second.id]);
  });

  it('001: the admin may refund the item that ran out; the order is then Partially paid and the unit is no longer owed', async () => {
    const { second, last, plenty } = await race('XC-RACE-REFUND');
    const lineId = second.lines.find((l: Json) => l.sku === last).id;
    const back = await refund(t(), second.id, { lines: [{ lineId, quantity: 1 }], restock: true, reason: 'out of stock' });
    expect(back.status).toEqual({ payment: 'PP', fulfilment: 'NB' });
    expect(back.refunds).toMatchObject([{ amount: 3000, lines: [{ lineId, quantity: 1 }], state: 'settled' }]);
    expect(back.totals).toMatchObject({ total: 4000, paid: 4000, refunded: 3000, balance: 0 });
    expect(await level(t(), last)).toEqual({ onHand: 0, reserved: 0, available: 0 });
    expect(await level(t(), plenty)).toEqual({ onHand: 8, reserved: 0, available: 8 });
  });
});

describe('001: statuses of the merchant\'s own', () => {
  const status = (track: string, id: string) => `/v1/workflows/xcart/statuses/${track}/${id}`;

  it('001: the merchant adds custom statuses to either track; an admin sets them from any status, they move no stock and follow no transition rules', async () => {
    await expectStatus(t().call('PUT', status('payment', 'W'), { label: 'Waiting for wire' }), 200);
    const wf = (await expectStatus(t().call('PUT', status('fulfilment', 'QC'), { label: 'Quality check' }), 200)).body;
    try {
      const states = (track: string) => wf.tracks.find((tr: Json) => tr.id === track).states;
      expect(states('payment').at(-1)).toMatchObject({ id: 'W', label: 'Waiting for wire', stock: 'none', custom: true });
      expect(states('fulfilment').at(-1)).toMatchObject({ id: 'QC', label: 'Quality check', stock: 'none', custom: true });

      const shopper = await t().storefrontKey('xc-custom');
      const { o, s } = await order('XC-CUSTOM', { method: 'invoice' }, { key: shopper });
      expect((await getOrder(t(), o.id)).next).toMatchObject({ payment: expect.arrayContaining(['W']), fulfilment: expect.arrayContaining(['QC']) });
      // Only the merchant's hand sets them.
      await refusedMove(t(), o.id, 'QC', 409, 'transition_forbidden_for_actor', { track: 'fulfilment', key: shopper });
      const waiting = await move(t(), o.id, 'W', { track: 'payment' });
      const checked = await move(t(), o.id, 'QC', { track: 'fulfilment' });
      expect(checked.status).toEqual({ payment: 'W', fulfilment: 'QC' });
      expect(checked.statusLabels).toEqual({ payment: 'Waiting for wire', fulfilment: 'Quality check' });
      expect(waiting.lines[0]).toMatchObject({ reserved: 2, committed: 0 });
      // Entering or leaving a status of its own leaves stock where it was: still held from Q.
      expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 2, available: 8 });
      // No rule moves an order out of it; the admin's hand does. One cannot remove it while an order is in it.
      await expectStatus(t().call('DELETE', status('fulfilment', 'QC')), 409, 'status_in_use');
      expect((await move(t(), o.id, 'P', { track: 'payment' })).status).toEqual({ payment: 'P', fulfilment: 'QC' });
      expect(await level(t(), s)).toEqual({ onHand: 8, reserved: 0, available: 8 });
      await move(t(), o.id, 'S', { track: 'fulfilment' });
      expect(await statusTrail(t(), o.id)).toEqual(['payment:Q->W', 'fulfilment:N->QC', 'payment:W->P', 'fulfilment:QC->S']);
      // The storefront may not add statuses.
      await expectStatus(t().call('PUT', status('payment', 'X'), { label: 'Mine' }, { key: shopper }), 403);
    } finally {
      await expectStatus(t().call('DELETE', status('fulfilment', 'QC')), 200);
      await expectStatus(t().call('DELETE', status('payment', 'W')), 200);
    }
    const after = (await expectStatus(t().call('GET', '/v1/workflows/xcart'), 200)).body;
    expect(after.tracks.flatMap((tr: Json) => tr.states.filter((st: Json) => st.custom))).toEqual([]);
  });

  it('001: the merchant renames a system status: its letter code stays, and the new name is what admins and customers see', async () => {
    const shopper = await t().storefrontKey('xc-rename');
    const { o } = await order('XC-RENAME', { method: 'invoice' }, { key: shopper });
    const renamed = (await expectStatus(t().call('PUT', status('payment', 'Q'), { label: 'Awaiting bank transfer' }), 200)).body;
    try {
      expect(renamed.tracks[0].states[0]).toMatchObject({ id: 'Q', code: 'Q', label: 'Awaiting bank transfer', stock: 'reserve' });
      const seen = (await getOrder(t(), o.id));
      expect(seen.status).toEqual({ payment: 'Q', fulfilment: 'N' });
      expect(seen.statusLabels).toEqual({ payment: 'Awaiting bank transfer', fulfilment: 'New' });
      const mine = (await expectStatus(t().call('GET', `/v1/orders/${o.id}`, undefined, { key: shopper }), 200)).body;
      expect(mine.statusLabels).toEqual({ payment: 'Awaiting bank transfer', fulfilment: 'New' });
      // Its own statuses may be renamed, never removed; and integrations keep using the code.
      await expectStatus(t().call('DELETE', status('payment', 'Q')), 409, 'system_status');
      expect((await move(t(), o.id, 'C', { track: 'payment' })).status.payment).toBe('C');
    } finally {
      await expectStatus(t().call('PUT', status('payment', 'Q'), { label: 'Awaiting payment' }), 200);
    }
    expect((await getOrder(t(), o.id)).statusLabels).toEqual({ payment: 'Cancelled', fulfilment: 'New' });
  });
});

describe('001: Not finished orders (add-on)', () => {
  const numberOf = (code: string | null) => (code === null ? null : Number(code.slice(1)));

  it('001: a Not finished order has no order number until the admin changes its status; failed checkouts use up no numbers', async () => {
    const s = await sku(t(), 'XC-NUMBERS', 20);
    const create = async (payment: Record<string, unknown>) => touched.add(await createOrder(t(), 'xcart', { lines: twoOf(s), shipping: 500, payment }));
    const first = await create({ method: 'invoice' });
    expect(first.code).toMatch(/^#\d+$/);
    const declined = await create({ method: 'card', simulate: 'decline' });
    expect(declined.status).toEqual({ payment: 'D', fulfilment: 'NF' });
    expect(declined.code).toBeNull();
    // Waiting for the gateway's first answer: not numbered yet either.
    const waiting = await create({ method: 'card', simulate: 'pending' });
    expect(waiting.status).toEqual({ payment: 'Q', fulfilment: 'N' });
    expect(waiting.code).toBeNull();
    const paid = await create({ method: 'card' });
    expect(numberOf(paid.code)).toBe(numberOf(first.code)! + 1);
    // The answer comes: numbered then.
    await expectStatus(callback(t(), { type: 'payment.settled', paymentId: waiting.payments[0].id }), 200);
    expect(numberOf((await getOrder(t(), waiting.id)).code)).toBe(numberOf(paid.code)! + 1);
    // Not finished keeps it unnumbered, whatever else happens to it ...
    await advance(t(), DAY);
    expect((await getOrder(t(), declined.id)).code).toBeNull();
    // ... until the admin changes one of its statuses (here the payment track; fulfilment stays NF).
    const touchedByAdmin = await move(t(), declined.id, 'Q', { track: 'payment' });
    expect(touchedByAdmin.status).toEqual({ payment: 'Q', fulfilment: 'NF' });
    expect(numberOf(touchedByAdmin.code)).toBe(numberOf(paid.code)! + 2);
    // Numbered after creation: the history and the outbox say so, with the number.
    expect((await historyOf(t(), declined.id)).filter((e: Json) => e.type === 'order.numbered').map((e: Json) => e.data.code)).toEqual([touchedByAdmin.code]);
    expect(await outboxTypes(t(), declined.id)).toContain('order.numbered');
    expect((await outboxTypes(t(), first.id))).not.toContain('order.numbered');
    const found = (await expectStatus(t().call('GET', `/v1/orders?q=${encodeURIComponent(touchedByAdmin.code)}`), 200)).body.items;
    expect(found.map((o: Json) => o.id)).toEqual([declined.id]);
    await move(t(), declined.id, 'C', { track: 'payment' });
  });

  it('001: Not finished orders are removed after a lifetime in days that the merchant sets; numbered ones are kept', async () => {
    await withSettings(t(), 'xcart', { notFinishedLifetime: '3d' }, async () => {
      const s = await sku(t(), 'XC-LIFETIME', 10);
      // Not added to `touched`: after the lifetime the order is gone for every caller.
      const gone = await createOrder(t(), 'xcart', { lines: twoOf(s), shipping: 500, payment: { method: 'card', simulate: 'decline' }, customer: { email: uniqueEmail('xc-gone') } });
      expect(gone.timers).toEqual([{ name: 'not-finished-lifetime', track: 'fulfilment', dueAt: fromNow(t(), 3 * DAY), extended: false }]);
      const kept = touched.add(await createOrder(t(), 'xcart', { lines: twoOf(s), shipping: 500, payment: { method: 'card', simulate: 'decline' } }));
      await move(t(), kept.id, 'C', { track: 'payment' }); // the admin's hand numbers it
      await advance(t(), 3 * DAY - 1);
      expect((await getOrder(t(), gone.id)).status).toEqual({ payment: 'D', fulfilment: 'NF' });
      await advance(t(), 1);
      await expectStatus(t().call('GET', `/v1/orders/${gone.id}`), 404, 'order_not_found');
      await expectStatus(t().call('POST', `/v1/orders/${gone.id}/transitions`, { track: 'payment', to: 'Q' }), 404, 'order_not_found');
      const listed = (await expectStatus(t().call('GET', `/v1/orders?workflow=xcart&status=fulfilment:NF&limit=100`), 200)).body.items.map((o: Json) => o.id);
      expect(listed).toContain(kept.id);
      expect(listed).not.toContain(gone.id);
      expect((await expectStatus(t().call('GET', `/v1/orders?q=${encodeURIComponent(gone.customer.email)}`), 200)).body.items).toEqual([]);
      // The books keep what happened: the ledger and the history stay, the personal data does not.
      expect(await outboxTypes(t(), gone.id)).toContain('order.removed');
      const row = (await t().ordo.pool.query('SELECT body FROM orders WHERE id = $1', [gone.id])).rows[0].body;
      expect(row.customer).toEqual({});
      expect(await movementsOf(t(), gone.id)).toEqual(['reserve 2', 'release 2']);
      expect(await level(t(), s)).toEqual({ onHand: 10, reserved: 0, available: 10 });
      expect((await getOrder(t(), kept.id)).status).toEqual({ payment: 'C', fulfilment: 'NF' });
    });
  });
});
