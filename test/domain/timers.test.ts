/** Timers in the pure domain: when they are due, extension once, restart on basket change, backoff. */
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/domain/decide.js';
import type { Order } from '../../src/domain/order.js';
import { nexway } from '../../src/workflows/nexway.js';
import { nutickets } from '../../src/workflows/nutickets.js';
import { standard } from '../../src/workflows/standard.js';
import { makeOrder, NOW } from './fixtures.js';

const admin = { kind: 'admin' } as const;
const system = { kind: 'system' } as const;
const inMinutes = (m: number, from = NOW) => new Date(from.getTime() + m * 60_000).toISOString();

function ok(result: ReturnType<typeof decide>): Order {
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.value.order;
}

describe('timers', () => {
  it('starts the timers of the state a track enters, and drops the ones of the state it left', () => {
    const draft = makeOrder({ order: 'draft', payment: 'unpaid', fulfillment: 'unfulfilled' }, undefined, {
      timers: [{ name: 'basket', track: 'order', state: 'draft', event: 'timer.basket_expired', dueAt: inMinutes(10) }],
    });
    const placed = ok(decide(standard, draft, { type: 'transition', to: 'placed' }, admin, NOW));
    expect(placed.timers).toEqual([{ name: 'payment-deadline', track: 'order', state: 'placed', event: 'timer.payment_timeout', dueAt: inMinutes(72 * 60) }]);
  });

  it("uses the order's own deadline when it has one", () => {
    const draft = makeOrder({ order: 'draft', payment: 'unpaid', fulfillment: 'unfulfilled' }, undefined, { deadlines: { payment: '2025-03-02T00:00:00.000Z' } });
    const placed = ok(decide(standard, draft, { type: 'transition', to: 'placed' }, admin, NOW));
    expect(placed.timers[0]!.dueAt).toBe('2025-03-02T00:00:00.000Z');
  });

  it('sets no timer for a deadline-only timer when the order has no such deadline (on-site "only when set")', () => {
    const active = makeOrder({ order: 'active' }, undefined, { workflow: 'nutickets' });
    const admin = { kind: 'admin' } as const;
    const onsite = ok(decide(nutickets, active, { type: 'transition', to: 'awaiting_onsite_payment' }, admin, NOW));
    expect(onsite.timers).toEqual([]);
  });

  it('extends an extendable timer once by its own duration, and refuses a second time', () => {
    const active = makeOrder({ order: 'active' }, undefined, {
      workflow: 'nutickets',
      timers: [{ name: 'basket', track: 'order', state: 'active', event: 'timer.basket_expired', dueAt: inMinutes(10) }],
    });
    const customer = { kind: 'customer', customerId: 'cust-1' } as const;
    const once = ok(decide(nutickets, active, { type: 'extend_timer', name: 'basket' }, customer, NOW));
    expect(once.timers[0]).toMatchObject({ dueAt: inMinutes(20), extended: true });
    const twice = decide(nutickets, once, { type: 'extend_timer', name: 'basket' }, customer, NOW);
    expect(twice).toMatchObject({ ok: false, code: 'timer_already_extended' });
    expect(decide(nutickets, active, { type: 'extend_timer', name: 'nope' }, customer, NOW)).toMatchObject({ ok: false, code: 'timer_not_found' });
  });

  it('refuses to extend a timer that is not extendable', () => {
    const placed = makeOrder({ order: 'placed', payment: 'unpaid', fulfillment: 'unfulfilled' }, undefined, {
      timers: [{ name: 'payment-deadline', track: 'order', state: 'placed', event: 'timer.payment_timeout', dueAt: inMinutes(60) }],
    });
    expect(decide(standard, placed, { type: 'extend_timer', name: 'payment-deadline' }, admin, NOW)).toMatchObject({ ok: false, code: 'timer_not_extendable' });
  });

  it('fires only the timer it names at the time it names, and records the firing', () => {
    const timer = { name: 'payment-deadline', track: 'order', state: 'placed', event: 'timer.payment_timeout', dueAt: inMinutes(60) };
    const placed = makeOrder({ order: 'placed', payment: 'unpaid', fulfillment: 'unfulfilled' }, undefined, { timers: [timer] });
    expect(decide(standard, placed, { type: 'fire_timer', name: timer.name, dueAt: inMinutes(30) }, system, NOW)).toMatchObject({ ok: false, code: 'timer_not_found' });
    const fired = decide(standard, placed, { type: 'fire_timer', name: timer.name, dueAt: timer.dueAt }, system, NOW);
    expect(fired.ok && fired.value.events.map((e) => e.type)).toEqual(['timer.fired', 'order.status_changed']);
    expect(fired.ok && fired.value.order.status.order).toBe('cancelled');
  });

  it('backs off Nexway repair retries, doubling up to the cap, and starts afresh once the order completes', () => {
    let order = makeOrder({ order: 'PENDING' }, undefined, { workflow: 'nexway' });
    const waits: number[] = [];
    let now = NOW;
    for (let i = 0; i < 9; i++) {
      order = ok(decide(nexway, order, { type: 'transition', to: 'PENDING_WITH_ERROR' }, system, now));
      const repair = order.timers.find((t) => t.name === 'repair')!;
      waits.push((Date.parse(repair.dueAt) - now.getTime()) / 60_000);
      now = new Date(repair.dueAt);
      order = ok(decide(nexway, order, { type: 'fire_timer', name: 'repair', dueAt: repair.dueAt }, system, now));
      expect(order.status.order).toBe('PENDING');
    }
    expect(waits).toEqual([5, 10, 20, 40, 80, 160, 320, 360, 360]);
    order = ok(decide(nexway, order, { type: 'transition', to: 'COMPLETED' }, system, now));
    expect(order.timerFirings).toEqual({});
  });
});
