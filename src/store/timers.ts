/** The sweeper's side of the timers index. The order's own save keeps the index in step (orders.ts). */
import type { Db } from './database.js';
import type { StoreDialect } from './dialect.js';

export interface DueTimer {
  readonly orderId: string;
  readonly name: string;
  readonly dueAt: Date;
}

interface TimerRow { order_id: string; name: string; due_at: Date }
const toTimer = (r: TimerRow): DueTimer => ({ orderId: r.order_id, name: r.name, dueAt: r.due_at });

/**
 * Claims up to `limit` due timers for `leaseSeconds`: a timer another sweeper holds is not
 * claimed again, so concurrent sweepers split the work; a claim that is never finished lapses
 * and is retried.
 */
export async function claimDueTimers(db: Db, dialect: StoreDialect, now: Date, limit: number, leaseSeconds = 60): Promise<DueTimer[]> {
  return dialect.name === 'plain' ? claimSkippingLocked(db, now, limit, leaseSeconds) : claimByKey(db, now, limit, leaseSeconds);
}

/** One statement: rows another sweeper is claiming right now are skipped, not waited for. */
async function claimSkippingLocked(db: Db, now: Date, limit: number, leaseSeconds: number): Promise<DueTimer[]> {
  const res = await db.query<TimerRow>({
    name: 'ordo_claim_timers',
    text: `UPDATE timers t SET claimed_until = $1::timestamptz + make_interval(secs => $3)
      FROM (SELECT ctid FROM timers WHERE due_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)
            ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED) due
      WHERE t.ctid = due.ctid
      RETURNING t.order_id, t.name, t.due_at`,
    values: [now, limit, leaseSeconds],
  });
  return res.rows.map(toTimer);
}

/**
 * Citus cannot skip locked rows across shards, nor join a table to itself by ctid. So the
 * candidates are read first, and each is claimed by a conditional update on its key, which
 * routes to the order's shard: of several sweepers reading the same candidate, the first
 * update wins and the others find it claimed. A sweeper that lost every candidate reads
 * again (those are claimed now), so it does not stop while unclaimed timers are due; the
 * rounds are bounded all the same, so a sweeper never spins.
 */
async function claimByKey(db: Db, now: Date, limit: number, leaseSeconds: number): Promise<DueTimer[]> {
  for (let round = 0; round < 20; round++) {
    // The due time goes back as the server wrote it (text keeps its microseconds), so the key matches exactly.
    const candidates = await db.query<{ order_id: string; name: string; due_at: string }>({
      name: 'ordo_due_timers',
      text: 'SELECT order_id, name, due_at::text FROM timers WHERE due_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1) ORDER BY due_at LIMIT $2',
      values: [now, limit],
    });
    if (candidates.rows.length === 0) return [];
    const claimed: DueTimer[] = [];
    for (const c of candidates.rows) {
      const res = await db.query<TimerRow>({
        name: 'ordo_claim_timer',
        text: `UPDATE timers SET claimed_until = $4::timestamptz + make_interval(secs => $5)
          WHERE order_id = $1 AND name = $2 AND due_at = $3::timestamptz AND (claimed_until IS NULL OR claimed_until <= $4)
          RETURNING order_id, name, due_at`,
        values: [c.order_id, c.name, c.due_at, now, leaseSeconds],
      });
      claimed.push(...res.rows.map(toTimer));
    }
    if (claimed.length > 0) return claimed;
  }
  return [];
}

export function countDueTimers(db: Db, now: Date): Promise<number> {
  return countTimersBehind(db, now, 0);
}

/** Timers due at least `seconds` ago and not yet fired (0: all that are due). */
export async function countTimersBehind(db: Db, now: Date, seconds: number): Promise<number> {
  const res = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM timers WHERE due_at <= $1', [new Date(now.getTime() - seconds * 1000)]);
  return res.rows[0]!.n;
}

/** Drops an index row whose timer the order no longer has (it was reset or left behind). */
export async function dropTimer(db: Db, t: DueTimer): Promise<void> {
  await db.query('DELETE FROM timers WHERE order_id = $1 AND name = $2 AND due_at = $3', [t.orderId, t.name, t.dueAt]);
}

