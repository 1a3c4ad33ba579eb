/**
 * Shipping in parts, end to end over HTTP: several parcels across several lines, their states,
 * the order's fulfillment status in each workflow that has one, stock committed as parcels are
 * made, cancelled parcels, and refusals that change nothing. Every scenario ends with the
 * stock and money invariants (DESIGN.md 1 and 2) checked on the orders it touched.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.js';
import { expectProblem } from '../http/helpers.js';
import { expectUnchanged, historyOf, snapshot, steps } from '../payments/helpers.js';
import { historyTypes, level, moveParcel, movementsOf, parcel, place, ship, stockedSku, type Json, scenarioSuite } from './support.js';

const { app, touched } = scenarioSuite();
let t: TestApp;
beforeAll(() => {
  t = app();
});

/** Two lines, A x3 at 10.00 and B x2 at 25.00, with 5.00 shipping (total 85.00). */
async function twoLines(opts: { workflow?: 'standard' | 'xcart' | 'nutickets' | 'nexway' | 'vendure'; paid?: boolean } = {}) {
  const a = await stockedSku(t, 'SHIP-A');
  const b = await stockedSku(t, 'SHIP-B');
  const o = touched.add(await place(t, { ...opts, lines: [{ sku: a, quantity: 3, unitPrice: 1000 }, { sku: b, quantity: 2, unitPrice: 2500 }], shipping: 500 }));
  return { o, a, b, lineA: o.lines[0].id as string, lineB: o.lines[1].id as string };
}

describe('several parcels across several lines (standard workflow)', () => {
  it('ships in parts, then delivers: partially_shipped, shipped, partially_delivered, delivered; completed once paid', async () => {
    const { o, a, b, lineA, lineB } = await twoLines({ paid: true });
    expect(o.status).toEqual({ order: 'placed', payment: 'paid', fulfillment: 'unfulfilled' });
    expect(await level(t, a)).toEqual({ onHand: 7, reserved: 0 });
    expect(await level(t, b)).toEqual({ onHand: 8, reserved: 0 });
    const movementsPaid = await movementsOf(t, o.id);

    const first = await ship(t, o.id, [{ lineId: lineA, quantity: 2 }, { lineId: lineB, quantity: 1 }], { carrier: 'DHL', trackingNumber: 'JD0001', trackingUrl: 'https://track.example/JD0001' });
    expect(first.status, first.text).toBe(201);
    expect(first.body.fulfillments).toHaveLength(1);
    expect(first.body.fulfillments[0]).toMatchObject({
      state: 'pending', carrier: 'DHL', trackingNumber: 'JD0001', trackingUrl: 'https://track.example/JD0001',
      lines: [{ lineId: lineA, quantity: 2 }, { lineId: lineB, quantity: 1 }],
    });
    expect(first.body.lines.map((l: Json) => l.fulfilled)).toEqual([2, 1]);
    // A pending parcel has not left: the track does not move.
    expect(first.body.status.fulfillment).toBe('unfulfilled');
    const f1 = first.body.fulfillments[0].id;

    const second = await parcel(t, o.id, [{ lineId: lineA, quantity: 1 }]);
    expect(second.order.fulfillments[1]).toMatchObject({ state: 'pending', carrier: null, trackingNumber: null, trackingUrl: null });
    expect(second.order.lines.map((l: Json) => l.fulfilled)).toEqual([3, 1]);

    expect((await moveParcel(t, f1, 'shipped')).body.status.fulfillment).toBe('partially_shipped');
    expect((await moveParcel(t, second.id, 'shipped')).body.status.fulfillment).toBe('partially_shipped');
    const third = await parcel(t, o.id, [{ lineId: lineB, quantity: 1 }], 'shipped');
    expect(third.order.status.fulfillment).toBe('shipped');
    expect(third.order.lines.map((l: Json) => l.fulfilled)).toEqual([3, 2]);

    expect((await moveParcel(t, f1, 'delivered')).body.status).toEqual({ order: 'placed', payment: 'paid', fulfillment: 'partially_delivered' });
    expect((await moveParcel(t, second.id, 'delivered')).body.status.fulfillment).toBe('partially_delivered');
    const done = await moveParcel(t, third.id, 'delivered');
    expect(done.body.status).toEqual({ order: 'completed', payment: 'paid', fulfillment: 'delivered' });
    expect(done.body.fulfillments.map((f: Json) => f.state)).toEqual(['delivered', 'delivered', 'delivered']);

    // Paid by card, the stock was sold at payment: parcels move none of it again.
    expect(await movementsOf(t, o.id)).toEqual(movementsPaid);
    expect(await level(t, a)).toEqual({ onHand: 7, reserved: 0 });
    expect(await level(t, b)).toEqual({ onHand: 8, reserved: 0 });
    expect(done.body.lines.map((l: Json) => [l.reserved, l.committed])).toEqual([[0, 3], [0, 2]]);

    const history = await historyOf(t, o.id);
    expect(steps(history).filter((s) => s.startsWith('fulfillment:'))).toEqual([
      'fulfillment:unfulfilled->partially_shipped',
      'fulfillment:partially_shipped->shipped',
      'fulfillment:shipped->partially_delivered',
      'fulfillment:partially_delivered->delivered',
    ]);
    expect(steps(history)).toContain('order:placed->completed');
    expect(historyTypes(history).filter((x) => x === 'fulfillment.created')).toHaveLength(3);
    expect(history.find((h) => h.type === 'fulfillment.created')!.data).toMatchObject({ carrier: 'DHL', trackingNumber: 'JD0001', lines: [{ lineId: lineA, quantity: 2 }, { lineId: lineB, quantity: 1 }] });
    expect(historyTypes(history).filter((x) => x === 'fulfillment.changed')).toHaveLength(6);
  });

  it('delivered but unpaid stays placed; the payment that settles it completes the order', async () => {
    const { o, a, lineA, lineB } = await twoLines();
    const all = await parcel(t, o.id, [{ lineId: lineA, quantity: 3 }, { lineId: lineB, quantity: 2 }], 'delivered');
    expect(all.order.status).toEqual({ order: 'placed', payment: 'unpaid', fulfillment: 'delivered' });
    expect(await level(t, a)).toEqual({ onHand: 7, reserved: 0 });
    const paid = await t.call('POST', `/v1/orders/${o.id}/payments`, { method: 'card' });
    expect(paid.status, paid.text).toBe(201);
    expect(paid.body.status).toEqual({ order: 'completed', payment: 'paid', fulfillment: 'delivered' });
    // Every unit was sold when its parcel was made; payment sells nothing twice.
    expect(await movementsOf(t, o.id, a)).toEqual(['reserve 3', 'commit 3']);
    expect(await level(t, a)).toEqual({ onHand: 7, reserved: 0 });
  });

  it('a pending parcel can be delivered straight away; the track jumps as far as the units went', async () => {
    const { o, lineA, lineB } = await twoLines({ paid: true });
    const f = await parcel(t, o.id, [{ lineId: lineA, quantity: 3 }]);
    const delivered = await moveParcel(t, f.id, 'delivered');
    expect(delivered.status, delivered.text).toBe(200);
    expect(delivered.body.status.fulfillment).toBe('partially_delivered');
    const rest = await parcel(t, o.id, [{ lineId: lineB, quantity: 2 }]);
    expect((await moveParcel(t, rest.id, 'delivered')).body.status).toEqual({ order: 'completed', payment: 'paid', fulfillment: 'delivered' });
  });
});

describe('stock as parcels are made: paid by card or not paid yet', () => {
  it('unpaid: a parcel commits the held units it takes, the payment commits only the rest', async () => {
    const { o, a, b, lineA, lineB } = await twoLines();
    expect(await level(t, a)).toEqual({ onHand: 10, reserved: 3 });
    const f = await parcel(t, o.id, [{ lineId: lineA, quantity: 2 }], 'shipped');
    expect(f.order.lines[0]).toMatchObject({ reserved: 1, committed: 2, fulfilled: 2 });
    expect(f.order.lines[1]).toMatchObject({ reserved: 2, committed: 0, fulfilled: 0 });
    expect(await level(t, a)).toEqual({ onHand: 8, reserved: 1 });
    expect(await level(t, b)).toEqual({ onHand: 10, reserved: 2 });
    expect(await movementsOf(t, o.id, a)).toEqual(['reserve 3', 'commit 2']);

    const paid = await t.call('POST', `/v1/orders/${o.id}/payments`, { method: 'card' });
    expect(paid.body.status.payment).toBe('paid');
    expect(paid.body.lines.map((l: Json) => [l.reserved, l.committed])).toEqual([[0, 3], [0, 2]]);
    expect(await movementsOf(t, o.id, a)).toEqual(['reserve 3', 'commit 2', 'commit 1']);
    expect(await level(t, a)).toEqual({ onHand: 7, reserved: 0 });
    expect(await level(t, b)).toEqual({ onHand: 8, reserved: 0 });

    // The rest ships from stock already sold: nothing moves.
    const rest = await parcel(t, o.id, [{ lineId: lineA, quantity: 1 }, { lineId: lineB, quantity: 2 }], 'shipped');
    expect(rest.order.status.fulfillment).toBe('shipped');
    expect(await movementsOf(t, o.id, a)).toEqual(['reserve 3', 'commit 2', 'commit 1']);
    expect(await movementsOf(t, o.id, b)).toEqual(['reserve 2', 'commit 2']);
  });

  it('paid by card: stock was sold at payment, a parcel moves none', async () => {
    const { o, a, lineA } = await twoLines({ paid: true });
    expect(await movementsOf(t, o.id, a)).toEqual(['reserve 3', 'commit 3']);
    await parcel(t, o.id, [{ lineId: lineA, quantity: 3 }], 'shipped');
    expect(await movementsOf(t, o.id, a)).toEqual(['reserve 3', 'commit 3']);
    expect(await level(t, a)).toEqual({ onHand: 7, reserved: 0 });
  });

  it('an untracked SKU ships without stock rows', async () => {
    const o = touched.add(await place(t, { lines: [{ sku: `UNTRACKED-${Date.now()}`, quantity: 2, unitPrice: 700 }] }));
    const f = await parcel(t, o.id, [{ lineId: o.lines[0].id, quantity: 2 }], 'delivered');
    expect(f.order.status.fulfillment).toBe('delivered');
    expect(await movementsOf(t, o.id)).toEqual([]);
  });
});

describe('cancelling a parcel', () => {
  it('a pending parcel cancelled gives its units back to be fulfilled; the track stays where the other parcels keep it', async () => {
    const { o, a, lineA, lineB } = await twoLines();
    const pending = await parcel(t, o.id, [{ lineId: lineA, quantity: 2 }]);
    const sent = await parcel(t, o.id, [{ lineId: lineB, quantity: 1 }], 'shipped');
    expect(sent.order.status.fulfillment).toBe('partially_shipped');
    const cancelled = await moveParcel(t, pending.id, 'cancelled');
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body.fulfillments[0].state).toBe('cancelled');
    expect(cancelled.body.lines.map((l: Json) => l.fulfilled)).toEqual([0, 1]);
    expect(cancelled.body.status.fulfillment).toBe('partially_shipped');
    // The units it took stay sold to the order (not held twice, not put back): a new parcel moves nothing.
    expect(cancelled.body.lines[0]).toMatchObject({ reserved: 1, committed: 2 });
    expect(await level(t, a)).toEqual({ onHand: 8, reserved: 1 });
    const again = await parcel(t, o.id, [{ lineId: lineA, quantity: 3 }]);
    expect(again.order.lines[0]).toMatchObject({ reserved: 0, committed: 3, fulfilled: 3 });
    expect(await movementsOf(t, o.id, a)).toEqual(['reserve 3', 'commit 2', 'commit 1']);
    // A cancelled parcel moves no more.
    const revived = await moveParcel(t, pending.id, 'shipped');
    expectProblem(revived, 409, 'transition_not_allowed');
    expect(revived.body.allowed).toEqual([]);
  });

  it('a shipped parcel cancelled moves the status back (shipped -> partially_shipped -> unfulfilled)', async () => {
    const { o, lineA, lineB } = await twoLines({ paid: true });
    const f1 = await parcel(t, o.id, [{ lineId: lineA, quantity: 3 }], 'shipped');
    const f2 = await parcel(t, o.id, [{ lineId: lineB, quantity: 2 }], 'shipped');
    expect(f2.order.status.fulfillment).toBe('shipped');
    const one = await moveParcel(t, f2.id, 'cancelled');
    expect(one.body.status.fulfillment).toBe('partially_shipped');
    expect(one.body.lines[1].fulfilled).toBe(0);
    const none = await moveParcel(t, f1.id, 'cancelled');
    expect(none.body.status.fulfillment).toBe('unfulfilled');
    expect(none.body.lines.map((l: Json) => l.fulfilled)).toEqual([0, 0]);
    const resent = await parcel(t, o.id, [{ lineId: lineA, quantity: 3 }, { lineId: lineB, quantity: 2 }], 'shipped');
    expect(resent.order.status.fulfillment).toBe('shipped');
    expect(steps(await historyOf(t, o.id)).filter((s) => s.startsWith('fulfillment:'))).toEqual([
      'fulfillment:unfulfilled->partially_shipped',
      'fulfillment:partially_shipped->shipped',
      'fulfillment:shipped->partially_shipped',
      'fulfillment:partially_shipped->unfulfilled',
      // Made pending, then shipped whole: straight to shipped.
      'fulfillment:unfulfilled->shipped',
    ]);
  });

  it('a delivered parcel cancelled while another delivered one remains: delivered -> partially_delivered', async () => {
    const { o, lineA, lineB } = await twoLines({ paid: true });
    await parcel(t, o.id, [{ lineId: lineA, quantity: 3 }], 'delivered');
    const f2 = await parcel(t, o.id, [{ lineId: lineB, quantity: 2 }], 'delivered');
    expect(f2.order.status).toEqual({ order: 'completed', payment: 'paid', fulfillment: 'delivered' });
    const back = await moveParcel(t, f2.id, 'cancelled');
    expect(back.status, back.text).toBe(200);
    expect(back.body.status.fulfillment).toBe('partially_delivered');
    expect(back.body.lines.map((l: Json) => l.fulfilled)).toEqual([3, 0]);
  });

  it('a delivered parcel cancelled while another is only shipped: partially_delivered -> partially_shipped', async () => {
    const { o, lineA, lineB } = await twoLines({ paid: true });
    const f1 = await parcel(t, o.id, [{ lineId: lineA, quantity: 3 }], 'delivered');
    await parcel(t, o.id, [{ lineId: lineB, quantity: 2 }], 'shipped');
    expect((await t.call('GET', `/v1/orders/${o.id}`)).body.status.fulfillment).toBe('partially_delivered');
    const back = await moveParcel(t, f1.id, 'cancelled');
    expect(back.status).toBe(200);
    expect(back.body.status.fulfillment).toBe('partially_shipped');
  });

  it('a delivered parcel cancelled when nothing else has left: partially_delivered -> unfulfilled', async () => {
    const { o, lineA, lineB } = await twoLines({ paid: true });
    const f1 = await parcel(t, o.id, [{ lineId: lineA, quantity: 3 }], 'delivered');
    await parcel(t, o.id, [{ lineId: lineB, quantity: 2 }]);
    const back = await moveParcel(t, f1.id, 'cancelled');
    expect(back.status).toBe(200);
    expect(back.body.status.fulfillment).toBe('unfulfilled');
  });
});

describe("Vendure: the order's status follows its fulfillments", () => {
  it('PaymentSettled -> PartiallyShipped -> Shipped -> PartiallyDelivered -> Delivered, stock held at settlement and sold per parcel', async () => {
    const { o, a, b, lineA, lineB } = await twoLines({ workflow: 'vendure', paid: true });
    expect(o.status.order).toBe('PaymentSettled');
    expect(await level(t, a)).toEqual({ onHand: 10, reserved: 3 });
    const f1 = await parcel(t, o.id, [{ lineId: lineA, quantity: 3 }, { lineId: lineB, quantity: 1 }], 'shipped');
    expect(f1.order.status.order).toBe('PartiallyShipped');
    expect(await level(t, a)).toEqual({ onHand: 7, reserved: 0 });
    expect(await level(t, b)).toEqual({ onHand: 9, reserved: 1 });
    const f2 = await parcel(t, o.id, [{ lineId: lineB, quantity: 1 }], 'shipped');
    expect(f2.order.status.order).toBe('Shipped');
    expect(await level(t, b)).toEqual({ onHand: 8, reserved: 0 });
    expect((await moveParcel(t, f1.id, 'delivered')).body.status.order).toBe('PartiallyDelivered');
    expect((await moveParcel(t, f2.id, 'delivered')).body.status.order).toBe('Delivered');
    expect(steps(await historyOf(t, o.id))).toEqual([
      'order:Created->AddingItems',
      'order:AddingItems->ArrangingPayment',
      'order:ArrangingPayment->PaymentSettled',
      'order:PaymentSettled->PartiallyShipped',
      'order:PartiallyShipped->Shipped',
      'order:Shipped->PartiallyDelivered',
      'order:PartiallyDelivered->Delivered',
    ]);
    expect(await movementsOf(t, o.id, b)).toEqual(['reserve 2', 'commit 1', 'commit 1']);
  });
});

describe("X-Cart: the fulfilment track's S and D", () => {
  it('N until every unit has left, then S; D once every unit arrived; payment P throughout', async () => {
    const { o, a, lineA, lineB } = await twoLines({ workflow: 'xcart', paid: true });
    expect(o.status).toEqual({ payment: 'P', fulfilment: 'N' });
    const f1 = await parcel(t, o.id, [{ lineId: lineA, quantity: 3 }], 'shipped');
    expect(f1.order.status).toEqual({ payment: 'P', fulfilment: 'N' });
    const f2 = await parcel(t, o.id, [{ lineId: lineB, quantity: 2 }], 'shipped');
    expect(f2.order.status).toEqual({ payment: 'P', fulfilment: 'S' });
    expect((await moveParcel(t, f1.id, 'delivered')).body.status).toEqual({ payment: 'P', fulfilment: 'S' });
    expect((await moveParcel(t, f2.id, 'delivered')).body.status).toEqual({ payment: 'P', fulfilment: 'D' });
    expect(await level(t, a)).toEqual({ onHand: 7, reserved: 0 });
  });

  it('unpaid (Q): the parcel commits the held units', async () => {
    const { o, a, lineA } = await twoLines({ workflow: 'xcart' });
    expect(o.status).toEqual({ payment: 'Q', fulfilment: 'N' });
    await parcel(t, o.id, [{ lineId: lineA, quantity: 2 }], 'shipped');
    expect(await level(t, a)).toEqual({ onHand: 8, reserved: 1 });
  });
});

describe('refusals change nothing', () => {
  it('more than is left, also across parcels and repeated lines', async () => {
    const { o, lineA, lineB } = await twoLines({ paid: true });
    let before = await snapshot(t, o.id);
    const over = await ship(t, o.id, [{ lineId: lineA, quantity: 4 }]);
    expectProblem(over, 422, 'fulfillment_exceeds_line');
    expect(over.body).toMatchObject({ lineId: lineA, left: 3, requested: 4 });
    const repeated = await ship(t, o.id, [{ lineId: lineB, quantity: 1 }, { lineId: lineB, quantity: 2 }]);
    expectProblem(repeated, 422, 'fulfillment_exceeds_line');
    expect(repeated.body).toMatchObject({ lineId: lineB, left: 2, requested: 3 });
    await expectUnchanged(t, o.id, before);

    await parcel(t, o.id, [{ lineId: lineA, quantity: 2 }]);
    before = await snapshot(t, o.id);
    const left = await ship(t, o.id, [{ lineId: lineB, quantity: 1 }, { lineId: lineA, quantity: 2 }]);
    expectProblem(left, 422, 'fulfillment_exceeds_line');
    expect(left.body).toMatchObject({ left: 1 });
    await expectUnchanged(t, o.id, before);
    expect(before.order.fulfillments).toEqual((await t.call('GET', `/v1/orders/${o.id}`)).body.fulfillments);
  });

  it('an unknown line, a bad body, an unknown parcel', async () => {
    const { o, lineA } = await twoLines({ paid: true });
    const other = touched.add(await place(t, { lines: [{ sku: await stockedSku(t, 'SHIP-OTHER'), quantity: 1, unitPrice: 100 }] }));
    const before = await snapshot(t, o.id);
    const unknown = await ship(t, o.id, [{ lineId: other.lines[0].id, quantity: 1 }]);
    expectProblem(unknown, 422, 'line_not_found');
    expect(unknown.body.lineIds).toEqual([other.lines[0].id]);
    expect((await ship(t, o.id, [{ lineId: lineA, quantity: 0 }])).status).toBe(400);
    expect((await ship(t, o.id, [])).status).toBe(400);
    expect((await ship(t, o.id, [{ lineId: lineA, quantity: 1 }], { trackingUrl: 'not a url' })).status).toBe(400);
    expectProblem(await moveParcel(t, '01890000-0000-7000-8000-000000000001', 'shipped'), 404, 'fulfillment_not_found');
    expectProblem(await ship(t, '01890000-0000-7000-8000-000000000001', [{ lineId: lineA, quantity: 1 }]), 404, 'order_not_found');
    await expectUnchanged(t, o.id, before);
  });

  it('a step a parcel cannot take: 409 with the steps it can', async () => {
    const { o, lineA } = await twoLines({ paid: true });
    const f = await parcel(t, o.id, [{ lineId: lineA, quantity: 1 }], 'delivered');
    const before = await snapshot(t, o.id);
    for (const to of ['pending', 'shipped', 'delivered']) {
      const res = await moveParcel(t, f.id, to);
      expectProblem(res, 409, 'transition_not_allowed');
      expect(res.body).toMatchObject({ from: 'delivered', to, allowed: ['cancelled'] });
    }
    expect((await moveParcel(t, f.id, 'lost')).status).toBe(400);
    await expectUnchanged(t, o.id, before);
  });

  it('a storefront key may neither make nor move a parcel, even of its own order (403)', async () => {
    const key = await t.storefrontKey(`cust-ship-${Date.now()}`);
    const sku = await stockedSku(t, 'SHIP-SF');
    const own = touched.add(await place(t, { lines: [{ sku, quantity: 2, unitPrice: 1000 }], key, paid: true }));
    const f = await parcel(t, own.id, [{ lineId: own.lines[0].id, quantity: 1 }]);
    const before = await snapshot(t, own.id);
    expectProblem(await ship(t, own.id, [{ lineId: own.lines[0].id, quantity: 1 }], {}, key), 403, 'forbidden');
    expectProblem(await moveParcel(t, f.id, 'shipped', key), 403, 'forbidden');
    await expectUnchanged(t, own.id, before);
    expect(await level(t, sku)).toEqual({ onHand: 8, reserved: 0 });
  });
});
