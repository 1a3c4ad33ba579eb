/** Money in minor units, times and ages, for people to read. */

export function money(minor: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).format(minor / 100);
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
}

/** 12.34 or 12,34 -> 1234; undefined when it is not an amount. */
export function parseMoney(text: string): number | undefined {
  const t = text.trim().replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return undefined;
  return Math.round(Number(t) * 100);
}

export const dateTime = (iso: string): string => new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

/** A short age: 45s, 12m, 3h, 4d. */
export function age(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

/** In how long, or how long ago: "in 2h", "5m ago". */
export function relative(iso: string, now: number): string {
  const diff = Date.parse(iso) - now;
  const span = age(new Date(now - Math.abs(diff)).toISOString(), now);
  return diff >= 0 ? `in ${span}` : `${span} ago`;
}
