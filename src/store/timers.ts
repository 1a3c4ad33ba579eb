/** The sweeper's side of the timers index. The order's own save keeps the index in step (orders.ts). */
import type { Db } from './database.js';

export interface DueTimer {
  readonly orderId: string;
  readonly name: string;
  readonly dueAt: Date;
}

/**
 * Claims up to `limit` due timers for `leaseSeconds`: rows another sweeper holds are skipped,
 * so concurrent sweepers split the work; a claim that is never finished lapses and is retried.
 */
export async function claimDueTimers(db: Db, now: Date, limit: number, leaseSeconds = 60): Promise<DueTimer[]> {
  const res = await db.query<{ order_id: string; name: string; due_at: Date }>({
    name: 'ordo_claim_timers',
    text: `UPDATE timers t SET claimed_until = $1::timestamptz + make_interval(secs => $3)
      FROM (SELECT ctid FROM timers WHERE due_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)
            ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED) due
      WHERE t.ctid = due.ctid
      RETURNING t.order_id, t.name, t.due_at`,
    values: [now, limit, leaseSeconds],
  });
  return res.rows.map((r) => ({ orderId: r.order_id, name: r.name, dueAt: r.due_at }));
}

export async function countDueTimers(db: Db, now: Date): Promise<number> {
  const res = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM timers WHERE due_at <= $1', [now]);
  return res.rows[0]!.n;
}

/** Drops an index row whose timer the order no longer has (it was reset or left behind). */
export async function dropTimer(db: Db, t: DueTimer): Promise<void> {
  await db.query('DELETE FROM timers WHERE order_id = $1 AND name = $2 AND due_at = $3', [t.orderId, t.name, t.dueAt]);
}
