/**
 * Ordo's own workflow: each customer message, and the staff's "needs review", produced by the
 * ordinary HTTP calls, then the relay run once; the stored message names the right recipient
 * and says what happened. Messages are stored (the default notifier), so nothing leaves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.js';
import { uniqueEmail } from '../http/helpers.js';
import { messagesOf, named, ok, STAFF, startNotifyingApp, type Json } from './support.js';

let t: TestApp;
beforeAll(async () => {
  t = await startNotifyingApp({ fraud: { rules: { amountAbove: 50_000 } } });
});
afterAll(() => t.close());

const order = async (over: Record<string, unknown> = {}) => {
  const email = uniqueEmail('std');
  const body = { currency: 'EUR', customer: { email, name: 'Ada' }, lines: [{ sku: 'MUG', name: 'Mug', quantity: 2, unitPrice: 1250 }], shipping: { amount: 495 }, ...over };
  return { o: ok(await t.call('POST', '/v1/orders', body)), email };
};

/** The one message of that name, which must exist. */
async function only(orderId: string, message: string): Promise<Json> {
  const found = named(await messagesOf(t, orderId), message);
  expect(found, message).toHaveLength(1);
  return found[0];
}

describe('customer messages of the standard workflow', () => {
  it('order confirmation: placing the order confirms it once, with its lines and total', async () => {
    const { o, email } = await order({ payment: { method: 'card' } });
    const m = await only(o.id, 'order_confirmation');
    expect(m).toMatchObject({ audience: 'customer', recipient: email, status: 'sent', subject: `Your order ${o.code} is confirmed` });
    expect(m.text).toContain('2 x Mug: €25.00');
    expect(m.text).toContain('Total: €29.95');
    expect(m.html).toContain('<td>2 x Mug</td>');
    // A card paid at checkout is told by the confirmation: no separate "payment received".
    expect(named(await messagesOf(t, o.id), 'payment_received')).toEqual([]);
  });

  it('invoice instructions, then payment received when the transfer is recorded', async () => {
    const { o, email } = await order({ payment: { method: 'invoice' } });
    const instructions = await only(o.id, 'invoice_instructions');
    expect(instructions.recipient).toBe(email);
    expect(instructions.text).toContain(`Please pay €29.95 by bank transfer, quoting ${o.code}`);
    ok(await t.call('POST', `/v1/payments/${o.payments[0].id}/settle`));
    const received = await only(o.id, 'payment_received');
    expect(received.text).toContain('We received your payment of €29.95');
    expect(received.text).toContain('Still to pay: €0.00');
  });

  it('payment refused: a declined card is told, with an invitation to pay again', async () => {
    const { o } = await order({ payment: { method: 'card', simulate: 'decline' } });
    const m = await only(o.id, 'payment_refused');
    expect(m.text).toContain('was declined');
    expect(m.text).toContain('You may pay again');
  });

  it('payment failed: a payment that failed at the gateway is told', async () => {
    const { o } = await order();
    ok(await t.call('POST', `/v1/orders/${o.id}/payments`, { method: 'card', simulate: 'pending' }));
    const paymentId = ok(await t.call('GET', `/v1/orders/${o.id}`)).payments[0].id;
    ok(await t.call('POST', `/v1/payments/${paymentId}/resolve`, { outcome: 'failed' }));
    expect((await only(o.id, 'payment_failed')).text).toContain('could not be processed');
  });

  it('refund issued: the amount and the reason', async () => {
    const { o } = await order({ payment: { method: 'card' } });
    ok(await t.call('POST', `/v1/orders/${o.id}/refunds`, { amount: 500, reason: 'a chipped handle' }));
    const m = await only(o.id, 'refund_issued');
    expect(m.subject).toBe(`Refund of €5.00 for ${o.code}`);
    expect(m.text).toContain('(a chipped handle)');
  });

  it('shipped, with carrier and tracking; then delivered', async () => {
    const { o } = await order({ payment: { method: 'card' } });
    const parcel = ok(await t.call('POST', `/v1/orders/${o.id}/fulfillments`, {
      lines: [{ lineId: o.lines[0].id, quantity: 2 }], carrier: 'DHL', trackingNumber: 'JD014600006281', trackingUrl: 'https://track.example/JD014600006281',
    })).fulfillments[0];
    ok(await t.call('POST', `/v1/fulfillments/${parcel.id}/transitions`, { to: 'shipped' }));
    const shipped = await only(o.id, 'order_shipped');
    expect(shipped.text).toContain('has shipped with DHL');
    expect(shipped.text).toContain('Tracking number: JD014600006281');
    expect(shipped.text).toContain('- 2 x Mug');
    expect(shipped.html).toContain('<a href="https://track.example/JD014600006281">JD014600006281</a>');
    ok(await t.call('POST', `/v1/fulfillments/${parcel.id}/transitions`, { to: 'delivered' }));
    expect((await only(o.id, 'order_delivered')).text).toContain('was delivered by DHL');
  });

  it('order cancelled, with the reason', async () => {
    const { o } = await order({ payment: { method: 'invoice' } });
    ok(await t.call('POST', `/v1/orders/${o.id}/cancellations`, { reason: 'ordered twice' }));
    const m = await only(o.id, 'order_cancelled');
    expect(m.text).toContain(`Your order ${o.code} was cancelled: ordered twice.`);
  });

  it('order expired: a placed order nobody pays is called off by its timer, and told as expired', async () => {
    const { o } = await order({ payment: { method: 'invoice' } });
    t.clock.advance(73 * 3600);
    await t.ordo.sweeper.sweep();
    expect(ok(await t.call('GET', `/v1/orders/${o.id}`)).status.order).toBe('cancelled');
    expect((await only(o.id, 'order_expired')).text).toContain('expired before it was paid');
    expect(named(await messagesOf(t, o.id), 'order_cancelled')).toEqual([]);
  });

  it('fraud review: staff are told the order needs review; the customer is told the outcome and confirmed only once accepted', async () => {
    const { o, email } = await order({ lines: [{ sku: 'TV', name: 'Television', quantity: 1, unitPrice: 90_000 }], payment: { method: 'card' } });
    expect(o.status.order).toBe('in_review');
    const review = await only(o.id, 'review_needed');
    expect(review).toMatchObject({ audience: 'staff', recipient: STAFF });
    expect(review.text).toContain('It is now: In review.');
    expect(named(await messagesOf(t, o.id), 'order_confirmation')).toEqual([]);
    ok(await t.call('POST', `/v1/orders/${o.id}/transitions`, { to: 'placed', reason: 'customer verified' }));
    const outcome = await only(o.id, 'fraud_review_outcome');
    expect(outcome.recipient).toBe(email);
    expect(outcome.text).toContain('Outcome: Placed (customer verified).');
    await only(o.id, 'order_confirmation');
  });
});

describe('Vendure (seed 004)', () => {
  it('confirms when the payment is arranged, not when the cart is made', async () => {
    const email = uniqueEmail('vendure');
    const o = ok(await t.call('POST', '/v1/orders', {
      workflow: 'vendure', currency: 'EUR', customer: { email, name: 'Ada' }, lines: [{ sku: 'BOOK', name: 'Book', quantity: 1, unitPrice: 1500 }],
      shipping: { amount: 300, address: { line1: '1 Main St', city: 'Paris', country: 'FR' } },
    }));
    expect(named(await messagesOf(t, o.id), 'order_confirmation')).toEqual([]);
    ok(await t.call('POST', `/v1/orders/${o.id}/transitions`, { to: 'ArrangingPayment' }));
    ok(await t.call('POST', `/v1/orders/${o.id}/payments`, { method: 'card' }));
    const m = await only(o.id, 'order_confirmation');
    expect(m.recipient).toBe(email);
    expect(m.text).toContain('Payment settled');
  });
});
