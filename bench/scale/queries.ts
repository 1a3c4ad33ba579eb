/**
 * The reads measured at scale, each through the engine as the API runs it (the SQL, the rows
 * turned into orders, the presentation), timed over several repetitions, with the SQL it sent
 * captured for EXPLAIN ANALYZE.
 */
import type pg from 'pg';
import type { Ordo } from '../../src/engine/ordo.js';
import type { Actor } from '../../src/domain/actor.js';
import { countOrdersByStatus } from '../../src/store/order-counts.js';

const ADMIN: Actor = { kind: 'admin', id: 'bench' };
const DAY = 86_400_000;

export interface Sample {
  /** Order ids, customer emails and codes of cloned orders, picked at random. */
  readonly ids: readonly string[];
  readonly emails: readonly string[];
  readonly codes: readonly number[];
}

export interface Read {
  readonly name: string;
  readonly run: (ordo: Ordo, s: Sample, i: number) => Promise<unknown>;
}

const pick = <T>(xs: readonly T[], i: number) => xs[i % xs.length]!;

export const READS: readonly Read[] = [
  { name: 'list, status=delivered (common), first page', run: (o) => o.orders.list({ status: 'delivered' }, ADMIN) },
  { name: 'list, status=payment:failed (rare), first page', run: (o) => o.orders.list({ status: 'payment:failed' }, ADMIN) },
  { name: 'list, workflow=xcart & status=payment:D, first page', run: (o) => o.orders.list({ workflow: 'xcart', status: 'payment:D' }, ADMIN) },
  { name: 'list, q=customer email', run: (o, s, i) => o.orders.list({ q: pick(s.emails, i) }, ADMIN) },
  { name: 'list, q=order code', run: (o, s, i) => o.orders.list({ q: `#${pick(s.codes, i)}` }, ADMIN) },
  // The admin's search box (GET /v1/orders/search): q also matches a line's SKU.
  { name: 'admin search, q=customer email', run: (o, s, i) => o.reads.search({ q: pick(s.emails, i), limit: 50 }, ADMIN) },
  { name: 'admin search, q=SKU', run: (o) => o.reads.search({ q: 'LAMP', limit: 50 }, ADMIN) },
  { name: 'admin search, q=matching nothing', run: (o, _s, i) => o.reads.search({ q: `nobody-${i}@nowhere.example`, limit: 50 }, ADMIN) },
  { name: 'admin search, open returns', run: (o) => o.reads.search({ returns: 'open', limit: 50 }, ADMIN) },
  { name: 'admin search, created in one week', run: (o) => o.reads.search({ createdFrom: new Date(Date.now() - 200 * DAY), createdTo: new Date(Date.now() - 193 * DAY), limit: 50 }, ADMIN) },
  { name: 'stuck orders of a workflow (standard)', run: (o) => o.reads.stuck('standard', 86_400, 50) },
  { name: 'order page (GET /v1/orders/:id)', run: (o, s, i) => o.orders.get(pick(s.ids, i), ADMIN) },
  { name: 'order history (GET /v1/orders/:id/history)', run: (o, s, i) => o.orders.history(pick(s.ids, i), ADMIN) },
  { name: 'per-status counts of a workflow (standard)', run: (o) => countOrdersByStatus(o.pool, 'standard') },
];

export async function sample(pool: pg.Pool, n = 50): Promise<Sample> {
  // A random sample without sorting a million rows: the system's own page sampling.
  const pickRows = (sampling: string) => pool.query<{ id: string; search: string; code: number | null }>(
    `SELECT o.id, s.search, o.code FROM orders o ${sampling} JOIN order_search s ON s.order_id = o.id WHERE o.code IS NOT NULL LIMIT ${n}`);
  const res = await pickRows('TABLESAMPLE SYSTEM (1)');
  const rows = res.rows.length > 0 ? res.rows : (await pickRows('')).rows;
  return { ids: rows.map((r) => r.id), emails: rows.map((r) => r.search.split(' ')[0]!), codes: rows.map((r) => r.code!) };
}

export interface Sent { text: string; values: unknown[] }

/** What the read sent to the database: the pool's query calls, recorded while it runs. */
export async function capture(pool: pg.Pool, work: () => Promise<unknown>): Promise<Sent[]> {
  const sent: Sent[] = [];
  const original = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  const recorder = (q: unknown, values?: unknown) => {
    const config = typeof q === 'string' ? { text: q, values } : (q as { text: string; values?: unknown });
    sent.push({ text: config.text, values: (config.values as unknown[] | undefined) ?? [] });
    return original(q, values);
  };
  (pool as unknown as { query: unknown }).query = recorder;
  try {
    await work();
  } finally {
    (pool as unknown as { query: unknown }).query = original;
  }
  return sent;
}

/** EXPLAIN (ANALYZE, BUFFERS) of each statement the read sent. */
export async function explain(pool: pg.Pool, sent: readonly Sent[]): Promise<string> {
  const plans: string[] = [];
  for (const s of sent) {
    if (!/^\s*(SELECT|WITH)/i.test(s.text)) continue;
    const res = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${s.text}`, s.values);
    plans.push([`-- ${s.text.replace(/\s+/g, ' ').slice(0, 400)}`, `-- values: ${JSON.stringify(s.values).slice(0, 200)}`, ...res.rows.map((r) => r['QUERY PLAN'])].join('\n'));
  }
  return plans.join('\n\n');
}
