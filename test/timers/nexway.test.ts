/** Nexway's timers on the test clock: an asynchronous payment aborts, a fraud review lapses, repairs retry with backoff. */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/domain/duration.js';
import { nexway } from '../../src/workflows/nexway.js';
import type { TestApp } from '../support/app.js';
import { timerSuite } from './clock.js';
import { admin, customer, expectLevels, expectRecordsConsistent, gateway, history, input, ok, orderMovements, system, uniqueSku } from '../stock/helpers.js';

const suite = timerSuite();
let t: TestApp;
beforeAll(() => {
  t = suite.t();
});

const DAY = 86_400;
const none = { fired: 0, stale: 0, failed: 0 };
const one = { fired: 1, stale: 0, failed: 0 };
const { at, advance } = suite;
const status = async (id: string) => ok(await t.ordo.orders.get(id, admin)).status.order;
const setting = (name: string) => parseDuration(nexway.settings[name] as string)!;

async function stocked(onHand: number) {
  const sku = uniqueSku('TNX');
  ok(await t.ordo.stock.set(sku, { onHand }, admin));
  return sku;
}

describe('PAYMENT_PENDING', () => {
  it('aborts after the paymentTimeout setting, not a second earlier, and releases the stock', async () => {
    const timeout = setting('paymentTimeout');
    expect(timeout).toBe(7 * DAY);
    const sku = await stocked(4);
    const shopper = customer('nx-shopper');
    const o = ok(await t.ordo.orders.create(input([{ sku, quantity: 3 }], { workflow: 'nexway' }), shopper));
    expect(o.status.order).toBe('CREATED');
    expect(o.timers).toEqual([]);
    const pending = ok(await t.ordo.orders.execute(o.id, { type: 'transition', to: 'PAYMENT_PENDING' }, shopper));
    expect(pending.timers).toEqual([{ name: 'payment-timeout', track: 'order', dueAt: at(timeout), extended: false }]);
    await expectLevels(t.ordo.pool, sku, { onHand: 4, reserved: 3 });
    expect(await advance(timeout - 1)).toEqual(none);
    expect(await status(o.id)).toBe('PAYMENT_PENDING');
    expect(await advance(1)).toEqual(one);
    expect(await status(o.id)).toBe('ABORTED');
    await expectLevels(t.ordo.pool, sku, { onHand: 4, reserved: 0 });
    expect(await orderMovements(t.ordo.pool, o.id)).toEqual(['reserve 3', 'release 3']);
    const h = await history(t.ordo.pool, o.id);
    expect(h.filter((x) => x.type === 'order.status_changed').map((x) => `${x.from_state}->${x.to_state}:${x.actor_kind}`))
      .toEqual(['CREATED->PAYMENT_PENDING:customer', 'PAYMENT_PENDING->ABORTED:system']);
    await expectRecordsConsistent(t.ordo.pool, o.id);
  });

  it('a payment confirmed in time stops the clock', async () => {
    const o = ok(await t.ordo.orders.create(input([{ sku: 'NX-ANY', quantity: 1 }], { workflow: 'nexway' }), admin));
    ok(await t.ordo.orders.execute(o.id, { type: 'transition', to: 'PAYMENT_PENDING' }, gateway));
    t.clock.advance(DAY);
    // Confirmed: the completion steps run at once and complete the order; no abort is left waiting.
    expect(ok(await t.ordo.orders.execute(o.id, { type: 'transition', to: 'PENDING' }, gateway)).timers).toEqual([]);
    expect(await advance(30 * DAY)).toEqual(none);
    expect(await status(o.id)).toBe('COMPLETED');
  });
});

describe('FRAUD_PENDING', () => {
  it('is cancelled automatically after 6 days, and releases the stock', async () => {
    expect(setting('fraudReviewTimeout')).toBe(6 * DAY);
    const sku = await stocked(2);
    const o = ok(await t.ordo.orders.create(input([{ sku, quantity: 2 }], { workflow: 'nexway' }), admin));
    const flagged = ok(await t.ordo.orders.execute(o.id, { type: 'transition', to: 'FRAUD_PENDING' }, system));
    expect(flagged.timers).toEqual([{ name: 'fraud-review', track: 'order', dueAt: at(6 * DAY), extended: false }]);
    expect(await advance(6 * DAY - 1)).toEqual(none);
    expect(await status(o.id)).toBe('FRAUD_PENDING');
    await expectLevels(t.ordo.pool, sku, { onHand: 2, reserved: 2 });
    expect(await advance(1)).toEqual(one);
    expect(await status(o.id)).toBe('CANCELED');
    await expectLevels(t.ordo.pool, sku, { onHand: 2, reserved: 0 });
  });

  it('a review accepted in time is not cancelled', async () => {
    const o = ok(await t.ordo.orders.create(input([{ sku: 'NX-ANY', quantity: 1 }], { workflow: 'nexway' }), admin));
    ok(await t.ordo.orders.execute(o.id, { type: 'transition', to: 'FRAUD_PENDING' }, system));
    t.clock.advance(5 * DAY);
    ok(await t.ordo.orders.execute(o.id, { type: 'transition', to: 'PENDING' }, admin));
    expect(await advance(2 * DAY)).toEqual(none);
    expect(await status(o.id)).toBe('COMPLETED');
    expect((await history(t.ordo.pool, o.id)).filter((h) => h.type === 'timer.fired')).toEqual([]);
  });
});

describe('repair retries', () => {
  it('PENDING_WITH_ERROR goes back to PENDING after the retry delay, waiting twice as long each time it fails again', async () => {
    const first = setting('repairRetry');
    // The invoice fails three times, then works (a rehearsal the built-in step handler supports).
    const o = ok(await t.ordo.orders.create({ ...input([{ sku: 'NX-ANY', quantity: 1 }], { workflow: 'nexway' }), metadata: { simulateFailure: { invoice: 3 } } }, admin));
    expect(ok(await t.ordo.orders.execute(o.id, { type: 'transition', to: 'PENDING' }, gateway)).status.order).toBe('PENDING_WITH_ERROR');
    for (const [i, delay] of [first, 2 * first, 4 * first].entries()) {
      expect((await t.ordo.orders.get(o.id, admin).then(ok)).timers).toEqual([{ name: 'repair', track: 'order', dueAt: at(delay), extended: false }]);
      expect(await advance(delay - 1)).toEqual(none);
      expect(await advance(1)).toEqual(one);
      expect(await status(o.id)).toBe(i < 2 ? 'PENDING_WITH_ERROR' : 'COMPLETED');
    }
    expect((await history(t.ordo.pool, o.id)).filter((h) => h.type === 'timer.fired')).toHaveLength(3);
  });
});
