/**
 * What the indexes of `orders` cost a status change, and whether any update is HOT: in-process
 * status changes (standard orders moved between in_review and placed by 8 clients) with every
 * index, then without the search's trigram index (on order_search since migration 017: a status
 * change should not feel it, nor write that table at all), then without the status-tags GIN too,
 * on the bench's own database (it drops them there, nowhere else).
 */
import { createOrdo, type Ordo } from '../../src/engine/ordo.js';
import type { Actor } from '../../src/domain/actor.js';
import { benchDatabase } from '../database.js';
import { keep, say, type Common, type SectionReport } from '../section.js';
import { fmt, showSpread, spread, type Spread } from '../stats.js';

export interface IndexesOptions extends Common {
  readonly runs: number;
  readonly duration: number;
  readonly clients: number;
  readonly orders: number;
}

const ADMIN: Actor = { kind: 'admin', id: 'bench' };
const STATES = ['in_review', 'placed'] as const;

async function seed(ordo: Ordo, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const made = await ordo.orders.create({ currency: 'EUR', customer: { email: `buyer${i}@example.com`, name: `Buyer ${i}` }, lines: [{ sku: 'MUG', quantity: 1, unitPrice: 1200 }] }, ADMIN);
    if (!made.ok) throw new Error(`seeding: ${made.code}: ${made.message}`);
    ids.push(made.value.id);
  }
  return ids;
}

const updates = async (ordo: Ordo) =>
  (await ordo.pool.query<{ upd: number; hot: number }>("SELECT n_tup_upd::int AS upd, n_tup_hot_upd::int AS hot FROM pg_stat_user_tables WHERE relname = 'orders'")).rows[0]!;

/**
 * The search rows written since `xid` (a transaction id as 32-bit xmin has it), by their xmin: the
 * statistics' counters would also count the seed's inserts, reported a moment after it ends.
 */
const searchRowsSince = async (ordo: Ordo, xid: string) =>
  (await ordo.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM order_search WHERE xmin::text::bigint >= $1', [xid])).rows[0]!.n;
const xidNow = async (ordo: Ordo) => (await ordo.pool.query<{ xid: string }>('SELECT (txid_current() % 4294967296)::text AS xid')).rows[0]!.xid;

/** One run: `clients` loops moving fresh orders back and forth for `seconds`; changes per second, the HOT share, the search rows written. */
async function run(ordo: Ordo, opts: IndexesOptions): Promise<{ perSecond: number; hot: number; updated: number; searchWrites: number }> {
  const ids = await seed(ordo, opts.orders);
  await ordo.pool.query('VACUUM ANALYZE orders, order_search');
  const before = await updates(ordo);
  const xid = await xidNow(ordo);
  const started = performance.now();
  let changes = 0;
  await Promise.all(Array.from({ length: opts.clients }, async (_, k) => {
    for (let i = k; performance.now() - started < opts.duration * 1000; i += opts.clients) {
      const to = STATES[Math.floor(i / ids.length) % 2]!;
      const done = await ordo.orders.execute(ids[i % ids.length]!, { type: 'transition', track: 'order', to }, ADMIN);
      if (!done.ok) throw new Error(`a change was refused: ${done.code}: ${done.message}`);
      changes++;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  // The statistics collector reports a moment later.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const after = await updates(ordo);
  return { perSecond: Math.round(changes / seconds), hot: after.hot - before.hot, updated: after.upd - before.upd, searchWrites: await searchRowsSince(ordo, xid) };
}

export async function runIndexes(opts: IndexesOptions): Promise<SectionReport> {
  const db = await benchDatabase(opts.databaseUrl);
  const ordo = await createOrdo({ databaseUrl: db.url, poolSize: 10 });
  const cases: { label: string; drop?: string }[] = [
    { label: 'every index' },
    { label: 'without the trigram index on order_search', drop: 'DROP INDEX IF EXISTS order_search_trgm_idx' },
    { label: 'without it and the status-tags GIN', drop: 'DROP INDEX IF EXISTS orders_status_tags_idx' },
  ];
  const figures: { label: string; perSecond: Spread; hot: number; updated: number; searchWrites: number }[] = [];
  try {
    say('warm-up');
    await run(ordo, { ...opts, duration: Math.min(opts.duration, 3) });
    for (const c of cases) {
      if (c.drop) await ordo.pool.query(c.drop);
      const runs: Awaited<ReturnType<typeof run>>[] = [];
      for (let i = 0; i < opts.runs; i++) {
        say(`${c.label}, run ${i + 1}/${opts.runs}`);
        runs.push(await run(ordo, opts));
      }
      const total = (key: 'hot' | 'updated' | 'searchWrites') => runs.reduce((s, r) => s + r[key], 0);
      figures.push({ label: c.label, perSecond: spread(runs.map((r) => r.perSecond)), hot: total('hot'), updated: total('updated'), searchWrites: total('searchWrites') });
    }
  } finally {
    await ordo.close().catch(() => {});
    await db.dispose();
  }
  const markdown = [
    `In-process status changes of standard orders (in_review ↔ placed), ${opts.clients} clients, ${fmt(opts.orders)} fresh orders and ${opts.duration} s per run, median (min–max) of ${opts.runs} runs, on the bench's own database:`,
    '',
    '| indexes | changes/s | HOT updates of orders | order_search rows written |',
    '| --- | ---: | ---: | ---: |',
    ...figures.map((f) => `| ${f.label} | ${showSpread(f.perSecond, '/s')} | ${f.hot.toLocaleString('en-US')} of ${f.updated.toLocaleString('en-US')} | ${f.searchWrites.toLocaleString('en-US')} |`),
  ].join('\n');
  return keep({ section: 'indexes', markdown, figures });
}
