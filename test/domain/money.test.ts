import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, sum } from '../../src/domain/money.js';

const total = (parts: readonly number[]) => parts.reduce((a, b) => a + b, 0);
/** Reads -0 as 0: a zero share of a negative total is still zero minor units. */
const plain = (parts: readonly number[]) => parts.map((p) => p + 0);

describe('allocate (largest remainder)', () => {
  it.each([
    { amount: 100, weights: [1, 1, 1], parts: [34, 33, 33] },
    { amount: 101, weights: [1, 1, 1], parts: [34, 34, 33] },
    { amount: 100, weights: [1, 2], parts: [33, 67] },
    { amount: 10, weights: [3, 3, 4], parts: [3, 3, 4] },
    { amount: 5, weights: [1, 1, 1, 1, 1, 1, 1], parts: [1, 1, 1, 1, 1, 0, 0] },
    { amount: 1000, weights: [2500, 1500], parts: [625, 375] },
    { amount: 7, weights: [2, 1, 1], parts: [3, 2, 2] },
    { amount: 0, weights: [1, 2, 3], parts: [0, 0, 0] },
    { amount: 999, weights: [5], parts: [999] },
  ])('splits $amount by $weights into $parts', ({ amount, weights, parts }) => {
    expect(allocate(amount, weights)).toEqual(parts);
  });

  it('gives the largest remainder the extra unit, not the first part', () => {
    // exact shares 1.8, 3.6, 4.6: floors 1, 3, 4 leave 2 units for the remainders .8 and then the first .6.
    expect(allocate(10, [9, 18, 23])).toEqual([2, 4, 4]);
  });

  it.each([
    { amount: -100, weights: [1, 1, 1], parts: [-34, -33, -33] },
    { amount: -100, weights: [1, 2], parts: [-33, -67] },
    { amount: -1, weights: [1, 1], parts: [-1, 0] },
  ])('splits a negative total $amount by $weights into $parts', ({ amount, weights, parts }) => {
    expect(plain(allocate(amount, weights))).toEqual(parts);
  });

  it.each([
    { amount: 100, weights: [0, 0, 0], parts: [34, 33, 33] },
    { amount: -7, weights: [0, 0], parts: [-4, -3] },
    { amount: 10, weights: [0, 1], parts: [0, 10] },
    { amount: 10, weights: [0, 1, 0, 1], parts: [0, 5, 0, 5] },
  ])('handles zero weights: $amount by $weights -> $parts', ({ amount, weights, parts }) => {
    expect(plain(allocate(amount, weights))).toEqual(parts);
  });

  it.each([
    { amount: 1.5, weights: [1], error: 'total must be an integer' },
    { amount: Number.MAX_SAFE_INTEGER + 1, weights: [1], error: 'total must be an integer' },
    { amount: 10, weights: [], error: 'at least one weight' },
    { amount: 10, weights: [1, -1], error: 'weights must be whole numbers >= 0' },
    { amount: 10, weights: [1, Number.NaN], error: 'weights must be whole numbers >= 0' },
    { amount: 10, weights: [1, Number.POSITIVE_INFINITY], error: 'weights must be whole numbers >= 0' },
    { amount: 10, weights: [0.5, 0.5], error: 'weights must be whole numbers >= 0' },
  ])('refuses total $amount with weights $weights', ({ amount, weights, error }) => {
    expect(() => allocate(amount, weights)).toThrow(RangeError);
    expect(() => allocate(amount, weights)).toThrow(error);
  });

  // The whole safe-integer range: shares are computed in BigInt, so no product loses precision.
  const amounts = fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
  const weights = fc.array(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), { minLength: 1, maxLength: 12 });

  it('always returns parts that add up to exactly the total (property)', () => {
    fc.assert(
      fc.property(amounts, weights, (amount, ws) => {
        const parts = allocate(amount, ws);
        expect(parts).toHaveLength(ws.length);
        expect(total(parts)).toBe(amount);
      }),
    );
  });

  it('always returns integer parts (property)', () => {
    fc.assert(
      fc.property(amounts, weights, (amount, ws) => {
        const parts = allocate(amount, ws);
        for (const p of parts) expect(Number.isSafeInteger(p)).toBe(true);
        expect(total(parts)).toBe(amount);
      }),
    );
  });

  it('keeps every part within less than one unit of its exact share (property)', () => {
    fc.assert(
      fc.property(amounts, weights, (amount, ws) => {
        const parts = allocate(amount, ws);
        const effective = ws.every((w) => w === 0) ? ws.map(() => 1) : ws;
        const weightSum = effective.reduce((a, b) => a + BigInt(b), 0n);
        // |part - amount * w / W| < 1  <=>  |part * W - amount * w| < W, checked exactly in BigInt.
        parts.forEach((p, i) => {
          const diff = BigInt(p) * weightSum - BigInt(amount) * BigInt(effective[i]!);
          expect(diff < 0n ? -diff : diff).toBeLessThan(weightSum);
        });
      }),
    );
  });

  it('gives parts the sign of the total (property)', () => {
    fc.assert(
      fc.property(amounts, weights, (amount, ws) => {
        for (const p of allocate(amount, ws)) expect(amount < 0 ? p <= 0 : p >= 0).toBe(true);
      }),
    );
  });

  // Shares are computed exactly even where total * weight is far past 2^53.
  it('keeps the parts exact for a large safe total (total * weight > 2^53)', () => {
    expect(allocate(7_881_299_347_898_347, [350])).toEqual([7_881_299_347_898_347]);
  });

  it('keeps a share within one unit of its exact value for a large safe total', () => {
    expect(allocate(-9_007_199_254_601_619, [155_873])).toEqual([-9_007_199_254_601_619]);
  });
});

describe('sum', () => {
  it('adds minor-unit amounts, negative ones included', () => {
    expect(sum([])).toBe(0);
    expect(sum([1999, 1, -500])).toBe(1500);
    expect(sum([Number.MAX_SAFE_INTEGER, -1, 1])).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each([
    { amounts: [Number.MAX_SAFE_INTEGER, 1] },
    { amounts: [Number.MIN_SAFE_INTEGER, -1] },
    { amounts: [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER] },
    { amounts: [2 ** 60] },
    { amounts: [0.5] },
  ])('throws a RangeError past the safe-integer range: $amounts', ({ amounts }) => {
    expect(() => sum(amounts)).toThrow(RangeError);
    expect(() => sum(amounts)).toThrow('money total exceeds the safe integer range');
  });
});
