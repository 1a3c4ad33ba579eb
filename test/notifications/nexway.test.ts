/**
 * Nexway (seed 003): the confirmation e-mail is a completion step and the cancellation e-mail
 * follows a cancellation; both go through the notifier, so when it cannot send the order shows
 * it (PENDING_WITH_ERROR, CANCELED_WITH_ERROR) and the repair sends it. The relay never sends
 * them a second time. Refused and failed payments invite the shopper to try again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../../src/engine/notifications/notifier.js';
import type { TestApp } from '../support/app.js';
import { uniqueEmail } from '../http/helpers.js';
import { messagesOf, named, ok, STAFF, startNotifyingApp } from './support.js';

let t: TestApp;
let down = false;
const handed: OutgoingMessage[] = [];
beforeAll(async () => {
  t = await startNotifyingApp({
    fraud: { rules: { amountAbove: 50_000 } },
    // A mail server that can be switched off.
    notifier: { name: 'switchable', send: async (m) => {
      if (down) throw new Error('421 mail server unavailable');
      handed.push(m);
    } },
  });
});
afterAll(() => t.close());

async function checkout(over: Record<string, unknown> = {}) {
  const email = uniqueEmail('shopper');
  const o = ok(await t.call('POST', '/v1/orders', {
    workflow: 'nexway', currency: 'EUR', customer: { email, name: 'Linus' }, lines: [{ sku: 'EBOOK', name: 'E-book', quantity: 1, unitPrice: 1999 }],
    payment: { method: 'card' }, ...over,
  }));
  return { o, email };
}
const statusOf = async (id: string) => ok(await t.call('GET', `/v1/orders/${id}`)).status.order;
const handedFor = (id: string, message: string) => handed.filter((m) => m.orderId === id && m.message === message);

describe('003: the confirmation e-mail, a completion step', () => {
  it('a paid order is COMPLETED once its confirmation went out; the relay does not send it again', async () => {
    const { o, email } = await checkout();
    expect(o.status.order).toBe('COMPLETED');
    const items = await messagesOf(t, o.id);
    const [m, ...more] = named(items, 'order_confirmation');
    expect(more).toEqual([]);
    expect(m).toMatchObject({ recipient: email, status: 'sent', subject: `Your order ${o.code} is complete`, attempts: 1 });
    expect(m.text).toContain('1 x E-book: €19.99');
    expect(handedFor(o.id, 'order_confirmation')).toHaveLength(1);
    await t.ordo.relay.drain();
    expect(handedFor(o.id, 'order_confirmation')).toHaveLength(1);
  });

  it('a notifier that cannot send fails the step: PENDING_WITH_ERROR; the repair sends it and the order completes', async () => {
    down = true;
    const { o } = await checkout();
    down = false;
    expect(o.status.order).toBe('PENDING_WITH_ERROR');
    const [failed] = named(await messagesOf(t, o.id), 'order_confirmation');
    expect(failed).toMatchObject({ status: 'failed', lastError: '421 mail server unavailable', attempts: 1 });
    // Nexway repairs on its own: the retry timer runs the failed step again.
    t.clock.advance(6 * 60);
    await t.ordo.sweeper.sweep();
    expect(await statusOf(o.id)).toBe('COMPLETED');
    const [sent, ...more] = named(await messagesOf(t, o.id), 'order_confirmation');
    expect(more).toEqual([]);
    expect(sent).toMatchObject({ id: failed.id, status: 'sent', attempts: 2, lastError: null });
    expect(handedFor(o.id, 'order_confirmation')).toHaveLength(1);
  });

  it('a rehearsal that asks the step to fail still fails it, and sends nothing', async () => {
    const { o } = await checkout({ metadata: { simulateFailure: 'confirmation' } });
    expect(o.status.order).toBe('PENDING_WITH_ERROR');
    expect(handedFor(o.id, 'order_confirmation')).toEqual([]);
  });
});

describe('003: the cancellation e-mail', () => {
  it('a cancelled order is CANCELED once the e-mail went out, saying it is refunded', async () => {
    const { o, email } = await checkout();
    ok(await t.call('POST', `/v1/orders/${o.id}/cancellations`, { reason: 'right of withdrawal' }));
    expect(await statusOf(o.id)).toBe('CANCELED');
    const [m, ...more] = named(await messagesOf(t, o.id), 'order_cancelled');
    expect(more).toEqual([]);
    expect(m).toMatchObject({ recipient: email, status: 'sent', eventId: 'step:cancellation_notice' });
    expect(m.text).toContain('Cancelled orders are refunded');
    expect(handedFor(o.id, 'order_cancelled')).toHaveLength(1);
  });

  it('a notifier that cannot send leaves the order CANCELED_WITH_ERROR; an admin repairs it and the e-mail goes out', async () => {
    const { o } = await checkout();
    down = true;
    const cancelled = ok(await t.call('POST', `/v1/orders/${o.id}/cancellations`, { reason: 'right of withdrawal' }));
    down = false;
    expect(cancelled.status.order).toBe('CANCELED_WITH_ERROR');
    expect(named(await messagesOf(t, o.id), 'order_cancelled')[0]).toMatchObject({ status: 'failed', lastError: '421 mail server unavailable' });
    ok(await t.call('POST', `/v1/orders/${o.id}/transitions`, { to: 'CANCELED', reason: 'send the e-mail again' }));
    expect(await statusOf(o.id)).toBe('CANCELED');
    expect(named(await messagesOf(t, o.id), 'order_cancelled')[0]).toMatchObject({ status: 'sent', attempts: 2 });
    expect(handedFor(o.id, 'order_cancelled')).toHaveLength(1);
  });
});

describe('003: payments and reviews', () => {
  it('a refused payment invites the shopper to try again; the order waits in PAYMENT_REFUSED', async () => {
    const { o, email } = await checkout({ payment: { method: 'card', simulate: 'decline' } });
    expect(o.status.order).toBe('PAYMENT_REFUSED');
    const [m] = named(await messagesOf(t, o.id), 'payment_refused');
    expect(m.recipient).toBe(email);
    expect(m.text).toContain('was refused');
    expect(m.text).toContain('try again with another card or payment method');
  });

  it('a failed payment invites a retry too', async () => {
    const { o } = await checkout({ payment: { method: 'card', simulate: 'pending' } });
    ok(await t.call('POST', `/v1/payments/${o.payments[0].id}/resolve`, { outcome: 'failed' }));
    const [m] = named(await messagesOf(t, o.id), 'payment_failed');
    expect(m.text).toContain('try again with the same or another payment method');
  });

  it('an asynchronous payment that never arrives: the order is ABORTED and the shopper told', async () => {
    const { o } = await checkout({ payment: { method: 'payment_link' } });
    expect(o.status.order).toBe('PAYMENT_PENDING');
    t.clock.advance(8 * 86_400);
    await t.ordo.sweeper.sweep();
    expect(await statusOf(o.id)).toBe('ABORTED');
    const [m] = named(await messagesOf(t, o.id), 'order_aborted');
    expect(m.text).toContain('its payment did not arrive in time');
  });

  it('fraud review: staff are asked to review; accepted, the shopper hears the outcome and gets the confirmation', async () => {
    const { o, email } = await checkout({ lines: [{ sku: 'SUITE', name: 'Studio suite', quantity: 1, unitPrice: 80_000 }] });
    expect(o.status.order).toBe('FRAUD_PENDING');
    const [review] = named(await messagesOf(t, o.id), 'review_needed');
    expect(review).toMatchObject({ audience: 'staff', recipient: STAFF });
    expect(review.text).toContain('It is now: Fraud pending.');
    ok(await t.call('POST', `/v1/orders/${o.id}/transitions`, { to: 'PENDING', reason: 'identity checked' }));
    const items = await messagesOf(t, o.id);
    expect(named(items, 'fraud_review_outcome')[0]).toMatchObject({ recipient: email });
    expect(named(items, 'fraud_review_outcome')[0].text).toContain('Outcome: Pending (identity checked).');
    expect(named(items, 'order_confirmation')).toHaveLength(1);
  });
});
