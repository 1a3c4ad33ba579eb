/**
 * Money is an integer count of the currency's minor units (cents, pence, yen) and never a
 * float. Sums are checked against the safe-integer range so that no total silently rounds.
 */
export interface Money {
  readonly amount: number;
  readonly currency: string;
}

export const isMinorUnits = (n: number): boolean => Number.isSafeInteger(n);

/** Adds minor-unit amounts; throws if the sum leaves the safe-integer range (a bug, not input). */
export function sum(amounts: readonly number[]): number {
  let total = 0;
  for (const a of amounts) {
    total += a;
    if (!Number.isSafeInteger(total)) throw new RangeError('money total exceeds the safe integer range');
  }
  return total;
}

/**
 * Splits `total` in proportion to `weights` by the largest-remainder method: every part
 * is an integer and the parts always add up to exactly `total`.
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(total)) throw new RangeError('total must be an integer amount of minor units');
  if (weights.length === 0) throw new RangeError('allocate needs at least one weight');
  if (weights.some((w) => !(w >= 0) || !Number.isFinite(w))) throw new RangeError('weights must be finite and >= 0');
  const weightSum = weights.reduce((a, b) => a + b, 0);
  if (weightSum === 0) return allocate(total, weights.map(() => 1));
  const sign = total < 0 ? -1 : 1;
  const abs = Math.abs(total);
  const exact = weights.map((w) => (abs * w) / weightSum);
  const parts = exact.map(Math.floor);
  let left = abs - parts.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((x, i) => ({ i, r: x - Math.floor(x) }))
    .sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % byRemainder.length, left--) parts[byRemainder[k]!.i]! += 1;
  return parts.map((p) => p * sign);
}
