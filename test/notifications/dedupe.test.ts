/**
 * One event never makes one message twice for one recipient: not when its events are fanned
 * out again, not when a relay restarts and places them again, and not when two relays share
 * the database (each message is handed to the notifier once). Both statement forms are run:
 * plain PostgreSQL's SKIP LOCKED claim and the claim by key that Citus needs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/engine/clock.js';
import type { OutgoingMessage } from '../../src/engine/notifications/notifier.js';
import { createOrdo, type Ordo } from '../../src/engine/ordo.js';
import { inTransaction } from '../../src/store/database.js';
import { freshDatabase } from '../support/database.js';
import { statementsOf } from '../support/statements.js';
import { uniqueEmail } from '../http/helpers.js';
import { STAFF } from './support.js';

const admin = { kind: 'admin', id: 'test' } as const;

async function count(ordo: Ordo, orderId: string): Promise<number> {
  const res = await ordo.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM notifications WHERE order_id = $1', [orderId]);
  return res.rows[0]!.n;
}

async function placeOrder(ordo: Ordo, over: Record<string, unknown> = {}) {
  const created = await ordo.payments.createOrder({ currency: 'EUR', customer: { email: uniqueEmail('dedupe') }, lines: [{ sku: 'PEN', quantity: 1, unitPrice: 300 }], payment: { method: 'invoice' }, ...over }, admin);
  if (!created.ok) throw new Error(created.message);
  return created.value;
}

describe.each(['plain', 'citus'] as const)('with the %s statements', (statements) => {
  let a: Ordo;
  let b: Ordo;
  const handed: { by: string; m: OutgoingMessage }[] = [];
  beforeAll(async () => {
    const databaseUrl = await freshDatabase();
    const clock = new ManualClock(new Date('2026-01-05T09:00:00Z'));
    const notifier = (by: string) => ({ name: by, send: async (m: OutgoingMessage) => {
      // Long enough that the two relays' sends overlap.
      await new Promise((resolve) => setTimeout(resolve, 2));
      handed.push({ by, m });
    } });
    a = await createOrdo({ databaseUrl, migrate: false, clock, statements, staffEmail: STAFF, notifier: notifier('a') });
    b = await createOrdo({ databaseUrl, migrate: false, clock, statements, staffEmail: STAFF, notifier: notifier('b') });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('the sends of one claim are recorded sent together, each once', async () => {
    const orders = [await placeOrder(a), await placeOrder(a)];
    await a.relay.place();
    const sent = await statementsOf(() => a.notifications.work());
    expect(sent.filter((q) => q === 'ordo_notifications_sent')).toHaveLength(statements === 'plain' ? 1 : 0);
    for (const o of orders) {
      const rows = await a.pool.query<{ status: string; attempts: number }>('SELECT status, attempts FROM notifications WHERE order_id = $1', [o.id]);
      expect(rows.rows).toEqual([{ status: 'sent', attempts: 1 }, { status: 'sent', attempts: 1 }]);
    }
  });

  it('fanning the same events out again adds no message', async () => {
    const o = await placeOrder(a);
    await a.relay.drain();
    const before = await count(a, o.id);
    expect(before).toBe(2); // the confirmation and the invoice instructions
    const { events } = await a.events.list({ after: 0, limit: 1000, orderId: o.id });
    // As the relay fans out: what the subscriber queues goes with the COMMIT.
    const placedWith = (closing: string[]) => ({ webhookDeliveries: 0, withCommit: (sql: string) => void closing.push(sql) });
    await inTransaction(a.pool, (tx, _opened, closing) => a.notifications.fanOut(tx, events, placedWith(closing)));
    await inTransaction(b.pool, (tx, _opened, closing) => b.notifications.fanOut(tx, events, placedWith(closing)));
    expect(await count(a, o.id)).toBe(before);
  });

  it('a relay that places the same events again (a restart) makes no second message', async () => {
    const o = await placeOrder(a);
    await a.relay.drain();
    const before = (await a.notifications.list(o.id, admin));
    await a.pool.query('UPDATE outbox SET position = NULL WHERE order_id = $1', [o.id]);
    await b.relay.drain();
    const after = await b.notifications.list(o.id, admin);
    expect(after.ok && after.value.map((n) => n.id)).toEqual(before.ok && before.value.map((n) => n.id));
  });

  it('two relays draining at once hand each message to the notifier once', async () => {
    handed.length = 0;
    const orders: { id: string }[] = [];
    for (let i = 0; i < 12; i++) orders.push(await placeOrder(a));
    await Promise.all([a.relay.drain(), b.relay.drain(), a.relay.drain(), b.relay.drain()]);
    const ids = handed.map((h) => h.m.id);
    expect(new Set(ids).size).toBe(ids.length);
    const ours = handed.filter((h) => orders.some((o) => o.id === h.m.orderId));
    expect(ours).toHaveLength(orders.length * 2);
    const res = await a.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM notifications WHERE order_id = ANY($1::uuid[]) AND status <> 'sent'`, [orders.map((o) => o.id)]);
    expect(res.rows[0]!.n).toBe(0);
  });
});
