/**
 * Vendure's default order process (seed 004) as a scenario suite over HTTP: the order is the
 * cart; checkout, payments, fulfillments, refunds, cancellation and modification behave as
 * its page and default process say. One test per rule; rules Ordo gets wrong are `it.fails`,
 * with what was seen.
 */
import { publicType } from '../../src/domain/event-types.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { VENDURE_EDGES } from '../workflows/vendure-edges.js';
import {
  callback, cancel, changeBasket, createOrder, expectStatus, getOrder, historyOf, lastChange, level, modify, move, moveParcel, parcel, pay,
  paymentAction, presetSuite, refund, refusedMove, sku, statusTrail, uniqueEmail, type Json,
} from './support.js';

const { t, touched } = presetSuite();

let shopper: string;
beforeAll(async () => {
  shopper = await t().storefrontKey('vd-shopper');
});

/** Two mugs at 10.00, one poster at 5.00, shipping 5.00: 30.00. */
const TOTAL = 3000;

interface Cart { o: Json; mug: string; poster: string }

async function cart(label: string, opts: { key?: string | null; shipping?: boolean } = {}): Promise<Cart> {
  const mug = await sku(t(), `${label}-MUG`, 10);
  const poster = await sku(t(), `${label}-POSTER`, 10);
  const o = touched.add(await createOrder(t(), 'vendure', {
    lines: [{ sku: mug, quantity: 2, unitPrice: 1000, name: 'Mug' }, { sku: poster, quantity: 1, unitPrice: 500, name: 'Poster' }],
    ...(opts.shipping === false ? {} : { shipping: { amount: 500, method: 'standard' } }),
  }, opts.key === null ? {} : { key: opts.key ?? shopper }));
  return { o, mug, poster };
}

/** A cart checked out and paid in full by card: PaymentSettled. */
async function settled(label: string): Promise<Cart> {
  const c = await cart(label);
  await move(t(), c.o.id, 'ArrangingPayment', { key: shopper });
  const paid = await pay(t(), c.o.id, { method: 'card' }, { key: shopper });
  expect(paid.status).toEqual({ order: 'PaymentSettled' });
  return { ...c, o: paid };
}

const mugLine = (o: Json) => o.lines[0].id as string;
const posterLine = (o: Json) => o.lines[1].id as string;

describe('004: the cart is the order', () => {
  it('004: adding the first item to a cart creates the order, which is the cart until checkout', async () => {
    const { o, mug } = await cart('VD-CART');
    expect(o.status).toEqual({ order: 'AddingItems' });
    expect(o.placedAt).toBeNull();
    expect(await statusTrail(t(), o.id)).toEqual(['order:Created->AddingItems']);
    expect(await lastChange(t(), o.id)).toMatchObject({ cause: 'order.created' });
    const more = await changeBasket(t(), o.id, { changeLines: [{ lineId: mugLine(o), quantity: 3 }] }, { key: shopper });
    expect(more.totals).toMatchObject({ subtotal: 3500, total: 4000 });
    // Vendure holds no stock while shopping.
    expect(await level(t(), mug)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('004: an admin may build a draft order instead, and only an admin completes it', async () => {
    const s = await sku(t(), 'VD-DRAFT', 10);
    const draft = touched.add(await createOrder(t(), 'vendure', {
      lines: [{ sku: s, quantity: 1, unitPrice: 2000 }], shipping: 500, draft: true, customer: { id: 'vd-shopper', email: uniqueEmail('vd-draft') },
    }));
    expect(draft.status).toEqual({ order: 'Draft' });
    expect(await statusTrail(t(), draft.id)).toEqual(['order:Created->Draft']);
    await refusedMove(t(), draft.id, 'ArrangingPayment', 409, 'transition_forbidden_for_actor', { key: shopper });
    expect((await move(t(), draft.id, 'ArrangingPayment')).status).toEqual({ order: 'ArrangingPayment' });
  });

  it("004: the order moves only along the default process's transitions", async () => {
    const wf = (await expectStatus(t().call('GET', '/v1/workflows/vendure'), 200)).body;
    const track = wf.tracks[0];
    const edges = new Set<string>();
    for (const x of [...track.transitions, ...track.reactions]) for (const from of x.from) edges.add(`${from} -> ${x.to}`);
    const table = VENDURE_EDGES;
    expect([...edges].sort()).toEqual(Object.entries(table).flatMap(([from, tos]) => tos.map((to) => `${from} -> ${to}`)).sort());
    expect(track.states.filter((s: Json) => s.kind === 'terminal').map((s: Json) => s.id)).toEqual(['Cancelled']);
  });

  it('004: a shopper arranging payment may go back to the cart and change it', async () => {
    const { o } = await cart('VD-BACK');
    await move(t(), o.id, 'ArrangingPayment', { key: shopper });
    await expectStatus(t().call('POST', `/v1/orders/${o.id}/basket`, { removeLines: [posterLine(o)] }, { key: shopper }), 409, 'basket_not_editable');
    expect((await move(t(), o.id, 'AddingItems', { key: shopper })).status).toEqual({ order: 'AddingItems' });
    const smaller = await changeBasket(t(), o.id, { removeLines: [posterLine(o)] }, { key: shopper });
    expect(smaller.totals).toMatchObject({ subtotal: 2000, total: 2500 });
    await move(t(), o.id, 'ArrangingPayment', { key: shopper });
    expect(await statusTrail(t(), o.id)).toEqual(['order:Created->AddingItems', 'order:AddingItems->ArrangingPayment', 'order:ArrangingPayment->AddingItems', 'order:AddingItems->ArrangingPayment']);
  });
});

describe('004: checkout', () => {
  it('004: checking out needs a customer and at least one line', async () => {
    const s = await sku(t(), 'VD-GUARDS', 10);
    const anonymous = touched.add(await createOrder(t(), 'vendure', { lines: [{ sku: s, quantity: 1, unitPrice: 1000 }], shipping: 500, customer: null }));
    const noCustomer = await refusedMove(t(), anonymous.id, 'ArrangingPayment', 409, 'guard_failed');
    expect(noCustomer.failed).toEqual(['the order has no customer']);
    const { o } = await cart('VD-EMPTY');
    await changeBasket(t(), o.id, { removeLines: [mugLine(o), posterLine(o)] }, { key: shopper });
    const empty = await refusedMove(t(), o.id, 'ArrangingPayment', 409, 'guard_failed', { key: shopper });
    expect(empty.failed).toEqual(['the order has no lines']);
  });

  it('004: checking out needs a shipping method', async () => {
    const { o } = await cart('VD-NO-SHIPPING', { shipping: false });
    await refusedMove(t(), o.id, 'ArrangingPayment', 409, 'guard_failed', { key: shopper });
  });

  it('004: checking out needs enough stock for every line', async () => {
    const s = await sku(t(), 'VD-SHORT', 1);
    const o = await createOrder(t(), 'vendure', { lines: [{ sku: s, quantity: 5, unitPrice: 1000 }], shipping: 500 }, { key: shopper });
    const r = await t().call('POST', `/v1/orders/${o.id}/transitions`, { to: 'ArrangingPayment' }, { key: shopper });
    expect(r.status, r.text).toBe(409);
  });
});

describe('004: payment', () => {
  it('004: payments settling the whole total move the order to PaymentSettled, which places it and allocates its stock', async () => {
    const { o, mug, poster } = await settled('VD-SETTLED');
    expect(o.placedAt).not.toBeNull();
    expect(o.totals).toMatchObject({ total: TOTAL, paid: TOTAL, balance: 0 });
    expect(await lastChange(t(), o.id)).toMatchObject({ from: 'ArrangingPayment', to: 'PaymentSettled', actor: { kind: 'gateway' } });
    expect(await level(t(), mug)).toEqual({ onHand: 10, reserved: 2, available: 8 });
    expect(await level(t(), poster)).toEqual({ onHand: 10, reserved: 1, available: 9 });
  });

  it('004: an authorization covering the total gives PaymentAuthorized; settling it gives PaymentSettled', async () => {
    const { o } = await cart('VD-AUTH');
    await move(t(), o.id, 'ArrangingPayment', { key: shopper });
    const held = await pay(t(), o.id, { method: 'card', capture: false }, { key: shopper });
    expect(held.status).toEqual({ order: 'PaymentAuthorized' });
    expect(held.totals).toMatchObject({ paid: 0, balance: TOTAL });
    const taken = await paymentAction(t(), held.payments[0].id, 'capture');
    expect(taken.status).toEqual({ order: 'PaymentSettled' });
    expect((await statusTrail(t(), o.id)).slice(-2)).toEqual(['order:ArrangingPayment->PaymentAuthorized', 'order:PaymentAuthorized->PaymentSettled']);
  });

  it('004: payments short of the total leave the order arranging payment; authorized and settled money together make PaymentAuthorized', async () => {
    const { o } = await cart('VD-SPLIT');
    await move(t(), o.id, 'ArrangingPayment', { key: shopper });
    const first = await pay(t(), o.id, { method: 'card', amount: 1000 }, { key: shopper });
    expect(first.status).toEqual({ order: 'ArrangingPayment' });
    expect(first.totals).toMatchObject({ paid: 1000, balance: TOTAL - 1000 });
    const second = await pay(t(), o.id, { method: 'card', capture: false }, { key: shopper });
    expect(second.status).toEqual({ order: 'PaymentAuthorized' });
    expect(second.payments.map((p: Json) => [p.state, p.amount])).toEqual([['settled', 1000], ['authorized', TOTAL - 1000]]);
    const all = await paymentAction(t(), second.payments[1].id, 'capture');
    expect(all.status).toEqual({ order: 'PaymentSettled' });
    expect(all.totals).toMatchObject({ paid: TOTAL, balance: 0 });
  });

  it('004: no one moves an order to PaymentAuthorized unless payments cover its total', async () => {
    const { o } = await cart('VD-AUTH-NOTHING');
    await move(t(), o.id, 'ArrangingPayment', { key: shopper });
    await refusedMove(t(), o.id, 'PaymentAuthorized', 409, 'guard_failed');
  });

  it('004: a payment is authorized then settled, or ends declined, in error or cancelled; the order waits for one that works', async () => {
    const { o } = await cart('VD-PAYMENT-STATES');
    await move(t(), o.id, 'ArrangingPayment', { key: shopper });
    const declined = await pay(t(), o.id, { method: 'card', simulate: 'decline' }, { key: shopper });
    const errored = await pay(t(), o.id, { method: 'card', simulate: 'fail' }, { key: shopper });
    const held = await pay(t(), o.id, { method: 'card', capture: false }, { key: shopper });
    expect([declined.status, errored.status, held.status]).toEqual([{ order: 'ArrangingPayment' }, { order: 'ArrangingPayment' }, { order: 'PaymentAuthorized' }]);
    const voided = await paymentAction(t(), held.payments[2].id, 'void');
    const good = await pay(t(), o.id, { method: 'card', simulate: 'pending' }, { key: shopper });
    expect(good.payments.map((p: Json) => p.state)).toEqual(['declined', 'failed', 'voided', 'pending']);
    expect(voided.totals).toMatchObject({ paid: 0 });
    await expectStatus(callback(t(), { type: 'payment.settled', paymentId: good.payments[3].id }), 200);
    const after = await getOrder(t(), o.id);
    expect(after.payments.map((p: Json) => p.state)).toEqual(['declined', 'failed', 'voided', 'settled']);
    expect(after.status).toEqual({ order: 'PaymentSettled' });
    expect(after.totals).toMatchObject({ paid: TOTAL, balance: 0 });
  });
});

describe('004: fulfillment', () => {
  it('004: the order follows its parcels through PartiallyShipped, Shipped, PartiallyDelivered and Delivered', async () => {
    const { o, mug, poster } = await settled('VD-PARCELS');
    const mugs = await parcel(t(), o.id, [{ lineId: mugLine(o), quantity: 2 }]);
    expect(mugs.order.status).toEqual({ order: 'PaymentSettled' });
    expect(await level(t(), mug)).toEqual({ onHand: 8, reserved: 0, available: 8 });
    const posters = await parcel(t(), o.id, [{ lineId: posterLine(o), quantity: 1 }]);
    expect((await moveParcel(t(), mugs.parcelId, 'shipped')).status).toEqual({ order: 'PartiallyShipped' });
    expect((await moveParcel(t(), posters.parcelId, 'shipped')).status).toEqual({ order: 'Shipped' });
    expect((await moveParcel(t(), mugs.parcelId, 'delivered')).status).toEqual({ order: 'PartiallyDelivered' });
    const done = await moveParcel(t(), posters.parcelId, 'delivered');
    expect(done.status).toEqual({ order: 'Delivered' });
    expect(done.fulfillments.map((f: Json) => f.state)).toEqual(['delivered', 'delivered']);
    expect((await statusTrail(t(), o.id)).slice(-4)).toEqual([
      'order:PaymentSettled->PartiallyShipped', 'order:PartiallyShipped->Shipped', 'order:Shipped->PartiallyDelivered', 'order:PartiallyDelivered->Delivered',
    ]);
    expect(await level(t(), mug)).toEqual({ onHand: 8, reserved: 0, available: 8 });
    expect(await level(t(), poster)).toEqual({ onHand: 9, reserved: 0, available: 9 });
  });

  it('004: a parcel goes pending, shipped, delivered, may go straight from pending to delivered, and may be cancelled at each step', async () => {
    const { o } = await settled('VD-PARCEL-STATES');
    const direct = await parcel(t(), o.id, [{ lineId: mugLine(o), quantity: 1 }]);
    expect((await moveParcel(t(), direct.parcelId, 'delivered')).fulfillments[0].state).toBe('delivered');
    expect((await moveParcel(t(), direct.parcelId, 'cancelled')).fulfillments[0].state).toBe('cancelled');
    const shipped = await parcel(t(), o.id, [{ lineId: mugLine(o), quantity: 1 }]);
    await moveParcel(t(), shipped.parcelId, 'shipped');
    expect((await moveParcel(t(), shipped.parcelId, 'cancelled')).fulfillments[1].state).toBe('cancelled');
    const pending = await parcel(t(), o.id, [{ lineId: posterLine(o), quantity: 1 }]);
    expect((await moveParcel(t(), pending.parcelId, 'cancelled')).fulfillments[2].state).toBe('cancelled');
    await expectStatus(t().call('POST', `/v1/fulfillments/${pending.parcelId}/transitions`, { to: 'shipped' }), 409, 'transition_not_allowed');
    // With every parcel cancelled, everything is to be fulfilled again.
    expect((await getOrder(t(), o.id)).lines.map((l: Json) => l.fulfilled)).toEqual([0, 0]);
  });
});

describe('004: refunds', () => {
  it('004: a refund chooses lines and shipping, adds an adjustment, and is made against the payment', async () => {
    const { o, mug } = await settled('VD-REFUND');
    const back = await refund(t(), o.id, { lines: [{ lineId: mugLine(o), quantity: 1 }], shipping: true, adjustment: -200, reason: 'chipped mug' });
    expect(back.refunds).toMatchObject([{ paymentId: o.payments[0].id, amount: 1000 + 500 - 200, lines: [{ lineId: mugLine(o), quantity: 1 }], shipping: 500, adjustment: -200, state: 'settled', reason: 'chipped mug' }]);
    expect(back.payments[0]).toMatchObject({ captured: TOTAL, refunded: 1300, state: 'partially_refunded' });
    expect(back.totals).toMatchObject({ paid: TOTAL, refunded: 1300, balance: 0 });
    // Vendure has no refunded status: the order stays where it was, its lines and stock as they were.
    expect(back.status).toEqual({ order: 'PaymentSettled' });
    expect(back.lines.map((l: Json) => l.quantity)).toEqual([2, 1]);
    expect(await level(t(), mug)).toEqual({ onHand: 10, reserved: 2, available: 8 });
  });

  it('004: some payments are refunded through the gateway, others by hand and simply recorded', async () => {
    const { o } = await cart('VD-REFUND-WAYS');
    await move(t(), o.id, 'ArrangingPayment', { key: shopper });
    await pay(t(), o.id, { method: 'manual', amount: 1000 });
    const byCard = await pay(t(), o.id, { method: 'card' }, { key: shopper });
    expect(byCard.status).toEqual({ order: 'PaymentSettled' });
    const [manual, card] = byCard.payments;
    const byHand = await refund(t(), o.id, { paymentId: manual.id, amount: 1000 });
    expect(byHand.refunds[0]).toMatchObject({ paymentId: manual.id, state: 'settled' });
    const atGateway = await refund(t(), o.id, { paymentId: card.id, amount: 500, simulate: 'pending' });
    expect(atGateway.refunds[1]).toMatchObject({ paymentId: card.id, state: 'pending' });
    expect(atGateway.totals.refunded).toBe(1000);
    await expectStatus(callback(t(), { type: 'refund.settled', paymentId: card.id, refundId: atGateway.refunds[1].id }), 200);
    const after = await getOrder(t(), o.id);
    expect(after.refunds.map((r: Json) => r.state)).toEqual(['settled', 'settled']);
    expect(after.totals).toMatchObject({ paid: TOTAL, refunded: 1500 });
  });

  it('004: only settled money can be refunded', async () => {
    const { o } = await cart('VD-REFUND-HELD');
    await move(t(), o.id, 'ArrangingPayment', { key: shopper });
    await pay(t(), o.id, { method: 'card', capture: false }, { key: shopper });
    const r = await expectStatus(t().call('POST', `/v1/orders/${o.id}/refunds`, { amount: 500, reason: 'too early' }), 422, 'refund_exceeds_captured');
    expect(r.body.payments).toEqual([expect.objectContaining({ refundable: 0 })]);
    expect((await getOrder(t(), o.id)).refunds).toEqual([]);
  });
});

describe('004: cancellation', () => {
  it('004: cancelling lines puts them back in stock and refunds nothing unless that is asked too', async () => {
    const { o, mug, poster } = await settled('VD-CANCEL-LINE');
    const cut = await cancel(t(), o.id, { lines: [{ lineId: posterLine(o), quantity: 1 }], reason: 'poster discontinued' });
    expect(cut.status).toEqual({ order: 'PaymentSettled' });
    expect(cut.lines.map((l: Json) => [l.quantity, l.cancelled])).toEqual([[2, 0], [0, 1]]);
    expect(cut.totals).toMatchObject({ total: TOTAL - 500, paid: TOTAL, refunded: 0, balance: 0, overpaid: 500 });
    expect(cut.refunds).toEqual([]);
    expect(await level(t(), poster)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    expect(await level(t(), mug)).toEqual({ onHand: 10, reserved: 2, available: 8 });
    const withMoney = await cancel(t(), o.id, { lines: [{ lineId: mugLine(o), quantity: 1 }], reason: 'one mug fewer', refund: true });
    expect(withMoney.totals).toMatchObject({ total: TOTAL - 1500, refunded: 1500, balance: 0 });
    expect(await level(t(), mug)).toEqual({ onHand: 10, reserved: 1, available: 9 });
  });

  it('004: a refund without a cancellation leaves the items ordered and the stock untouched', async () => {
    const { o, poster } = await settled('VD-PURE-REFUND');
    const back = await refund(t(), o.id, { lines: [{ lineId: posterLine(o), quantity: 1 }], reason: 'faulty, keep it' });
    expect(back.lines.map((l: Json) => [l.quantity, l.cancelled])).toEqual([[2, 0], [1, 0]]);
    expect(back.totals).toMatchObject({ total: TOTAL, refunded: 500 });
    expect(await level(t(), poster)).toEqual({ onHand: 10, reserved: 1, available: 9 });
  });

  it('004: cancelling every line cancels the order, and Cancelled is final', async () => {
    const { o, mug, poster } = await settled('VD-CANCEL-ALL');
    const gone = await cancel(t(), o.id, { reason: 'customer asked', refund: true });
    expect(gone.status).toEqual({ order: 'Cancelled' });
    expect(gone.totals).toMatchObject({ total: 0, paid: TOTAL, refunded: TOTAL, balance: 0 });
    expect(gone.next).toEqual({ order: [] });
    expect(await lastChange(t(), o.id)).toMatchObject({ from: 'PaymentSettled', to: 'Cancelled', reason: 'customer asked' });
    expect(await level(t(), mug)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    expect(await level(t(), poster)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    await refusedMove(t(), o.id, 'AddingItems', 409, 'transition_not_allowed');
    await refusedMove(t(), o.id, 'PaymentSettled', 409, 'transition_not_allowed');
  });

  it('004: even a delivered order may still be cancelled', async () => {
    const { o, mug } = await settled('VD-CANCEL-DELIVERED');
    const all = await parcel(t(), o.id, [{ lineId: mugLine(o), quantity: 2 }, { lineId: posterLine(o), quantity: 1 }]);
    await moveParcel(t(), all.parcelId, 'shipped');
    expect((await moveParcel(t(), all.parcelId, 'delivered')).status).toEqual({ order: 'Delivered' });
    const cancelled = await move(t(), o.id, 'Cancelled', { reason: 'goodwill' });
    expect(cancelled.status).toEqual({ order: 'Cancelled' });
    // The goods left: nothing comes back on the shelf by itself.
    expect(await level(t(), mug)).toEqual({ onHand: 8, reserved: 0, available: 8 });
  });
});

describe('004: modification after checkout', () => {
  it('004: a change is previewed first, with its price difference, and the preview writes nothing', async () => {
    const { o, poster } = await settled('VD-PREVIEW');
    const preview = await modify(t(), o.id, { dryRun: true, addLines: [{ sku: poster, quantity: 2, unitPrice: 500 }] });
    expect(preview).toMatchObject({ dryRun: true, difference: 1000, before: { total: TOTAL }, after: { total: TOTAL + 1000, balance: 1000 } });
    expect(preview.order.status).toEqual({ order: 'ArrangingAdditionalPayment' });
    const now = await getOrder(t(), o.id);
    expect(now.version).toBe(o.version);
    expect(now.status).toEqual({ order: 'PaymentSettled' });
    expect(now.lines).toHaveLength(2);
    expect(await level(t(), poster)).toEqual({ onHand: 10, reserved: 1, available: 9 });
  });

  it('004: a dearer change waits in ArrangingAdditionalPayment until the difference is paid', async () => {
    const { o, poster } = await settled('VD-DEARER');
    const dearer = await modify(t(), o.id, { changeLines: [{ lineId: posterLine(o), quantity: 3 }], note: 'two more posters' });
    expect(dearer.status).toEqual({ order: 'ArrangingAdditionalPayment' });
    expect(dearer.totals).toMatchObject({ total: TOTAL + 1000, paid: TOTAL, balance: 1000 });
    const extra = await pay(t(), o.id, { method: 'card' }, { key: shopper });
    expect(extra.payments.map((p: Json) => p.amount)).toEqual([TOTAL, 1000]);
    expect(extra.status).toEqual({ order: 'PaymentSettled' });
    expect((await statusTrail(t(), o.id)).slice(-2)).toEqual(['order:PaymentSettled->ArrangingAdditionalPayment', 'order:ArrangingAdditionalPayment->PaymentSettled']);
    expect(await level(t(), poster)).toEqual({ onHand: 10, reserved: 3, available: 7 });
  });

  it('004: after part has shipped, a dearer change passes through Modifying and comes back to PartiallyShipped once paid', async () => {
    const { o } = await settled('VD-DEARER-SHIPPED');
    const mugs = await parcel(t(), o.id, [{ lineId: mugLine(o), quantity: 2 }]);
    await moveParcel(t(), mugs.parcelId, 'shipped');
    const dearer = await modify(t(), o.id, { surcharges: [{ description: 'gift wrapping', amount: 300 }] });
    expect(dearer.status).toEqual({ order: 'ArrangingAdditionalPayment' });
    await pay(t(), o.id, { method: 'card' });
    expect((await statusTrail(t(), o.id)).slice(-3)).toEqual([
      'order:PartiallyShipped->Modifying', 'order:Modifying->ArrangingAdditionalPayment', 'order:ArrangingAdditionalPayment->PartiallyShipped',
    ]);
  });

  it('004: a cheaper change is refunded against the payment', async () => {
    const { o, mug } = await settled('VD-CHEAPER');
    const cheaper = await modify(t(), o.id, { changeLines: [{ lineId: mugLine(o), quantity: 1 }] });
    expect(cheaper.status).toEqual({ order: 'PaymentSettled' });
    expect(cheaper.refunds).toMatchObject([{ paymentId: o.payments[0].id, amount: 1000, state: 'settled' }]);
    expect(cheaper.totals).toMatchObject({ total: TOTAL - 1000, paid: TOTAL, refunded: 1000, balance: 0 });
    expect(await level(t(), mug)).toEqual({ onHand: 10, reserved: 1, available: 9 });
  });

  it('004: quantities, lines, surcharges, discounts and both addresses can all be changed in one modification', async () => {
    const { o, mug, poster } = await settled('VD-CHANGE-ALL');
    const cap = await sku(t(), 'VD-CHANGE-ALL-CAP', 10);
    const shippingAddress = { name: 'Ada', line1: '1 Quay Street', city: 'Dublin', country: 'IE' };
    const billingAddress = { name: 'Ada', line1: '2 Bank Road', city: 'Cork', country: 'IE' };
    const changed = await modify(t(), o.id, {
      changeLines: [{ lineId: mugLine(o), quantity: 3 }], removeLines: [posterLine(o)], addLines: [{ sku: cap, quantity: 1, unitPrice: 1200, name: 'Cap' }],
      surcharges: [{ description: 'express', amount: 400 }, { description: 'loyalty discount', amount: -600 }], shippingAddress, billingAddress,
    });
    expect(changed.lines.map((l: Json) => [l.sku, l.quantity])).toEqual([[mug, 3], [cap, 1]]);
    expect(changed.surcharges.map((x: Json) => x.amount)).toEqual([400, -600]);
    expect(changed.totals).toMatchObject({ subtotal: 4200, shipping: 500, surcharges: -200, total: 4500, balance: 1500 });
    expect(changed.shipping.address).toEqual(shippingAddress);
    expect(changed.billingAddress).toEqual(billingAddress);
    expect(changed.status).toEqual({ order: 'ArrangingAdditionalPayment' });
    const modified = (await historyOf(t(), o.id)).find((e: Json) => e.type === 'order.modified');
    expect(modified.data).toMatchObject({ difference: 1500, totalBefore: TOTAL, totalAfter: 4500, removed: [posterLine(o)] });
    expect(await level(t(), poster)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('004: an order being modified cannot be cancelled from there, only taken back to where it was', async () => {
    const { o } = await settled('VD-MODIFYING');
    // Back where it was, as the fulfillments say: nothing has shipped, so no goods status is offered.
    expect((await move(t(), o.id, 'Modifying')).next.order).toEqual(['PaymentAuthorized', 'PaymentSettled']);
    await refusedMove(t(), o.id, 'Shipped', 409, 'guard_failed');
    await refusedMove(t(), o.id, 'Cancelled', 409, 'transition_not_allowed');
    expect((await move(t(), o.id, 'PaymentSettled')).status).toEqual({ order: 'PaymentSettled' });
  });
});

describe("004: Vendure's known weaknesses", () => {
  it('004: a settlement callback delivered twice is applied once', async () => {
    const { o } = await cart('VD-TWICE');
    await move(t(), o.id, 'ArrangingPayment', { key: shopper });
    const waiting = await pay(t(), o.id, { method: 'card', simulate: 'pending' }, { key: shopper });
    const event = { type: 'payment.settled', paymentId: waiting.payments[0].id };
    expect((await expectStatus(callback(t(), event, { id: `evt_twice_${o.id}` }), 200)).body).toEqual({ status: 'applied' });
    expect((await expectStatus(callback(t(), event, { id: `evt_twice_${o.id}` }), 200)).body).toEqual({ status: 'duplicate' });
    const after = await getOrder(t(), o.id);
    expect(after.totals).toMatchObject({ paid: TOTAL, balance: 0 });
    expect((await statusTrail(t(), o.id)).filter((x) => x.endsWith('->PaymentSettled'))).toHaveLength(1);
  });

  it('004: a change based on an old version of the order is refused rather than written over the newer one', async () => {
    const { o } = await cart('VD-LOCKING');
    const seen = o.version;
    await changeBasket(t(), o.id, { changeLines: [{ lineId: mugLine(o), quantity: 4 }] }, { key: shopper });
    const stale = await t().call('POST', `/v1/orders/${o.id}/transitions`, { to: 'ArrangingPayment' }, { key: shopper, headers: { 'if-match': `"${seen}"` } });
    expect(stale.status, stale.text).toBe(412);
    expect(stale.body.code).toBe('version_mismatch');
    expect((await getOrder(t(), o.id)).status).toEqual({ order: 'AddingItems' });
  });

  it('004: every change is announced through the outbox in the same write as the change itself', async () => {
    const { o } = await settled('VD-OUTBOX');
    await cancel(t(), o.id, { lines: [{ lineId: posterLine(o), quantity: 1 }] });
    const rows = await t().ordo.pool.query<{ type: string; version: number }>(`SELECT type, (payload->'data'->'order'->>'version')::int AS version FROM outbox WHERE order_id = $1 ORDER BY id`, [o.id]);
    // The outbox names events as consumers see them (payment.changed to settled: payment.settled); messages are history only.
    const history = (await historyOf(t(), o.id)).filter((e: Json) => !e.type.startsWith('notification.'));
    expect(rows.rows.map((r) => r.type)).toEqual(history.map((e: Json) => publicType(e)));
    expect(rows.rows.map((r) => r.type)).toEqual(expect.arrayContaining(['order.created', 'order.status_changed', 'payment.settled', 'order.lines_cancelled']));
    expect(Math.max(...rows.rows.map((r) => r.version))).toBe((await getOrder(t(), o.id)).version);
  });

  it('004: two shoppers paying for the last unit: stock is not oversold and the shopper who misses out is not charged', async () => {
    const last = await sku(t(), 'VD-LAST', 1);
    const buyers = await Promise.all(['a', 'b'].map(async (x) => createOrder(t(), 'vendure', { lines: [{ sku: last, quantity: 1, unitPrice: 1000 }], shipping: 500 }, { key: await t().storefrontKey(`vd-last-${x}`) })));
    // Checking out holds the unit: the first cart gets it, the second is refused before anyone pays.
    const first = await t().call('POST', `/v1/orders/${buyers[0]!.id}/transitions`, { to: 'ArrangingPayment' });
    expect(first.status).toBe(200);
    const refused = await t().call('POST', `/v1/orders/${buyers[1]!.id}/transitions`, { to: 'ArrangingPayment' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('insufficient_stock');
    await pay(t(), buyers[0]!.id, { method: 'card' });
    expect(await level(t(), last)).toEqual({ onHand: 1, reserved: 1, available: 0 });
    const second = await getOrder(t(), buyers[1]!.id);
    expect(second.status.order).toBe('AddingItems');
    expect(second.payments).toEqual([]);
  });
});
