/**
 * Bench options: numbers checked up front, so that a bad value ends the command with one
 * plain line (BenchInputError) before any server or database is started.
 */
export class BenchInputError extends Error {}

/** A commander argument parser for a whole number of at least `min`. */
export const wholeNumber = (name: string, min = 1) => (raw: string): number => {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min) throw new BenchInputError(`--${name} must be a whole number >= ${min}, not '${raw}'`);
  return n;
};

/** A commander argument parser for a number of seconds above zero. */
export const seconds = (name: string) => (raw: string): number => {
  const n = Number(raw);
  if (raw.trim() === '' || !(n > 0) || !Number.isFinite(n)) throw new BenchInputError(`--${name} must be a number of seconds above 0, not '${raw}'`);
  return n;
};

/** A comma-separated list of whole numbers, each at least `min` (say, client counts). */
export const wholeNumbers = (name: string, min = 1) => (raw: string): number[] =>
  raw.split(',').map((part) => wholeNumber(name, min)(part.trim()));

/** A PostgreSQL URL the bench may create its own database on. */
export function databaseUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.protocol === 'postgres:' || url.protocol === 'postgresql:') return raw;
  } catch {
    // answered below
  }
  throw new BenchInputError(`--database-url must be a postgres:// URL, not '${raw}'`);
}
