/**
 * X-Cart (seed 001): when two customers buy the last unit, the second order is placed on
 * backorder (NB) and the store admin gets the backorder notice; the customer's own messages
 * show NB as New. Calling an order off (C) is told to the customer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.js';
import { uniqueEmail } from '../http/helpers.js';
import { messagesOf, named, ok, STAFF, startNotifyingApp } from './support.js';

let t: TestApp;
beforeAll(async () => {
  t = await startNotifyingApp();
});
afterAll(() => t.close());

const buy = async (sku: string) => {
  const email = uniqueEmail('xcart');
  const o = ok(await t.call('POST', '/v1/orders', {
    workflow: 'xcart', currency: 'USD', customer: { email, name: 'Ken' }, lines: [{ sku, name: 'Vinyl record', quantity: 1, unitPrice: 2400 }], payment: { method: 'card' },
  }));
  return { o, email };
};

describe('001: the last unit, bought twice', () => {
  it('the second order is on backorder and the store admin is told which items; the customer still reads New', async () => {
    ok(await t.call('PUT', '/v1/inventory/LAST-LP', { onHand: 1, backorders: true, reason: 'one left' }));
    const first = await buy('LAST-LP');
    const second = await buy('LAST-LP');
    expect(first.o.status.fulfilment).toBe('N');
    expect(second.o.status.fulfilment).toBe('NB');
    expect(named(await messagesOf(t, first.o.id), 'backorder_notice')).toEqual([]);
    const items = await messagesOf(t, second.o.id);
    const [notice, ...more] = named(items, 'backorder_notice');
    expect(more).toEqual([]);
    expect(notice).toMatchObject({ audience: 'staff', recipient: STAFF, subject: `Backorder: order ${second.o.code}` });
    expect(notice.text).toContain('- LAST-LP');
    expect(notice.text).toContain(`tell the customer (${second.email})`);
    const [confirmation] = named(items, 'order_confirmation');
    expect(confirmation.recipient).toBe(second.email);
    expect(confirmation.text).toContain('Status: Awaiting payment, New');
    expect(confirmation.text).not.toContain('Backorder');
  });

  it('without a staff address set, no staff message is made', async () => {
    const bare = await startNotifyingApp({ staffEmail: '' });
    try {
      ok(await bare.call('PUT', '/v1/inventory/GONE', { onHand: 0, backorders: true, reason: 'sold out' }));
      const o = ok(await bare.call('POST', '/v1/orders', { workflow: 'xcart', currency: 'USD', customer: { email: uniqueEmail() }, lines: [{ sku: 'GONE', quantity: 1, unitPrice: 100 }] }));
      expect(o.status.fulfilment).toBe('NB');
      await bare.ordo.relay.drain();
      const items = ok(await bare.call('GET', `/v1/orders/${o.id}/notifications`)).items;
      expect(items.filter((n: { audience: string }) => n.audience === 'staff')).toEqual([]);
    } finally {
      await bare.close();
    }
  });
});

describe('001: calling an order off', () => {
  it('the merchant cancels (C): the customer is told', async () => {
    const { o, email } = await buy('SLEEVE');
    ok(await t.call('POST', `/v1/orders/${o.id}/transitions`, { track: 'payment', to: 'C', reason: 'address not served' }));
    const [m] = named(await messagesOf(t, o.id), 'order_cancelled');
    expect(m.recipient).toBe(email);
    expect(m.text).toContain('was cancelled: address not served.');
  });
});
