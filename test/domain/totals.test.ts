import { describe, expect, it } from 'vitest';
import { totalsOf } from '../../src/domain/totals.js';
import { line, makeOrder, standardInitial } from './fixtures.js';

describe('totalsOf', () => {
  it('is all zeros for an order with no lines, shipping or surcharges', () => {
    expect(totalsOf(makeOrder(standardInitial, []))).toEqual({ subtotal: 0, shipping: 0, surcharges: 0, total: 0, paid: 0, refunded: 0, net: 0, refundsPending: 0, balance: 0, overpaid: 0 });
  });

  it('sums quantity x unit price over the lines into the subtotal', () => {
    const order = makeOrder(standardInitial, [line('A', 2, 1999), line('B', 1, 500), line('C', 3, 0)]);
    expect(totalsOf(order)).toEqual({ subtotal: 4498, shipping: 0, surcharges: 0, total: 4498, paid: 0, refunded: 0, net: 0, refundsPending: 0, balance: 4498, overpaid: 0 });
  });

  it('adds shipping to the total', () => {
    const order = makeOrder(standardInitial, [line('A', 1, 2500)], { shipping: { amount: 495, method: 'post' } });
    const t = totalsOf(order);
    expect(t.shipping).toBe(495);
    expect(t.total).toBe(2995);
  });

  it('adds surcharges and takes a negative surcharge off as a discount', () => {
    const order = makeOrder(standardInitial, [line('A', 4, 1000)], {
      surcharges: [
        { id: 's1', description: 'gift wrap', amount: 250 },
        { id: 's2', description: '10% off', amount: -400 },
      ],
    });
    const t = totalsOf(order);
    expect(t.surcharges).toBe(-150);
    expect(t.total).toBe(3850);
  });

  it('computes the balance as what is still owed: a goodwill refund does not raise it', () => {
    const order = makeOrder(standardInitial, [line('A', 2, 1000), line('B', 1, 500)], {
      shipping: { amount: 495 },
      surcharges: [{ id: 's1', description: 'coupon', amount: -150 }],
      paid: 1000,
      refunded: 200,
    });
    expect(totalsOf(order)).toEqual({ subtotal: 2500, shipping: 495, surcharges: -150, total: 2845, paid: 1000, refunded: 200, net: 800, refundsPending: 0, balance: 1845, overpaid: 0 });
  });

  it('reports a fully paid order as balance 0, an overpaid one as overpaid, and a fully refunded one as owing nothing', () => {
    const lines = [line('A', 1, 1200)];
    expect(totalsOf(makeOrder(standardInitial, lines, { paid: 1200 }))).toMatchObject({ balance: 0, overpaid: 0 });
    expect(totalsOf(makeOrder(standardInitial, lines, { paid: 1500 }))).toMatchObject({ balance: 0, overpaid: 300 });
    expect(totalsOf(makeOrder(standardInitial, lines, { paid: 1200, refunded: 1200 }))).toMatchObject({ balance: 0, net: 0, overpaid: 0 });
  });

  it('throws a RangeError when the subtotal leaves the safe-integer range', () => {
    const order = makeOrder(standardInitial, [line('A', 2, Number.MAX_SAFE_INTEGER)]);
    expect(() => totalsOf(order)).toThrow(RangeError);
  });

  it('throws a RangeError when shipping pushes the total past the safe-integer range', () => {
    const order = makeOrder(standardInitial, [line('A', 1, Number.MAX_SAFE_INTEGER)], { shipping: { amount: 1 } });
    expect(() => totalsOf(order)).toThrow(RangeError);
  });
});
