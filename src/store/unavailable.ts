/**
 * Whether an error says the database cannot be reached right now (stopped, restarting,
 * unreachable, out of connections) rather than that a statement was wrong. Such a failure
 * is worth retrying later; the pool reconnects by itself once the server is back.
 */

// Node's socket errors when the server is gone or unreachable.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

// SQLSTATEs: class 08 is "connection exception"; 57P01-03 are shutdowns and a server still starting.
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

// node-postgres says these in words only, without a code.
const MESSAGES = [/^Connection terminated/i, /timeout exceeded when trying to connect/i, /is not queryable/i, /Cannot use a pool after calling end/i];

export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (depth > 4 || typeof err !== 'object' || err === null) return false;
  const { code, message, cause, errors, syscall } = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown; syscall?: unknown };
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  // The embedded server's Unix socket is gone while it is stopped.
  if (code === 'ENOENT' && syscall === 'connect') return true;
  if (typeof message === 'string' && MESSAGES.some((m) => m.test(message))) return true;
  // A failed connection to every address of a host is an AggregateError; a wrapper keeps its cause.
  if (Array.isArray(errors) && errors.some((e) => isDatabaseUnavailable(e, depth + 1))) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}
