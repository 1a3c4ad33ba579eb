/**
 * Several orders' saves in one statement: the engine's own loops (the timer sweeper) decide a
 * batch of orders at once, and writing them one statement each would spend a round trip and a
 * commit on every order. Each order is written only if it is still at the version it was
 * decided on; the others are left untouched for the caller to decide again. Only saves that
 * cannot be refused belong here: stock given back, never taken (no SKU can run short), no new
 * order code, no status of the merchant's own (see `OrderService`'s batch).
 *
 * Locks are taken as every other write takes them: orders before SKUs, so a batch and a single
 * command cannot deadlock; the batch's orders in id order and its SKUs in SKU order, so two
 * batches cannot either.
 */
import type { Order } from '../domain/order.js';
import type { Db } from './database.js';
import type { MovementRow } from './inventory.js';
import { orderBody, paymentRows, refRows, statusTags } from './order-rows.js';
import { historyInsert, movementRecords, outboxInsert, paymentUpsert, refInsert, timersInsert, type Changed, type HistoryRow, type OutboxRow } from './orders.js';

/** One order's save: the order as decided, over the version it was decided on. */
export interface BatchedSave {
  readonly order: Order;
  readonly expectedVersion: number;
  readonly history: readonly HistoryRow[];
  readonly outbox: readonly OutboxRow[];
  /** Which of the order's indexes changed (those that did not are left as stored). */
  readonly changed: Changed;
  /** Stock given back (no SKU's take may be positive). */
  readonly movements: readonly MovementRow[];
}

const SAVE_BATCH = `WITH x AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, expected int, status jsonb, status_tags text[], customer_id text, body jsonb,
    version int, updated_at timestamptz, placed_at timestamptz, history jsonb, outbox jsonb, timers jsonb, payments jsonb, refs jsonb, movements jsonb)
), lo AS (
  SELECT o.id FROM orders o JOIN x ON x.id = o.id AND o.version = x.expected ORDER BY o.id FOR UPDATE OF o
), w AS (
  UPDATE orders o SET status = x.status, status_tags = x.status_tags, customer_id = x.customer_id, body = x.body, version = x.version,
    updated_at = x.updated_at, placed_at = x.placed_at, events = o.events + jsonb_array_length(x.outbox)
  FROM lo JOIN x ON x.id = lo.id
  WHERE o.id = lo.id
  RETURNING o.id, o.code, o.events - jsonb_array_length(x.outbox) AS events_before, x.history, x.outbox, x.timers, x.payments, x.refs, x.movements
), h AS (${historyInsert('w.history')}
), ob AS (${outboxInsert('w.outbox')}
), d AS (
  DELETE FROM timers WHERE order_id IN (SELECT id FROM w WHERE timers IS NOT NULL)
), t AS (${timersInsert('w.timers')}
), p AS (${paymentUpsert('w.payments')}
), r AS (${refInsert('w.refs')}
), mv AS (
  SELECT x.* FROM w, ${movementRecords('w.movements')}
), lv AS (
  -- After every order of the batch is locked and written (w is read to the end first).
  SELECT i.sku, i.on_hand, i.reserved FROM inventory i WHERE i.sku IN (SELECT sku FROM mv) ORDER BY i.sku FOR UPDATE OF i
), m AS (
  INSERT INTO stock_movements (id, sku, kind, quantity, on_hand_delta, reserved_delta, order_id, line_id, reason, actor_kind, actor_id, at)
  SELECT mv.* FROM mv WHERE mv.sku IN (SELECT sku FROM lv)
  RETURNING sku, on_hand_delta, reserved_delta, at
), s AS (
  -- From the levels as locked, as a single order's statement does (orders.ts).
  UPDATE inventory i SET on_hand = lv.on_hand + d.on_hand, reserved = lv.reserved + d.reserved, updated_at = d.at
  FROM lv JOIN (SELECT sku, sum(on_hand_delta)::int AS on_hand, sum(reserved_delta)::int AS reserved, max(at) AS at FROM m GROUP BY sku) d ON d.sku = lv.sku
  WHERE i.sku = d.sku
)
SELECT coalesce(array_agg(id), '{}') AS written FROM w`;

/** The statement's row for one save (what `orderColumns` gives a single order's statement, as JSON values). */
const rowOf = ({ order, expectedVersion, history, outbox, changed, movements }: BatchedSave) => ({
  id: order.id,
  expected: expectedVersion,
  status: order.status,
  status_tags: statusTags(order.status),
  customer_id: order.customer.id ?? null,
  body: orderBody(order),
  version: order.version,
  updated_at: order.updatedAt,
  placed_at: order.placedAt,
  history,
  outbox,
  timers: changed.timers ? order.timers : null,
  payments: changed.payments ? paymentRows(order) : null,
  refs: changed.refs ? refRows(order) : null,
  movements,
});

/** Writes the saves still at their expected version, all in one statement; the ids of those it wrote. */
export async function saveOrders(db: Db, saves: readonly BatchedSave[]): Promise<Set<string>> {
  if (saves.length === 0) return new Set();
  const res = await db.query<{ written: string[] }>({ name: 'ordo_save_orders', text: SAVE_BATCH, values: [JSON.stringify(saves.map(rowOf))] });
  return new Set(res.rows[0]!.written);
}
