/** Small statistics for the bench reports: medians, percentiles, spreads. */
export const round = (n: number, digits = 1) => Number(n.toFixed(digits));

export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  // Nearest rank: the value at or below which p% of the samples fall.
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export const spread = (xs: readonly number[], digits = 1): Spread => ({
  median: round(median(xs), digits),
  min: round(Math.min(...xs), digits),
  max: round(Math.max(...xs), digits),
});

/** `median (min–max)`, for the report's tables. */
export const showSpread = (s: Spread, unit = '') => `${fmt(s.median)}${unit} (${fmt(s.min)}–${fmt(s.max)})`;

export const fmt = (n: number) =>
  Number.isNaN(n) ? '–' : Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);
