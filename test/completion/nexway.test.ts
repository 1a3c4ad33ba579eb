/**
 * Nexway's screening and completion steps (seed 003): a paid order is screened; flagged, it
 * waits in FRAUD_PENDING for review; else its completion steps run on their own and it is
 * COMPLETED, or PARTIAL_COMPLETED / PENDING_WITH_ERROR when a step fails, repaired later.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FollowUpStep } from '../../src/domain/completion.js';
import type { Order } from '../../src/domain/order.js';
import { ManualClock } from '../../src/engine/clock.js';
import { createOrdo, type Ordo } from '../../src/engine/ordo.js';
import { freshDatabase } from '../support/database.js';

const admin = { kind: 'admin', id: 'test' } as const;
let ordo: Ordo;
let clock: ManualClock;
const calls: { step: FollowUpStep; order: string }[] = [];

beforeAll(async () => {
  clock = new ManualClock(new Date('2026-02-01T10:00:00Z'));
  ordo = await createOrdo({
    databaseUrl: await freshDatabase(),
    migrate: false,
    clock,
    fraud: { rules: { amountAbove: 50_000, emailDomains: ['fraud.example'] } },
    // The real handlers (goods, invoice, e-mail), recorded; they fail when the order's metadata says so.
    completionHandler: async (step, order) => {
      calls.push({ step, order: order.id });
      const fail = order.metadata.simulateFailure;
      return fail === step || (Array.isArray(fail) && fail.includes(step)) ? 'failed' : 'done';
    },
  });
});
afterAll(() => ordo.close());

const order = (over: { email?: string; unitPrice?: number; metadata?: Record<string, unknown> } = {}) => ({
  workflow: 'nexway',
  currency: 'EUR',
  customer: { email: over.email ?? 'shopper@example.com' },
  lines: [{ sku: 'EBOOK', quantity: 1, unitPrice: over.unitPrice ?? 2_000 }],
  payment: { method: 'card' as const },
  ...(over.metadata ? { metadata: over.metadata } : {}),
});

async function place(over?: Parameters<typeof order>[0]) {
  const created = await ordo.payments.createOrder(order(over), admin);
  if (!created.ok) throw new Error(created.message);
  return created.value;
}

const stepsRun = (id: string) => calls.filter((c) => c.order === id).map((c) => c.step);
const history = async (id: string) => {
  const h = await ordo.orders.history(id, admin);
  if (!h.ok) throw new Error(h.message);
  return h.value;
};

describe('003: screening', () => {
  it('an order above the amount the merchant set waits in FRAUD_PENDING once paid, and its steps do not run', async () => {
    const o = await place({ unitPrice: 60_000 });
    expect(o.status.order).toBe('FRAUD_PENDING');
    expect(stepsRun(o.id)).toEqual([]);
    expect(o.timers.map((t) => t.name)).toEqual(['fraud-review']);
  });

  it('an order from an e-mail domain on the list is flagged too; one that matches no rule completes', async () => {
    expect((await place({ email: 'x@fraud.example' })).status.order).toBe('FRAUD_PENDING');
    const clean = await place();
    expect(clean.status.order).toBe('COMPLETED');
    expect(stepsRun(clean.id)).toEqual(['fulfilment', 'invoice', 'confirmation']);
  });

  it('a review accepted sends the order on to its completion steps; rejected, it is cancelled and its stock released', async () => {
    const accepted = await place({ unitPrice: 60_000 });
    const on = await ordo.orders.execute(accepted.id, { type: 'transition', to: 'PENDING' }, admin);
    expect(on.ok && on.value.status.order).toBe('COMPLETED');
    const rejected = await place({ unitPrice: 60_000 });
    const off = await ordo.orders.execute(rejected.id, { type: 'transition', to: 'CANCELED', reason: 'stolen card' }, admin);
    expect(off.ok && off.value.status.order).toBe('CANCELED');
    // No completion step runs for it; the shopper is only sent the cancellation notice.
    expect(stepsRun(rejected.id)).toEqual(['cancellation_notice']);
  });

  it('an admin may put an order in review by hand', async () => {
    const created = await ordo.orders.create({ ...order(), payment: undefined }, admin);
    if (!created.ok) throw new Error(created.message);
    const review = await ordo.orders.execute(created.value.id, { type: 'transition', to: 'FRAUD_PENDING', reason: 'odd address' }, admin);
    expect(review.ok && review.value.status.order).toBe('FRAUD_PENDING');
  });

  it('a screener of the merchant\'s own plugs in', async () => {
    const own = await createOrdo({ databaseUrl: ordo.databaseUrl, migrate: false, clock, fraud: { screen: async (o: Order) => ({ flagged: o.customer.email === 'me@example.com', reasons: ['my rule'] }) } });
    try {
      const created = await own.payments.createOrder({ ...order(), customer: { email: 'me@example.com' } }, admin);
      expect(created.ok && created.value.status.order).toBe('FRAUD_PENDING');
    } finally {
      await own.close();
    }
  });
});

describe('003: completion steps', () => {
  it('a failed delivery leaves the order PARTIAL_COMPLETED; the repair runs only what failed, and completes it', async () => {
    const o = await place({ metadata: { simulateFailure: 'fulfilment' } });
    expect(o.status.order).toBe('PARTIAL_COMPLETED');
    expect(stepsRun(o.id)).toEqual(['fulfilment', 'invoice', 'confirmation']);
    const h = await history(o.id);
    expect(h.find((e) => e.type === 'order.completion_steps')?.data).toMatchObject({ results: { fulfilment: 'failed', invoice: 'done', confirmation: 'done' }, outcome: 'completion.partial' });
    // The rehearsal stops failing; the repair timer brings the order back and the step runs again.
    await ordo.pool.query(`UPDATE orders SET body = jsonb_set(body, '{metadata}', '{}') WHERE id = $1`, [o.id]);
    clock.advance(5 * 60);
    await ordo.sweeper.sweep();
    const after = await ordo.orders.get(o.id, admin);
    expect(after.ok && after.value.status.order).toBe('COMPLETED');
    expect(stepsRun(o.id)).toEqual(['fulfilment', 'invoice', 'confirmation', 'fulfilment']);
  });

  it('a failed invoice or confirmation is an error to repair (PENDING_WITH_ERROR)', async () => {
    expect((await place({ metadata: { simulateFailure: ['confirmation'] } })).status.order).toBe('PENDING_WITH_ERROR');
  });

  it('an order left in PENDING by a crash has its steps run by the recovery', async () => {
    const o = await place();
    // As if the process stopped right after writing PENDING.
    await ordo.pool.query(`UPDATE orders SET status = '{"order":"PENDING"}', status_tags = ARRAY['PENDING','order:PENDING'], body = body - 'completion', updated_at = updated_at - interval '1 hour' WHERE id = $1`, [o.id]);
    const before = stepsRun(o.id).length;
    expect(await ordo.completions.recover(0)).toBeGreaterThanOrEqual(1);
    expect(stepsRun(o.id).length).toBe(before + 3);
    const after = await ordo.orders.get(o.id, admin);
    expect(after.ok && after.value.status.order).toBe('COMPLETED');
  });

  it('an order left CANCELED by a crash before its cancellation notice went out is sent it by the recovery, once', async () => {
    const o = await place();
    const cancelled = await ordo.cancellations.cancel(o.id, { reason: 'test' }, admin);
    expect(cancelled.ok && cancelled.value.status.order).toBe('CANCELED');
    expect(stepsRun(o.id).filter((s) => s === 'cancellation_notice')).toHaveLength(1);
    // As if the process stopped right after writing CANCELED: the notice is due and unrecorded.
    await ordo.pool.query(`UPDATE orders SET body = jsonb_set(body, '{cancellationNotice}', '{"due":true,"sent":false,"failures":0}'), updated_at = updated_at - interval '1 hour' WHERE id = $1`, [o.id]);
    expect(await ordo.completions.recover(0)).toBeGreaterThanOrEqual(1);
    expect(stepsRun(o.id).filter((s) => s === 'cancellation_notice')).toHaveLength(2);
    // Recorded as sent: the next recovery leaves it alone.
    await ordo.completions.recover(0);
    expect(stepsRun(o.id).filter((s) => s === 'cancellation_notice')).toHaveLength(2);
  });

  it('orders whose notice failed (CANCELED_WITH_ERROR) wait for an admin and do not crowd out an order the recovery must finish', async () => {
    for (let i = 0; i < 3; i++) {
      const failing = await place({ metadata: { simulateFailure: 'cancellation_notice' } });
      const c = await ordo.cancellations.cancel(failing.id, { reason: 'test' }, admin);
      expect(c.ok && c.value.status.order).toBe('CANCELED_WITH_ERROR');
    }
    await ordo.pool.query(`UPDATE orders SET updated_at = updated_at - interval '2 hours' WHERE workflow = 'nexway'`);
    const stuck = await place();
    await ordo.cancellations.cancel(stuck.id, { reason: 'test' }, admin);
    await ordo.pool.query(`UPDATE orders SET body = jsonb_set(body, '{cancellationNotice}', '{"due":true,"sent":false,"failures":0}'), updated_at = updated_at - interval '1 hour' WHERE id = $1`, [stuck.id]);
    const before = stepsRun(stuck.id).length;
    // One at a time: the failed ones, older, are not what it picks.
    expect(await ordo.completions.recover(0, 1)).toBe(1);
    expect(stepsRun(stuck.id)).toHaveLength(before + 1);
  });

  it('an answer for a notice that is not due changes nothing (a late or second answer cannot undo the first)', async () => {
    const o = await place();
    await ordo.cancellations.cancel(o.id, { reason: 'test' }, admin);
    const late = await ordo.orders.execute(o.id, { type: 'record_cancellation_notice', result: 'failed' }, { kind: 'system', id: 'late' });
    expect(late).toMatchObject({ ok: false, code: 'notice_not_due' });
    const after = await ordo.orders.get(o.id, admin);
    expect(after.ok && after.value.status.order).toBe('CANCELED');
  });
});
