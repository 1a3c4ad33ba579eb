/**
 * Webhook subscriptions and their deliveries. A delivery is the work one event calls for at one
 * subscription: queued when the relay places the event, claimed by one relay at a time under a
 * lease, and finished by a write that holds only if that lease is still the claimer's.
 */
import type { Db } from './database.js';
import type { StoreDialect } from './dialect.js';
import type { StoredEvent } from './events.js';

export interface SubscriptionRow {
  readonly id: string;
  readonly url: string;
  readonly events: string[];
  readonly description: string | null;
  readonly enabled: boolean;
  readonly secret: string;
  readonly previous_secret: string | null;
  readonly previous_secret_until: Date | null;
  readonly disabled_reason: string | null;
  readonly failing_since: Date | null;
  readonly created_at: Date;
  readonly updated_at: Date;
}

export type DeliveryStatus = 'pending' | 'sending' | 'delivered' | 'failed';

/** One attempt as the log keeps it. */
export interface AttemptEntry {
  readonly at: string;
  readonly status: number | null;
  readonly durationMs: number;
  readonly error: string | null;
  /** The first bytes of the answer's body. */
  readonly response: string | null;
}

export interface DeliveryRow {
  readonly order_id: string;
  readonly id: string;
  readonly subscription_id: string;
  readonly event_id: string;
  readonly event_type: string;
  readonly sequence: number;
  readonly position: number;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  /** Infinity while its subscription is switched off (see "Waiting behind"). */
  readonly next_attempt_at: Date | number;
  readonly log: AttemptEntry[];
  readonly created_at: Date;
  readonly updated_at: Date;
}

const SUBSCRIPTION = 'id, url, events, description, enabled, secret, previous_secret, previous_secret_until, disabled_reason, failing_since, created_at, updated_at';
const DELIVERY = 'order_id, id, subscription_id, event_id, event_type, sequence, position, status, attempts, next_attempt_at, log, created_at, updated_at';

// ── Subscriptions ──────────────────────────────────────────────────────────

export async function insertSubscription(db: Db, s: Pick<SubscriptionRow, 'id' | 'url' | 'events' | 'description' | 'secret' | 'created_at'>): Promise<SubscriptionRow> {
  const res = await db.query<SubscriptionRow>(
    `INSERT INTO webhook_subscriptions (id, url, events, description, secret, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING ${SUBSCRIPTION}`,
    [s.id, s.url, s.events, s.description, s.secret, s.created_at],
  );
  return res.rows[0]!;
}

export async function listSubscriptions(db: Db): Promise<SubscriptionRow[]> {
  return (await db.query<SubscriptionRow>(`SELECT ${SUBSCRIPTION} FROM webhook_subscriptions ORDER BY id`)).rows;
}

export async function findSubscription(db: Db, id: string): Promise<SubscriptionRow | undefined> {
  return (await db.query<SubscriptionRow>(`SELECT ${SUBSCRIPTION} FROM webhook_subscriptions WHERE id = $1`, [id])).rows[0];
}

export interface SubscriptionChange {
  readonly url?: string;
  readonly events?: readonly string[];
  readonly description?: string | null;
  readonly enabled?: boolean;
}

/** Applies the fields given; switching a subscription on forgets why and since when it failed. */
export async function updateSubscription(db: Db, id: string, change: SubscriptionChange, now: Date): Promise<SubscriptionRow | undefined> {
  const res = await db.query<SubscriptionRow>(
    `UPDATE webhook_subscriptions SET
       url = coalesce($2, url), events = coalesce($3, events),
       description = CASE WHEN $4 THEN $5 ELSE description END,
       enabled = coalesce($6, enabled),
       disabled_reason = CASE WHEN $6 IS NOT NULL THEN NULL ELSE disabled_reason END,
       failing_since = CASE WHEN $6 AND NOT enabled THEN NULL ELSE failing_since END,
       updated_at = $7
     WHERE id = $1 RETURNING ${SUBSCRIPTION}`,
    [id, change.url ?? null, change.events ?? null, change.description !== undefined, change.description ?? null, change.enabled ?? null, now],
  );
  return res.rows[0];
}

export async function deleteSubscription(db: Db, id: string): Promise<boolean> {
  return ((await db.query('DELETE FROM webhook_subscriptions WHERE id = $1', [id])).rowCount ?? 0) > 0;
}

/** The new secret signs from now on; the one it replaces signs beside it until `overlapUntil`. */
export async function rotateSecret(db: Db, id: string, secret: string, overlapUntil: Date, now: Date): Promise<SubscriptionRow | undefined> {
  const res = await db.query<SubscriptionRow>(
    `UPDATE webhook_subscriptions SET previous_secret = secret, previous_secret_until = $3, secret = $2, updated_at = $4 WHERE id = $1 RETURNING ${SUBSCRIPTION}`,
    [id, secret, overlapUntil, now],
  );
  return res.rows[0];
}

/** Switches a subscription off; false when it was off already (so the event saying so is written once). */
export async function disableSubscription(db: Db, id: string, reason: string, now: Date): Promise<boolean> {
  const res = await db.query('UPDATE webhook_subscriptions SET enabled = false, disabled_reason = $2, updated_at = $3 WHERE id = $1 AND enabled', [id, reason, now]);
  return (res.rowCount ?? 0) > 0;
}

/** Notes a failed attempt: since when the subscription fails (kept if set). Returns that time. */
export async function markFailing(db: Db, id: string, now: Date): Promise<Date | undefined> {
  const res = await db.query<{ failing_since: Date }>('UPDATE webhook_subscriptions SET failing_since = coalesce(failing_since, $2) WHERE id = $1 RETURNING failing_since', [id, now]);
  return res.rows[0]?.failing_since;
}

export async function clearFailing(db: Db, id: string): Promise<void> {
  await db.query('UPDATE webhook_subscriptions SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL', [id]);
}

// ── Fan-out ────────────────────────────────────────────────────────────────
//
// The deliveries are queued by the placing statement itself (delivery-fan-out.ts).

// ── Waiting behind ─────────────────────────────────────────────────────────
//
// Keeps the claim's read short. A delivery that waits behind an earlier one of its line being
// retried is due no earlier than that one's next attempt, so a failing endpoint's backlog stays out
// of the range the claim reads until it may go. These times are only ever finite and only a lower
// bound (a race leaves a delivery due early, which the claim's own line check then skips), so a
// delivery is never stranded. Only a subscription switched off parks its deliveries for good
// ('infinity'), and switching it on wakes them, both under the subscription's row lock.

const PARKED = `'infinity'::timestamptz`;

/** Holds the pending deliveries of these orders back until the latest pending retry ahead of them in their line. */
export async function holdBehindRetries(db: Db, orderIds: readonly string[]): Promise<number> {
  const res = await db.query({
    name: 'ordo_webhook_hold_behind',
    text: `UPDATE webhook_deliveries d SET next_attempt_at = b.until
      FROM (
        SELECT w.order_id, w.id, max(e.next_attempt_at) AS until
        FROM webhook_deliveries w
        -- Only a retry holds its line back (a first attempt is due at once, like what waits behind it).
        JOIN webhook_deliveries e ON e.order_id = w.order_id AND e.subscription_id = w.subscription_id AND e.sequence < w.sequence AND e.status = 'pending' AND e.attempts > 0
        WHERE w.order_id = ANY($1::uuid[]) AND w.status = 'pending'
        GROUP BY w.order_id, w.id
      ) b
      WHERE d.order_id = b.order_id AND d.id = b.id AND b.until > d.next_attempt_at`,
    values: [orderIds],
  });
  return res.rowCount ?? 0;
}

/** Parks every pending delivery of a subscription switched off (in the transaction that switches it off). */
export async function parkAll(db: Db, subscriptionId: string): Promise<void> {
  await db.query(`UPDATE webhook_deliveries SET next_attempt_at = ${PARKED} WHERE subscription_id = $1 AND status = 'pending'`, [subscriptionId]);
}

/** Makes the parked deliveries of a subscription switched on due now (in the transaction that switches it on). */
export async function unparkAll(db: Db, subscriptionId: string, now: Date): Promise<void> {
  await db.query(`UPDATE webhook_deliveries SET next_attempt_at = $2 WHERE subscription_id = $1 AND status = 'pending' AND next_attempt_at = ${PARKED}`, [subscriptionId, now]);
}

// ── Claims ─────────────────────────────────────────────────────────────────

export interface DeliveryKey {
  readonly orderId: string;
  readonly id: string;
}

export interface ClaimRequest {
  readonly now: Date;
  readonly limit: number;
  /** The claim's token: the result of an attempt is written only while the delivery still holds it. */
  readonly token: string;
  readonly leaseUntil: Date;
  /** Deliveries this process is sending now: never claimed again here, whatever their lease says. */
  readonly busy: readonly string[];
}

/**
 * A delivery is due when it is pending and its time came, or sending with a lapsed lease (its
 * sender died). It may go only at the head of its line: no earlier delivery of the same
 * subscription and order is still pending or sending. So an order's event n+1 waits for n,
 * and nothing else does.
 */
const due = (now: string, busy: string) => `c.status IN ('pending', 'sending') AND c.next_attempt_at <= ${now} AND NOT (c.id = ANY(${busy}::uuid[]))
  AND EXISTS (SELECT 1 FROM webhook_subscriptions s WHERE s.id = c.subscription_id AND s.enabled)
  AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.subscription_id = c.subscription_id AND e.order_id = c.order_id
                  AND e.sequence < c.sequence AND e.status IN ('pending', 'sending'))`;

/** Claims due deliveries: marks them sending under the token until `leaseUntil`, and commits (autocommit). */
export async function claimDeliveries(db: Db, dialect: StoreDialect, req: ClaimRequest): Promise<DeliveryKey[]> {
  return dialect.name === 'plain' ? claimSkippingLocked(db, req) : claimByKey(db, req);
}

/** One statement: deliveries another relay is claiming right now are skipped, not waited for. */
async function claimSkippingLocked(db: Db, req: ClaimRequest): Promise<DeliveryKey[]> {
  const res = await db.query<{ order_id: string; id: string }>({
    name: 'ordo_webhook_claim',
    text: `WITH due AS (
        SELECT c.order_id, c.id FROM webhook_deliveries c WHERE ${due('$1', '$5')}
        ORDER BY c.next_attempt_at LIMIT $2 FOR UPDATE OF c SKIP LOCKED
      )
      UPDATE webhook_deliveries d SET status = 'sending', lease_token = $3, lease_until = $4, next_attempt_at = $4, updated_at = $1
      FROM due WHERE d.order_id = due.order_id AND d.id = due.id
      RETURNING d.order_id, d.id`,
    values: [req.now, req.limit, req.token, req.leaseUntil, req.busy],
  });
  return res.rows.map((r) => ({ orderId: r.order_id, id: r.id }));
}

/**
 * Citus cannot skip locked rows across shards: candidates are read first, and each is claimed by
 * an update on its key that checks again that it is due and at the head of its line (all on the
 * order's shard). Of relays racing for one delivery, the first update wins; the others find it
 * sending with a lease that has not lapsed.
 */
async function claimByKey(db: Db, req: ClaimRequest): Promise<DeliveryKey[]> {
  for (let round = 0; round < 5; round++) {
    const candidates = await db.query<{ order_id: string; id: string }>({
      name: 'ordo_webhook_candidates',
      text: `SELECT c.order_id, c.id FROM webhook_deliveries c WHERE ${due('$1', '$3')} ORDER BY c.next_attempt_at LIMIT $2`,
      values: [req.now, req.limit, req.busy],
    });
    if (candidates.rows.length === 0) return [];
    const claimed: DeliveryKey[] = [];
    for (const k of candidates.rows) {
      const res = await db.query<{ order_id: string; id: string }>({
        name: 'ordo_webhook_claim_one',
        text: `UPDATE webhook_deliveries c SET status = 'sending', lease_token = $2, lease_until = $3, next_attempt_at = $3, updated_at = $1
          WHERE c.order_id = $5 AND c.id = $6 AND ${due('$1', '$4')}
          RETURNING c.order_id, c.id`,
        values: [req.now, req.token, req.leaseUntil, req.busy, k.order_id, k.id],
      });
      claimed.push(...res.rows.map((r) => ({ orderId: r.order_id, id: r.id })));
    }
    if (claimed.length > 0) return claimed;
  }
  return [];
}

/** A claimed delivery with what sending it takes: the endpoint, its secrets, and the event (undefined once pruned). */
export interface ClaimedDelivery {
  readonly key: DeliveryKey;
  readonly subscriptionId: string;
  readonly attempts: number;
  readonly url: string;
  readonly secret: string;
  readonly previousSecret: string | null;
  readonly previousSecretUntil: Date | null;
  readonly failingSince: Date | null;
  readonly event: StoredEvent | undefined;
}

export async function loadClaimed(db: Db, keys: readonly DeliveryKey[]): Promise<ClaimedDelivery[]> {
  if (keys.length === 0) return [];
  const res = await db.query<{
    order_id: string; id: string; subscription_id: string; attempts: number; url: string; secret: string; previous_secret: string | null;
    previous_secret_until: Date | null; failing_since: Date | null; event_id: string | null; order_code: number | null; sequence: number; type: string;
    payload: StoredEvent['payload']; event_at: Date; position: number;
  }>({
    name: 'ordo_webhook_load_claimed',
    text: `SELECT d.order_id, d.id, d.subscription_id, d.attempts, s.url, s.secret, s.previous_secret, s.previous_secret_until, s.failing_since,
        o.id AS event_id, o.order_code, o.sequence, o.type, o.payload, o.created_at AS event_at, o.position
      FROM webhook_deliveries d
      JOIN webhook_subscriptions s ON s.id = d.subscription_id
      LEFT JOIN outbox o ON o.order_id = d.order_id AND o.id = d.event_id
      WHERE (d.order_id, d.id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))`,
    values: [keys.map((k) => k.orderId), keys.map((k) => k.id)],
  });
  return res.rows.map((r) => ({
    key: { orderId: r.order_id, id: r.id },
    subscriptionId: r.subscription_id,
    attempts: r.attempts,
    url: r.url,
    secret: r.secret,
    previousSecret: r.previous_secret,
    previousSecretUntil: r.previous_secret_until,
    failingSince: r.failing_since,
    event: r.event_id === null ? undefined : {
      id: r.event_id, order_id: r.order_id, order_code: r.order_code, sequence: r.sequence, type: r.type, payload: r.payload, created_at: r.event_at, position: r.position,
    },
  }));
}

export interface AttemptRecord {
  /** pending: tried again at nextAttemptAt (and the rest of its line not before); delivered or failed: done. */
  readonly status: Exclude<DeliveryStatus, 'sending'>;
  /** When the next attempt is due (pending only). */
  readonly nextAttemptAt: Date | null;
  readonly entry: AttemptEntry;
}

/** The log keeps this many attempts; the oldest go first. */
const LOG_LIMIT = 50;

/**
 * Writes an attempt's outcome if the delivery still holds `token`; false when its lease went to
 * another relay. A retry holds the later deliveries of its line back until it (same statement,
 * all on the order's shard).
 */
export interface AttemptOutcome {
  readonly key: DeliveryKey;
  readonly token: string;
  readonly rec: AttemptRecord;
}

/**
 * Writes the outcomes of several attempts in one statement (a relay finishes many sends at
 * once); for each, whether it was written (false: its claim lost the lease). A retry also holds
 * the rest of its line back until its next attempt.
 */
export async function recordAttempts(db: Db, outcomes: readonly AttemptOutcome[], now: Date): Promise<boolean[]> {
  const rows = outcomes.map((o) => ({ order_id: o.key.orderId, id: o.key.id, token: o.token, status: o.rec.status, next_at: o.rec.nextAttemptAt, entry: o.rec.entry }));
  const res = await db.query<{ id: string }>({
    name: 'ordo_webhook_record',
    text: `WITH r AS (
        SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(order_id uuid, id uuid, token uuid, status text, next_at timestamptz, entry jsonb)
      ), done AS (
        UPDATE webhook_deliveries d SET status = r.status, attempts = d.attempts + 1, next_attempt_at = coalesce(r.next_at, d.next_attempt_at),
          lease_token = NULL, lease_until = NULL, updated_at = $2,
          log = CASE WHEN jsonb_array_length(d.log) >= ${LOG_LIMIT} THEN (d.log - 0) || jsonb_build_array(r.entry) ELSE d.log || jsonb_build_array(r.entry) END
        FROM r WHERE d.order_id = r.order_id AND d.id = r.id AND d.lease_token = r.token
        RETURNING d.order_id, d.id, d.subscription_id, d.sequence, r.status, r.next_at
      ), held AS (
        UPDATE webhook_deliveries d SET next_attempt_at = done.next_at FROM done
        WHERE done.status = 'pending' AND d.order_id = done.order_id AND d.subscription_id = done.subscription_id AND d.sequence > done.sequence
          AND d.status = 'pending' AND d.next_attempt_at < done.next_at
        RETURNING d.id
      )
      SELECT id FROM done`,
    values: [JSON.stringify(rows), now],
  });
  const written = new Set(res.rows.map((r) => r.id));
  return outcomes.map((o) => written.has(o.key.id));
}

// ── The delivery log ───────────────────────────────────────────────────────

export interface DeliveryFilter {
  readonly status?: DeliveryStatus;
  readonly limit: number;
  /** The position of the last delivery seen: the list goes on with older ones. */
  readonly before?: number;
}

/** A subscription's deliveries, newest event first. */
export async function listDeliveries(db: Db, subscriptionId: string, filter: DeliveryFilter): Promise<DeliveryRow[]> {
  const values: unknown[] = [subscriptionId, filter.limit];
  const where = ['subscription_id = $1'];
  if (filter.status) {
    values.push(filter.status);
    where.push(`status = $${values.length}`);
  }
  if (filter.before !== undefined) {
    values.push(filter.before);
    where.push(`position < $${values.length}`);
  }
  const res = await db.query<DeliveryRow>(`SELECT ${DELIVERY} FROM webhook_deliveries WHERE ${where.join(' AND ')} ORDER BY position DESC LIMIT $2`, values);
  return res.rows;
}

export async function findDelivery(db: Db, subscriptionId: string, id: string): Promise<DeliveryRow | undefined> {
  return (await db.query<DeliveryRow>(`SELECT ${DELIVERY} FROM webhook_deliveries WHERE id = $1 AND subscription_id = $2`, [id, subscriptionId])).rows[0];
}

/** Queues a delivery again, due now, with a new round of attempts; undefined when it is being sent right now. */
export async function requeueDelivery(db: Db, subscriptionId: string, id: string, now: Date): Promise<DeliveryRow | undefined> {
  const res = await db.query<DeliveryRow>(
    `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = $3, updated_at = $3
     WHERE id = $1 AND subscription_id = $2 AND status <> 'sending' RETURNING ${DELIVERY}`,
    [id, subscriptionId, now],
  );
  return res.rows[0];
}

/** Queues again every failed delivery of the subscription whose event came at or after `since`; how many. */
export async function requeueFailed(db: Db, subscriptionId: string, since: Date, now: Date): Promise<number> {
  const res = await db.query(
    `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = $3, updated_at = $3
     WHERE subscription_id = $1 AND status = 'failed' AND event_at >= $2`,
    [subscriptionId, since, now],
  );
  return res.rowCount ?? 0;
}

/** Deletes finished deliveries last touched before `before`, a batch at a time; how many went. */
export async function pruneDeliveries(db: Db, before: Date, batch = 5000): Promise<number> {
  const res = await db.query(
    `DELETE FROM webhook_deliveries d USING (
       SELECT order_id, id FROM webhook_deliveries WHERE status IN ('delivered', 'failed') AND updated_at < $1 LIMIT $2
     ) old WHERE d.order_id = old.order_id AND d.id = old.id`,
    [before, batch],
  );
  return res.rowCount ?? 0;
}

export interface DeliveryCounts {
  readonly subscriptionId: string;
  /** Waiting or being sent. */
  readonly pending: number;
  /** Given up (until re-sent or pruned). */
  readonly failed: number;
}

/** Per subscription, deliveries waiting and given up: for /metrics. */
export async function deliveryCounts(db: Db): Promise<DeliveryCounts[]> {
  // Counted on the deliveries' side first (each half from its partial index), then joined to every subscription.
  const res = await db.query<{ subscription_id: string; pending: number; failed: number }>(
    `WITH counts AS MATERIALIZED (
       SELECT subscription_id, count(*)::int AS pending, 0 AS failed FROM webhook_deliveries WHERE status IN ('pending', 'sending') GROUP BY subscription_id
       UNION ALL
       SELECT subscription_id, 0, count(*)::int FROM webhook_deliveries WHERE status = 'failed' GROUP BY subscription_id
     )
     SELECT s.id AS subscription_id, coalesce(sum(c.pending), 0)::int AS pending, coalesce(sum(c.failed), 0)::int AS failed
     FROM webhook_subscriptions s LEFT JOIN counts c ON c.subscription_id = s.id GROUP BY s.id ORDER BY s.id`,
  );
  return res.rows.map((r) => ({ subscriptionId: r.subscription_id, pending: r.pending, failed: r.failed }));
}
