/**
 * The admin's questions about many orders at once: a search with every filter the admin screens
 * offer, the orders that look stuck, and the SKUs whose stock is tracked. Reads only.
 */
import type { Order } from '../domain/order.js';
import type { Db } from './database.js';
import { ORDER_COLUMNS, toOrder, type OrderRow } from './order-rows.js';
import { escapeLike, textMatch } from './search-match.js';

export interface OrderSearch {
  readonly workflow?: string;
  /** Alternatives (any of them matches); each is a set of status tags that must all hold, e.g. [['payment:paid', 'fulfillment:unfulfilled']]. */
  readonly statuses?: readonly (readonly string[])[];
  /** Code, id, customer email/name/id (parts), payment reference or SKU (whole). */
  readonly q?: string;
  readonly createdFrom?: Date;
  readonly createdTo?: Date;
  /** Only orders with a timer due before this time. */
  readonly overdueAt?: Date;
  /** Only orders with a return: still open (requested or received), or any. */
  readonly returns?: 'open' | 'any';
  /** Id of the last order of the previous page: pages run newest first (by creation time when a range of days is given). */
  readonly after?: string;
  readonly limit: number;
}


/**
 * Orders matching every filter given, newest first.
 *
 * `q` has several alternatives, and each finds its own newest-first page, with every other
 * filter, by its own index; the pages are merged, as listOrders does. ORed together in one scan,
 * the text's subquery (order_search) was a hashed set of every order it matches, built in full
 * before the first row: 60 to 100 ms at 100k orders for a text most orders match, growing with
 * the table. Apart, the text is a semi-join the planner runs as the primary key backwards with a
 * probe per order (a text most orders match) or by the trigram index (a rarer one); a SKU reads
 * its orders newest first off order_skus's key (migration 019), whatever their number; the code goes by
 * orders_code_idx, the id by the primary key, the payment reference by payments_reference_idx
 * (migration 018). An order matching several alternatives is listed once.
 */
export async function searchOrders(db: Db, f: OrderSearch): Promise<Order[]> {
  const where: string[] = [`NOT (body ? 'removedAt')`];
  const values: unknown[] = [];
  const param = (v: unknown) => `$${values.push(v)}`;
  const after = f.after ? param(f.after) : undefined;
  // With a range of days, pages run by creation time off orders_created_at_idx (migration 021):
  // by id, the planner walked back from the newest order through every newer one to reach the range.
  const byCreation = f.createdFrom !== undefined || f.createdTo !== undefined;
  const newestFirst = byCreation ? 'created_at DESC, id DESC' : 'id DESC';
  if (f.workflow) where.push(`workflow = ${param(f.workflow)}`);
  if (f.statuses && f.statuses.length > 0) where.push(`(${f.statuses.map((all) => `status_tags @> ${param(all)}::text[]`).join(' OR ')})`);
  if (f.createdFrom) where.push(`created_at >= ${param(f.createdFrom)}`);
  if (f.createdTo) where.push(`created_at < ${param(f.createdTo)}`);
  if (after) where.push(byCreation ? `(created_at, id) < (SELECT created_at, id FROM orders WHERE id = ${after})` : `id < ${after}`);
  // The orders with a return, off order_refs (migration 020); only theirs are looked into for an open one.
  if (f.returns) where.push(`id IN (SELECT order_id FROM order_refs WHERE kind = 'return')`);
  if (f.returns === 'open') where.push(`(body -> 'returns' @> '[{"state":"requested"}]' OR body -> 'returns' @> '[{"state":"received"}]')`);
  if (f.overdueAt) where.push(`id IN (SELECT order_id FROM timers WHERE due_at < ${param(f.overdueAt)})`);
  const limit = param(f.limit);
  if (!f.q) {
    const res = await db.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE ${where.join(' AND ')} ORDER BY ${newestFirst} LIMIT ${limit}`, values);
    return res.rows.map(toOrder);
  }
  const asTyped = f.q.trim();
  const q = asTyped.toLowerCase();
  // The cursor bounds the subqueries' own ids as well: a text most orders match reads order_search's
  // primary key backwards, which then starts at the cursor rather than at the newest order.
  const older = after && !byCreation ? ` AND order_id < ${after}` : '';
  const alternatives = [`id IN (SELECT order_id FROM order_search WHERE ${textMatch(q, param)}${older})`];
  // A SKU may be any string (the domain checks none; the API takes 1 to 100 characters): whole, as typed or in capitals.
  for (const sku of new Set([asTyped, asTyped.toUpperCase()])) alternatives.push(`id IN (SELECT order_id FROM order_skus WHERE sku = ${param(sku)}${older})`);
  const code = /^#?(\d{1,15})$/.exec(q);
  if (code) alternatives.push(`code = ${param(Number(code[1]))}`);
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(q)) alternatives.push(`id = ${param(q)}`);
  alternatives.push(`id IN (SELECT order_id FROM payments WHERE reference = ${param(asTyped)}${older})`);
  const page = (matching: string) => `(SELECT id FROM orders WHERE ${where.join(' AND ')} AND ${matching} ORDER BY ${newestFirst} LIMIT ${limit})`;
  const sql = `SELECT ${ORDER_COLUMNS} FROM orders WHERE id IN (${alternatives.map(page).join(' UNION ALL ')}) ORDER BY ${newestFirst} LIMIT ${limit}`;
  const res = await db.query<OrderRow>(sql, values);
  return res.rows.map(toOrder);
}

export interface StuckQuery {
  readonly workflow: string;
  /** `track:state` tags of the workflow's temporary statuses. */
  readonly temporary: readonly string[];
  /** An order in a temporary status not changed since then is stuck. */
  readonly unchangedSince: Date;
  /** An order with a timer due before then is stuck. */
  readonly now: Date;
  readonly limit: number;
}

export interface StuckRow {
  readonly id: string;
  readonly code: number | null;
  readonly status: Record<string, string>;
  readonly updatedAt: Date;
  readonly overdueSince: Date | null;
}

/** The workflow's orders with a timer due before `now` (a parameter): off timers_due_idx, then the primary key. */
const withDueTimer = (now: string) => `workflow = $1 AND NOT (body ? 'removedAt') AND id = ANY(ARRAY(SELECT order_id FROM timers WHERE due_at < ${now}))`;

/**
 * How many orders of a workflow are stuck, per status, without counting them one by one (a shop
 * can have a hundred thousand waiting): the statuses that hold a temporary state, with how many
 * orders are in each, from the per-status counts (summary and deltas, migration 016); less those
 * changed since the threshold, read off orders_waiting_idx (a window's changes, not the months
 * before it); and, apart, those with a due timer not counted already. One statement, so one
 * snapshot: the counts and the orders agree (a status change writes its deltas in its own
 * transaction).
 */
const STUCK_COUNT = `WITH counted AS (
    SELECT status, sum(n)::int AS n FROM (
      SELECT status, n FROM order_status_counts WHERE workflow = $1
      UNION ALL SELECT status, n FROM order_status_deltas WHERE workflow = $1) AS c
    GROUP BY status),
  -- A status holds a temporary state when one of its tags (track:state, as statusTags writes them) is one.
  waiting AS (SELECT status, n FROM counted
    WHERE n > 0 AND EXISTS (SELECT 1 FROM jsonb_each_text(status) e WHERE e.key || ':' || e.value = ANY($2::text[]))),
  recent AS (SELECT status, count(*)::int AS n FROM orders
    WHERE workflow = $1 AND NOT (body ? 'removedAt') AND status = ANY(ARRAY(SELECT status FROM waiting)) AND updated_at >= $3
    GROUP BY status),
  due AS (SELECT status, count(*)::int AS n FROM orders
    WHERE ${withDueTimer('$4')} AND NOT (status_tags && $2::text[] AND updated_at < $3)
    GROUP BY status)
  SELECT coalesce(w.status, d.status) AS status, coalesce(w.n, 0) - coalesce(r.n, 0) AS waiting, coalesce(d.n, 0) AS due
  FROM waiting w LEFT JOIN recent r ON r.status = w.status FULL JOIN due d ON d.status = w.status`;

/**
 * The oldest stuck orders: a branch per status that has orders waiting (its oldest changes off
 * orders_waiting_idx, a page at most) and one for the due timers, merged. However many orders
 * wait, a page reads at most a page per status. Values: the workflow, now, the page's size, then
 * (with any status) the threshold and the statuses.
 */
function stuckList(statuses: number): string {
  const branches = Array.from({ length: statuses }, (_, i) => `(SELECT id, code, status, updated_at FROM orders
    WHERE workflow = $1 AND NOT (body ? 'removedAt') AND status = $${i + 5}::jsonb AND updated_at < $4 ORDER BY updated_at, id LIMIT $3)`);
  branches.push(`(SELECT id, code, status, updated_at FROM orders WHERE ${withDueTimer('$2')})`);
  return `SELECT id, code, status, updated_at FROM (${branches.join(' UNION ')}) AS s ORDER BY updated_at, id LIMIT $3`;
}

/**
 * Since when the page's orders are overdue: their earliest due timer. Asked apart, by the orders'
 * ids, so that on Citus it is a query by the distribution column (a subquery correlated to the
 * merged page would not be).
 */
const OVERDUE = 'SELECT order_id, min(due_at) AS since FROM timers WHERE order_id = ANY($1::uuid[]) AND due_at < $2 GROUP BY order_id';

/** Stuck orders of one workflow, oldest first (by their last change), and how many there are. */
export async function stuckOrders(db: Db, q: StuckQuery): Promise<{ rows: StuckRow[]; total: number; byStatus: { status: Record<string, string>; count: number }[] }> {
  const counted = await db.query<{ status: Record<string, string>; waiting: number; due: number }>(
    { name: 'ordo_stuck_count', text: STUCK_COUNT, values: [q.workflow, q.temporary, q.unchangedSince, q.now] });
  const waiting = counted.rows.filter((r) => r.waiting > 0).map((r) => JSON.stringify(r.status));
  const list = await db.query<{ id: string; code: number | null; status: Record<string, string>; updated_at: Date }>(
    stuckList(waiting.length), [q.workflow, q.now, q.limit, ...(waiting.length > 0 ? [q.unchangedSince, ...waiting] : [])]);
  const overdue = list.rows.length === 0 ? new Map<string, Date>()
    : new Map((await db.query<{ order_id: string; since: Date }>(OVERDUE, [list.rows.map((r) => r.id), q.now])).rows.map((r) => [r.order_id, r.since]));
  const byStatus = counted.rows.map((r) => ({ status: r.status, count: r.waiting + r.due })).filter((r) => r.count > 0);
  return {
    rows: list.rows.map((r) => ({ id: r.id, code: r.code, status: r.status, updatedAt: r.updated_at, overdueSince: overdue.get(r.id) ?? null })),
    total: byStatus.reduce((sum, r) => sum + r.count, 0),
    byStatus,
  };
}

export interface SkuLevelRow {
  readonly sku: string;
  readonly onHand: number;
  readonly reserved: number;
  readonly backorders: boolean;
}

/** Tracked SKUs in name order, after `after`, optionally those containing `q`. */
export async function listSkus(db: Db, f: { readonly q?: string; readonly after?: string; readonly limit: number }): Promise<SkuLevelRow[]> {
  const where: string[] = [];
  const values: unknown[] = [];
  const param = (v: unknown) => `$${values.push(v)}`;
  if (f.q) where.push(`sku ILIKE ${param(`%${escapeLike(f.q.trim())}%`)}`);
  if (f.after) where.push(`sku > ${param(f.after)}`);
  const res = await db.query<{ sku: string; on_hand: number; reserved: number; backorders: boolean }>(
    `SELECT sku, on_hand, reserved, backorders FROM inventory ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY sku LIMIT ${param(f.limit)}`, values);
  return res.rows.map((r) => ({ sku: r.sku, onHand: r.on_hand, reserved: r.reserved, backorders: r.backorders }));
}

/** Whether the store holds any order at all. */
export async function hasOrders(db: Db): Promise<boolean> {
  const res = await db.query('SELECT 1 FROM orders LIMIT 1');
  return (res.rowCount ?? 0) > 0;
}
