/**
 * Gateway callbacks over HTTP (issue 3; DESIGN invariant 4): POST /v1/gateways/{gateway}/events,
 * signed the Standard Webhooks way with the gateway's secret. Refused ones (401/404) record
 * nothing; a repeat is applied once, however many arrive at once; a late or out-of-order one
 * changes nothing but a history row saying it was ignored, and why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectProblem, uniqueEmail } from '../http/helpers.js';
import { callback, expectLedgerConsistent, expectUnchanged, getOrder, historyOf, inventory, signedHeaders, snapshot, startPaymentsApp, steps, stocked, types, type Json } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await startPaymentsApp();
});
afterAll(() => t.close());

const TOTAL = 2500;
/** An order whose card payment waits for the gateway's callback. */
async function pendingCard(label: string, simulate = 'pending'): Promise<{ order: Json; paymentId: string; sku: string }> {
  const sku = await stocked(t, label, 10);
  const r = await t.call('POST', '/v1/orders', {
    currency: 'EUR', customer: { email: uniqueEmail('cb') }, lines: [{ sku, quantity: 2, unitPrice: 1000 }], shipping: { amount: 500 },
    payment: { method: 'card', simulate },
  });
  expect(r.status, r.text).toBe(201);
  return { order: r.body, paymentId: r.body.payments[0].id, sku };
}

const eventRows = async (eventId: string) =>
  (await t.ordo.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM gateway_events WHERE event_id = $1', [eventId])).rows[0]!.n;

describe('refused callbacks record nothing', () => {
  it('a bad signature: 401 problem+json, no gateway_events row, no history', async () => {
    const { order, paymentId } = await pendingCard('CB-BADSIG');
    const before = await snapshot(t, order.id);
    const wrongSecret = 'whsec_' + Buffer.from('not-the-gateway-secret').toString('base64');
    const r = await callback(t, { type: 'payment.settled', paymentId }, { id: 'evt_badsig', secret: wrongSecret });
    expectProblem(r, 401, 'unauthorized');
    expect(await eventRows('evt_badsig')).toBe(0);
    await expectUnchanged(t, order.id, before);
    // A body changed after signing fails just the same.
    const payload = JSON.stringify({ type: 'payment.declined', paymentId });
    const headers = signedHeaders('evt_tampered', payload);
    const tampered = await t.call('POST', '/v1/gateways/simulated/events', JSON.stringify({ type: 'payment.settled', paymentId }), { key: null, headers });
    expectProblem(tampered, 401, 'unauthorized');
    expect(await eventRows('evt_tampered')).toBe(0);
    await expectUnchanged(t, order.id, before);
  });

  it('a stale timestamp (more than 5 minutes old) or one from the future: 401', async () => {
    const { order, paymentId } = await pendingCard('CB-STALE');
    const before = await snapshot(t, order.id);
    const stale = await callback(t, { type: 'payment.settled', paymentId }, { id: 'evt_stale', timestamp: new Date(Date.now() - 6 * 60_000) });
    expectProblem(stale, 401, 'unauthorized');
    const future = await callback(t, { type: 'payment.settled', paymentId }, { id: 'evt_future', timestamp: new Date(Date.now() + 6 * 60_000) });
    expectProblem(future, 401, 'unauthorized');
    expect(await eventRows('evt_stale')).toBe(0);
    expect(await eventRows('evt_future')).toBe(0);
    await expectUnchanged(t, order.id, before);
    // Within the tolerance it is accepted.
    const recent = await callback(t, { type: 'payment.settled', paymentId }, { timestamp: new Date(Date.now() - 4 * 60_000) });
    expect(recent.body).toEqual({ status: 'applied' });
  });

  it('missing webhook headers: 401', async () => {
    const { order, paymentId } = await pendingCard('CB-HEADERS');
    const before = await snapshot(t, order.id);
    const payload = JSON.stringify({ type: 'payment.settled', paymentId });
    const full = signedHeaders('evt_headers', payload);
    for (const missing of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      const headers = Object.fromEntries(Object.entries(full).filter(([k]) => k !== missing));
      expectProblem(await t.call('POST', '/v1/gateways/simulated/events', payload, { key: null, headers }), 401, 'unauthorized');
    }
    expectProblem(await t.call('POST', '/v1/gateways/simulated/events', payload, { key: null, headers: {} }), 401, 'unauthorized');
    expect(await eventRows('evt_headers')).toBe(0);
    await expectUnchanged(t, order.id, before);
  });

  it('an unknown gateway or an unknown payment: 404, nothing recorded', async () => {
    const { order, paymentId } = await pendingCard('CB-404');
    const before = await snapshot(t, order.id);
    const gw = await callback(t, { type: 'payment.settled', paymentId }, { id: 'evt_nogw', gateway: 'acme-pay' });
    expect(gw.status, gw.text).toBe(404);
    expect(gw.headers['content-type']).toMatch(/^application\/problem\+json/);
    const nopay = await callback(t, { type: 'payment.settled', paymentId: '00000000-0000-4000-8000-000000000000' }, { id: 'evt_nopay' });
    expectProblem(nopay, 404, 'payment_not_found');
    expect(await eventRows('evt_nogw')).toBe(0);
    expect(await eventRows('evt_nopay')).toBe(0);
    await expectUnchanged(t, order.id, before);
  });

  it.skipIf(process.env.ORDO_GATEWAY_SECRET_SIMULATED !== undefined)('a gateway with no secret configured refuses every callback (401)', async () => {
    const bare = await startTestApp();
    try {
      const payload = JSON.stringify({ type: 'payment.settled', paymentId: '00000000-0000-4000-8000-000000000000' });
      const r = await bare.call('POST', '/v1/gateways/simulated/events', payload, { key: null, headers: signedHeaders('evt_nosecret', payload) });
      expectProblem(r, 401, 'unauthorized');
    } finally {
      await bare.close();
    }
  });
});

describe('applied once', () => {
  it('the same webhook-id twice: the second answers duplicate and changes nothing', async () => {
    const { order, paymentId, sku } = await pendingCard('CB-DUP');
    const first = await callback(t, { type: 'payment.settled', paymentId }, { id: 'evt_dup_1' });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ status: 'applied' });
    const before = await snapshot(t, order.id);
    expect(before.order.status.payment).toBe('paid');
    expect(before.gatewayEvents).toBe(1);
    const second = await callback(t, { type: 'payment.settled', paymentId }, { id: 'evt_dup_1' });
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ status: 'duplicate' });
    await expectUnchanged(t, order.id, before);
    expect(await inventory(t, sku)).toEqual({ onHand: 8, reserved: 0, available: 8 });
  });

  it('ten identical deliveries at once are applied exactly once', async () => {
    const { order, paymentId, sku } = await pendingCard('CB-RACE');
    const replies = await Promise.all(Array.from({ length: 10 }, () => callback(t, { type: 'payment.settled', paymentId, reference: 'ch_race' }, { id: 'evt_race' })));
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(replies.map((r) => r.body.status).sort()).toEqual(['applied', ...Array(9).fill('duplicate')]);
    expect(await eventRows('evt_race')).toBe(1);
    const after = await getOrder(t, order.id);
    expect(after.version).toBe(order.version + 1);
    expect(after.payments[0]).toMatchObject({ state: 'settled', captured: TOTAL, reference: 'ch_race' });
    expect(after.totals).toMatchObject({ paid: TOTAL, balance: 0 });
    const h = await historyOf(t, order.id);
    // The gateway's first answer (pending) is recorded too: every version has its history row.
    expect(types(h)).toEqual(['order.created', 'order.status_changed', 'payment.created', 'payment.operation_answered', 'payment.changed', 'order.status_changed']);
    expect(await inventory(t, sku)).toEqual({ onHand: 8, reserved: 0, available: 8 });
    await expectLedgerConsistent(t);
  });
});

describe('late and out of order', () => {
  it('declined after settled: ignored, recorded with why, nothing else changes', async () => {
    const { order, paymentId, sku } = await pendingCard('CB-LATE-DECLINE');
    await callback(t, { type: 'payment.settled', paymentId });
    const before = await snapshot(t, order.id);
    const r = await callback(t, { type: 'payment.declined', paymentId }, { id: 'evt_late_decline' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'ignored' });
    const after = await snapshot(t, order.id);
    expect(after.order.status).toEqual(before.order.status);
    expect(after.order.totals).toEqual(before.order.totals);
    expect(after.order.payments).toEqual(before.order.payments);
    expect(after.movements).toBe(before.movements);
    expect(after.history).toBe(before.history + 1);
    expect(after.gatewayEvents).toBe(before.gatewayEvents + 1);
    const ignored = (await historyOf(t, order.id)).at(-1);
    expect(ignored).toMatchObject({
      type: 'payment.event_ignored', actor: { kind: 'gateway', id: 'simulated' },
      data: { paymentId, eventId: 'evt_late_decline', event: 'payment.declined', state: 'settled', why: expect.stringContaining('already settled') },
    });
    expect(await inventory(t, sku)).toEqual({ onHand: 8, reserved: 0, available: 8 });
    // Delivered again, the ignored event is a duplicate.
    const again = await snapshot(t, order.id);
    expect((await callback(t, { type: 'payment.declined', paymentId }, { id: 'evt_late_decline' })).body).toEqual({ status: 'duplicate' });
    await expectUnchanged(t, order.id, again);
  });

  it('authorized after settled: ignored, with why', async () => {
    const { order, paymentId } = await pendingCard('CB-LATE-AUTH');
    await callback(t, { type: 'payment.settled', paymentId });
    const before = await snapshot(t, order.id);
    expect((await callback(t, { type: 'payment.authorized', paymentId }, { id: 'evt_late_auth' })).body).toEqual({ status: 'ignored' });
    const after = await getOrder(t, order.id);
    expect(after.status).toEqual(before.order.status);
    expect(after.payments).toEqual(before.order.payments);
    expect((await historyOf(t, order.id)).at(-1)).toMatchObject({
      type: 'payment.event_ignored', data: { event: 'payment.authorized', state: 'settled', why: expect.stringContaining('cannot follow') },
    });
  });

  it('settled delivered again under a new id is ignored too: the money is counted once', async () => {
    const { order, paymentId } = await pendingCard('CB-RESEND');
    await callback(t, { type: 'payment.settled', paymentId, amount: 1000 });
    expect((await callback(t, { type: 'payment.settled', paymentId, amount: 1000 })).body).toEqual({ status: 'ignored' });
    const after = await getOrder(t, order.id);
    expect(after.totals).toMatchObject({ paid: 1000, balance: 1500 });
    expect(after.payments[0]).toMatchObject({ state: 'settled', captured: 1000 });
  });

  it('a refund callback with no refund waiting is ignored', async () => {
    const { order, paymentId } = await pendingCard('CB-NOREFUND');
    await callback(t, { type: 'payment.settled', paymentId });
    expect((await callback(t, { type: 'refund.settled', paymentId })).body).toEqual({ status: 'ignored' });
    const after = await getOrder(t, order.id);
    expect(after.totals).toMatchObject({ refunded: 0 });
    expect((await historyOf(t, order.id)).at(-1)).toMatchObject({ type: 'payment.event_ignored', data: { why: expect.stringContaining('no refund') } });
  });
});

describe('what a callback says', () => {
  it('an amount: that much is settled; short of the total the order is partially paid', async () => {
    const { order, paymentId, sku } = await pendingCard('CB-AMOUNT');
    const r = await callback(t, { type: 'payment.settled', paymentId, amount: 1000 });
    expect(r.body).toEqual({ status: 'applied' });
    const after = await getOrder(t, order.id);
    expect(after.payments[0]).toMatchObject({ state: 'settled', authorized: 1000, captured: 1000 });
    expect(after.totals).toMatchObject({ paid: 1000, balance: 1500 });
    expect(after.status.payment).toBe('partially_paid');
    expect(await inventory(t, sku)).toEqual({ onHand: 10, reserved: 2, available: 8 });
    const rest = await t.call('POST', `/v1/orders/${order.id}/payments`, { method: 'card' });
    expect(rest.body.payments[1]).toMatchObject({ amount: 1500, state: 'settled' });
    expect(rest.body.status.payment).toBe('paid');
  });

  it('authorized, then settled: a hold, then the money', async () => {
    const { order, paymentId } = await pendingCard('CB-AUTH');
    expect((await callback(t, { type: 'payment.authorized', paymentId })).body).toEqual({ status: 'applied' });
    const held = await getOrder(t, order.id);
    expect(held.status.payment).toBe('authorized');
    expect(held.payments[0]).toMatchObject({ state: 'authorized', authorized: TOTAL, captured: 0 });
    expect((await callback(t, { type: 'payment.settled', paymentId })).body).toEqual({ status: 'applied' });
    const paid = await getOrder(t, order.id);
    expect(paid.status.payment).toBe('paid');
    expect(paid.payments[0]).toMatchObject({ state: 'settled', authorized: TOTAL, captured: TOTAL });
    expect(steps(await historyOf(t, order.id))).toEqual(['order:draft->placed', 'payment:unpaid->authorized', 'payment:authorized->paid']);
  });

  it('declined: the payment track fails and the stock goes back', async () => {
    const { order, paymentId, sku } = await pendingCard('CB-DECLINED');
    expect((await callback(t, { type: 'payment.declined', paymentId })).body).toEqual({ status: 'applied' });
    const after = await getOrder(t, order.id);
    expect(after.status.payment).toBe('failed');
    expect(after.payments[0].state).toBe('declined');
    expect(await inventory(t, sku)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('unknown, then settled once the gateway knows', async () => {
    const { order, paymentId, sku } = await pendingCard('CB-UNKNOWN');
    expect((await callback(t, { type: 'payment.unknown', paymentId })).body).toEqual({ status: 'applied' });
    expect((await getOrder(t, order.id)).status.payment).toBe('unknown');
    expect(await inventory(t, sku)).toEqual({ onHand: 10, reserved: 2, available: 8 });
    expect((await callback(t, { type: 'payment.settled', paymentId })).body).toEqual({ status: 'applied' });
    expect((await getOrder(t, order.id)).status.payment).toBe('paid');
    expect(await inventory(t, sku)).toEqual({ onHand: 8, reserved: 0, available: 8 });
  });
});
