/**
 * Bulk load: the template orders cloned with generate_series, each clone a new order (new id
 * in time order, new code, new customer email and name, and their search text) with a copy of
 * its template's history (same entry ids, which are unique per order, so the history keeps its
 * order). Payments, parcels and timers indexes are not cloned: the measured reads do not use
 * them, and cloned due timers would only wait for a sweeper that never comes.
 */
import type pg from 'pg';
import { recountStatusCounts } from '../../src/store/order-counts.js';

/**
 * A customer's email, as varied as real ones: a name-like local part of its own and one of a
 * few common domains (every email sharing one long local part would make any search look slow).
 */
const EMAIL = `substr(md5(g::text), 1, 5 + (g % 4)::int) || '.' || (g % 9973) || '@' || (ARRAY['gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'icloud.com', 'gmx.de', 'orange.fr', 'example.org'])[1 + g % 8]`;

/** Templates are kept apart once, so that clones are never cloned. */
export async function keepTemplates(db: pg.Pool): Promise<number> {
  await db.query('CREATE TABLE bench_templates AS SELECT row_number() OVER (ORDER BY id) AS t, id, created_at FROM orders');
  const res = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM bench_templates');
  return res.rows[0]!.n;
}

/**
 * Adds `count` clones in batches. Ids are time-ordered UUIDs (uuidv7 on PostgreSQL 18, random
 * before it) spread over the last year, like the orders of a shop that has been trading a while.
 */
export async function addClones(pool: pg.Pool, count: number, first: number, batch: number, onBatch: (done: number) => void): Promise<void> {
  // One connection throughout: the load's transactions and session settings must stay on it.
  const db = await pool.connect();
  try {
    // Secondary indexes and the keys of the history and the SKUs are built once after the load,
    // not kept up row by row; foreign key checks are skipped where allowed (a superuser: the
    // embedded server). The clones are consistent by construction.
    const indexes = await db.query<{ name: string; def: string }>(`SELECT indexname AS name, indexdef AS def FROM pg_indexes
      WHERE schemaname = current_schema() AND tablename IN ('orders', 'order_search')
        AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid IN ('orders'::regclass, 'order_search'::regclass))`);
    for (const i of indexes.rows) await db.query(`DROP INDEX ${i.name}`);
    await db.query('ALTER TABLE order_history DROP CONSTRAINT order_history_pkey');
    await db.query('ALTER TABLE order_skus DROP CONSTRAINT order_skus_pkey');
    await db.query("SET session_replication_role = 'replica'").catch(() => {});
    await db.query('SET synchronous_commit = off');
    const v18 = Number((await db.query<{ server_version_num: string }>('SHOW server_version_num')).rows[0]!.server_version_num) >= 180000;
    // Each clone is as old as its id says: its times (created, changed, placed, its history) are
    // its template's moved back by the clone's age, so a range of days finds the orders of those days.
    const newId = v18 ? 'uuidv7(-age)' : 'gen_random_uuid()';
    for (let done = 0; done < count; done += batch) {
      const size = Math.min(batch, count - done);
      const from = first + done;
      await db.query('BEGIN');
      await db.query(`CREATE TEMP TABLE clone_map ON COMMIT DROP AS
        SELECT g AS n, t.id AS template, ${newId} AS id, ${EMAIL} AS email, now() - age - t.created_at AS shift
        FROM (SELECT g, interval '365 days' * random() AS age FROM generate_series($1::bigint, $2::bigint) g) aged
        JOIN bench_templates t ON t.t = 1 + g % (SELECT count(*) FROM bench_templates)`, [from, from + size - 1]);
      await db.query(`INSERT INTO orders (id, code, workflow, workflow_version, status, status_tags, currency, customer_id, body, version, created_at, updated_at, placed_at)
        SELECT m.id, CASE WHEN o.code IS NULL THEN NULL ELSE nextval('order_code_seq') END, o.workflow, o.workflow_version, o.status, o.status_tags, o.currency, o.customer_id,
          jsonb_set(o.body, '{customer}', (o.body -> 'customer') || jsonb_build_object('email', m.email, 'name', 'Buyer ' || m.n)),
          o.version, o.created_at + m.shift, o.updated_at + m.shift, o.placed_at + m.shift
        FROM clone_map m JOIN orders o ON o.id = m.template`);
      await db.query(`INSERT INTO order_search (order_id, search) SELECT m.id, m.email || ' buyer ' || m.n FROM clone_map m`);
      await db.query('INSERT INTO order_skus (sku, order_id) SELECT k.sku, m.id FROM clone_map m JOIN order_skus k ON k.order_id = m.template');
      await db.query(`INSERT INTO order_history (id, order_id, type, track, from_state, to_state, actor_kind, actor_id, reason, cause, data, at)
        SELECT h.id, m.id, h.type, h.track, h.from_state, h.to_state, h.actor_kind, h.actor_id, h.reason, h.cause, h.data, h.at + m.shift
        FROM clone_map m JOIN order_history h ON h.order_id = m.template`);
      await db.query('COMMIT');
      onBatch(done + size);
    }
    await db.query('RESET session_replication_role').catch(() => {});
    await db.query('ALTER TABLE order_history ADD PRIMARY KEY (order_id, id)');
    await db.query('ALTER TABLE order_skus ADD PRIMARY KEY (sku, order_id)');
    for (const i of indexes.rows) await db.query(i.def);
    await db.query('VACUUM ANALYZE orders, order_search, order_skus, order_history');
  } finally {
    db.release();
  }
  // As a replica, the load fired no triggers, so the per-status counts know nothing of the clones
  // (without the superuser's replica role they got a delta each): count them again, once.
  await recountStatusCounts(pool);
}
