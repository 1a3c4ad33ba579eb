/**
 * What Ordo does on its own with card holds: an order on hold has its card only authorized
 * and captured when the hold is lifted (up to what it still owes), an order over for good lets
 * its holds go. Against a gateway of the test's own that can refuse or fail those calls: Ordo
 * asks once per payment, never loops, and a failure after a committed change is reported, not
 * answered as the command's failure.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import type { Result } from '../../src/domain/result.js';
import { ManualClock } from '../../src/engine/clock.js';
import type { CreateOrderInput } from '../../src/engine/order-service.js';
import type { OrderView } from '../../src/engine/order-view.js';
import { createOrdo, type Ordo } from '../../src/engine/ordo.js';
import type { GatewayAnswer, GatewayCall, PaymentGateway } from '../../src/gateways/port.js';
import { freshDatabase } from '../support/database.js';

type Op = 'charge' | 'authorize' | 'capture' | 'void';

/** Authorizes every card; captures and voids answer what the test sets, or throw. */
class StubGateway implements PaymentGateway {
  readonly name = 'simulated';
  readonly calls: { op: Op; paymentId: string; amount: number }[] = [];
  answers: Partial<Record<Op, GatewayAnswer['outcome'] | 'throw'>> = {};

  private answer(op: Op, call: GatewayCall, fallback: GatewayAnswer['outcome']): Promise<GatewayAnswer> {
    this.calls.push({ op, paymentId: call.paymentId, amount: call.amount });
    const wanted = this.answers[op] ?? fallback;
    if (wanted === 'throw') return Promise.reject(new Error(`the gateway is down (${op})`));
    return Promise.resolve({ outcome: wanted, reference: `stub-${call.key}`, amount: call.amount });
  }
  charge = (c: GatewayCall) => this.answer('charge', c, 'settled');
  authorize = (c: GatewayCall) => this.answer('authorize', c, 'authorized');
  capture = (c: GatewayCall) => this.answer('capture', c, 'settled');
  void = (c: GatewayCall) => this.answer('void', c, 'settled');
  refund = (c: GatewayCall) => Promise.resolve({ outcome: 'settled' as const, reference: `stub-${c.key}` });
  parseCallback(): never {
    throw new Error('no callbacks in this suite');
  }
}

const gateway = new StubGateway();
const errors: unknown[] = [];
let ordo: Ordo;
const admin: Actor = { kind: 'admin', id: 'admin-1' };

beforeAll(async () => {
  ordo = await createOrdo({
    databaseUrl: await freshDatabase(), migrate: false, clock: new ManualClock(new Date('2026-03-01T09:00:00Z')),
    gateways: () => [gateway],
    fraud: { rules: { emailDomains: ['fraud.example'] } },
    onError: (err) => errors.push(err),
  });
});
afterAll(() => ordo.close());
beforeEach(() => {
  gateway.answers = {};
  errors.length = 0;
});

function ok<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.value;
}

const flaggedOrder = (over: Partial<CreateOrderInput> = {}): CreateOrderInput => ({
  currency: 'EUR', customer: { email: 'buyer@fraud.example' }, lines: [{ sku: 'HOLD', quantity: 2, unitPrice: 1000 }], payment: { method: 'card' }, ...over,
});
const callsFor = (o: OrderView, op: Op) => gateway.calls.filter((c) => c.paymentId === o.payments[0]!.id && c.op === op);

describe('a hold lifted', () => {
  it('captures once; a capture the gateway declines is not asked again, whatever saves follow', async () => {
    const o = ok(await ordo.payments.createOrder(flaggedOrder(), admin));
    expect(o.status.order).toBe('in_review');
    expect(o.payments[0]).toMatchObject({ state: 'authorized', captured: 0 });
    gateway.answers.capture = 'declined';
    const accepted = ok(await ordo.orders.execute(o.id, { type: 'transition', track: 'order', to: 'placed' }, admin));
    expect(accepted.status.order).toBe('placed');
    expect(accepted.payments[0]).toMatchObject({ state: 'authorized', captured: 0 });
    // More saves of the same order: Ordo does not ask the gateway again.
    ok(await ordo.orders.execute(o.id, { type: 'transition', track: 'order', to: 'in_review' }, admin));
    ok(await ordo.orders.execute(o.id, { type: 'transition', track: 'order', to: 'placed' }, admin));
    expect(callsFor(o, 'capture')).toHaveLength(1);
  });

  it('captures no more than the order still owes, and lets the rest of the hold go', async () => {
    const o = ok(await ordo.payments.createOrder(flaggedOrder({ lines: [{ sku: 'HOLD', quantity: 1, unitPrice: 1000 }, { sku: 'VIP', quantity: 1, unitPrice: 1000, requiresApproval: true }] }), admin));
    expect(o.status.order).toBe('awaiting_approval');
    expect(o.payments[0]).toMatchObject({ state: 'authorized', authorized: 2000 });
    const reviewed = ok(await ordo.approvals.review(o.id, [{ lineId: o.lines[1]!.id, approved: false, reason: 'members only' }], admin));
    // Rejecting the VIP item leaves 1000 owed; the flagged customer still goes through review first.
    expect(reviewed.status.order).toBe('in_review');
    const accepted = ok(await ordo.orders.execute(o.id, { type: 'transition', track: 'order', to: 'placed' }, admin));
    expect(callsFor(o, 'capture').map((c) => c.amount)).toEqual([1000]);
    expect(accepted.totals).toMatchObject({ total: 1000, paid: 1000, balance: 0 });
  });
});

describe('an order over for good', () => {
  it('voids its card hold once; a void the gateway fails is not asked again', async () => {
    const o = ok(await ordo.payments.createOrder(flaggedOrder(), admin));
    gateway.answers.void = 'failed';
    const cancelled = ok(await ordo.orders.execute(o.id, { type: 'transition', track: 'order', to: 'cancelled' }, admin));
    expect(cancelled.status.order).toBe('cancelled');
    expect(callsFor(o, 'void')).toHaveLength(1);
    expect(cancelled.payments[0]).toMatchObject({ state: 'authorized' });
  });

  it('answers the committed change even when the gateway is down; the failure is reported and the intent left for the recovery', async () => {
    const o = ok(await ordo.payments.createOrder(flaggedOrder(), admin));
    gateway.answers.void = 'throw';
    const cancelled = await ordo.orders.execute(o.id, { type: 'transition', track: 'order', to: 'cancelled' }, admin);
    expect(cancelled.ok && cancelled.value.status.order).toBe('cancelled');
    expect(errors).toHaveLength(1);
    expect(cancelled.ok && cancelled.value.payments[0]).toMatchObject({ state: 'authorized', pendingOperation: 'void' });
    // The gateway is back: the recovery finishes the void with the same key.
    gateway.answers.void = 'settled';
    await ordo.payments.recover(0);
    const after = ok(await ordo.orders.get(o.id, admin));
    expect(after.payments[0]).toMatchObject({ state: 'voided', pendingOperation: null });
  });

  it('keeps holds where the order may still go on: a Vendure cart taken back to AddingItems', async () => {
    const o = ok(await ordo.payments.createOrder({
      workflow: 'vendure', currency: 'EUR', customer: { email: 'cart@example.com' }, lines: [{ sku: 'CART', quantity: 1, unitPrice: 1000 }],
      shipping: { amount: 0, method: 'pickup', address: { line1: 'x', city: 'y', country: 'FR' } }, draft: false,
    }, admin));
    const arranging = ok(await ordo.orders.execute(o.id, { type: 'transition', to: 'ArrangingPayment' }, admin));
    expect(arranging.status.order).toBe('ArrangingPayment');
    const paid = ok(await ordo.payments.add(o.id, { method: 'card', capture: false, amount: 500 }, admin));
    expect(paid.payments[0]).toMatchObject({ state: 'authorized' });
    const back = ok(await ordo.orders.execute(o.id, { type: 'transition', to: 'AddingItems' }, admin));
    expect(back.payments[0]).toMatchObject({ state: 'authorized' });
    expect(gateway.calls.filter((c) => c.op === 'void' && c.paymentId === paid.payments[0]!.id)).toEqual([]);
  });
});
