/**
 * The event stream (issue 12): every change leaves as events with a per-order sequence, served
 * in commit order by GET /v1/events with a cursor that never skips a transaction that committed
 * late, and pruned after the retention.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import { createOrdo, type Ordo, type OrdoOptions } from '../../src/engine/ordo.js';
import { PLACER_LOCK, placingOpening } from '../../src/store/events.js';
import type { PlacedEvent } from '../../src/engine/events/event.js';
import type { WorkDone } from '../../src/engine/events/subscriber.js';
import { handingOn, orderBody, startTestApp, type TestApp } from '../support/app.js';
import { isPlacing, statementsOf } from '../support/statements.js';
import { expectProblem } from '../http/helpers.js';

let t: TestApp;
beforeAll(async () => {
  // Messages are handed on, as with SMTP: they take the claim-and-send path (the notifier's passes below).
  t = await startTestApp({ notifier: handingOn });
});
afterAll(async () => {
  await t.close();
});

const create = async (over: Record<string, unknown> = {}) => {
  const res = await t.call('POST', '/v1/orders', orderBody(over));
  expect(res.status, res.text).toBe(201);
  return res.body as { id: string; code: string | null; version: number };
};
const move = async (id: string, to: string) => expect((await t.call('POST', `/v1/orders/${id}/transitions`, { to })).status).toBe(200);

/** Every event after `after`, page by page, as a consumer reads them. */
async function readAll(after = '0', query = '', key?: string): Promise<{ events: (PlacedEvent & { cursor: string })[]; next: string }> {
  const events = [];
  let cursor = after;
  for (;;) {
    const res = await t.call('GET', `/v1/events?after=${cursor}&limit=7${query}`, undefined, key ? { key } : {});
    expect(res.status, res.text).toBe(200);
    events.push(...res.body.data);
    if (res.body.next === cursor) return { events, next: cursor };
    cursor = res.body.next;
  }
}

describe('the event envelope', () => {
  it('carries id, stable type, order id and code, sequence, time, actor and data with the order summary', async () => {
    const { next } = await readAll();
    const o = await create();
    await move(o.id, 'shipped');
    const { events } = await readAll(next, `&orderId=${o.id}`);
    // Shipping by hand also makes the parcel: its events come with the status change.
    expect(events.map((e) => e.type)).toEqual(['order.created', 'order.status_changed', 'fulfillment.created', 'fulfillment.shipped', 'order.status_changed']);
    const shipped = events[4]!;
    expect(shipped).toMatchObject({
      orderId: o.id,
      orderCode: o.code,
      sequence: 5,
      occurredAt: t.clock.now().toISOString(),
      actor: { kind: 'admin', id: expect.stringMatching(/^key:/) },
      data: {
        track: 'fulfillment', from: 'unfulfilled', to: 'shipped',
        order: { workflow: 'standard', version: 2, status: { fulfillment: 'shipped' }, totals: { total: 2 * 1999 + 495, paid: 0, balance: 2 * 1999 + 495 } },
      },
    });
    expect(Object.keys(shipped).sort()).toEqual(['actor', 'cursor', 'data', 'id', 'occurredAt', 'orderCode', 'orderId', 'sequence', 'type']);
  });

  it('names what happened to a payment, a refund and a parcel after its new state', async () => {
    const { next } = await readAll();
    const o = await create({ payment: { method: 'card' } });
    const order = (await t.call('GET', `/v1/orders/${o.id}`)).body;
    const line = order.lines[0];
    const parcel = await t.call('POST', `/v1/orders/${o.id}/fulfillments`, { lines: [{ lineId: line.id, quantity: 2 }], carrier: 'DHL', trackingNumber: 'JJD1' });
    expect(parcel.status, parcel.text).toBe(201);
    const fulfillmentId = parcel.body.fulfillments.at(-1).id;
    expect((await t.call('POST', `/v1/fulfillments/${fulfillmentId}/transitions`, { to: 'shipped' })).status).toBe(200);
    expect((await t.call('POST', `/v1/orders/${o.id}/refunds`, { amount: 495, reason: 'late' })).status).toBe(201);
    const types = (await readAll(next, `&orderId=${o.id}`)).events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['payment.created', 'payment.settled', 'fulfillment.created', 'fulfillment.shipped', 'refund.created', 'refund.settled']));
    expect(types).not.toContain('payment.changed');
    expect(types).not.toContain('fulfillment.changed');
  });
});

describe('sequence', () => {
  it('numbers an order\'s events 1, 2, 3… with no gap, also when commands on it race', async () => {
    const o = await create();
    // Eight racing commands on one order: some lose and retry; none may leave a gap or a repeat.
    const changes = ['shipped', 'paid', 'delivered'];
    await Promise.all([...changes, ...changes, 'returned', 'shipped'].map((to) => t.call('POST', `/v1/orders/${o.id}/transitions`, { to })));
    const rows = await t.ordo.pool.query<{ sequence: number }>('SELECT sequence FROM outbox WHERE order_id = $1 ORDER BY sequence', [o.id]);
    expect(rows.rows.map((r) => r.sequence)).toEqual(rows.rows.map((_, i) => i + 1));
    const counted = await t.ordo.pool.query<{ events: number }>('SELECT events FROM orders WHERE id = $1', [o.id]);
    expect(counted.rows[0]!.events).toBe(rows.rowCount);
  });

  it('a refused command writes no event and takes no number', async () => {
    const o = await create();
    const before = (await readAll('0', `&orderId=${o.id}`)).events.length;
    expect((await t.call('POST', `/v1/orders/${o.id}/transitions`, { to: 'no-such-status' })).status).toBe(422);
    expect((await readAll('0', `&orderId=${o.id}`)).events).toHaveLength(before);
    await move(o.id, 'cancelled');
    const events = (await readAll('0', `&orderId=${o.id}`)).events;
    expect(events).toHaveLength(before + 1);
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
  });
});

describe('GET /v1/events', () => {
  it('serves events in the order of their places, and a cursor goes on from where it was', async () => {
    const first = await readAll();
    const a = await create();
    const b = await create();
    await t.ordo.relay.place(); // as a running relay does between commits
    await move(a.id, 'cancelled');
    const page = await readAll(first.next);
    expect(page.events.map((e) => [e.orderId, e.sequence])).toEqual([[a.id, 1], [a.id, 2], [b.id, 1], [b.id, 2], [a.id, 3]]);
    const cursors = page.events.map((e) => Number(e.cursor));
    expect(cursors).toEqual([...cursors].sort((x, y) => x - y));
    expect((await readAll(page.next)).events).toEqual([]);
  });

  it('never skips an event whose transaction committed after a later one', async () => {
    const o = await create();
    const start = await readAll();
    // A transaction writes an event and stays open, as a slow command does...
    const slow = new pg.Client({ connectionString: t.ordo.databaseUrl });
    await slow.connect();
    const lateId = randomUUID();
    try {
      await slow.query('BEGIN');
      await slow.query('UPDATE orders SET events = events + 1 WHERE id = $1', [o.id]);
      await slow.query(
        `INSERT INTO outbox (id, order_id, type, payload, created_at, sequence) SELECT $1, $2, 'order.status_changed', $3, $4, events FROM orders WHERE id = $2`,
        [lateId, o.id, { actor: { kind: 'system', id: null }, data: { late: true } }, t.clock.now()],
      );
      // ...while later changes commit and a reader reads past them.
      const other = await create();
      const meanwhile = await readAll(start.next);
      expect(meanwhile.events.map((e) => e.orderId)).toEqual([other.id, other.id]);
      expect(meanwhile.events.map((e) => e.id)).not.toContain(lateId);
      await slow.query('COMMIT');
      // The reader goes on from its cursor and gets the late event, although it was written first.
      const after = await readAll(meanwhile.next);
      expect(after.events.map((e) => e.id)).toEqual([lateId]);
      expect(after.events[0]!.occurredAt < meanwhile.events[0]!.occurredAt || after.events[0]!.occurredAt === meanwhile.events[0]!.occurredAt).toBe(true);
    } finally {
      await slow.end();
    }
  });

  it('filters by type patterns and by order', async () => {
    const start = await readAll();
    const a = await create();
    await move(a.id, 'shipped');
    const b = await create();
    const changes = (await readAll(start.next, '&type=order.status_changed')).events;
    expect(changes.map((e) => [e.orderId, e.data.to])).toEqual([[a.id, 'placed'], [a.id, 'shipped'], [b.id, 'placed']]);
    const created = (await readAll(start.next, '&type=order.created,fulfillment.*')).events;
    expect(created.map((e) => e.type)).toEqual(['order.created', 'fulfillment.created', 'fulfillment.shipped', 'order.created']);
    expect((await readAll(start.next, `&orderId=${b.id}`)).events.map((e) => e.type)).toEqual(['order.created', 'order.status_changed']);
  });

  it('refuses an unknown type, a bad cursor or limit, and keys other than admin', async () => {
    expectProblem(await t.call('GET', '/v1/events?type=order.shiped'), 422, 'unknown_event_type');
    expectProblem(await t.call('GET', '/v1/events?type=nothing.*'), 422, 'unknown_event_type');
    expectProblem(await t.call('GET', '/v1/events?after=-1'), 400, 'invalid_request');
    expectProblem(await t.call('GET', '/v1/events?limit=0'), 400, 'invalid_request');
    expectProblem(await t.call('GET', '/v1/events?orderId=nope'), 400, 'invalid_request');
    expectProblem(await t.call('GET', '/v1/events?color=red'), 400, 'invalid_request');
    const shop = await t.storefrontKey('cust-events');
    expectProblem(await t.call('GET', '/v1/events', undefined, { key: shop }), 403, 'forbidden');
    expectProblem(await t.call('GET', '/v1/events', undefined, { key: null }), 401, 'unauthorized');
  });
});

describe('places given by several relays at once', () => {
  it('every event gets one place; an order\'s events keep their order', async () => {
    const other = await createOrdo({ databaseUrl: t.ordo.databaseUrl, migrate: false, clock: t.clock, relay: { batch: 3 } });
    try {
      const before = (await t.ordo.pool.query<{ top: number }>('SELECT top FROM event_places')).rows[0]!.top;
      const ids = [];
      for (let i = 0; i < 6; i++) {
        const o = await create();
        ids.push(o.id);
        await move(o.id, 'cancelled');
      }
      // Both place at once, in small batches: one at a time holds the placer's lock, the other waits its turn or finds nothing.
      await Promise.all([other.relay.place(), t.ordo.relay.place(), other.relay.place()]);
      const rows = await t.ordo.pool.query<{ order_id: string; sequence: number; position: number }>(
        'SELECT order_id, sequence, position FROM outbox WHERE order_id = ANY($1) ORDER BY position', [ids]);
      expect(rows.rowCount).toBe(18);
      expect(rows.rows.map((r) => r.position)).toEqual(rows.rows.map((_, i) => before + i + 1));
      for (const id of ids) expect(rows.rows.filter((r) => r.order_id === id).map((r) => r.sequence)).toEqual([1, 2, 3]);
    } finally {
      await other.close();
    }
  });
});

describe('the placing statement', () => {
  it('gives no places unless its transaction took the placer\'s lock before it: taken during the statement, the lock would come after its snapshot', async () => {
    const o = await create();
    const client = await t.ordo.pool.connect();
    try {
      const opening = await placingOpening(client, t.clock.now(), 500);
      await client.query('BEGIN');
      // The placing alone, the lock free: a statement that took the lock itself would place here.
      const placed = await client.query(opening.slice(opening.indexOf('EXECUTE')));
      expect(placed.rowCount).toBe(0);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    const unplaced = await t.ordo.pool.query('SELECT 1 FROM outbox WHERE order_id = $1 AND position IS NULL', [o.id]);
    expect(unplaced.rowCount).toBeGreaterThan(0);
    await t.ordo.relay.place();
  });

  it('writes nothing when there is nothing to place: the counter of places is left as it was', async () => {
    await create();
    await t.ordo.relay.place();
    const counter = () => t.ordo.pool.query<{ xmin: string; top: string }>('SELECT xmin::text, top::text FROM event_places').then((r) => r.rows);
    const before = await counter();
    expect(await t.ordo.relay.place()).toBe(0);
    // Rewritten with the same top, the row would carry the empty placing's transaction id.
    expect(await counter()).toEqual(before);
  });
});

describe('clocks that disagree', () => {
  it('an order\'s later event written with an earlier time still gets a later place, whatever the batch', async () => {
    const one = await createOrdo({ databaseUrl: t.ordo.databaseUrl, migrate: false, clock: t.clock, relay: { batch: 1 } });
    try {
      await t.ordo.relay.place();
      const o = await create();
      // Event 2 as a process whose clock runs an hour behind would have written it.
      await t.ordo.pool.query(`UPDATE outbox SET created_at = created_at - interval '1 hour' WHERE order_id = $1 AND sequence = 2`, [o.id]);
      await one.relay.place();
      const rows = await t.ordo.pool.query<{ sequence: number; position: number }>('SELECT sequence, position FROM outbox WHERE order_id = $1 ORDER BY position', [o.id]);
      expect(rows.rows.map((r) => r.sequence)).toEqual([1, 2]);
    } finally {
      await one.close();
    }
  });
});

describe('wake-ups', () => {
  it('a change saved in a process without a relay wakes a relay in another process (NOTIFY), long before its next poll', async () => {
    const heard: string[] = [];
    const listening: Ordo = await createOrdo({ databaseUrl: t.ordo.databaseUrl, migrate: false, clock: t.clock, relay: { pollMs: 600_000 } });
    // A subscriber of its own shows what the relay placed and handed on.
    listening.relay.subscribe({ name: 'probe', fanOut: async (_tx, events) => void heard.push(...events.map((e) => e.orderId!)), work: async () => 0 });
    const stop = listening.relay.start();
    try {
      await until(async () => heard.length > 0 || (await listening.relay.place()) >= 0); // the first loop ran
      heard.length = 0;
      const o = await create();
      await until(async () => heard.includes(o.id));
      expect(heard).toContain(o.id);
    } finally {
      await stop();
      await listening.close();
    }
  });
  it('a save wakes only the placer; the subscribers are woken once its events are placed, and each claims once', async () => {
    const calls: string[] = [];
    const relaying: Ordo = await createOrdo({ databaseUrl: t.ordo.databaseUrl, migrate: false, clock: t.clock, relay: { pollMs: 600_000 } });
    relaying.relay.subscribe({
      name: 'probe',
      fanOut: async (_tx, events) => void calls.push(`placed ${[...new Set(events.map((e) => e.orderId))].join(', ')}`),
      work: async () => (calls.push('work'), 0),
    });
    const stop = relaying.relay.start();
    try {
      await until(async () => calls.includes('work')); // the loops' first pass at start
      await relaying.relay.place();
      calls.length = 0;
      const o = await create();
      await until(async () => calls.includes('work'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      // Before, the save's wake-up sent every subscriber to claim at once, finding nothing placed yet.
      expect(calls).toEqual([`placed ${o.id}`, 'work']);
    } finally {
      await stop();
      await relaying.close();
    }
  });
});

describe('a placing per wake-up', () => {
  const ADMIN: Actor = { kind: 'admin', id: 'stream-test' };
  const orderInput = () => ({ currency: 'EUR', customer: { email: 'wake@example.com' }, lines: [{ sku: 'WAKE-1', quantity: 1, unitPrice: 500 }] });
  const unplaced = async () => (await t.ordo.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE position IS NULL')).rows[0]!.n;

  it('saves rung while the placer gathers are placed in one pass, and no empty pass follows it', async () => {
    // A long gather, so that both saves surely fall within it.
    const relaying: Ordo = await createOrdo({ databaseUrl: t.ordo.databaseUrl, migrate: false, clock: t.clock, relay: { pollMs: 600_000, gatherMs: 300 } });
    const stop = relaying.relay.start();
    try {
      await until(async () => (await relaying.relay.place()) >= 0); // the loops' first pass at start
      await new Promise((resolve) => setTimeout(resolve, 400));
      const placings = await statementsOf(async () => {
        // Two saves a moment apart: the second rings while the first's wake-up gathers.
        const a = await relaying.orders.create(orderInput(), ADMIN);
        const b = await relaying.orders.create(orderInput(), ADMIN);
        expect(a.ok && b.ok).toBe(true);
        await until(async () => (await unplaced()) === 0);
        await new Promise((resolve) => setTimeout(resolve, 500)); // longer than a gather: time for a pass after it
      });
      // Before, the second ring stayed set through the pass that placed both, and called for a pass that found nothing.
      expect(placings.filter(isPlacing)).toHaveLength(1);
    } finally {
      await stop();
      await relaying.close();
    }
  });

  it('a placing that found another relay holding the placer\'s lock goes again soon, not at the next poll', async () => {
    const relaying: Ordo = await createOrdo({ databaseUrl: t.ordo.databaseUrl, migrate: false, clock: t.clock, relay: { pollMs: 600_000 } });
    const stop = relaying.relay.start();
    const holder = new pg.Client({ connectionString: t.ordo.databaseUrl });
    await holder.connect();
    try {
      await until(async () => (await relaying.relay.place()) >= 0);
      await holder.query(`SELECT pg_advisory_lock(${PLACER_LOCK})`);
      const tries = await statementsOf(async () => {
        const made = await relaying.orders.create(orderInput(), ADMIN);
        expect(made.ok).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 200));
      });
      expect(tries.filter((q) => q.startsWith('BEGIN;')).length).toBeGreaterThan(0);
      expect(await unplaced()).toBeGreaterThan(0);
      await holder.query(`SELECT pg_advisory_unlock(${PLACER_LOCK})`);
      // Before, the wake-up was spent on the pass that could not place, and the events waited for the poll.
      await until(async () => (await unplaced()) === 0, 3000);
    } finally {
      await holder.end();
      await stop();
      await relaying.close();
    }
  });
});

describe('the notifier\'s passes', () => {
  const ADMIN: Actor = { kind: 'admin', id: 'stream-test' };
  const placeOrder = async (ordo: Ordo) => {
    const made = await ordo.payments.createOrder({ currency: 'EUR', customer: { email: 'notified@example.com' }, lines: [{ sku: 'NOTE-1', quantity: 1, unitPrice: 500 }], payment: { method: 'invoice' } }, ADMIN);
    if (!made.ok) throw new Error(made.message);
    return made.value;
  };
  const pending = async () => (await t.ordo.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM notifications WHERE status = 'pending'`)).rows[0]!.n;

  it('goes again at once only when its claim came back full', async () => {
    for (let done = await t.ordo.notifications.work(); done.more; done = await t.ordo.notifications.work());
    for (let i = 0; i < 9; i++) await placeOrder(t.ordo);
    await t.ordo.relay.place();
    expect(await pending()).toBeGreaterThanOrEqual(9);
    const passes: WorkDone[] = [];
    for (let done = await t.ordo.notifications.work(); passes.push(done), done.more; done = await t.ordo.notifications.work());
    // Four sends at a time, twice that claimed: every full claim calls for another, the short one ends it.
    expect(passes.slice(0, -1).map((p) => p.handled)).toEqual(passes.slice(0, -1).map(() => 8));
    expect(passes.length).toBeGreaterThan(1);
    expect(passes.at(-1)!.handled).toBeLessThan(8);
    expect(await pending()).toBe(0);
  });

  /** Another Ordo on this database with its relay's loops running and past their first pass (no poll meanwhile); closed after `body`. */
  async function withRunningRelay(options: Pick<OrdoOptions, 'notifier'>, body: (ordo: Ordo) => Promise<void>): Promise<void> {
    const ordo: Ordo = await createOrdo({ databaseUrl: t.ordo.databaseUrl, migrate: false, clock: t.clock, relay: { pollMs: 600_000 }, ...options });
    const stop = ordo.relay.start();
    try {
      await until(async () => (await ordo.relay.place()) >= 0);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await body(ordo);
    } finally {
      await stop();
      await ordo.close();
    }
  }

  it('after a placing that queued a message, claims once: no empty claim after the one that sent it', async () => {
    await withRunningRelay({ notifier: handingOn }, async (relaying) => {
      const sent = await statementsOf(async () => {
        await placeOrder(relaying);
        await until(async () => (await pending()) === 0 && (await relaying.pool.query(`SELECT 1 FROM notifications WHERE status = 'sent' AND sent_at IS NOT NULL`)).rowCount! > 0);
        await new Promise((resolve) => setTimeout(resolve, 200));
      });
      expect(sent.filter((q) => q === 'ordo_notifications_sent')).toHaveLength(1);
      expect(sent.filter((q) => q === 'ordo_claim_notifications')).toHaveLength(1);
    });
  });

  it('where nothing leaves (the stored notifier), the placing stores its messages sent: no claim, no record of a send', async () => {
    await withRunningRelay({}, async (storing) => {
      let orderId = '';
      const sent = await statementsOf(async () => {
        orderId = (await placeOrder(storing)).id;
        await until(async () => (await storing.pool.query('SELECT 1 FROM notifications WHERE order_id = $1', [orderId])).rowCount! > 0);
        await new Promise((resolve) => setTimeout(resolve, 200));
      });
      const rows = await storing.pool.query('SELECT status, attempts, sent_at IS NOT NULL AS sent FROM notifications WHERE order_id = $1', [orderId]);
      expect(rows.rows.length).toBeGreaterThan(0);
      expect(rows.rows).toEqual(rows.rows.map(() => ({ status: 'sent', attempts: 1, sent: true })));
      // Before, each placing that queued a message was followed by a claim and a record of the sends.
      expect(sent.filter((q) => q === 'ordo_claim_notifications' || q === 'ordo_notifications_sent')).toEqual([]);
    });
  });
});

describe('round trips of a placing', () => {
  it('BEGIN, the placer\'s lock and the placing go in one round trip; the notifier reads the orders it did not answer with, with their workflows, in one statement, and queues its messages with the COMMIT', async () => {
    // Made by another process: this one has no answer of its own to render the messages from.
    await t.ordo.relay.place();
    const other: Ordo = await createOrdo({ databaseUrl: t.ordo.databaseUrl, migrate: false, clock: t.clock });
    let orderId = '';
    try {
      const made = await other.orders.create(orderBody(), { kind: 'admin', id: 'stream-test' });
      if (!made.ok) throw new Error(made.message);
      orderId = made.value.id;
    } finally {
      await other.close();
    }
    const sent = await statementsOf(() => t.ordo.relay.place());
    // Before, the placing was a round trip of its own after BEGIN and the lock, the messages were
    // queued by a statement of their own, and COMMIT went alone. (A connection that never placed
    // prepares the placing and the messages' statement first, once.)
    expect(sent.filter((q) => !q.startsWith('PREPARE'))).toEqual([
      expect.stringMatching(/^BEGIN; SELECT set_config\('ordo\.placer',; ordo_place_events$/),
      'ordo_find_orders_for_command',
      'ordo_insert_notifications; COMMIT',
    ]);
    const messages = await t.ordo.pool.query<{ message: string }>('SELECT message FROM notifications WHERE order_id = $1', [orderId]);
    expect(messages.rows.map((m) => m.message)).toContain('order_confirmation');
    expect(sent.filter((q) => q.startsWith('SELECT workflow'))).toHaveLength(0);
  });

  it('a subscriber whose fan-out queued nothing is not woken by the placing', async () => {
    const calls: string[] = [];
    const relaying: Ordo = await createOrdo({ databaseUrl: t.ordo.databaseUrl, migrate: false, clock: t.clock, relay: { pollMs: 600_000 } });
    relaying.relay.subscribe({ name: 'idle', fanOut: async () => (calls.push('placed'), 0), work: async () => (calls.push('work'), 0) });
    const stop = relaying.relay.start();
    try {
      await until(async () => calls.includes('work')); // the loops' first pass at start
      await relaying.relay.place();
      calls.length = 0;
      await create();
      await until(async () => calls.includes('placed'));
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(calls).toEqual(['placed']);
    } finally {
      await stop();
      await relaying.close();
    }
  });
});

describe('closing', () => {
  it('close() stops a relay still running, so no loop outlives the pool', async () => {
    const other = await createOrdo({ databaseUrl: t.ordo.databaseUrl, migrate: false, clock: t.clock });
    other.relay.start();
    expect(other.relay.running).toBe(true);
    await other.close();
    expect(other.relay.running).toBe(false);
  });
});

describe('retention', () => {
  it('prunes placed events older than the retention, and places go on rising', async () => {
    const old = await create();
    await t.ordo.relay.place();
    const topBefore = (await t.ordo.pool.query<{ top: number }>('SELECT top FROM event_places')).rows[0]!.top;
    t.clock.advance(31 * 86_400);
    const fresh = await create();
    const pruned = await t.ordo.relay.prune();
    expect(pruned).toBeGreaterThanOrEqual(2);
    expect((await t.ordo.pool.query('SELECT 1 FROM outbox WHERE order_id = $1', [old.id])).rowCount).toBe(0);
    const left = (await readAll('0', `&orderId=${fresh.id}`)).events;
    expect(left.map((e) => e.sequence)).toEqual([1, 2]);
    expect(Math.min(...left.map((e) => Number(e.cursor)))).toBeGreaterThan(topBefore);
    // The order itself stays; its next event goes on from its count.
    await move(old.id, 'cancelled');
    expect((await readAll('0', `&orderId=${old.id}`)).events.map((e) => e.sequence)).toEqual([3]);
  });
});

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
