/**
 * Issue 10: every answer is exactly what committed. Each test names the defect it guards
 * against; each fails on the code before the fix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.js';
import { callback, expectLedgerConsistent, startPaymentsApp, stocked } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await startPaymentsApp();
});
afterAll(async () => {
  await t.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are checked field by field
type Json = any;
let n = 0;
async function order(payment: Record<string, unknown> | null = { method: 'card' }, over: Record<string, unknown> = {}): Promise<Json> {
  const sku = await stocked(t, `ANS-${++n}`, 50);
  const r = await t.call('POST', '/v1/orders', {
    currency: 'EUR', customer: { email: `answers-${n}@example.com` },
    lines: [{ sku, quantity: 2, unitPrice: 1000 }], shipping: { amount: 500 }, ...(payment ? { payment } : {}), ...over,
  });
  expect(r.status, r.text).toBe(201);
  return r.body;
}
const history = async (id: string): Promise<Json[]> => (await t.call('GET', `/v1/orders/${id}/history`)).body.items;

describe('an Idempotency-Key commits with its command', () => {
  it('a request that died after its commit is answered with what committed, never run again, even after the takeover window', async () => {
    const sku = await stocked(t, 'ANS-IDEM', 10);
    const body = { currency: 'EUR', customer: { email: 'idem@example.com' }, lines: [{ sku, quantity: 1, unitPrice: 2500 }], payment: { method: 'card' } };
    const headers = { 'idempotency-key': 'died-after-commit' };
    const first = await t.call('POST', '/v1/orders', body, { headers });
    expect(first.status).toBe(201);
    // The process dies after the commit and before the answer is stored: the key is left as the commit wrote it.
    await t.ordo.pool.query(`UPDATE idempotency_keys SET state = 'committed', created_at = now() - interval '1 hour' WHERE key = 'died-after-commit'`);
    const keyRow = (await t.ordo.pool.query(`SELECT order_id, status_code FROM idempotency_keys WHERE key = 'died-after-commit'`)).rows[0];
    expect(keyRow).toEqual({ order_id: first.body.id, status_code: 201 });
    const retry = await t.call('POST', '/v1/orders', body, { headers });
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.id).toBe(first.body.id);
    const orders = (await t.ordo.pool.query(`SELECT count(*)::int AS n FROM orders WHERE body->'customer'->>'email' = 'idem@example.com'`)).rows[0].n;
    expect(orders).toBe(1);
  });

  it('a claim taken over from a request presumed dead cannot commit that request too: its command is refused and changes nothing', async () => {
    const o = await order();
    const first = await t.ordo.idempotency.claim('test-principal', 'taken-over', 'same-request');
    expect(first.kind).toBe('claimed');
    // Five minutes pass with no commit: a retry takes the key over, under a token of its own.
    await t.ordo.pool.query(`UPDATE idempotency_keys SET created_at = created_at - interval '10 minutes' WHERE key = 'taken-over'`);
    const second = await t.ordo.idempotency.claim('test-principal', 'taken-over', 'same-request');
    expect(second.kind).toBe('claimed');
    // The first request was only slow: its command now runs under its old token, and must not commit.
    const token = first.kind === 'claimed' ? first.token : '';
    const answer = (view: { version: number }) => ({ statusCode: 200, response: JSON.stringify(view), headers: {} });
    const late = await t.ordo.idempotency.run({ principal: 'test-principal', key: 'taken-over', token, answer }, () =>
      t.ordo.orders.execute(o.id, { type: 'transition', to: 'cancelled', reason: 'slow request' }, { kind: 'admin', id: 'test' }));
    expect(late.ok ? 'committed' : late.code).toBe('idempotency_key_in_progress');
    expect((await t.call('GET', `/v1/orders/${o.id}`)).body.version).toBe(o.version);
  });
});

describe('a committed command is never answered as a refusal', () => {
  it('thirty concurrent card payments on one order: every answer is a success or a refusal that changed nothing, and what was charged is what the answers say', async () => {
    const o = await order(null);
    const replies = await Promise.all(Array.from({ length: 30 }, () => t.call('POST', `/v1/orders/${o.id}/payments`, { method: 'card' })));
    expect(replies.filter((r) => r.status === 409 && r.body.code === 'concurrent_update')).toHaveLength(0);
    const accepted = replies.filter((r) => r.status === 201);
    const after = (await t.call('GET', `/v1/orders/${o.id}`)).body;
    // Each accepted answer names a payment that exists; refused ones left none behind.
    expect(after.payments).toHaveLength(accepted.length);
    expect(after.totals).toMatchObject({ paid: 2500, balance: 0 });
    await expectLedgerConsistent(t);
  });

  it('fifty clients on one hot order without If-Match: no concurrent_update, every accepted refund recorded once', async () => {
    const o = await order();
    const replies = await Promise.all(Array.from({ length: 50 }, () => t.call('POST', `/v1/orders/${o.id}/refunds`, { amount: 10, reason: 'hot', simulate: 'pending' })));
    expect(replies.filter((r) => r.body?.code === 'concurrent_update')).toHaveLength(0);
    const accepted = replies.filter((r) => r.status === 201).length;
    const after = (await t.call('GET', `/v1/orders/${o.id}`)).body;
    expect(after.refunds).toHaveLength(accepted);
    expect(after.totals.refundsPending).toBe(10 * accepted);
  });
});

describe('a key committed under the order\'s row lock', () => {
  it('forty keyed refunds racing on one order: every accepted one has its gateway answer recorded by its own request, none is left in flight', async () => {
    const o = await order();
    const replies = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      t.call('POST', `/v1/orders/${o.id}/refunds`, { amount: 10, reason: 'hot', simulate: 'pending' }, { headers: { 'idempotency-key': `hot-${o.id}-${i}` } })));
    const accepted = replies.filter((r) => r.status === 201);
    // A refused one changed nothing: the only payment was busy at the gateway with another refund.
    expect(replies.filter((r) => r.status !== 201).map((r) => r.body.code).filter((c) => c !== 'payment_busy')).toEqual([]);
    // Had a request that committed its key under the row lock been unable to record the gateway's answer, its refund would still be in flight.
    for (const r of accepted) expect(r.body.payments[0].pendingOperation).toBeNull();
    const after = (await t.call('GET', `/v1/orders/${o.id}`)).body;
    expect(after.payments[0].pendingOperation).toBeNull();
    expect(after.refunds).toHaveLength(accepted.length);
  });
});

describe('the locked path', () => {
  it('a keyed card payment decided under the order\'s row lock still has its charge recorded by the same request, and its key replays it', async () => {
    const locked = await startPaymentsApp({ optimisticAttempts: 0 });
    try {
      const sku = await stocked(locked, 'ANS-LOCKED', 5);
      const created = await locked.call('POST', '/v1/orders', { currency: 'EUR', customer: { email: 'locked@example.com' }, lines: [{ sku, quantity: 1, unitPrice: 1500 }] });
      const headers = { 'idempotency-key': 'locked-payment' };
      const paid = await locked.call('POST', `/v1/orders/${created.body.id}/payments`, { method: 'card' }, { headers });
      expect(paid.status, paid.text).toBe(201);
      expect(paid.body.payments[0]).toMatchObject({ state: 'settled', pendingOperation: null });
      const again = await locked.call('POST', `/v1/orders/${created.body.id}/payments`, { method: 'card' }, { headers });
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body.payments).toHaveLength(1);
    } finally {
      await locked.close();
    }
  });
});

describe('refunds count money already on its way back', () => {
  it('a cancellation with refund: true while a refund is pending at the gateway refunds only the rest, and is not refused', async () => {
    const o = await order();
    const pending = await t.call('POST', `/v1/orders/${o.id}/refunds`, { amount: 1000, reason: 'first', simulate: 'pending' });
    expect(pending.status, pending.text).toBe(201);
    expect(pending.body.totals).toMatchObject({ refundsPending: 1000 });
    const cancelled = await t.call('POST', `/v1/orders/${o.id}/cancellations`, { reason: 'changed mind', refund: true });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body.status.order).toBe('cancelled');
    const refunds = cancelled.body.refunds as Json[];
    expect(refunds.map((r) => r.amount).sort()).toEqual([1000, 1500]);
    expect(cancelled.body.totals).toMatchObject({ paid: 2500, overpaid: 0 });
  });

  it('a cancellation with refund: true whose refund cannot be made now is refused whole: nothing changed', async () => {
    const o = await order();
    // A refund recorded by a process that died before its gateway call: the only payment is busy at the gateway.
    await t.ordo.orders.execute(o.id, { type: 'request_refund', refundId: crypto.randomUUID(), intentKey: crypto.randomUUID(), amount: 100, reason: 'in flight' }, { kind: 'admin', id: 'test' });
    const before = (await t.call('GET', `/v1/orders/${o.id}`)).body;
    const refused = await t.call('POST', `/v1/orders/${o.id}/cancellations`, { reason: 'too late', refund: true });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('payment_busy');
    expect((await t.call('GET', `/v1/orders/${o.id}`)).body.version).toBe(before.version);
  });
});

describe('money that arrives for an ended order', () => {
  it('a settlement recorded on a cancelled standard order is given back by a refund, and the history says why', async () => {
    const o = await order({ method: 'card', simulate: 'pending' });
    const cancelled = await t.call('POST', `/v1/orders/${o.id}/cancellations`, { reason: 'gone' });
    expect(cancelled.body.status.order).toBe('cancelled');
    const late = await callback(t, { type: 'payment.settled', paymentId: o.payments[0].id, reference: 'late' }, { id: `late-${o.id}` });
    expect(late.status).toBe(200);
    const after = (await t.call('GET', `/v1/orders/${o.id}`)).body;
    expect(after.totals.paid).toBe(2500);
    expect(after.refunds).toHaveLength(1);
    expect(after.refunds[0]).toMatchObject({ amount: 2500, overpayment: 2500 });
    expect(after.totals.net - after.totals.refundsPending).toBe(0);
  });

  it('on X-Cart\'s Cancelled (a status an admin may leave) it is kept, with an alert for staff', async () => {
    const o = await order({ method: 'card', simulate: 'pending' }, { workflow: 'xcart' });
    const moved = await t.call('POST', `/v1/orders/${o.id}/transitions`, { track: 'payment', to: 'C', reason: 'called off' });
    expect(moved.status, moved.text).toBe(200);
    await callback(t, { type: 'payment.settled', paymentId: o.payments[0].id }, { id: `late-x-${o.id}` });
    const after = (await t.call('GET', `/v1/orders/${o.id}`)).body;
    expect(after.refunds).toHaveLength(0);
    const kept = (await history(o.id)).filter((h) => h.type === 'order.money_kept');
    expect(kept).toHaveLength(1);
    expect(kept[0].data).toMatchObject({ amount: 2500, alert: true });
  });
});

describe('gateways that claim too much', () => {
  it('a signed payment.authorized for 100x the payment is refused, flagged, and a capture then takes no more than the order needs', async () => {
    const o = await order({ method: 'card', simulate: 'pending', capture: false });
    const p = o.payments[0];
    const cb = await callback(t, { type: 'payment.authorized', paymentId: p.id, amount: 250_000 }, { id: `huge-${o.id}` });
    expect(cb.status).toBe(200);
    expect(cb.body.status).toBe('refused');
    const after = (await t.call('GET', `/v1/orders/${o.id}`)).body;
    expect(after.payments[0]).toMatchObject({ state: 'pending', authorized: 0 });
    const flagged = (await history(o.id)).filter((h) => h.type === 'payment.event_refused');
    expect(flagged[0].data).toMatchObject({ alert: true, amount: 250_000, expected: 2500 });
  });

  it('refund.settled with another amount than the refund records the mismatch for staff', async () => {
    const o = await order();
    const asked = await t.call('POST', `/v1/orders/${o.id}/refunds`, { amount: 700, reason: 'x', simulate: 'pending' });
    const refund = asked.body.refunds[0];
    await callback(t, { type: 'refund.settled', paymentId: o.payments[0].id, refundId: refund.id, amount: 900 }, { id: `mismatch-${o.id}` });
    const h = (await history(o.id)).filter((e) => e.type === 'refund.amount_mismatch');
    expect(h).toHaveLength(1);
    expect(h[0].data).toMatchObject({ asked: 700, reported: 900, alert: true });
    expect((await t.call('GET', `/v1/orders/${o.id}`)).body.totals.refunded).toBe(700);
  });
});

describe('every version has its records', () => {
  it('a gateway that answers pending to a charge and to a refund leaves a history row for each new version', async () => {
    const o = await order({ method: 'card', simulate: 'pending' });
    const settled = await callback(t, { type: 'payment.settled', paymentId: o.payments[0].id }, { id: `s-${o.id}` });
    expect(settled.status).toBe(200);
    await t.call('POST', `/v1/orders/${o.id}/refunds`, { amount: 100, reason: 'x', simulate: 'pending' });
    const versions = (await t.ordo.pool.query(`SELECT DISTINCT (payload->'data'->'order'->>'version')::int AS v FROM outbox WHERE order_id = $1 ORDER BY 1`, [o.id])).rows.map((r) => r.v);
    const now = (await t.call('GET', `/v1/orders/${o.id}`)).body.version;
    expect(versions).toEqual(Array.from({ length: now }, (_, i) => i + 1));
  });
});

describe('If-Match on every order write', () => {
  it('cancellations, payments, refunds, fulfillments and modifications refuse a stale version with 412 and change nothing', async () => {
    const o = await order();
    const stale = { 'if-match': `"${o.version - 1}"` };
    const writes: [string, string, Record<string, unknown>][] = [
      ['POST', `/v1/orders/${o.id}/cancellations`, { reason: 'x' }],
      ['POST', `/v1/orders/${o.id}/refunds`, { amount: 100, reason: 'x' }],
      ['POST', `/v1/orders/${o.id}/fulfillments`, { lines: [{ lineId: o.lines[0].id, quantity: 1 }] }],
      ['POST', `/v1/orders/${o.id}/modifications`, { note: 'x', surcharges: [{ description: 'wrap', amount: 100 }] }],
      ['POST', `/v1/payments/${o.payments[0].id}/void`, {}],
    ];
    for (const [method, url, body] of writes) {
      const r = await t.call(method as 'POST', url, body, { headers: stale });
      expect(r.status, `${url}: ${r.text}`).toBe(412);
    }
    expect((await t.call('GET', `/v1/orders/${o.id}`)).body.version).toBe(o.version);
    const fresh = await t.call('POST', `/v1/orders/${o.id}/refunds`, { amount: 100, reason: 'x' }, { headers: { 'if-match': `"${o.version}"` } });
    expect(fresh.status).toBe(201);
  });
});

describe('totals as a merchant reads them', () => {
  it('a fully refunded order owes nothing: balance 0, net 0; a goodwill refund never raises the balance', async () => {
    const o = await order();
    const back = await t.call('POST', `/v1/orders/${o.id}/refunds`, { amount: 2500, reason: 'goodwill' });
    expect(back.body.totals).toMatchObject({ total: 2500, paid: 2500, refunded: 2500, net: 0, balance: 0, overpaid: 0 });
  });

  it('cancelling a paid order by transition says what becomes of the money, and a refund stays possible afterwards', async () => {
    const o = await order();
    const moved = await t.call('POST', `/v1/orders/${o.id}/transitions`, { to: 'cancelled', reason: 'by hand' });
    expect(moved.status, moved.text).toBe(200);
    const kept = (await history(o.id)).filter((h) => h.type === 'order.money_kept');
    expect(kept[0]?.data).toMatchObject({ amount: 2500 });
    const refund = await t.call('POST', `/v1/orders/${o.id}/cancellations`, { reason: 'give it back', refund: true });
    expect(refund.status, refund.text).toBe(200);
    expect(refund.body.totals).toMatchObject({ refunded: 2500, net: 0 });
  });
});
