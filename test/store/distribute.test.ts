/**
 * `ordo db distribute` without Citus at hand: it refuses a plain database, it skips what is
 * laid out already, and the schema the migrations make fits the layout by Citus' rules.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Db } from '../../src/store/database.js';
import { distribute, LAYOUT, NoCitus } from '../../src/store/distribute.js';
import { freshDatabase } from '../support/database.js';

let pool: pg.Pool;
beforeAll(async () => {
  pool = createPool(await freshDatabase(), 2);
});
afterAll(() => pool.end());

const distributedBy = new Map(LAYOUT.flatMap((p) => ('by' in p ? [[p.table, p.by] as const] : [])));
const reference = new Set(LAYOUT.flatMap((p) => ('reference' in p ? [p.table] : [])));
/** The shard group a distributed table joins: its own, or the one it is co-located with. */
const group = (table: string): string => {
  const p = LAYOUT.find((x) => x.table === table);
  return p && 'by' in p && p.colocateWith ? group(p.colocateWith) : table;
};

describe('the layout', () => {
  it('is refused on plain PostgreSQL, and nothing is changed', async () => {
    const before = await pool.query('SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1');
    await expect(distribute(pool)).rejects.toBeInstanceOf(NoCitus);
    expect((await pool.query('SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1')).rows).toEqual(before.rows);
  });

  it('places every table the migrations make (an unplaced one would stay on the coordinator)', async () => {
    const tables = (await pool.query<{ name: string }>('SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()')).rows.map((r) => r.name);
    expect(tables.filter((t) => t !== 'ordo_migrations').sort()).toEqual(LAYOUT.map((p) => p.table).sort());
  });

  it('fits the schema: keys include the distribution column; foreign keys stay within a shard group or point at a reference table', async () => {
    const res = await pool.query<{ table: string; refs: string | null; type: string; cols: string[]; ref_cols: string[] }>(
      `SELECT c.conrelid::regclass::text AS table, nullif(c.confrelid, 0)::regclass::text AS refs, c.contype::text AS type,
         array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) AS cols,
         array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) AS ref_cols
       FROM pg_constraint c WHERE c.connamespace = current_schema()::regnamespace AND c.contype IN ('p', 'u', 'f') AND c.conrelid::regclass::text <> 'ordo_migrations'`,
    );
    expect(res.rows.length).toBeGreaterThan(10);
    for (const c of res.rows) {
      const by = distributedBy.get(c.table);
      if (c.type !== 'f') {
        if (by) expect(c.cols, `${c.table} ${c.cols.join(', ')}`).toContain(by);
        continue;
      }
      const fk = `${c.table}(${c.cols.join(', ')}) -> ${c.refs}(${c.ref_cols.join(', ')})`;
      if (reference.has(c.refs!)) continue;
      expect(by, `${fk}: only a distributed table may point at one`).toBeDefined();
      expect(group(c.table), `${fk}: not co-located`).toBe(group(c.refs!));
      expect(c.ref_cols[c.cols.indexOf(by!)], `${fk}: must map the distribution columns`).toBe(distributedBy.get(c.refs!));
    }
  });
});

describe('on a Citus coordinator (simulated)', () => {
  /** Answers as a coordinator where orders and order_history are laid out already; records every call. */
  function coordinator(calls: { text: string; values: unknown[] }[]): Db {
    const answer = (text: string) => {
      if (text.includes('pg_extension')) return [{ one: 1 }];
      if (text.includes('pg_dist_partition')) return [{ name: 'orders' }, { name: 'order_history' }];
      if (text.includes('pg_tables')) return [...LAYOUT.map((p) => p.table), 'ordo_migrations', 'loyalty_points'].map((name) => ({ name }));
      return [{}];
    };
    return {
      query: async (text: string, values: unknown[] = []) => {
        if (/create_(distributed|reference)_table/.test(text)) calls.push({ text, values });
        const rows = answer(text);
        return { rows, rowCount: rows.length };
      },
    } as unknown as Db;
  }

  it('lays out the rest in order, the order side with the orders, stock by SKU, the shared tables everywhere', async () => {
    const calls: { text: string; values: unknown[] }[] = [];
    const report = await distribute(coordinator(calls));
    expect(report.skipped).toEqual(['orders', 'order_history']);
    expect(calls.map((c) => (c.text.includes('reference') ? ['reference', ...c.values] : ['distributed', ...c.values]))).toEqual([
      ['distributed', 'outbox', 'order_id', 'orders'],
      ['distributed', 'timers', 'order_id', 'orders'],
      ['distributed', 'order_search', 'order_id', 'orders'],
      ['distributed', 'order_skus', 'order_id', 'orders'],
      ['distributed', 'gateway_events', 'order_id', 'orders'],
      ['distributed', 'notifications', 'order_id', 'orders'],
      ['distributed', 'order_status_deltas', 'order_id', 'orders'],
      ['distributed', 'payments', 'id', 'none'],
      ['distributed', 'order_refs', 'id', 'none'],
      ['distributed', 'inventory', 'sku', 'none'],
      ['distributed', 'stock_movements', 'sku', 'inventory'],
      ['distributed', 'prices', 'sku', 'inventory'],
      ['reference', 'api_keys'],
      ['reference', 'workflow_customizations'],
      ['reference', 'idempotency_keys'],
      ['reference', 'simulated_gateway_operations'],
      ['reference', 'ordo_clock'],
      ['reference', 'event_places'],
      ['reference', 'order_status_counts'],
      ['reference', 'webhook_subscriptions'],
      ['distributed', 'webhook_deliveries', 'order_id', 'orders'],
    ]);
    expect(report.done).toContain('outbox: distributed by order_id, co-located with orders');
    expect(report.done).toContain('api_keys: reference table (a copy on every node)');
    expect(report.unplaced).toEqual(['loyalty_points']);
  });
});
