/**
 * The event stream's storage: the outbox rows, read in the order of their place in the stream.
 *
 * An event's place (`position`) is given after its transaction committed, by one placer at a
 * time (a transaction-level advisory lock), counting on from the highest place given (kept in
 * event_places, since events are pruned). So once
 * place p is visible, every place below p is visible too: a reader that has seen up to p never
 * misses an event committed later, because that event can only get a place above p.
 */
import type pg from 'pg';
import { preparedOnce, type Db } from './database.js';
import { queueDeliveries } from './delivery-fan-out.js';

/** An outbox row as the stream serves it. */
export interface StoredEvent {
  readonly id: string;
  readonly order_id: string;
  readonly order_code: number | null;
  readonly sequence: number;
  readonly type: string;
  readonly payload: { readonly actor: { readonly kind: string; readonly id: string | null }; readonly data: Record<string, unknown> };
  readonly created_at: Date;
  readonly position: number;
}

/** Store-wide events (a webhook switched off) are kept as the events of this one id. */
export const STORE_STREAM = '00000000-0000-0000-0000-000000000000';

/** Any fixed number: the advisory lock that lets one transaction at a time give places. */
export const PLACER_LOCK = 0x6f72646f; // "ordo"

/**
 * Tries the placer's lock, and notes in the transaction whether it got it (`ordo.placer`), for
 * the placing statement that follows in the same round trip to check. That statement must not
 * take the lock itself: taken during the statement, the lock would come after its snapshot, and
 * the placing could give new places to events that the placer before it placed since.
 */
const TRY_PLACER_LOCK = `SELECT set_config('ordo.placer', pg_try_advisory_xact_lock(${PLACER_LOCK})::text, true) = 'true' AS ok`;

const COLUMNS = 'id, order_id, order_code, sequence, type, payload, created_at, position';

/** What a placing did: the events it placed, in stream order, and the webhook deliveries it queued for them. */
export interface Placing {
  readonly events: StoredEvent[];
  readonly deliveries: number;
  /** Whether this transaction held the placer's lock (else another was placing, and placed nothing here). */
  readonly held: boolean;
}

/**
 * Gives the next `$1` committed events without a place their places: an order's events in
 * sequence order; events committed after a placing get places after it. The same statement
 * queues their webhook deliveries (delivery-fan-out.ts). It places nothing unless its
 * transaction took the placer's lock before it (TRY_PLACER_LOCK).
 */
const PLACE_EVENTS = `WITH gate AS (
    SELECT current_setting('ordo.placer', true) IS NOT DISTINCT FROM 'true' AS mine
  ), picked AS (
    SELECT order_id, sequence FROM outbox WHERE position IS NULL AND (SELECT mine FROM gate) ORDER BY created_at, order_id, sequence LIMIT $1
  ), upto AS (
    SELECT order_id, max(sequence) AS last FROM picked GROUP BY order_id
  ), unplaced AS (
    -- With each picked event, its order's unplaced events before it: none is left behind to be placed after it.
    SELECT o.order_id, o.id, o.created_at, o.sequence FROM outbox o JOIN upto ON o.order_id = upto.order_id AND o.sequence <= upto.last
    WHERE o.position IS NULL
  ), next AS (
    -- An order's events stay in sequence order even if the clocks of the processes that wrote
    -- them disagree: each order's events come together, orders in the order of their first event.
    SELECT order_id, id, row_number() OVER (ORDER BY first, order_id, sequence) AS n
    FROM (SELECT *, min(created_at) OVER (PARTITION BY order_id) AS first FROM unplaced) u
  ), base AS (
    -- Untouched when there is nothing to place: an empty placing (the relay's poll) writes nothing, so commits without a WAL flush.
    UPDATE event_places SET top = top + (SELECT count(*) FROM next) WHERE EXISTS (SELECT 1 FROM next) RETURNING top - (SELECT count(*) FROM next) AS top
  ), placed AS (
    UPDATE outbox o SET position = base.top + next.n, published_at = $2
    FROM next, base WHERE o.order_id = next.order_id AND o.id = next.id
    RETURNING ${COLUMNS.split(', ').map((c) => `o.${c}`).join(', ')}
  ), queued AS (
    ${queueDeliveries('placed', '$2')}
  )
  SELECT placed.*, (SELECT count(*) FROM queued)::int AS deliveries FROM placed`;

/**
 * What a placing sends with its BEGIN, in the same round trip: the placer's lock tried, then the
 * placing of up to `limit` events (prepared on the connection the first time it places).
 * `placedFrom` reads the answer. None placed when another transaction is placing now (it will
 * place these too).
 */
export async function placingOpening(client: pg.ClientBase, now: Date, limit: number): Promise<string> {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`a placing takes a whole number of events, not ${limit}`);
  await preparedOnce(client, 'ordo_place_events', ['int', 'timestamptz'], PLACE_EVENTS);
  return `${TRY_PLACER_LOCK}; EXECUTE ordo_place_events(${limit}, '${now.toISOString()}')`;
}

/** The placing's answer, from the results of placingOpening's statements. */
export function placedFrom(opened: readonly pg.QueryResult[]): Placing {
  const rows = (opened[1]?.rows ?? []) as (StoredEvent & { deliveries: number })[];
  const events = rows.map(({ deliveries: _d, ...event }) => event).sort((a, b) => a.position - b.position);
  return { events, deliveries: rows[0]?.deliveries ?? 0, held: opened[0]?.rows[0]?.ok === true };
}

export interface EventFilter {
  readonly after: number;
  readonly limit: number;
  /** Type patterns (`order.*`, `payment.settled`); any of them. */
  readonly types?: readonly string[];
  readonly orderId?: string;
}

/** Placed events after a place, in stream order. */
export async function readEvents(db: Db, filter: EventFilter): Promise<StoredEvent[]> {
  const values: unknown[] = [filter.after, filter.limit];
  const where = ['position > $1'];
  if (filter.orderId) {
    values.push(filter.orderId);
    where.push(`order_id = $${values.length}`);
  }
  if (filter.types?.length) {
    values.push(filter.types.map((p) => (p === '*' ? '%' : p.endsWith('.*') ? `${p.slice(0, -1)}%` : p)));
    where.push(`type LIKE ANY ($${values.length}::text[])`);
  }
  const res = await db.query<StoredEvent>(`SELECT ${COLUMNS} FROM outbox WHERE ${where.join(' AND ')} ORDER BY position LIMIT $2`, values);
  return res.rows;
}

/** The age of the oldest event not yet placed, in seconds (0 when none wait): the relay's lag. */
export async function unplacedLag(db: Db, now: Date): Promise<number> {
  const res = await db.query<{ oldest: Date | null }>('SELECT min(created_at) AS oldest FROM outbox WHERE position IS NULL');
  const oldest = res.rows[0]!.oldest;
  return oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0;
}

/** Deletes placed events older than `before`, a batch at a time; how many went. */
export async function pruneEvents(db: Db, before: Date, batch = 5000): Promise<number> {
  const res = await db.query(
    `DELETE FROM outbox o USING (SELECT order_id, id FROM outbox WHERE position IS NOT NULL AND created_at < $1 LIMIT $2) old
     WHERE o.order_id = old.order_id AND o.id = old.id`,
    [before, batch],
  );
  return res.rowCount ?? 0;
}

/** Writes a store-wide event (not about an order), numbered after the store stream's last one. */
export async function appendStoreEvent(db: Db, id: string, type: string, data: Record<string, unknown>, now: Date): Promise<void> {
  await db.query(
    `INSERT INTO outbox (id, order_id, type, payload, created_at, sequence)
     SELECT $1, $2, $3, $4, $5, coalesce(max(sequence), 0) + 1 FROM outbox WHERE order_id = $2`,
    [id, STORE_STREAM, type, { actor: { kind: 'system', id: null }, data }, now],
  );
}
