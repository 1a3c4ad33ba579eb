/** Every status change leaves exactly one history row and one outbox row; GET .../history shows them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody, startTestApp, type TestApp } from '../support/app.js';
import { adminKeyId, expectProblem, historyRows, outboxRows, rowCounts } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const create = async () => {
  const res = await t.call('POST', '/v1/orders', orderBody());
  expect(res.status).toBe(201);
  return res.body as { id: string; workflow: string };
};

describe('rows written with each change', () => {
  it('creating an order writes its creation and its placement: two history rows and two outbox rows', async () => {
    const order = await create();
    const adminId = `key:${await adminKeyId(t)}`;
    const history = await historyRows(t, order.id);
    expect(history).toEqual([
      expect.objectContaining({ type: 'order.created', track: null, from_state: null, to_state: null, actor_kind: 'admin', actor_id: adminId }),
      expect.objectContaining({ type: 'order.status_changed', track: 'order', from_state: 'draft', to_state: 'placed', actor_kind: 'admin', actor_id: adminId, cause: 'order.created' }),
    ]);
    const outbox = await outboxRows(t, order.id);
    expect(outbox.map((r) => r.type)).toEqual(['order.created', 'order.status_changed']);
    expect(outbox[1]!.payload).toMatchObject({ actor: { kind: 'admin', id: adminId }, data: { track: 'order', from: 'draft', to: 'placed', order: { workflow: 'standard', version: 1 } } });
  });

  it('one status change adds exactly one history row and one outbox row, with actor, reason, from and to', async () => {
    const order = await create();
    const before = await rowCounts(t);
    t.clock.advance(30);
    const res = await t.call('POST', `/v1/orders/${order.id}/transitions`, { to: 'cancelled', reason: 'customer phoned' });
    expect(res.status).toBe(200);
    const after = await rowCounts(t);
    expect(after).toEqual({ orders: before.orders, history: before.history + 1, outbox: before.outbox + 1 });

    const adminId = `key:${await adminKeyId(t)}`;
    const last = (await historyRows(t, order.id)).at(-1)!;
    expect(last).toMatchObject({ type: 'order.status_changed', track: 'order', from_state: 'placed', to_state: 'cancelled', actor_kind: 'admin', actor_id: adminId, reason: 'customer phoned', cause: null });
    const at = await t.ordo.pool.query<{ at: Date }>('SELECT at FROM order_history WHERE id = $1', [last.id]);
    expect(at.rows[0]!.at.toISOString()).toBe(t.clock.now().toISOString());
    const event = (await outboxRows(t, order.id)).at(-1)!;
    expect(event.type).toBe('order.status_changed');
    expect(event.payload).toMatchObject({
      actor: { kind: 'admin', id: adminId },
      data: {
        track: 'order',
        from: 'placed',
        to: 'cancelled',
        reason: 'customer phoned',
        order: { version: 2, status: { order: 'cancelled', payment: 'unpaid', fulfillment: 'unfulfilled' } },
      },
    });
  });

  it('a change that triggers another writes one row of each per status change', async () => {
    const order = await create();
    await t.call('POST', `/v1/orders/${order.id}/transitions`, { to: 'shipped' });
    await t.call('POST', `/v1/orders/${order.id}/transitions`, { to: 'delivered' });
    const before = await rowCounts(t);
    const res = await t.call('POST', `/v1/orders/${order.id}/transitions`, { to: 'paid', reason: 'cash on delivery' });
    expect(res.body.status).toEqual({ order: 'completed', payment: 'paid', fulfillment: 'delivered' });
    const after = await rowCounts(t);
    expect(after.history - before.history).toBe(2);
    expect(after.outbox - before.outbox).toBe(2);
    const added = (await historyRows(t, order.id)).slice(-2);
    expect(added).toEqual([
      expect.objectContaining({ track: 'payment', from_state: 'unpaid', to_state: 'paid', reason: 'cash on delivery', cause: null }),
      expect.objectContaining({ track: 'order', from_state: 'placed', to_state: 'completed', cause: 'entered:payment.paid' }),
    ]);
  });

  it('history and outbox rows correspond one to one across an order\'s life', async () => {
    const order = await create();
    for (const to of ['shipped', 'paid', 'returned', 'cancelled']) {
      expect((await t.call('POST', `/v1/orders/${order.id}/transitions`, { to })).status).toBe(200);
    }
    const history = await historyRows(t, order.id);
    const outbox = await outboxRows(t, order.id);
    expect(outbox).toHaveLength(history.length);
    const changes = history.filter((h) => h.type === 'order.status_changed').map((h) => `${h.track}:${h.from_state}->${h.to_state}`);
    const events = outbox.filter((o) => o.type === 'order.status_changed').map((o) => `${o.payload.data.track}:${o.payload.data.from}->${o.payload.data.to}`);
    expect(events).toEqual(changes);
    expect(changes).toEqual([
      'order:draft->placed',
      'fulfillment:unfulfilled->shipped',
      'payment:unpaid->paid',
      'fulfillment:shipped->returned',
      'order:placed->cancelled',
    ]);
    expect(new Set(outbox.map((o) => o.payload.data.order.version))).toEqual(new Set([1, 2, 3, 4, 5]));
  });

  it('a refused change writes no row anywhere', async () => {
    const order = await create();
    const before = await rowCounts(t);
    expect((await t.call('POST', `/v1/orders/${order.id}/transitions`, { to: 'draft' })).status).toBe(409);
    expect((await t.call('POST', `/v1/orders/${order.id}/transitions`, { to: 'completed' })).status).toBe(409);
    expect((await t.call('POST', `/v1/orders/${order.id}/transitions`, { to: 'cancelled' }, { headers: { 'if-match': '"7"' } })).status).toBe(412);
    expect((await t.call('POST', `/v1/orders/${order.id}/transitions`, { to: 'nowhere' })).status).toBe(422);
    expect(await rowCounts(t)).toEqual(before);
  });
});

describe('GET /v1/orders/{id}/history', () => {
  it('returns the history oldest first with type, track, from, to, actor, reason and time', async () => {
    const key = await t.storefrontKey('cust-history');
    const createdAt = t.clock.now().toISOString();
    const created = await t.call('POST', '/v1/orders', orderBody(), { key });
    const id: string = created.body.id;
    const shippedAt = t.clock.advance(60).toISOString();
    await t.call('POST', `/v1/orders/${id}/transitions`, { to: 'shipped', reason: 'picked up by DHL' });
    const cancelledAt = t.clock.advance(60).toISOString();
    await t.call('POST', `/v1/orders/${id}/transitions`, { to: 'cancelled', reason: 'refused at the door' });

    const res = await t.call('GET', `/v1/orders/${id}/history`);
    expect(res.status).toBe(200);
    const items = res.body.items as Array<Record<string, unknown>>;
    const customer = (await t.ordo.pool.query<{ id: string }>(`SELECT id FROM api_keys WHERE customer_id = 'cust-history'`)).rows[0]!.id;
    const admin = await adminKeyId(t);
    expect(items.map(({ type, track, from, to, actor, reason }) => ({ type, track, from, to, actor, reason }))).toEqual([
      { type: 'order.created', track: null, from: null, to: null, actor: { kind: 'customer', id: `key:${customer}` }, reason: null },
      { type: 'order.status_changed', track: 'order', from: 'draft', to: 'placed', actor: { kind: 'customer', id: `key:${customer}` }, reason: null },
      // Shipped by hand sends the goods in a parcel first, so the status is true.
      { type: 'fulfillment.created', track: null, from: null, to: null, actor: { kind: 'admin', id: `key:${admin}` }, reason: null },
      { type: 'fulfillment.changed', track: null, from: null, to: null, actor: { kind: 'admin', id: `key:${admin}` }, reason: null },
      { type: 'order.status_changed', track: 'fulfillment', from: 'unfulfilled', to: 'shipped', actor: { kind: 'admin', id: `key:${admin}` }, reason: 'picked up by DHL' },
      { type: 'order.status_changed', track: 'order', from: 'placed', to: 'cancelled', actor: { kind: 'admin', id: `key:${admin}` }, reason: 'refused at the door' },
    ]);
    expect(items.map((i) => i.at)).toEqual([createdAt, createdAt, shippedAt, shippedAt, shippedAt, cancelledAt]);
    expect(items[1]).toMatchObject({ cause: 'order.created' });
    // The customer reads the same history of its own order.
    const own = await t.call('GET', `/v1/orders/${id}/history`, undefined, { key });
    expect(own.status).toBe(200);
    expect(own.body.items.map((i: { id: string }) => i.id)).toEqual(items.map((i) => i.id));
  });

  it('answers 404 for an unknown order', async () => {
    expectProblem(await t.call('GET', '/v1/orders/01890000-0000-7000-8000-000000000000/history'), 404, 'order_not_found');
    expectProblem(await t.call('GET', '/v1/orders/nope/history'), 404, 'order_not_found');
  });
});
