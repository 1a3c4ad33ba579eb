/**
 * Order persistence. A save is one statement: the conditional update of the order row
 * (WHERE version = expected) and the inserts of its history and outbox rows ride in
 * data-modifying CTEs, so they commit together or not at all, in one round trip. On plain
 * PostgreSQL the stock the change moves rides along too, when every SKU has enough.
 */
import type { Order } from '../domain/order.js';
import type { WorkflowCustomization } from '../domain/workflow/customization.js';
import type { Db } from './database.js';
import { CUSTOMIZATION_COLUMNS, joinedCustomization, type JoinedCustomization } from './workflow-customizations.js';
import { ORDER_COLUMNS, orderColumns, toOrder, type OrderRow } from './order-rows.js';
import { textMatch } from './search-match.js';
import type { MovementRow } from './inventory.js';

export interface HistoryRow {
  readonly id: string;
  readonly type: string;
  readonly track: string | null;
  readonly from_state: string | null;
  readonly to_state: string | null;
  readonly actor_kind: string;
  readonly actor_id: string | null;
  readonly reason: string | null;
  readonly cause: string | null;
  readonly data: Readonly<Record<string, unknown>>;
  readonly at: Date;
}

export interface OutboxRow {
  readonly id: string;
  /** 1 for the save's first event, 2 for its second…: added to the order's count of events. */
  readonly seq: number;
  readonly type: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly created_at: Date;
}

/*
 * The parts of a save. Each reads the rows it writes from a JSON array of records (`records`: a
 * parameter for one order's save, a column of the written row for a batch: order-batch.ts) and
 * writes them only for an order that was written (w: its id, code and events_before).
 */

export const historyInsert = (records: string) => `INSERT INTO order_history (id, order_id, type, track, from_state, to_state, actor_kind, actor_id, reason, cause, data, at)
  SELECT h.id, w.id, h.type, h.track, h.from_state, h.to_state, h.actor_kind, h.actor_id, h.reason, h.cause, coalesce(h.data, '{}'), h.at
  FROM w, jsonb_to_recordset(${records}) AS h(id uuid, type text, track text, from_state text, to_state text,
    actor_kind text, actor_id text, reason text, cause text, data jsonb, at timestamptz)`;

/** Events take the order's next numbers (w.events_before + 1, + 2, …) and its code as saved. */
export const outboxInsert = (records: string) => `INSERT INTO outbox (id, order_id, type, payload, created_at, sequence, order_code)
  SELECT o.id, w.id, o.type, o.payload, o.created_at, w.events_before + o.seq, w.code
  FROM w, jsonb_to_recordset(${records}) AS o(id uuid, type text, payload jsonb, created_at timestamptz, seq int)`;

export const timersInsert = (records: string, changed = 'true') => `INSERT INTO timers (order_id, name, due_at)
  SELECT w.id, x.name, x."dueAt" FROM w, jsonb_to_recordset(${records}) AS x(name text, "dueAt" timestamptz) WHERE ${changed}`;

/**
 * The timers index follows the order's own list; rewritten only when that list changed, and
 * only if the order was written (w). The order's id ($1) names the rows, so that on Citus the
 * delete goes to the order's shard alone.
 */
const timerRewrite = (timers: number, changed: string) => `d AS (
  DELETE FROM timers WHERE ${changed} AND order_id = $1 AND EXISTS (SELECT 1 FROM w)
), t AS (${timersInsert(`$${timers}::jsonb`, changed)})`;

/** The payments index follows the order's payments; upserted only when they changed. */
export const paymentUpsert = (records: string, changed = 'true') => `INSERT INTO payments (id, order_id, method, gateway, reference, state, intent_at)
  SELECT x.id, w.id, x.method, x.gateway, x.reference, x.state, x.intent_at
  FROM w, jsonb_to_recordset(${records}) AS x(id uuid, method text, gateway text, reference text, state text, intent_at timestamptz)
  WHERE ${changed}
  ON CONFLICT (id) DO UPDATE SET reference = EXCLUDED.reference, state = EXCLUDED.state, intent_at = EXCLUDED.intent_at`;

/** Fulfillment and return ids, so that routes naming them find their order. */
export const refInsert = (records: string, changed = 'true') => `INSERT INTO order_refs (id, order_id, kind)
  SELECT x.id, w.id, x.kind FROM w, jsonb_to_recordset(${records}) AS x(id uuid, kind text)
  WHERE ${changed}
  ON CONFLICT (id) DO NOTHING`;

/** Stock movements as the statements unpack them (the columns of stock_movements). */
export const movementRecords = (records: string) => `jsonb_to_recordset(${records}) AS x(id uuid, sku text, kind text, quantity integer, on_hand_delta integer,
    reserved_delta integer, order_id uuid, line_id uuid, reason text, actor_kind text, actor_id text, at timestamptz)`;

/**
 * The search text (migration 017), apart from the order row so that a save that leaves it as it
 * was writes no trigram index entry; upserted only when it changed, and only if the order was written.
 */
const searchUpsert = (search: number, changed: string) => `q AS (
  INSERT INTO order_search (order_id, search)
  SELECT w.id, $${search}::text FROM w WHERE ${changed}
  ON CONFLICT (order_id) DO UPDATE SET search = EXCLUDED.search
)`;

/**
 * The lines' SKUs (migration 019), one row each, written with the search text: those the lines
 * hold now are added where missing and, on an update, those they held before (the order row as
 * this statement's snapshot has it, the version the update replaces) and hold no more are deleted.
 */
const skuRows = (skus: number, changed: string, update: boolean) => `k AS (
  INSERT INTO order_skus (sku, order_id)
  SELECT s.sku, w.id FROM w, unnest($${skus}::text[]) AS s(sku) WHERE ${changed}
  ON CONFLICT DO NOTHING
)${update ? `, kg AS (
  DELETE FROM order_skus g USING w, orders was
  WHERE ${changed} AND was.id = $1 AND g.order_id = $1
    AND g.sku IN (SELECT l ->> 'sku' FROM jsonb_array_elements(was.body -> 'lines') l) AND g.sku <> ALL($${skus}::text[])
)` : ''}`;

/**
 * Stock moved by the order's own statement (plain PostgreSQL only: Citus keeps orders and SKUs
 * on different shards, so there the move is a transaction of its own). `$M` is the movements;
 * `gate` is what must hold first (the order's row locked at the version read, for an update),
 * so that locks are taken as the transactional path takes them: the order, then its SKUs in
 * SKU order. The order is written only if no SKU would go below zero available (`short`): a
 * shortage, or a SKU that allows backorders, needs the domain's decision, which the caller then
 * makes in a transaction. Movements of SKUs without a level are not tracked, as there.
 *
 * With `soldOut` (a new order), a SKU that is short already as last committed, and allows no
 * backorders, refuses the order without waiting for its lock: when a thousand buyers race for
 * the last units, those who come after the last one do not queue for the row one by one. The
 * refusal is true of a state that was committed while the statement ran.
 */
const stockCtes = (movements: number, gate: string, soldOut: boolean) => `mv AS (
  SELECT * FROM ${movementRecords(`$${movements}::jsonb`)}
), takes AS (
  SELECT sku, sum(reserved_delta - on_hand_delta)::int AS take FROM mv GROUP BY sku
), ${soldOut ? `seen AS (
  SELECT i.sku, i.on_hand - i.reserved AS available, t.take, i.backorders FROM inventory i JOIN takes t ON t.sku = i.sku
  WHERE t.take > 0 AND NOT i.backorders AND i.on_hand - i.reserved - t.take < 0
), ` : ''}lv AS (
  SELECT i.sku, i.on_hand, i.reserved, i.backorders FROM inventory i WHERE i.sku IN (SELECT sku FROM mv) AND ${gate}
    ${soldOut ? 'AND NOT EXISTS (SELECT 1 FROM seen)' : ''} ORDER BY i.sku FOR UPDATE OF i
), short AS (
  SELECT lv.sku, lv.on_hand - lv.reserved AS available, t.take, lv.backorders FROM lv JOIN takes t ON t.sku = lv.sku
  WHERE t.take > 0 AND lv.on_hand - lv.reserved - t.take < 0
  ${soldOut ? 'UNION ALL SELECT sku, available, take, backorders FROM seen' : ''}
), `;

/** What ran short, as the statement's `short` column (null when nothing did, or nothing was checked). */
const shortColumn = (withStock: boolean) => `${withStock ? '(SELECT json_agg(short) FROM short)' : 'NULL::json'} AS short`;

/** SKUs that would have gone below zero available: the order was not written. */
export interface StockShortfall {
  readonly short: readonly { readonly sku: string; readonly available: number; readonly take: number; readonly backorders: boolean }[];
}

/** The tracked movements recorded and the levels moved by their sums, once the order was written (w). */
const stockMoves = (at: number) => `, m AS (
  INSERT INTO stock_movements (id, sku, kind, quantity, on_hand_delta, reserved_delta, order_id, line_id, reason, actor_kind, actor_id, at)
  SELECT mv.* FROM mv, w WHERE mv.sku IN (SELECT sku FROM lv)
  RETURNING sku, on_hand_delta, reserved_delta
), s AS (
  -- From the levels as locked (lv), not as this statement's snapshot has them: a row changed
  -- after the snapshot was taken has its newest version in lv, since the lock waited for it.
  UPDATE inventory i SET on_hand = lv.on_hand + d.on_hand, reserved = lv.reserved + d.reserved, updated_at = $${at}
  FROM lv JOIN (SELECT sku, sum(on_hand_delta)::int AS on_hand, sum(reserved_delta)::int AS reserved FROM m GROUP BY sku) d ON d.sku = lv.sku
  WHERE i.sku = d.sku
)`;

/**
 * Whether the request's key (`$key`, null: read for the request already) is live as of the
 * change (`$at`): a key not revoked, or a token not expired. Asked by the order's own write when
 * its process knew the key but did not read it again (key-check.ts).
 */
const liveKey = (key: number, at: number) => `
  SELECT $${key}::uuid IS NULL OR EXISTS (SELECT 1 FROM api_keys k WHERE k.id = $${key}::uuid AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > $${at})) AS ok`;

/**
 * A new order is decided on the workflow as its process last read it (WorkflowCatalog.latest):
 * it is written only if the workflow's stored changes are still at that revision ($19).
 */
const insertOrderStatement = (withStock: boolean) => `WITH live_key AS (${liveKey(21, 11)}
), fresh AS (
  SELECT coalesce((SELECT revision FROM workflow_customizations WHERE workflow = $2), 0) = $19::int AND (SELECT ok FROM live_key) AS ok
), ${withStock ? stockCtes(22, '(SELECT ok FROM fresh)', true) : ''}w AS (
  INSERT INTO orders (id, code, workflow, workflow_version, status, status_tags, currency, customer_id, body, version, created_at, updated_at, placed_at, events)
  SELECT $1::uuid, CASE WHEN $18::boolean THEN nextval('order_code_seq') END, $2::text, $3::int, $4::jsonb, $5::text[], $6::text, $7::text,
    $9::jsonb, $10::int, $11::timestamptz, $11::timestamptz, $12::timestamptz, jsonb_array_length($14::jsonb)
  WHERE (SELECT ok FROM fresh) ${withStock ? 'AND NOT EXISTS (SELECT 1 FROM short)' : ''}
  RETURNING id, code, 0 AS events_before
), h AS (${historyInsert('$13::jsonb')}
), o AS (${outboxInsert('$14::jsonb')}
), ${timerRewrite(15, 'true')}, p AS (${paymentUpsert('$16::jsonb')}), r AS (${refInsert('$17::jsonb')}), ${searchUpsert(8, 'true')}, ${skuRows(20, 'true', false)}${withStock ? stockMoves(11) : ''}
SELECT (SELECT code FROM w) AS code, (SELECT count(*) FROM w)::int AS n, (SELECT ok FROM fresh) AS fresh, (SELECT ok FROM live_key) AS key_ok, ${shortColumn(withStock)}`;

const INSERT_ORDER = insertOrderStatement(false);
const INSERT_ORDER_MOVING_STOCK = insertOrderStatement(true);

/**
 * Inserts a new order with its first history and outbox rows; returns the order with its code
 * (if `numbered`). Nothing is written, and 'stale' answered, when its workflow's changes are no
 * longer at `revision`, the one it was decided on; 'key_not_live' when `keyId` (the request's
 * key, not read again for it) is revoked or expired. With `movements`, it moves their stock in
 * the same statement, or writes nothing and says which SKUs would go below zero available.
 */
export async function insertOrder(db: Db, order: Order, revision: number, history: readonly HistoryRow[], outbox: readonly OutboxRow[], numbered: boolean, movements?: readonly MovementRow[], keyId?: string): Promise<Order | StockShortfall | 'stale' | 'key_not_live'> {
  const c = orderColumns(order);
  const values = [order.id, order.workflow, order.workflowVersion, c.status, c.statusTags, order.currency, order.customer.id ?? null,
    c.search, c.body, order.version, order.createdAt, order.placedAt, JSON.stringify(history), JSON.stringify(outbox), JSON.stringify(order.timers), c.payments, c.refs, numbered, revision, c.skus, keyId ?? null];
  const res = await db.query<{ code: number | null; n: number; fresh: boolean; key_ok: boolean; short: StockShortfall['short'] | null }>(movements
    ? { name: 'ordo_insert_order_moving_stock', text: INSERT_ORDER_MOVING_STOCK, values: [...values, JSON.stringify(movements)] }
    : { name: 'ordo_insert_order', text: INSERT_ORDER, values });
  const row = res.rows[0]!;
  if (!row.key_ok) return 'key_not_live';
  if (!row.fresh) return 'stale';
  if (row.n === 0) return { short: row.short ?? [] };
  return { ...order, code: row.code };
}

const updateOrderStatement = (withStock: boolean) => `WITH live_key AS (${liveKey(24, 9)}
), ${withStock ? `lo AS (
  SELECT id FROM orders WHERE id = $1 AND version = $2 AND (SELECT ok FROM live_key) FOR UPDATE
), ${stockCtes(25, 'EXISTS (SELECT 1 FROM lo)', false)}` : ''}w AS (
  UPDATE orders SET status = $3, status_tags = $4, customer_id = $5, body = $7, version = $8, updated_at = $9, placed_at = $10,
    code = coalesce(code, $19::bigint), events = events + jsonb_array_length($12::jsonb)
  WHERE id = $1 AND version = $2
    -- Into a status of the merchant's own: only while the workflow's changes are still those the command read.
    AND ($20::int IS NULL OR EXISTS (SELECT 1 FROM workflow_customizations c WHERE c.workflow = orders.workflow AND c.revision = $20::int FOR SHARE))
    -- Decided on the workflow's changes at this revision: only while they still are (a change applies from the next command).
    AND ($22::int IS NULL OR coalesce((SELECT c.revision FROM workflow_customizations c WHERE c.workflow = orders.workflow), 0) = $22::int)
    -- Asked by a key this process knew but did not read again: only while it is live (an expiry as of the change).
    AND (SELECT ok FROM live_key)
    ${withStock ? 'AND EXISTS (SELECT 1 FROM lo) AND NOT EXISTS (SELECT 1 FROM short)' : ''}
  RETURNING id, code, events - jsonb_array_length($12::jsonb) AS events_before
), h AS (${historyInsert('$11::jsonb')}
), o AS (${outboxInsert('$12::jsonb')}
), ${timerRewrite(13, '$14::boolean')}, p AS (${paymentUpsert('$15::jsonb', '$16::boolean')}), r AS (${refInsert('$17::jsonb', '$18::boolean')}), ${searchUpsert(6, '$21::boolean')}, ${skuRows(23, '$21::boolean', true)}${withStock ? stockMoves(9) : ''}
SELECT (SELECT count(*) FROM w)::int AS n, (SELECT ok FROM live_key) AS key_ok, ${shortColumn(withStock)}`;

const UPDATE_ORDER = updateOrderStatement(false);
const UPDATE_ORDER_MOVING_STOCK = updateOrderStatement(true);

export interface Changed {
  readonly timers: boolean;
  readonly payments: boolean;
  readonly refs: boolean;
}

/** A single order's save also keeps its search rows (order_search, order_skus); the batch (order-batch.ts) takes only saves that leave them as they were. */
export interface SaveChanged extends Changed {
  /** The search text or the lines' SKUs changed (searchChanged). */
  readonly search: boolean;
}

/** What else a save must still find as the command found it, besides the order's version. */
export interface SaveGuard {
  /** The order enters a status of the merchant's own: the workflow's changes must still be at this revision, locked until the commit (the status may be gone). */
  readonly customRevision?: number;
  /** The revision of the workflow's changes the command was decided on (0: none): the save fails if they moved on. */
  readonly revision?: number;
  /** The API key the request came with, not read again for it (key-check.ts): the save fails if it is no longer live. */
  readonly keyId?: string;
}

/**
 * Saves `order` over the stored version `expectedVersion`; the order, or undefined when someone
 * else saved first, or when the workflow's changes are no longer those `guard` names;
 * 'key_not_live' (nothing written) when the guard's key is revoked or expired.
 * With `movements`, it moves their stock in the same statement, or writes nothing and says
 * which SKUs would go below zero available.
 */
export async function updateOrder(db: Db, order: Order, expectedVersion: number, history: readonly HistoryRow[], outbox: readonly OutboxRow[], changed: SaveChanged, guard: SaveGuard = {}, movements?: readonly MovementRow[]): Promise<Order | undefined | StockShortfall | 'key_not_live'> {
  const c = orderColumns(order);
  const values = [order.id, expectedVersion, c.status, c.statusTags, order.customer.id ?? null, c.search, c.body, order.version,
    order.updatedAt, order.placedAt, JSON.stringify(history), JSON.stringify(outbox), JSON.stringify(order.timers), changed.timers, c.payments, changed.payments, c.refs, changed.refs, order.code,
    guard.customRevision ?? null, changed.search, guard.revision ?? null, c.skus, guard.keyId ?? null];
  const res = await db.query<{ n: number; key_ok: boolean; short: StockShortfall['short'] | null }>(movements
    ? { name: 'ordo_update_order_moving_stock', text: UPDATE_ORDER_MOVING_STOCK, values: [...values, JSON.stringify(movements)] }
    : { name: 'ordo_update_order', text: UPDATE_ORDER, values });
  const row = res.rows[0]!;
  if (row.n === 1) return order;
  if (!row.key_ok) return 'key_not_live';
  return row.short ? { short: row.short } : undefined;
}

/** The next human order number (a number given after creation; a lost race leaves a gap, as sequences do). */
export async function nextOrderCode(db: Db): Promise<number> {
  const res = await db.query<{ code: number }>({ name: 'ordo_next_code', text: "SELECT nextval('order_code_seq') AS code" });
  return res.rows[0]!.code;
}

/**
 * Notes a gateway callback as applied to the order; false if it was applied to it before. Runs
 * inside the command's transaction. Per order is enough: a callback names its payment, hence its order.
 */
export async function recordGatewayEvent(tx: Db, gateway: string, eventId: string, orderId: string, now: Date): Promise<boolean> {
  const res = await tx.query('INSERT INTO gateway_events (gateway, event_id, order_id, received_at) VALUES ($1, $2, $3, $4) ON CONFLICT (order_id, gateway, event_id) DO NOTHING', [gateway, eventId, orderId, now]);
  return res.rowCount === 1;
}

/** Whether the order's history says this gateway event was ignored (late or out of order) or refused (an amount above the payment's). */
export async function eventNotApplied(db: Db, orderId: string, eventId: string): Promise<'ignored' | 'refused' | undefined> {
  const res = await db.query<{ type: string }>(`SELECT type FROM order_history WHERE order_id = $1 AND type IN ('payment.event_ignored', 'payment.event_refused') AND data->>'eventId' = $2`, [orderId, eventId]);
  const type = res.rows[0]?.type;
  return type === undefined ? undefined : type === 'payment.event_refused' ? 'refused' : 'ignored';
}

/** The order a fulfillment or a return belongs to. */
export async function orderIdOfRef(db: Db, id: string, kind: 'fulfillment' | 'return'): Promise<string | undefined> {
  const res = await db.query<{ order_id: string }>({ name: 'ordo_ref_order', text: 'SELECT order_id FROM order_refs WHERE id = $1 AND kind = $2', values: [id, kind] });
  return res.rows[0]?.order_id;
}

/** The order a payment belongs to. */
export async function orderIdOfPayment(db: Db, paymentId: string): Promise<string | undefined> {
  const res = await db.query<{ order_id: string }>({ name: 'ordo_payment_order', text: 'SELECT order_id FROM payments WHERE id = $1', values: [paymentId] });
  return res.rows[0]?.order_id;
}

/** Payments whose gateway call was recorded before `before` but never answered. */
export async function stalledPayments(db: Db, before: Date, limit: number): Promise<{ orderId: string; paymentId: string }[]> {
  const res = await db.query<{ order_id: string; id: string }>('SELECT order_id, id FROM payments WHERE intent_at <= $1 ORDER BY intent_at LIMIT $2', [before, limit]);
  return res.rows.map((r) => ({ orderId: r.order_id, paymentId: r.id }));
}

/** Orders waiting on a payment link. */
export async function ordersAwaitingLink(db: Db): Promise<string[]> {
  const res = await db.query<{ order_id: string }>(`SELECT DISTINCT order_id FROM payments WHERE method = 'payment_link' AND state = 'pending' ORDER BY order_id`);
  return res.rows.map((r) => r.order_id);
}

/** Locks the order's row if it is still at `version`; false if it moved on. */
export async function lockOrderAt(tx: Db, id: string, version: number): Promise<boolean> {
  const res = await tx.query({ name: 'ordo_lock_order', text: 'SELECT 1 FROM orders WHERE id = $1 AND version = $2 FOR UPDATE', values: [id, version] });
  return res.rowCount === 1;
}

/** The order with its workflow's stored changes, in one round trip: what a command needs to decide. */
const FOR_COMMAND = `SELECT ${ORDER_COLUMNS.split(', ').map((c) => `o.${c}`).join(', ')}, ${CUSTOMIZATION_COLUMNS}
  FROM orders o LEFT JOIN workflow_customizations c ON c.workflow = o.workflow`;
const FIND_FOR_COMMAND = `${FOR_COMMAND} WHERE o.id = $1`;

/** An order as a command reads it: with its workflow's stored changes. */
export interface OrderForCommand {
  readonly order: Order;
  readonly customization: WorkflowCustomization | undefined;
}

/** With `lock`, inside a transaction: the order's row stays locked until it ends, so a decision made now cannot lose a race. */
export async function findOrderForCommand(db: Db, id: string, lock = false): Promise<OrderForCommand | undefined> {
  const res = await db.query<OrderRow & JoinedCustomization>(lock
    ? { name: 'ordo_lock_order_for_command', text: `${FIND_FOR_COMMAND} FOR UPDATE OF o`, values: [id] }
    : { name: 'ordo_find_order_for_command', text: FIND_FOR_COMMAND, values: [id] });
  const row = res.rows[0];
  return row ? { order: toOrder(row), customization: joinedCustomization(row) } : undefined;
}

/** Several orders as commands read them, in one round trip (the sweeper's batch); those that exist, by id. */
export async function findOrdersForCommand(db: Db, ids: readonly string[]): Promise<Map<string, OrderForCommand>> {
  const res = await db.query<OrderRow & JoinedCustomization>({
    name: 'ordo_find_orders_for_command',
    text: `${FOR_COMMAND} WHERE o.id = ANY($1::uuid[])`,
    values: [ids],
  });
  return new Map(res.rows.map((row) => [row.id, { order: toOrder(row), customization: joinedCustomization(row) }]));
}

export async function findOrder(db: Db, id: string): Promise<Order | undefined> {
  const res = await db.query<OrderRow>({ name: 'ordo_find_order', text: `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1`, values: [id] });
  return res.rows[0] ? toOrder(res.rows[0]) : undefined;
}

/** Orders whose cancellation notice is due but was never recorded (a crash in between), oldest change first. */
export async function ordersAwaitingNotice(db: Db, updatedBefore: Date, limit: number): Promise<Order[]> {
  const res = await db.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE (body -> 'cancellationNotice' ->> 'due') = 'true' AND updated_at < $1 ORDER BY updated_at LIMIT $2`, [updatedBefore, limit]);
  return res.rows.map(toOrder);
}

export interface OrderFilter {
  readonly workflow?: string;
  /** Any of these, each `state` or `track:state`. */
  readonly statuses?: readonly string[];
  /** Matches the order code (`#1001` or `1001`), id, or the customer's email, name or id. */
  readonly q?: string;
  readonly customerId?: string;
  /** Id of the last order of the previous page: pages run newest first. */
  readonly after?: string;
  /** Only orders not changed since then. */
  readonly updatedBefore?: Date;
  readonly limit: number;
}

export async function listOrders(db: Db, f: OrderFilter): Promise<Order[]> {
  // Removed orders (X-Cart's expired Not finished ones) are gone for every caller.
  const where: string[] = [`NOT (body ? 'removedAt')`];
  const values: unknown[] = [];
  const add = (sql: (p: string) => string, v: unknown) => where.push(sql(`$${values.push(v)}`));
  if (f.workflow) add((p) => `workflow = ${p}`, f.workflow);
  if (f.statuses) add((p) => `status_tags && ${p}::text[]`, f.statuses);
  if (f.customerId) add((p) => `customer_id = ${p}`, f.customerId);
  if (f.after) add((p) => `id < ${p}`, f.after);
  if (f.updatedBefore) add((p) => `updated_at < ${p}`, f.updatedBefore);
  const alternatives = f.q ? searchAlternatives(f.q, values, f.after) : [];
  const limit = `$${values.push(f.limit)}`;
  const filters = where.join(' AND ');
  const page = (matching: string) => `FROM orders WHERE ${filters}${matching ? ` AND ${matching}` : ''} ORDER BY id DESC LIMIT ${limit}`;
  // Each alternative finds its own page by its own index, and the pages are merged: ORed
  // together, the text's subquery would be a hashed filter on a scan of every order in id order.
  const sql = alternatives.length > 1
    ? `SELECT ${ORDER_COLUMNS} FROM orders WHERE id IN (${alternatives.map((a) => `(SELECT id ${page(a)})`).join(' UNION ALL ')}) ORDER BY id DESC LIMIT ${limit}`
    : `SELECT ${ORDER_COLUMNS} ${page(alternatives[0] ?? '')}`;
  const res = await db.query<OrderRow>(sql, values);
  return res.rows.map(toOrder);
}

/**
 * What `q` may match: a part of the customer's search text (order_search), the order code, the
 * order id. The cursor bounds the text's own ids too: a text most orders match reads
 * order_search's primary key backwards, which then starts at the cursor, not the newest order.
 */
function searchAlternatives(text: string, values: unknown[], after: string | undefined): string[] {
  const q = text.trim().toLowerCase();
  const code = /^#?(\d{1,15})$/.exec(q);
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(q);
  const matching = textMatch(q, (v) => `$${values.push(v)}`);
  const older = after ? ` AND order_id < $${values.push(after)}` : '';
  const alternatives = [`id IN (SELECT order_id FROM order_search WHERE ${matching}${older})`];
  if (code) alternatives.push(`code = $${values.push(Number(code[1]))}`);
  if (uuid) alternatives.push(`id = $${values.push(q)}`);
  return alternatives;
}

export async function orderHistory(db: Db, orderId: string): Promise<HistoryRow[]> {
  const res = await db.query<HistoryRow>({
    name: 'ordo_order_history',
    text: 'SELECT id, type, track, from_state, to_state, actor_kind, actor_id, reason, cause, data, at FROM order_history WHERE order_id = $1 ORDER BY id',
    values: [orderId],
  });
  return res.rows;
}
