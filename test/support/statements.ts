/** What the engine sends PostgreSQL: for tests that hold it to a number of round trips. */
import pg from 'pg';
import { vi } from 'vitest';

/** The statements this process sends while `work` runs: a prepared statement's name, else its first two words. */
export async function statementsOf(work: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const original = pg.Client.prototype.query;
  const spy = vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
    const q = args[0] as string | { name?: string; text: string };
    sent.push(typeof q === 'string' ? q.split(/\s+/).slice(0, 2).join(' ') : (q.name ?? q.text.split(/\s+/).slice(0, 2).join(' ')));
    return (original as (...a: unknown[]) => unknown).apply(this, args) as never;
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return sent;
}
