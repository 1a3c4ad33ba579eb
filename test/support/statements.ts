/** What the engine sends PostgreSQL: for tests that hold it to a number of round trips. */
import pg from 'pg';
import { vi } from 'vitest';

/** A statement's short name: a prepared statement's name (also when EXECUTEd), else its first two words. */
const shortName = (text: string) => /^EXECUTE\s+(\w+)/.exec(text)?.[1] ?? text.split(/\s+/).slice(0, 2).join(' ');

/** The statements of a simple query: split at each ';' outside a quoted literal (a doubled quote toggles twice). */
function statementsIn(text: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "'") quoted = !quoted;
    else if (text[i] === ';' && !quoted) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** A query as this process hands it to the driver: its text, and its name and values if it has them. */
export interface SentQuery {
  /** Given as a bare string (so it may hold several statements), not as a query object. */
  readonly bare: boolean;
  readonly text: string;
  readonly name?: string;
  readonly values?: readonly unknown[];
}

/** Every query this process sends while `work` runs, one entry per round trip, as sent. */
export async function queriesOf(work: () => Promise<unknown>): Promise<SentQuery[]> {
  const sent: SentQuery[] = [];
  const original = pg.Client.prototype.query;
  const spy = vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
    const q = args[0] as string | { name?: string; text: string; values?: unknown[] };
    sent.push(typeof q === 'string' ? { bare: true, text: q, ...(Array.isArray(args[1]) ? { values: args[1] } : {}) } : { bare: false, ...q });
    return (original as (...a: unknown[]) => unknown).apply(this, args) as never;
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return sent;
}

/**
 * The round trips this process sends while `work` runs, one entry each: its statement's short
 * name, or for several statements in one simple query their names joined by '; '.
 */
export async function statementsOf(work: () => Promise<unknown>): Promise<string[]> {
  const sent = await queriesOf(work);
  return sent.map((q) => (q.bare ? statementsIn(q.text).map(shortName).join('; ') : (q.name ?? shortName(q.text))));
}

/** The round trip that places events (BEGIN, the placer's lock and the placing, together). */
export const isPlacing = (q: string): boolean => /(^|; )ordo_place_events$/.test(q);
