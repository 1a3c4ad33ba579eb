/** nuTickets' timers on the test clock: the basket and its one extension, payment links, on-site and local payments. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.js';
import { timerSuite } from './clock.js';
import { admin, customer, expectLevels, expectRecordsConsistent, history, input, ok, orderMovements, uniqueSku } from '../stock/helpers.js';

const suite = timerSuite();
let t: TestApp;
let shopKey: string;
const CUSTOMER = 'nt-buyer';
beforeAll(async () => {
  t = suite.t();
  shopKey = await t.storefrontKey(CUSTOMER);
});

const MIN = 60;
const HOUR = 3600;
const { at, advance } = suite;
const status = async (id: string) => ok(await t.ordo.orders.get(id, admin)).status.order;
const none = { fired: 0, stale: 0, failed: 0 };
const one = { fired: 1, stale: 0, failed: 0 };

async function stocked(onHand: number) {
  const sku = uniqueSku('TNT');
  ok(await t.ordo.stock.set(sku, { onHand }, admin));
  return sku;
}
const ticket = (sku: string, payment?: { method: string; expiresAt?: string }) =>
  t.ordo.orders.create(input([{ sku, quantity: 2 }], { workflow: 'nutickets', ...(payment ? { payment } : {}) }), admin);

describe('basket', () => {
  it('an active basket expires after 10 minutes (not at 9:59) and releases its tickets', async () => {
    const sku = await stocked(5);
    const o = ok(await ticket(sku));
    expect(o.status.order).toBe('active');
    expect(o.timers).toEqual([{ name: 'basket', track: 'order', dueAt: at(10 * MIN), extended: false }]);
    await expectLevels(t.ordo.pool, sku, { onHand: 5, reserved: 2 });
    expect(await advance(10 * MIN - 1)).toEqual(none);
    expect(await status(o.id)).toBe('active');
    expect(await advance(1)).toEqual(one);
    expect(await status(o.id)).toBe('expired');
    await expectLevels(t.ordo.pool, sku, { onHand: 5, reserved: 0 });
    expect(await orderMovements(t.ordo.pool, o.id)).toEqual(['reserve 2', 'release 2']);
    const h = await history(t.ordo.pool, o.id);
    expect(h.map((x) => x.type)).toEqual(['order.created', 'timer.fired', 'order.status_changed']);
    expect(h[2]).toMatchObject({ from_state: 'active', to_state: 'expired', actor_kind: 'system' });
    await expectRecordsConsistent(t.ordo.pool, o.id);
  });

  it('the customer extends it once by 10 minutes; a second extension is refused with 409 timer_already_extended', async () => {
    const sku = await stocked(5);
    const created = await t.call('POST', '/v1/orders', { workflow: 'nutickets', currency: 'EUR', lines: [{ sku, quantity: 2, unitPrice: 2500 }] }, { key: shopKey });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const firstDue = at(10 * MIN);
    expect(created.body.timers).toEqual([{ name: 'basket', track: 'order', dueAt: firstDue, extended: false }]);
    t.clock.advance(8 * MIN);
    const extended = await t.call('POST', `/v1/orders/${id}/timers/basket/extend`, undefined, { key: shopKey });
    expect(extended.status).toBe(200);
    // Pushed back by one timeout from when it was due, not from now.
    expect(extended.body.timers).toEqual([{ name: 'basket', track: 'order', dueAt: at(12 * MIN), extended: true }]);
    expect(Date.parse(extended.body.timers[0].dueAt) - Date.parse(firstDue)).toBe(10 * MIN * 1000);
    expect(extended.body.version).toBe(created.body.version + 1);

    const again = await t.call('POST', `/v1/orders/${id}/timers/basket/extend`, undefined, { key: shopKey });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'timer_already_extended', dueAt: at(12 * MIN) });

    // The old due time passes without a firing; the new one fires (the test clock, over HTTP).
    const tick = async (seconds: number) => {
      const r = await t.call('POST', '/v1/clock/advance', { seconds });
      expect(r.status).toBe(200);
      expect(r.body.now).toBe(t.clock.now().toISOString());
      return { fired: r.body.fired, stale: r.body.stale, failed: r.body.failed };
    };
    expect(await tick(2 * MIN)).toEqual(none);
    expect((await t.call('GET', `/v1/orders/${id}`, undefined, { key: shopKey })).body.status.order).toBe('active');
    expect(await tick(10 * MIN - 1)).toEqual(none);
    expect(await tick(1)).toEqual(one);
    expect((await t.call('GET', `/v1/orders/${id}`, undefined, { key: shopKey })).body.status.order).toBe('expired');
    await expectLevels(t.ordo.pool, sku, { onHand: 5, reserved: 0 });
    const h = await history(t.ordo.pool, id);
    expect(h.map((x) => x.type)).toEqual(['order.created', 'timer.extended', 'timer.fired', 'order.status_changed']);
    expect(h[1]).toMatchObject({ actor_kind: 'customer', data: { name: 'basket' } });
  });

  it('an extension is refused for a timer the order is not waiting on, one that cannot be extended, and someone else\'s order', async () => {
    const sku = await stocked(5);
    const mine = await t.call('POST', '/v1/orders', { workflow: 'nutickets', currency: 'EUR', lines: [{ sku, quantity: 1, unitPrice: 2500 }] }, { key: shopKey });
    const missing = await t.call('POST', `/v1/orders/${mine.body.id}/timers/payment-link/extend`, undefined, { key: shopKey });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'timer_not_found', timers: ['basket'] });
    const other = await t.storefrontKey('nt-someone-else');
    expect((await t.call('POST', `/v1/orders/${mine.body.id}/timers/basket/extend`, undefined, { key: other })).body.code).toBe('order_not_found');
    const link = ok(await ticket(sku, { method: 'payment_link' }));
    const notExtendable = await t.call('POST', `/v1/orders/${link.id}/timers/payment-link/extend`);
    expect(notExtendable.status).toBe(409);
    expect(notExtendable.body.code).toBe('timer_not_extendable');
    // Nothing moved: the basket is still due 10 minutes after it started.
    expect((await t.call('GET', `/v1/orders/${mine.body.id}`, undefined, { key: shopKey })).body.timers[0]).toMatchObject({ dueAt: at(10 * MIN), extended: false });
  });

  it('paying in time stops the basket timer', async () => {
    const sku = await stocked(5);
    const me = customer(CUSTOMER);
    const o = ok(await t.ordo.orders.create(input([{ sku, quantity: 1 }], { workflow: 'nutickets' }), me));
    t.clock.advance(9 * MIN);
    const paying = ok(await t.ordo.orders.execute(o.id, { type: 'transition', to: 'processing' }, me));
    expect(paying.timers).toEqual([]);
    expect(await advance(HOUR)).toEqual(none);
    expect(await status(o.id)).toBe('processing');
    await expectLevels(t.ordo.pool, sku, { onHand: 5, reserved: 1 });
  });
});

describe('payment link', () => {
  it('expires after 72 hours by default and releases', async () => {
    const sku = await stocked(5);
    const o = ok(await ticket(sku, { method: 'payment_link' }));
    expect(o.status.order).toBe('awaiting_payment_link');
    expect(o.timers).toEqual([{ name: 'payment-link', track: 'order', dueAt: at(72 * HOUR), extended: false }]);
    expect(await advance(72 * HOUR - 1)).toEqual(none);
    expect(await status(o.id)).toBe('awaiting_payment_link');
    await expectLevels(t.ordo.pool, sku, { onHand: 5, reserved: 2 });
    expect(await advance(1)).toEqual(one);
    expect(await status(o.id)).toBe('expired');
    await expectLevels(t.ordo.pool, sku, { onHand: 5, reserved: 0 });
  });

  it('expires at its own date when it has one, earlier or later than 72 hours', async () => {
    const sku = await stocked(5);
    const soon = ok(await ticket(sku, { method: 'payment_link', expiresAt: at(5 * HOUR) }));
    const late = ok(await ticket(sku, { method: 'payment_link', expiresAt: at(100 * HOUR) }));
    expect(soon.timers[0]!.dueAt).toBe(at(5 * HOUR));
    expect(await advance(5 * HOUR - 1)).toEqual(none);
    expect(await advance(1)).toEqual(one);
    expect(await status(soon.id)).toBe('expired');
    expect(await advance(67 * HOUR)).toEqual(none);
    expect(await status(late.id)).toBe('awaiting_payment_link');
    expect(await advance(28 * HOUR)).toEqual(one);
    expect(await status(late.id)).toBe('expired');
    await expectLevels(t.ordo.pool, sku, { onHand: 5, reserved: 0 });
  });
});

describe('on-site and local payments', () => {
  it('an on-site reservation without an expiry date never expires', async () => {
    const sku = await stocked(5);
    const o = ok(await ticket(sku, { method: 'onsite' }));
    expect(o.status.order).toBe('awaiting_onsite_payment');
    expect(o.timers).toEqual([]);
    expect(await advance(365 * 86_400)).toEqual(none);
    expect(await status(o.id)).toBe('awaiting_onsite_payment');
    await expectLevels(t.ordo.pool, sku, { onHand: 5, reserved: 2 });
  });

  it('an on-site reservation with an expiry date expires at it and releases', async () => {
    const sku = await stocked(5);
    const o = ok(await ticket(sku, { method: 'onsite', expiresAt: at(3 * 86_400) }));
    expect(o.timers).toEqual([{ name: 'onsite', track: 'order', dueAt: at(3 * 86_400), extended: false }]);
    expect(await advance(3 * 86_400 - 1)).toEqual(none);
    expect(await advance(1)).toEqual(one);
    expect(await status(o.id)).toBe('expired');
    await expectLevels(t.ordo.pool, sku, { onHand: 5, reserved: 0 });
  });

  it('a local payment never expires, even with a date given', async () => {
    const sku = await stocked(5);
    const plain = ok(await ticket(sku, { method: 'local' }));
    const dated = ok(await ticket(sku, { method: 'local', expiresAt: at(HOUR) }));
    for (const o of [plain, dated]) {
      expect(o.status.order).toBe('awaiting_local_payment');
      expect(o.timers).toEqual([]);
    }
    expect(await advance(365 * 86_400)).toEqual(none);
    expect(await status(plain.id)).toBe('awaiting_local_payment');
    expect(await status(dated.id)).toBe('awaiting_local_payment');
    await expectLevels(t.ordo.pool, sku, { onHand: 5, reserved: 4 });
  });
});
