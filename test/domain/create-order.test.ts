import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import { decideCreate, MAX_QUANTITY, type NewOrder, type NewOrderLine } from '../../src/domain/create-order.js';
import { standard } from '../../src/workflows/standard.js';
import { NOW } from './fixtures.js';

const admin: Actor = { kind: 'admin', id: 'key-admin' };
const ctx = (actor: Actor = admin, lineIds: readonly string[] = ['l-1', 'l-2', 'l-3']) => ({ id: 'order-1', lineIds, actor, now: NOW });
const good: NewOrderLine = { sku: 'MUG', name: 'Mug', quantity: 2, unitPrice: 1250 };

describe('decideCreate', () => {
  it('builds the order from the input', () => {
    const input: NewOrder = {
      currency: 'EUR',
      customer: { email: 'ann@example.com' },
      lines: [good, { sku: 'TEA', quantity: 1, unitPrice: 0 }],
      shipping: { amount: 495, method: 'post' },
      metadata: { channel: 'web' },
    };
    const result = decideCreate(standard, input, ctx());
    if (!result.ok) throw new Error(result.message);
    expect(result.value.order).toEqual({
      id: 'order-1',
      code: null,
      workflow: 'standard',
      workflowVersion: 1,
      status: { order: 'placed', payment: 'unpaid', fulfillment: 'unfulfilled' },
      currency: 'EUR',
      customer: { email: 'ann@example.com' },
      lines: [
        { id: 'l-1', sku: 'MUG', name: 'Mug', quantity: 2, unitPrice: 1250, reserved: 2, committed: 0 },
        { id: 'l-2', sku: 'TEA', quantity: 1, unitPrice: 0, reserved: 1, committed: 0 },
      ],
      shipping: { amount: 495, method: 'post' },
      billingAddress: null,
      surcharges: [],
      paid: 0,
      refunded: 0,
      payments: [],
      refunds: [],
      fulfillments: [],
      returns: [],
      metadata: { channel: 'web' },
      deadlines: {},
      timers: [{ name: 'payment-deadline', track: 'order', state: 'placed', event: 'timer.payment_timeout', dueAt: '2025-03-04T12:00:00.000Z' }],
      version: 1,
      createdAt: NOW,
      updatedAt: NOW,
      placedAt: NOW,
    });
  });

  it.each(['ABC', 'usd', 'EURO', ''])('rejects the unknown currency %j', (currency) => {
    const result = decideCreate(standard, { currency, lines: [good] }, ctx());
    expect(result).toMatchObject({ ok: false, code: 'unknown_currency', details: { currency } });
  });

  it.each([
    { what: 'quantity 0', bad: { quantity: 0 } },
    { what: 'a negative quantity', bad: { quantity: -1 } },
    { what: 'a fractional quantity', bad: { quantity: 1.5 } },
    { what: 'a NaN quantity', bad: { quantity: Number.NaN } },
    { what: `a quantity above ${MAX_QUANTITY}`, bad: { quantity: MAX_QUANTITY + 1 } },
    { what: 'a negative price', bad: { unitPrice: -1 } },
    { what: 'a fractional price', bad: { unitPrice: 12.5 } },
    { what: 'an infinite price', bad: { unitPrice: Number.POSITIVE_INFINITY } },
    { what: 'an unsafe price', bad: { unitPrice: Number.MAX_SAFE_INTEGER + 1 } },
  ])('rejects $what on the second line', ({ bad }) => {
    const result = decideCreate(standard, { currency: 'EUR', lines: [good, { ...good, ...bad }] }, ctx());
    expect(result).toMatchObject({ ok: false, code: 'validation_failed', details: { line: 1 } });
    expect(result.ok ? '' : result.message).toContain('line 2:');
  });

  it('accepts the largest allowed quantity and a free line', () => {
    const result = decideCreate(standard, { currency: 'EUR', lines: [{ sku: 'PIN', quantity: MAX_QUANTITY, unitPrice: 0 }] }, ctx());
    expect(result.ok).toBe(true);
  });

  it.each([-1, 4.95, Number.NaN])('rejects a shipping amount of %s', (amount) => {
    const result = decideCreate(standard, { currency: 'EUR', lines: [good], shipping: { amount } }, ctx());
    expect(result).toMatchObject({ ok: false, code: 'validation_failed', message: 'shipping.amount must be whole minor units >= 0' });
  });

  it("gives a customer's order the actor's customerId, whatever the body says", () => {
    const customer: Actor = { kind: 'customer', id: 'key-shop', customerId: 'cust-42' };
    const result = decideCreate(standard, { currency: 'EUR', customer: { id: 'cust-other', email: 'bob@example.com' }, lines: [good] }, ctx(customer));
    expect(result.ok && result.value.order.customer).toEqual({ id: 'cust-42', email: 'bob@example.com' });
  });

  it('gives a customer actor its own id even when the body names no customer', () => {
    const customer: Actor = { kind: 'customer', customerId: 'cust-7' };
    const result = decideCreate(standard, { currency: 'EUR', lines: [good] }, ctx(customer));
    expect(result.ok && result.value.order.customer.id).toBe('cust-7');
  });

  it('lets an admin create an order for the customer named in the body', () => {
    const result = decideCreate(standard, { currency: 'EUR', customer: { id: 'cust-other' }, lines: [good] }, ctx());
    expect(result.ok && result.value.order.customer).toEqual({ id: 'cust-other' });
  });

  it('rejects totals too large to hold exactly', () => {
    const huge = Math.floor(Number.MAX_SAFE_INTEGER / 2) + 1;
    const result = decideCreate(standard, { currency: 'EUR', lines: [{ sku: 'A', quantity: 1, unitPrice: huge }, { sku: 'B', quantity: 1, unitPrice: huge }] }, ctx());
    expect(result).toMatchObject({ ok: false, code: 'amount_out_of_range' });
  });

  it('rejects a line whose quantity x price is too large', () => {
    const result = decideCreate(standard, { currency: 'EUR', lines: [{ sku: 'A', quantity: 1000, unitPrice: 10 ** 13 }] }, ctx());
    expect(result).toMatchObject({ ok: false, code: 'amount_out_of_range' });
  });

  it('rejects shipping that pushes the total out of range', () => {
    const result = decideCreate(
      standard,
      { currency: 'EUR', lines: [{ sku: 'A', quantity: 1, unitPrice: Number.MAX_SAFE_INTEGER }], shipping: { amount: 1 } },
      ctx(),
    );
    expect(result).toMatchObject({ ok: false, code: 'amount_out_of_range' });
  });
});
