/**
 * Issue 10, late money: a settle callback for a payment of an order already cancelled (with
 * its money given back) must be given back too, by a refund or void recorded on the order,
 * or kept with a staff alert. Never kept silently.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { toOrder, type OrderRow } from '../../src/store/order-rows.js';
import { hasAlert, keptMoney, REFUND_ON_CANCEL_REASON } from './support/invariants.js';
import type { OrdoClient} from './support/client.js';
import { is2xx, sendCallback, signCallback, type Json } from './support/client.js';
import { useOrdoProcess, sleep, type OrdoProcess } from './support/server.js';

let ordo: OrdoProcess;
let http: OrdoClient;
useOrdoProcess((o, h) => {
  ordo = o;
  http = h;
});
beforeAll(async () => {
  expect(is2xx(await http.send('PUT', '/v1/inventory/LATE-A', { onHand: 100 }))).toBe(true);
});

async function cancelledOrder(payment: Record<string, unknown>): Promise<{ id: string; paymentId: string }> {
  const created = await http.send('POST', '/v1/orders', {
    currency: 'EUR', customer: { email: `late-${randomUUID().slice(0, 8)}@faults.example` },
    lines: [{ sku: 'LATE-A', quantity: 1, unitPrice: 3000 }], shipping: { amount: 500 }, payment,
  });
  if (!is2xx(created)) throw new Error(`could not create the order: ${JSON.stringify(created)}`);
  const cancelled = await http.send('POST', `/v1/orders/${created.body.id}/cancellations`, { reason: REFUND_ON_CANCEL_REASON, refund: true });
  expect(cancelled.kind === 'answer' && `${cancelled.status} ${cancelled.body?.status?.order}`, JSON.stringify(cancelled)).toBe('200 cancelled');
  return { id: created.body.id, paymentId: created.body.payments[0].id };
}

/** The order's books after the late callback: what it keeps beyond its total, and whether anyone was told. */
async function afterLateSettle(orderId: string, paymentId: string): Promise<{ answer: string; kept: number; alerted: boolean; payment: Json; refunds: string }> {
  const out = await sendCallback(http, signCallback({ type: 'payment.settled', paymentId }));
  const answer = out.kind === 'answer' ? `${out.status} ${out.body?.status ?? out.body?.code}` : `no answer: ${out.why}`;
  // Giving money back goes through the gateway after the callback's own commit: give it a moment.
  let state = await books(orderId);
  for (let i = 0; i < 40 && state.kept > 0 && !state.alerted; i++) {
    await sleep(250);
    state = await books(orderId);
  }
  return { answer, ...state };
}

async function books(orderId: string): Promise<{ kept: number; alerted: boolean; payment: Json; refunds: string }> {
  const row = (await ordo.db.query<OrderRow>('SELECT id, code, workflow, workflow_version, status, currency, body, version, created_at, updated_at, placed_at FROM orders WHERE id = $1', [orderId])).rows[0]!;
  const order = toOrder(row);
  const h = (await ordo.db.query<{ type: string; data: Record<string, unknown> | null }>('SELECT type, data FROM order_history WHERE order_id = $1', [orderId])).rows;
  const o = (await ordo.db.query<{ type: string }>('SELECT type FROM outbox WHERE order_id = $1', [orderId])).rows;
  return { kept: keptMoney(order), alerted: hasAlert(h, o), payment: order.payments[0], refunds: order.refunds.map((r) => `${r.amount} ${r.state}`).join(', ') || 'none' };
}

describe('money that arrives after the order ended', () => {
  for (const [label, payment] of [
    ['a payment still pending at the gateway', { method: 'card', simulate: 'pending' }],
    ['a payment whose answer was unknown', { method: 'card', simulate: 'unknown' }],
    ['a card hold, released on cancellation', { method: 'card', capture: false }],
    ['a payment settled and refunded on cancellation', { method: 'card' }],
  ] as const) {
    it(`${label}: a late payment.settled is given back or alerted, never kept silently`, async () => {
      const { id, paymentId } = await cancelledOrder(payment);
      const before = await books(id);
      expect(before.kept, 'nothing kept after the cancellation with refund: true').toBe(0);
      const after = await afterLateSettle(id, paymentId);
      console.log(`late money, ${label}: callback ${after.answer}; kept ${after.kept}, alert ${after.alerted}; payment ${after.payment.state} captured ${after.payment.captured} refunded ${after.payment.refunded}; refunds: ${after.refunds}`);
      expect.soft(after.answer, 'the callback is answered, not refused').toMatch(/^200 /);
      // paid - refunded - pending refunds == 0, or a staff alert.
      expect(after.kept === 0 || after.alerted, `${after.kept} kept without an alert; payment: ${JSON.stringify(after.payment)}`).toBe(true);
    });
  }
});
