/**
 * How many orders of a workflow are in each status of each track. Not counted from the orders:
 * a trigger appends a delta row (-1 where an order was, +1 where it is) with every change of
 * status, workflow or removal, in the change's own transaction; folds add the deltas up into a
 * summary of a few dozen rows per workflow (migration 016).
 */
import type pg from 'pg';
import { inTransaction, type Db } from './database.js';

export type StatusCounts = Record<string, Record<string, number>>;

/**
 * A read that finds this many unfolded deltas (of any workflow) folds them all afterwards, so that
 * reads scan a summary of a few dozen rows and at most about this many deltas, whatever the
 * number of orders, and deltas of workflows nobody reads do not pile up.
 */
export const FOLD_AT = 1000;

/** Any fixed number: the advisory lock that lets one fold at a time run. */
const FOLD_LOCK = 0x6f637473; // "octs"

/**
 * The summary and the unfolded deltas in one statement, hence one snapshot: a fold commits its
 * delete of the deltas and its additions to the summary together, so a read sees each delta
 * exactly once, on one side or the other. The deltas table has no index (writes stay cheap) and is
 * scanned whole: other workflows' deltas land in a group of their own (status null, n 0), so that
 * the read also learns how many deltas wait in all.
 */
const READ = `SELECT status, sum(n)::int AS n, count(*) FILTER (WHERE delta)::int AS deltas
  FROM (SELECT status, n, false AS delta FROM order_status_counts WHERE workflow = $1
        UNION ALL
        SELECT CASE WHEN workflow = $1 THEN status END, CASE WHEN workflow = $1 THEN n ELSE 0 END, true FROM order_status_deltas) AS x
  GROUP BY status`;

/**
 * Moves every committed delta into the summary, in one statement; returns how many it moved.
 * Two folds at once could not count a delta twice or lose one anyway (a delta deleted by the one
 * is skipped by the other's DELETE), but the second could wait on rows the first holds, or the two
 * could deadlock on rows taken in different orders; so the second does nothing and leaves its
 * deltas to the first or to the next fold.
 */
const FOLD = `WITH gate AS (SELECT pg_try_advisory_xact_lock($1) AS mine),
  d AS (DELETE FROM order_status_deltas WHERE (SELECT mine FROM gate) RETURNING workflow, status, n),
  s AS (INSERT INTO order_status_counts AS c (workflow, status, n)
    SELECT workflow, status, sum(n) FROM d GROUP BY workflow, status
    ON CONFLICT (workflow, status) DO UPDATE SET n = c.n + excluded.n)
  SELECT count(*)::int AS folded FROM d`;

/**
 * Grouped by the whole status (one row per combination of the tracks' states), then summed per
 * track here. Removed orders are left out, as in lists. Exact as of the statement's snapshot.
 */
export async function countOrdersByStatus(db: Db, workflow: string): Promise<{ total: number; tracks: StatusCounts }> {
  const res = await db.query<{ status: Record<string, string> | null; n: number; deltas: number }>({ name: 'ordo_count_by_status', text: READ, values: [workflow] });
  const tracks: StatusCounts = {};
  let total = 0;
  let deltas = 0;
  for (const { status, n, deltas: d } of res.rows) {
    deltas += d;
    // Other workflows' deltas (no status), or a status every order has left (its summary row stays at zero).
    if (status === null || n === 0) continue;
    total += n;
    for (const [track, state] of Object.entries(status)) {
      const counts = (tracks[track] ??= {});
      counts[state] = (counts[state] ?? 0) + n;
    }
  }
  // The answer is exact already; folding now keeps the next reads small.
  if (deltas >= FOLD_AT) await foldStatusCounts(db);
  return { total, tracks };
}

/**
 * Folds the deltas of every workflow into the summary; returns how many, 0 when another fold was
 * running (it takes them). A read calls it past FOLD_AT; a periodic caller may too, so that deltas
 * do not wait for a reader while nobody looks at the counts.
 */
export async function foldStatusCounts(db: Db): Promise<number> {
  const res = await db.query<{ folded: number }>({ name: 'ordo_fold_status_counts', text: FOLD, values: [FOLD_LOCK] });
  return res.rows[0]!.folded;
}

/**
 * Counts every order again and starts the summary over, for when orders were written with
 * triggers off (a bulk load under session_replication_role = replica). Writers of orders wait
 * until it commits, and so do folds; readers see the old counts until then.
 */
export async function recountStatusCounts(pool: pg.Pool): Promise<void> {
  await inTransaction(pool, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [FOLD_LOCK]);
    await tx.query('LOCK TABLE orders IN SHARE MODE');
    await tx.query('DELETE FROM order_status_deltas');
    await tx.query('DELETE FROM order_status_counts');
    await tx.query(`INSERT INTO order_status_counts (workflow, status, n)
      SELECT workflow, status, count(*) FROM orders WHERE NOT (body ? 'removedAt') GROUP BY workflow, status`);
  });
}
