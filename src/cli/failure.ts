/** The one line `ordo` prints when a command fails: what went wrong, never `undefined`. */
import { isDatabaseUnavailable } from '../engine/ordo.js';

/** The first thing the error (or what it wraps) says: a message, else a code. */
function said(err: unknown, depth = 0): string | undefined {
  if (typeof err === 'string') return err.trim().split('\n')[0] || undefined;
  if (depth > 4 || typeof err !== 'object' || err === null) return undefined;
  const { message, code, errors, cause } = err as { message?: unknown; code?: unknown; errors?: unknown; cause?: unknown };
  const text = typeof message === 'string' ? message.trim().split('\n')[0] : '';
  if (text) return text;
  if (typeof code === 'string' && code) return code;
  // A failed connection to every address of a host is an AggregateError with no message of its own.
  for (const inner of [...(Array.isArray(errors) ? errors : []), cause]) {
    const found = said(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}

export function failureLine(err: unknown): string {
  const what = said(err);
  if (isDatabaseUnavailable(err)) return `ordo: cannot reach the database (${what ?? 'no answer'}): is it running, and is DATABASE_URL right?`;
  return `ordo: ${what ?? 'the command failed without saying why'}`;
}
