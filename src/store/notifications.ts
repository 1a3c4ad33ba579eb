/**
 * The notifications table: every message Ordo made, with where its sending stands. A message
 * is one of a kind per (order, event, message, recipient): inserting it again does nothing.
 * Sending is claimed with a lease (status `sending`, a token, `next_attempt_at` = when the lease
 * lapses), so a process killed mid-send leaves a row that is claimed again once the lease lapsed;
 * a result is recorded only by the holder of the lease.
 */
import type pg from 'pg';
import { dollarQuoted, preparedOnce, type Db } from './database.js';
import type { StoreDialect } from './dialect.js';

export type NotificationStatus = 'pending' | 'sending' | 'sent' | 'failed';

/** `event`: queued from the stream and sent by the relay; `step`: sent by a completion step itself (Nexway). */
export type NotificationOrigin = 'event' | 'step';

export interface NewNotification {
  readonly id: string;
  readonly orderId: string;
  readonly eventId: string;
  readonly origin: NotificationOrigin;
  readonly message: string;
  readonly recipient: string;
  readonly audience: 'customer' | 'staff';
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /**
   * A message that could not even be made (a broken template) is stored `failed` with why; one
   * whose notifier only stores is stored `sent` (one attempt, sent when made).
   */
  readonly status: 'pending' | 'failed' | 'sent';
  readonly lastError: string | null;
  readonly createdAt: Date;
}

export interface NotificationRecord extends Omit<NewNotification, 'status'> {
  readonly status: NotificationStatus;
  readonly attempts: number;
  readonly nextAttemptAt: Date | null;
  readonly leaseToken: string | null;
  readonly sentAt: Date | null;
}

interface Row {
  order_id: string; id: string; event_id: string; origin: NotificationOrigin; message: string; recipient: string; audience: 'customer' | 'staff';
  subject: string; text_body: string; html_body: string; status: NotificationStatus; attempts: number; next_attempt_at: Date | null;
  lease_token: string | null; last_error: string | null; sent_at: Date | null; created_at: Date;
}

const COLUMNS = 'order_id, id, event_id, origin, message, recipient, audience, subject, text_body, html_body, status, attempts, next_attempt_at, lease_token, last_error, sent_at, created_at';

const toRecord = (r: Row): NotificationRecord => ({
  id: r.id, orderId: r.order_id, eventId: r.event_id, origin: r.origin, message: r.message, recipient: r.recipient, audience: r.audience,
  subject: r.subject, text: r.text_body, html: r.html_body, status: r.status, attempts: r.attempts, nextAttemptAt: r.next_attempt_at,
  leaseToken: r.lease_token, lastError: r.last_error, sentAt: r.sent_at, createdAt: r.created_at,
});

const INSERT_NOTIFICATIONS = `INSERT INTO notifications (order_id, id, event_id, origin, message, recipient, audience, subject, text_body, html_body, status, last_error, attempts, next_attempt_at, sent_at, created_at)
     SELECT x.order_id, x.id, x.event_id, x.origin, x.message, x.recipient, x.audience, x.subject, x.text_body, x.html_body, x.status, x.last_error,
            CASE WHEN x.status = 'sent' THEN 1 ELSE 0 END, CASE WHEN x.status = 'pending' THEN x.created_at END,
            CASE WHEN x.status = 'sent' THEN x.created_at END, x.created_at
     FROM jsonb_to_recordset($1::jsonb) AS x(order_id uuid, id uuid, event_id text, origin text, message text, recipient text, audience text,
       subject text, text_body text, html_body text, status text, last_error text, created_at timestamptz)
     ON CONFLICT (order_id, event_id, message, recipient) DO NOTHING`;

const rowsJson = (rows: readonly NewNotification[]) => JSON.stringify(rows.map((r) => ({
  order_id: r.orderId, id: r.id, event_id: r.eventId, origin: r.origin, message: r.message, recipient: r.recipient, audience: r.audience,
  subject: r.subject, text_body: r.text, html_body: r.html, status: r.status, last_error: r.lastError, created_at: r.createdAt,
})));

/** Queues messages; one already made for the same order, event, message and recipient is left as it is. How many were new. */
export async function insertNotifications(db: Db, rows: readonly NewNotification[]): Promise<number> {
  if (rows.length === 0) return 0;
  const res = await db.query(INSERT_NOTIFICATIONS, [rowsJson(rows)]);
  return res.rowCount ?? 0;
}

/**
 * The statement that queues `rows` as insertNotifications does, with the messages written into
 * it (dollar-quoted), so that it may go with a transaction's COMMIT in one round trip; prepared on the
 * connection the first time.
 */
export async function notificationsInsert(client: pg.ClientBase, rows: readonly NewNotification[]): Promise<string> {
  await preparedOnce(client, 'ordo_insert_notifications', ['jsonb'], INSERT_NOTIFICATIONS);
  return `EXECUTE ordo_insert_notifications(${dollarQuoted(rowsJson(rows))})`;
}

const CLAIM_SET = `status = 'sending', attempts = attempts + 1, lease_token = $3, lease_until = $1::timestamptz + make_interval(secs => $4),
  next_attempt_at = $1::timestamptz + make_interval(secs => $4)`;
const DUE = `origin = 'event' AND status IN ('pending', 'sending') AND next_attempt_at <= $1`;

/**
 * Claims up to `limit` messages due now (pending and due, or sending with a lease that lapsed)
 * for `leaseSeconds` under `token`. Plain PostgreSQL skips rows another relay is claiming; Citus
 * cannot skip locks across shards, so there each candidate is claimed by a conditional update on
 * its key, and of two relays reading the same candidate only the first gets it.
 */
export async function claimDueNotifications(db: Db, dialect: StoreDialect, now: Date, limit: number, token: string, leaseSeconds: number): Promise<NotificationRecord[]> {
  if (dialect.name === 'plain') {
    const res = await db.query<Row>({
      name: 'ordo_claim_notifications',
      text: `UPDATE notifications n SET ${CLAIM_SET}
        FROM (SELECT order_id, id FROM notifications WHERE ${DUE} ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED) due
        WHERE n.order_id = due.order_id AND n.id = due.id
        RETURNING ${COLUMNS.split(', ').map((c) => `n.${c}`).join(', ')}`,
      values: [now, limit, token, leaseSeconds],
    });
    return res.rows.map(toRecord);
  }
  const candidates = await db.query<{ order_id: string; id: string }>({
    name: 'ordo_due_notifications',
    text: `SELECT order_id, id FROM notifications WHERE ${DUE} ORDER BY next_attempt_at LIMIT $2`,
    values: [now, limit],
  });
  const claimed: NotificationRecord[] = [];
  for (const c of candidates.rows) {
    const res = await db.query<Row>({
      name: 'ordo_claim_notification',
      text: `UPDATE notifications SET ${CLAIM_SET} WHERE order_id = $2 AND id = $5 AND ${DUE} RETURNING ${COLUMNS}`,
      values: [now, c.order_id, token, leaseSeconds, c.id],
    });
    if (res.rows[0]) claimed.push(toRecord(res.rows[0]));
  }
  return claimed;
}

/** Records a send; only the holder of the lease may (false: the lease lapsed and someone else has the message). */
export async function recordSent(db: Db, orderId: string, id: string, token: string, now: Date): Promise<boolean> {
  const res = await db.query(
    `UPDATE notifications SET status = 'sent', sent_at = $4, last_error = NULL, lease_token = NULL, lease_until = NULL, next_attempt_at = NULL
     WHERE order_id = $1 AND id = $2 AND lease_token = $3`,
    [orderId, id, token, now],
  );
  return res.rowCount === 1;
}

/**
 * Records several sends of one claim (`token`) at once; how many were still held. Plain
 * PostgreSQL does it in one statement; Citus keeps one statement per message, each on its order's shard.
 */
export async function recordAllSent(db: Db, dialect: StoreDialect, sent: readonly { orderId: string; id: string }[], token: string, now: Date): Promise<number> {
  if (sent.length === 0) return 0;
  if (dialect.name !== 'plain') {
    let n = 0;
    for (const m of sent) if (await recordSent(db, m.orderId, m.id, token, now)) n++;
    return n;
  }
  const res = await db.query({
    name: 'ordo_notifications_sent',
    text: `UPDATE notifications n SET status = 'sent', sent_at = $4, last_error = NULL, lease_token = NULL, lease_until = NULL, next_attempt_at = NULL
      FROM unnest($1::uuid[], $2::uuid[]) AS k(order_id, id)
      WHERE n.order_id = k.order_id AND n.id = k.id AND n.lease_token = $3`,
    values: [sent.map((m) => m.orderId), sent.map((m) => m.id), token, now],
  });
  return res.rowCount ?? 0;
}

/** Records a failed attempt: tried again at `retryAt`, or `failed` for good without one. */
export async function recordFailure(db: Db, orderId: string, id: string, token: string, error: string, retryAt: Date | null): Promise<boolean> {
  const res = await db.query(
    `UPDATE notifications SET status = CASE WHEN $5::timestamptz IS NULL THEN 'failed' ELSE 'pending' END, next_attempt_at = $5,
       last_error = left($4, 2000), lease_token = NULL, lease_until = NULL
     WHERE order_id = $1 AND id = $2 AND lease_token = $3`,
    [orderId, id, token, error, retryAt],
  );
  return res.rowCount === 1;
}

/**
 * A completion step's message, claimed for sending by the step itself: made if new, taken again
 * if it failed before or its sender's lease lapsed. `sent` when it went out already (the step
 * runs again after a crash and must not send twice); `busy` when another sender holds it now.
 */
export async function claimStepNotification(db: Db, n: Omit<NewNotification, 'status' | 'lastError' | 'origin'>, now: Date, token: string, leaseSeconds: number): Promise<{ state: 'claimed' | 'sent' | 'busy'; id: string }> {
  const res = await db.query<{ id: string }>(
    `INSERT INTO notifications (order_id, id, event_id, origin, message, recipient, audience, subject, text_body, html_body, status, attempts, lease_token, lease_until, next_attempt_at, created_at)
     VALUES ($1, $2, $3, 'step', $4, $5, $6, $7, $8, $9, 'sending', 1, $10, $11::timestamptz + make_interval(secs => $12), $11::timestamptz + make_interval(secs => $12), $11)
     ON CONFLICT (order_id, event_id, message, recipient) DO UPDATE SET
       status = 'sending', attempts = notifications.attempts + 1, lease_token = EXCLUDED.lease_token, lease_until = EXCLUDED.lease_until,
       next_attempt_at = EXCLUDED.next_attempt_at, subject = EXCLUDED.subject, text_body = EXCLUDED.text_body, html_body = EXCLUDED.html_body
     WHERE notifications.status = 'failed' OR (notifications.status IN ('pending', 'sending') AND notifications.next_attempt_at <= $11)
     RETURNING id`,
    [n.orderId, n.id, n.eventId, n.message, n.recipient, n.audience, n.subject, n.text, n.html, token, now, leaseSeconds],
  );
  if (res.rows[0]) return { state: 'claimed', id: res.rows[0].id };
  const found = await db.query<{ id: string; status: NotificationStatus }>(
    'SELECT id, status FROM notifications WHERE order_id = $1 AND event_id = $2 AND message = $3 AND recipient = $4',
    [n.orderId, n.eventId, n.message, n.recipient],
  );
  return { state: found.rows[0]?.status === 'sent' ? 'sent' : 'busy', id: found.rows[0]?.id ?? n.id };
}

/** An order's messages, oldest first. */
export async function orderNotifications(db: Db, orderId: string): Promise<NotificationRecord[]> {
  const res = await db.query<Row>({ name: 'ordo_order_notifications', text: `SELECT ${COLUMNS} FROM notifications WHERE order_id = $1 ORDER BY created_at, id`, values: [orderId] });
  return res.rows.map(toRecord);
}

/** Messages still to go out (pending or being sent) and messages given up on: for /metrics. */
export async function notificationCounts(db: Db): Promise<{ pending: number; failed: number }> {
  const res = await db.query<{ pending: number; failed: number }>(
    `SELECT count(*) FILTER (WHERE status IN ('pending', 'sending'))::int AS pending, count(*) FILTER (WHERE status = 'failed')::int AS failed FROM notifications`,
  );
  return res.rows[0] ?? { pending: 0, failed: 0 };
}

/** Deletes finished messages made before `before`, a batch at a time; how many went. */
export async function pruneNotifications(db: Db, before: Date, batch = 5000): Promise<number> {
  const res = await db.query(
    `DELETE FROM notifications n USING (SELECT order_id, id FROM notifications WHERE status IN ('sent', 'failed') AND created_at < $1 LIMIT $2) old
     WHERE n.order_id = old.order_id AND n.id = old.id`,
    [before, batch],
  );
  return res.rowCount ?? 0;
}

/**
 * Timers named `timer` due between `from` and `to` whose reminder (event key `expiry:<due ISO time>`,
 * message `message`) was not made yet: the payment links about to expire.
 */
export async function expiriesWithoutReminder(db: Db, timer: string, message: string, from: Date, to: Date, limit: number): Promise<{ orderId: string; dueAt: Date }[]> {
  const res = await db.query<{ order_id: string; due_at: Date }>(
    `SELECT t.order_id, t.due_at FROM timers t
     WHERE t.name = $1 AND t.due_at > $3 AND t.due_at <= $4
       AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.order_id = t.order_id AND n.message = $2
         AND n.event_id = 'expiry:' || to_char(t.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
     ORDER BY t.due_at LIMIT $5`,
    [timer, message, from, to, limit],
  );
  return res.rows.map((r) => ({ orderId: r.order_id, dueAt: r.due_at }));
}

