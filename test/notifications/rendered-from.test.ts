/**
 * A placing renders an event's messages from the order as this process answered it, when that
 * is at least as new as the event: no read of the order. An event newer than what this process
 * answered (another process changed the order) is rendered from the order as stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrdo, type Ordo } from '../../src/engine/ordo.js';
import type { TestApp } from '../support/app.js';
import { isPlacing, statementsOf } from '../support/statements.js';
import { uniqueEmail } from '../http/helpers.js';
import { messagesOf, named, STAFF, startNotifyingApp } from './support.js';

const admin = { kind: 'admin', id: 'test' } as const;
let t: TestApp;
let other: Ordo;
beforeAll(async () => {
  t = await startNotifyingApp();
  other = await createOrdo({ databaseUrl: t.ordo.databaseUrl, migrate: false, clock: t.clock, staffEmail: STAFF });
});
afterAll(async () => {
  await other.close();
  await t.close();
});

describe('the order a message is rendered from', () => {
  it('is the order as this process answered it: the placing reads no order', async () => {
    await t.ordo.relay.drain();
    const made = await t.ordo.payments.createOrder({ currency: 'EUR', customer: { email: uniqueEmail('kept') }, lines: [{ sku: 'MUG', name: 'Mug', quantity: 2, unitPrice: 1250 }], payment: { method: 'card' } }, admin);
    if (!made.ok) throw new Error(made.message);
    const sent = await statementsOf(() => t.ordo.relay.place());
    expect(sent.some(isPlacing)).toBe(true);
    // Before, every placing that called for a message read its orders (ordo_find_orders_for_command).
    expect(sent).not.toContain('ordo_find_orders_for_command');
    const [confirmation] = named(await messagesOf(t, made.value.id), 'order_confirmation');
    expect(confirmation.text).toContain('2 x Mug: €25.00');
  });

  it('is read when another process changed the order since: the message shows that change', async () => {
    const made = await t.ordo.payments.createOrder({ currency: 'EUR', customer: { email: uniqueEmail('stale') }, lines: [{ sku: 'MUG', name: 'Mug', quantity: 1, unitPrice: 1250 }], payment: { method: 'card' } }, admin);
    if (!made.ok) throw new Error(made.message);
    await t.ordo.relay.drain();
    // The parcel is made and shipped by the other process: this one kept the order as created.
    const packed = await other.fulfillments.create(made.value.id, { lines: [{ lineId: made.value.lines[0]!.id, quantity: 1 }], carrier: 'DHL', trackingNumber: 'T-777' }, admin);
    if (!packed.ok) throw new Error(packed.message);
    const shipped = await other.fulfillments.transition(packed.value.fulfillments[0]!.id, 'shipped', admin);
    expect(shipped.ok).toBe(true);
    const sent = await statementsOf(() => t.ordo.relay.place());
    expect(sent).toContain('ordo_find_orders_for_command');
    const [notice] = named(await messagesOf(t, made.value.id), 'order_shipped');
    expect(notice.text).toContain('with DHL');
    expect(notice.text).toContain('Tracking number: T-777');
  });
});
