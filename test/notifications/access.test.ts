/**
 * Who reads an order's messages: admin keys read any order's, staff messages included; a
 * customer reads its own order's messages to the customer, never the staff's, and nobody
 * else's. The messages also show in the order's history, marked as notifications.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.js';
import { expectProblem, uniqueEmail } from '../http/helpers.js';
import { ok, startNotifyingApp, type Json } from './support.js';

let t: TestApp;
let orderId: string;
let token: string;
beforeAll(async () => {
  t = await startNotifyingApp();
  const shop = await t.storefrontKey('cus_ada');
  token = ok(await t.call('POST', '/v1/customer-tokens', { customerId: 'cus_ada' }, { key: shop })).token;
  ok(await t.call('PUT', '/v1/inventory/OUT', { onHand: 0, backorders: true, reason: 'sold out' }));
  // A backordered X-Cart order: a message to the customer and one to staff.
  orderId = ok(await t.call('POST', '/v1/orders', {
    workflow: 'xcart', currency: 'EUR', customer: { id: 'cus_ada', email: uniqueEmail('ada') }, lines: [{ sku: 'OUT', quantity: 1, unitPrice: 900 }],
  }, { key: shop })).id;
  await t.ordo.relay.drain();
});
afterAll(() => t.close());

const audiences = (items: Json[]) => items.map((n) => `${n.audience}:${n.message}`).sort();

describe('GET /v1/orders/{id}/notifications', () => {
  it('an admin key reads every message of the order', async () => {
    const items = ok(await t.call('GET', `/v1/orders/${orderId}/notifications`)).items;
    expect(audiences(items)).toEqual(['customer:order_confirmation', 'staff:backorder_notice']);
  });

  it("the order's customer reads the messages to the customer only", async () => {
    const items = ok(await t.call('GET', `/v1/orders/${orderId}/notifications`, undefined, { key: token })).items;
    expect(audiences(items)).toEqual(['customer:order_confirmation']);
  });

  it("another customer's token gets 404; no key 401; an unknown order 404", async () => {
    const other = await t.storefrontKey('cus_bob');
    const bob = ok(await t.call('POST', '/v1/customer-tokens', { customerId: 'cus_bob' }, { key: other })).token;
    expectProblem(await t.call('GET', `/v1/orders/${orderId}/notifications`, undefined, { key: bob }), 404, 'order_not_found');
    expectProblem(await t.call('GET', `/v1/orders/${orderId}/notifications`, undefined, { key: null }), 401, 'unauthorized');
    expectProblem(await t.call('GET', '/v1/orders/01a22ccf-fe7d-701c-b0df-40ab3687f7a9/notifications'), 404, 'order_not_found');
  });
});

describe("the order's history", () => {
  it('shows each message sent as a notification.sent entry after the change that called for it', async () => {
    const entries = ok(await t.call('GET', `/v1/orders/${orderId}/history`)).items;
    const sent = entries.filter((e: Json) => e.type === 'notification.sent');
    expect(sent.map((e: Json) => e.data.message).sort()).toEqual(['backorder_notice', 'order_confirmation']);
    expect(sent[0]).toMatchObject({ actor: { kind: 'system', id: 'notifier' }, track: null });
    expect(entries.findIndex((e: Json) => e.type === 'notification.sent')).toBeGreaterThan(entries.findIndex((e: Json) => e.type === 'order.created'));
  });

  it("a customer's history shows its own messages, not the staff's", async () => {
    const entries = ok(await t.call('GET', `/v1/orders/${orderId}/history`, undefined, { key: token })).items;
    expect(entries.filter((e: Json) => e.type === 'notification.sent').map((e: Json) => e.data.message)).toEqual(['order_confirmation']);
  });
});
