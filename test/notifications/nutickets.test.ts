/**
 * nuTickets (seed 002): the payment link e-mail, its reminders (resent by an admin, and the
 * "about to expire" one a day before the link lapses), the payment instructions of the deferred
 * routes, approval decisions, and the tickets once the order is complete.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.js';
import { uniqueEmail } from '../http/helpers.js';
import { messagesOf, named, ok, startNotifyingApp } from './support.js';

let t: TestApp;
beforeAll(async () => {
  t = await startNotifyingApp();
});
afterAll(() => t.close());

const HOUR = 3600;

async function basket(payment?: Record<string, unknown>, lines?: unknown[]) {
  const email = uniqueEmail('tickets');
  const o = ok(await t.call('POST', '/v1/orders', {
    workflow: 'nutickets', currency: 'EUR', customer: { email, name: 'Grace' },
    lines: lines ?? [{ sku: 'GIG-STANDING', name: 'Standing ticket', quantity: 2, unitPrice: 3500 }],
    ...(payment ? { payment } : {}),
  }));
  return { o, email };
}

describe('002: payment links', () => {
  it('a payment link e-mail is sent to the customer with the amount and the expiry', async () => {
    const { o, email } = await basket({ method: 'payment_link', expiresAt: '2026-03-01T18:00:00Z' });
    expect(o.status.order).toBe('awaiting_payment_link');
    const [m, ...more] = named(await messagesOf(t, o.id), 'payment_link_sent');
    expect(more).toEqual([]);
    expect(m).toMatchObject({ recipient: email, subject: `Pay for your order ${o.code}` });
    expect(m.text).toContain('waiting for your payment of €70.00');
    expect(m.text).toContain('before 2026-03-01 18:00 UTC');
  });

  it('an admin resends the link: a reminder each time, one message per resend', async () => {
    const { o } = await basket({ method: 'payment_link' });
    ok(await t.call('POST', `/v1/orders/${o.id}/payment-links/resend`));
    ok(await t.call('POST', '/v1/payment-links/resend'));
    const reminders = named(await messagesOf(t, o.id), 'payment_link_resent');
    expect(reminders).toHaveLength(2);
    expect(reminders[0].subject).toBe(`Reminder: pay for your order ${o.code}`);
    expect(reminders[0].text).toContain('still waits for your payment of €70.00');
  });

  it('about to expire: a day before the link lapses the customer is reminded, once per expiry date', async () => {
    const { o, email } = await basket({ method: 'payment_link' });
    // The default link lasts 72 h: nothing is due two hours in.
    t.clock.advance(2 * HOUR);
    expect(named(await messagesOf(t, o.id), 'payment_link_expiring')).toEqual([]);
    t.clock.advance(47 * HOUR + 60);
    const [m, ...more] = named(await messagesOf(t, o.id), 'payment_link_expiring');
    expect(more).toEqual([]);
    expect(m.recipient).toBe(email);
    expect(m.text).toContain(`expires on ${o.payments[0].link.expiresAt.slice(0, 10)}`);
    // Looking again later finds the reminder made: no second one.
    t.clock.advance(2 * HOUR);
    expect(named(await messagesOf(t, o.id), 'payment_link_expiring')).toHaveLength(1);
    // The link lapses: the order expired is told too.
    t.clock.advance(24 * HOUR);
    await t.ordo.sweeper.sweep();
    expect(named(await messagesOf(t, o.id), 'order_expired')).toHaveLength(1);
  });

  it('a paid link completes the order: the tickets are confirmed, and no separate payment e-mail', async () => {
    const { o, email } = await basket({ method: 'payment_link' });
    ok(await t.call('POST', `/v1/payments/${o.payments[0].id}/settle`));
    const items = await messagesOf(t, o.id);
    const [m] = named(items, 'order_confirmation');
    expect(m).toMatchObject({ recipient: email, subject: `Your tickets for order ${o.code}` });
    expect(m.text).toContain('2 x Standing ticket: €70.00');
    expect(named(items, 'payment_received')).toEqual([]);
  });
});

describe('002: deferred payment instructions', () => {
  it.each([
    ['invoice', 'invoice_instructions', 'by bank transfer'],
    ['onsite', 'onsite_instructions', 'Pay €70.00 on site'],
    ['local', 'local_payment_instructions', 'through the local payment method you chose'],
  ])('%s: the customer gets the instructions', async (method, message, says) => {
    const { o, email } = await basket({ method });
    const [m, ...more] = named(await messagesOf(t, o.id), message);
    expect(more).toEqual([]);
    expect(m.recipient).toBe(email);
    expect(m.text).toContain(says);
  });
});

describe('002: approvals', () => {
  it('the decisions, item by item with their reasons; the approved items then get a payment link', async () => {
    const { o, email } = await basket(undefined, [
      { sku: 'VIP', name: 'VIP pass', quantity: 1, unitPrice: 9000, requiresApproval: true },
      { sku: 'PRESS', name: 'Press pass', quantity: 1, unitPrice: 0, requiresApproval: true },
    ]);
    expect(o.status.order).toBe('awaiting_approval');
    ok(await t.call('POST', `/v1/orders/${o.id}/approvals`, { decisions: [
      { lineId: o.lines[0].id, approved: true, reason: 'on the guest list' },
      { lineId: o.lines[1].id, approved: false, reason: 'press quota reached' },
    ] }));
    const items = await messagesOf(t, o.id);
    const [decision] = named(items, 'approval_decision');
    expect(decision.recipient).toBe(email);
    expect(decision.text).toContain('- VIP pass: approved (on the guest list)');
    expect(decision.text).toContain('- Press pass: not approved (press quota reached)');
    expect(decision.text).toContain('Your order is now: Awaiting payment link.');
    expect(named(items, 'payment_link_sent')).toHaveLength(1);
    // Staff were asked to look at it when it came in.
    expect(named(items, 'review_needed')).toHaveLength(1);
  });
});
