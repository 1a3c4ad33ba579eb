/** How many orders of a workflow are in each status of each track: one grouped read. */
import type { Db } from './database.js';

export type StatusCounts = Record<string, Record<string, number>>;

/**
 * Grouped by the whole status (one row per combination of the tracks' states, a few dozen at
 * most), then summed per track here. Removed orders are gone for every caller, as in lists; the
 * partial index orders_status_counts_idx (migration 013) answers this from the index alone.
 */
export async function countOrdersByStatus(db: Db, workflow: string): Promise<{ total: number; tracks: StatusCounts }> {
  const res = await db.query<{ status: Record<string, string>; n: number }>({
    name: 'ordo_count_by_status',
    text: `SELECT status, count(*)::int AS n FROM orders WHERE workflow = $1 AND NOT (body ? 'removedAt') GROUP BY status`,
    values: [workflow],
  });
  const tracks: StatusCounts = {};
  let total = 0;
  for (const { status, n } of res.rows) {
    total += n;
    for (const [track, state] of Object.entries(status)) {
      const counts = (tracks[track] ??= {});
      counts[state] = (counts[state] ?? 0) + n;
    }
  }
  return { total, tracks };
}
