/** The standard workflow's timers on the test clock: the draft basket and the payment deadline. */
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrdo } from '../../src/engine/ordo.js';
import { buildServer } from '../../src/http/server.js';
import type { TestApp } from '../support/app.js';
import { timerSuite } from './clock.js';
import { admin, expectLevels, expectRecordsConsistent, history, input, ok, orderMovements, uniqueSku } from '../stock/helpers.js';

const suite = timerSuite();
let t: TestApp;
beforeAll(() => {
  t = suite.t();
});

const MIN = 60;
const HOUR = 3600;
const { at, advance } = suite;
const get = async (id: string) => ok(await t.ordo.orders.get(id, admin));
const firedTimers = async (id: string) => (await history(t.ordo.pool, id)).filter((h) => h.type === 'timer.fired');

async function stocked(onHand: number) {
  const sku = uniqueSku('TSTD');
  ok(await t.ordo.stock.set(sku, { onHand }, admin));
  return sku;
}

describe('draft basket', () => {
  it('an abandoned draft is cancelled 10 minutes after it was started, not a second earlier', async () => {
    const o = ok(await t.ordo.orders.create(input([{ sku: 'ANY', quantity: 1 }], { draft: true }), admin));
    expect(o.status.order).toBe('draft');
    expect(o.timers).toEqual([{ name: 'basket', track: 'order', dueAt: at(10 * MIN), extended: false }]);
    expect(await advance(10 * MIN - 1)).toEqual({ fired: 0, stale: 0, failed: 0 });
    expect((await get(o.id)).status.order).toBe('draft');
    expect(await advance(1)).toEqual({ fired: 1, stale: 0, failed: 0 });
    const after = await get(o.id);
    expect(after.status.order).toBe('cancelled');
    expect(after.timers).toEqual([]);
    const h = await history(t.ordo.pool, o.id);
    expect(h.map((x) => x.type)).toEqual(['order.created', 'timer.fired', 'order.status_changed']);
    expect(h[1]).toMatchObject({ actor_kind: 'system', data: { name: 'basket', event: 'timer.basket_expired' } });
    expect(h[2]).toMatchObject({ track: 'order', from_state: 'draft', to_state: 'cancelled', actor_kind: 'system' });
    await expectRecordsConsistent(t.ordo.pool, o.id);
  });

  it('a draft checked out in time is not cancelled: its basket timer is gone and the payment deadline runs', async () => {
    const o = ok(await t.ordo.orders.create(input([{ sku: 'ANY', quantity: 1 }], { draft: true }), admin));
    t.clock.advance(5 * MIN);
    const placed = ok(await t.ordo.orders.execute(o.id, { type: 'transition', track: 'order', to: 'placed' }, admin));
    expect(placed.timers).toEqual([{ name: 'payment-deadline', track: 'order', dueAt: at(72 * HOUR), extended: false }]);
    expect(await advance(10 * MIN)).toEqual({ fired: 0, stale: 0, failed: 0 });
    expect((await get(o.id)).status.order).toBe('placed');
    expect(await firedTimers(o.id)).toEqual([]);
  });
});

describe('payment deadline', () => {
  it('after 72 hours an unpaid order is cancelled and its stock released; a paid one stays', async () => {
    const sku = await stocked(10);
    const unpaid = ok(await t.ordo.orders.create(input([{ sku, quantity: 3 }]), admin));
    const paid = ok(await t.ordo.orders.create(input([{ sku, quantity: 2 }]), admin));
    ok(await t.ordo.orders.execute(paid.id, { type: 'transition', track: 'payment', to: 'paid' }, admin));
    expect(unpaid.timers).toEqual([{ name: 'payment-deadline', track: 'order', dueAt: at(72 * HOUR), extended: false }]);
    await expectLevels(t.ordo.pool, sku, { onHand: 8, reserved: 3 });

    expect(await advance(72 * HOUR - 1)).toEqual({ fired: 0, stale: 0, failed: 0 });
    expect((await get(unpaid.id)).status.order).toBe('placed');
    await expectLevels(t.ordo.pool, sku, { onHand: 8, reserved: 3 });

    expect((await advance(1)).fired).toBe(2);
    const gone = await get(unpaid.id);
    expect(gone.status).toMatchObject({ order: 'cancelled', payment: 'unpaid' });
    expect(gone.lines[0]).toMatchObject({ reserved: 0, committed: 0 });
    const kept = await get(paid.id);
    expect(kept.status).toMatchObject({ order: 'placed', payment: 'paid' });
    expect(kept.lines[0]).toMatchObject({ reserved: 0, committed: 2 });
    expect(kept.timers).toEqual([]);
    await expectLevels(t.ordo.pool, sku, { onHand: 8, reserved: 0 });
    expect(await orderMovements(t.ordo.pool, unpaid.id)).toEqual(['reserve 3', 'release 3']);
    expect(await orderMovements(t.ordo.pool, paid.id)).toEqual(['reserve 2', 'commit 2']);
    // The paid order heard the timer and did nothing.
    const h = await history(t.ordo.pool, paid.id);
    expect(h.filter((x) => x.type === 'order.status_changed' && x.track === 'order').map((x) => x.to_state)).toEqual(['placed']);
    expect(h.filter((x) => x.type === 'timer.fired')).toHaveLength(1);
  });

  it('an order whose payment failed is cancelled at the deadline too', async () => {
    const sku = await stocked(5);
    const o = ok(await t.ordo.orders.create(input([{ sku, quantity: 1 }]), admin));
    ok(await t.ordo.orders.execute(o.id, { type: 'transition', track: 'payment', to: 'failed' }, { kind: 'gateway', id: 'gw' }));
    await advance(72 * HOUR);
    expect((await get(o.id)).status).toMatchObject({ order: 'cancelled', payment: 'failed' });
    await expectLevels(t.ordo.pool, sku, { onHand: 5, reserved: 0 });
  });

  it("the order's own, earlier deadline wins over 72 hours", async () => {
    const sku = await stocked(5);
    const expiresAt = at(2 * HOUR);
    const o = ok(await t.ordo.orders.create(input([{ sku, quantity: 2 }], { payment: { method: 'invoice', expiresAt } }), admin));
    expect(o.timers).toEqual([{ name: 'payment-deadline', track: 'order', dueAt: expiresAt, extended: false }]);
    expect(await advance(2 * HOUR - 1)).toEqual({ fired: 0, stale: 0, failed: 0 });
    expect((await get(o.id)).status.order).toBe('placed');
    expect(await advance(1)).toEqual({ fired: 1, stale: 0, failed: 0 });
    expect((await get(o.id)).status.order).toBe('cancelled');
    await expectLevels(t.ordo.pool, sku, { onHand: 5, reserved: 0 });
  });

  it("the order's own, later deadline wins over 72 hours", async () => {
    const expiresAt = at(100 * HOUR);
    const o = ok(await t.ordo.orders.create(input([{ sku: 'ANY', quantity: 1 }], { payment: { method: 'invoice', expiresAt } }), admin));
    expect(await advance(72 * HOUR)).toEqual({ fired: 0, stale: 0, failed: 0 });
    expect((await get(o.id)).status.order).toBe('placed');
    expect(await advance(28 * HOUR)).toEqual({ fired: 1, stale: 0, failed: 0 });
    expect((await get(o.id)).status.order).toBe('cancelled');
  });

  it('an own deadline written without milliseconds fires', async () => {
    const sku = await stocked(5);
    const due = new Date(t.clock.now().getTime() + HOUR * 1000);
    const expiresAt = due.toISOString().replace('.000Z', 'Z');
    const o = await t.call('POST', '/v1/orders', { currency: 'EUR', lines: [{ sku, quantity: 1, unitPrice: 100 }], payment: { method: 'invoice', expiresAt } });
    expect(o.status).toBe(201);
    try {
      const swept = await t.call('POST', '/v1/clock/advance', { seconds: HOUR });
      expect(swept.body).toMatchObject({ fired: 1, stale: 0 });
      expect((await get(o.body.id)).status.order).toBe('cancelled');
      await expectLevels(t.ordo.pool, sku, { onHand: 5, reserved: 0 });
    } finally {
      // Leave nothing behind for the next test: cancelling drops the timer the order still lists.
      await t.ordo.orders.execute(o.body.id, { type: 'transition', track: 'order', to: 'cancelled' }, admin);
    }
  });

  it('an own deadline written with a UTC offset fires', async () => {
    const due = new Date(t.clock.now().getTime() + HOUR * 1000);
    const expiresAt = due.toISOString().replace('Z', '+00:00');
    const o = ok(await t.ordo.orders.create(input([{ sku: 'ANY', quantity: 1 }], { payment: { method: 'invoice', expiresAt } }), admin));
    try {
      expect(await advance(HOUR)).toEqual({ fired: 1, stale: 0, failed: 0 });
      expect((await get(o.id)).status.order).toBe('cancelled');
    } finally {
      await t.ordo.orders.execute(o.id, { type: 'transition', track: 'order', to: 'cancelled' }, admin);
    }
  });
});

describe('POST /v1/clock/advance', () => {
  it('moves the clock by exactly the seconds given and fires what became due', async () => {
    const o = await t.call('POST', '/v1/orders', { currency: 'EUR', lines: [{ sku: 'ANY', quantity: 1, unitPrice: 100 }], draft: true });
    expect(o.status).toBe(201);
    const before = t.clock.now().getTime();
    const early = await t.call('POST', '/v1/clock/advance', { seconds: 599 });
    expect(early.status).toBe(200);
    expect(early.body).toEqual({ now: new Date(before + 599_000).toISOString(), fired: 0, stale: 0, failed: 0 });
    expect((await t.call('GET', `/v1/orders/${o.body.id}`)).body.status.order).toBe('draft');
    const due = await t.call('POST', '/v1/clock/advance', { seconds: 1 });
    expect(due.body).toEqual({ now: new Date(before + 600_000).toISOString(), fired: 1, stale: 0, failed: 0 });
    expect((await t.call('GET', `/v1/orders/${o.body.id}`)).body.status.order).toBe('cancelled');
    // Orders created now carry the test clock's time.
    const later = await t.call('POST', '/v1/orders', { currency: 'EUR', lines: [{ sku: 'ANY', quantity: 1, unitPrice: 100 }] });
    expect(later.body.createdAt).toBe(new Date(before + 600_000).toISOString());
  });

  it('is for admins only, and takes a whole number of seconds', async () => {
    const shop = await t.storefrontKey('clock-shopper');
    const now = t.clock.now().toISOString();
    expect((await t.call('POST', '/v1/clock/advance', { seconds: 60 }, { key: shop })).status).toBe(403);
    expect((await t.call('POST', '/v1/clock/advance', { seconds: 60 }, { key: null })).status).toBe(401);
    for (const body of [{ seconds: 0 }, { seconds: -5 }, { seconds: 1.5 }, { seconds: '60' }, {}, { seconds: 60, extra: 1 }]) {
      const r = await t.call('POST', '/v1/clock/advance', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
    expect(t.clock.now().toISOString()).toBe(now);
  });

  it('does not exist when Ordo runs on the system clock', async () => {
    const live = await createOrdo({ databaseUrl: t.ordo.databaseUrl, migrate: false, poolSize: 2 });
    const app = await buildServer(live);
    try {
      const r = await app.inject({ method: 'POST', url: '/v1/clock/advance', headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' }, payload: '{"seconds":60}' });
      expect(r.statusCode).toBe(404);
    } finally {
      await app.close();
      await live.close();
    }
  });
});
