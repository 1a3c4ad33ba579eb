/** The order save and the gateway-event record, written so that each stays on the order's shard. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/store/database.js';
import { recordGatewayEvent, updateOrder } from '../../src/store/orders.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { admin, input, ok } from '../stock/helpers.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(() => t.close());

const timerRows = async (orderId: string) =>
  (await t.ordo.pool.query<{ name: string }>('SELECT name FROM timers WHERE order_id = $1', [orderId])).rows.map((r) => r.name);

describe('the timers index in a save', () => {
  it('a save that lost the race on the version leaves the order\'s timer rows alone', async () => {
    const created = ok(await t.ordo.orders.create(input([{ sku: 'ANY', quantity: 1 }], { draft: true }), admin));
    const order = (await t.ordo.orders.find(created.id))!;
    expect(order.timers).not.toEqual([]);
    const names = await timerRows(order.id);
    expect(names).not.toEqual([]);
    const stale = { ...order, timers: [], version: order.version + 1 };
    const saved = await updateOrder(t.ordo.pool, stale, order.version + 5, [], [], { timers: true, payments: false, refs: false, search: false });
    expect(saved).toBeUndefined();
    expect(await timerRows(order.id)).toEqual(names);
  });

  it('a save that won rewrites only its own order\'s rows', async () => {
    const [a, b] = await Promise.all([0, 1].map(async () => (await t.ordo.orders.find(ok(await t.ordo.orders.create(input([{ sku: 'ANY', quantity: 1 }], { draft: true }), admin)).id))!));
    const others = await timerRows(b!.id);
    const saved = await updateOrder(t.ordo.pool, { ...a!, timers: [], version: a!.version + 1 }, a!.version, [], [], { timers: true, payments: false, refs: false, search: false });
    expect(saved).toBeDefined();
    expect(await timerRows(a!.id)).toEqual([]);
    expect(await timerRows(b!.id)).toEqual(others);
  });
});

describe('gateway events', () => {
  const record = (eventId: string, orderId: string) =>
    inTransaction(t.ordo.pool, (tx) => recordGatewayEvent(tx, 'simulated', eventId, orderId, t.clock.now()));

  it('are recorded once per order: a second delivery to the same order is known', async () => {
    const order = randomUUID();
    expect(await record('evt_once', order)).toBe(true);
    expect(await record('evt_once', order)).toBe(false);
  });

  it('are told apart per order (a callback names its payment, hence its order)', async () => {
    expect(await record('evt_shared', randomUUID())).toBe(true);
    expect(await record('evt_shared', randomUUID())).toBe(true);
  });
});
