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
 * Splits `total` in proportion to `weights` (whole numbers, such as line amounts) by the
 * largest-remainder method: every part is an integer and the parts always add up to exactly
 * `total`. The shares are computed in BigInt so that no product loses precision; ties in the
 * remainder go to the earlier part.
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(total)) throw new RangeError('total must be an integer amount of minor units');
  if (weights.length === 0) throw new RangeError('allocate needs at least one weight');
  if (weights.some((w) => !Number.isSafeInteger(w) || w < 0)) throw new RangeError('weights must be whole numbers >= 0');
  const given = weights.map(BigInt);
  // All weights zero: split evenly.
  const ws = given.some((w) => w > 0n) ? given : given.map(() => 1n);
  const weightSum = ws.reduce((a, b) => a + b, 0n);
  const abs = BigInt(Math.abs(total));
  const parts = ws.map((w) => (abs * w) / weightSum);
  let left = abs - parts.reduce((a, b) => a + b, 0n);
  const byRemainder = ws
    .map((w, i) => ({ i, r: (abs * w) % weightSum }))
    .sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (let k = 0; left > 0n; k++, left--) parts[byRemainder[k]!.i]! += 1n;
  return parts.map((p) => (total < 0 && p !== 0n ? -Number(p) : Number(p)));
}
