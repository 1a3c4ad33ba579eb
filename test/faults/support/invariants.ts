/**
 * The invariants of DESIGN.md, checked on the database itself after a fault run. Each check
 * returns violations as plain sentences rather than throwing, so that one run reports
 * everything it broke, not just the first thing.
 */
import type pg from 'pg';
import type { Order } from '../../../src/domain/order.js';
import { toOrder, type OrderRow } from '../../../src/store/order-rows.js';
import { findWorkflow } from '../../../src/workflows/index.js';

/** What a 2xx answer said about an order: the database must hold at least that. */
export interface Answered {
  readonly what: string;
  readonly orderId: string;
  readonly version: number;
  readonly paymentIds: readonly string[];
  readonly refundIds: readonly string[];
  readonly fulfillmentIds: readonly string[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- order views are read field by field
export function answeredFrom(what: string, view: any): Answered | undefined {
  if (!view || typeof view.id !== 'string' || typeof view.version !== 'number') return undefined;
  const ids = (xs: unknown) => (Array.isArray(xs) ? xs.map((x: { id: string }) => x.id) : []);
  return { what, orderId: view.id, version: view.version, paymentIds: ids(view.payments), refundIds: ids(view.refunds), fulfillmentIds: ids(view.fulfillments) };
}

/** Marks the cancellations that asked for the money back, so the checks can tell them from those that keep it. */
export const REFUND_ON_CANCEL_REASON = 'fault suite: cancel and refund';

interface HistoryRec { order_id: string; id: string; type: string; track: string | null; from_state: string | null; to_state: string | null; reason: string | null; data: Record<string, unknown> | null }
interface OutboxRec { order_id: string; id: string; type: string; version: number | null; sequence: number }

export interface CheckOptions {
  readonly answered?: readonly Answered[];
  /** Idempotency-Keys sent on order creations (carried in the order's metadata as `faultKey`). */
  readonly createKeys?: boolean;
}

/** Every invariant over every order in the database; an empty list when all hold. */
export async function checkInvariants(db: pg.Pool, opts: CheckOptions = {}): Promise<string[]> {
  const v: string[] = [];
  v.push(...(await stockLedger(db)));
  const orders = new Map((await db.query<OrderRow>('SELECT id, code, workflow, workflow_version, status, currency, body, version, created_at, updated_at, placed_at FROM orders')).rows.map((r) => [r.id, toOrder(r)]));
  const history = groupBy((await db.query<HistoryRec>('SELECT order_id, id, type, track, from_state, to_state, reason, data FROM order_history ORDER BY id')).rows);
  const outbox = groupBy((await db.query<OutboxRec>(`SELECT order_id, id, type, (payload->'data'->'order'->>'version')::int AS version, sequence::int AS sequence FROM outbox WHERE order_id IS NOT NULL ORDER BY id`)).rows);
  const counted = new Map((await db.query<{ id: string; events: number }>('SELECT id, events::int AS events FROM orders')).rows.map((r) => [r.id, r.events]));
  for (const order of orders.values()) {
    v.push(...money(order));
    v.push(...records(order, history.get(order.id) ?? [], outbox.get(order.id) ?? []));
    v.push(...sequences(order, outbox.get(order.id) ?? [], counted.get(order.id) ?? 0));
    v.push(...moneyKeptOnCancel(order, history.get(order.id) ?? [], outbox.get(order.id) ?? []));
  }
  v.push(...(await indexes(db, orders)));
  v.push(...(await gatewayBooks(db, orders)));
  v.push(...(await unfinishedGatewayCalls(db)));
  if (opts.createKeys) v.push(...(await oneOrderPerKey(db)));
  for (const a of opts.answered ?? []) v.push(...reflected(a, orders.get(a.orderId)));
  return v;
}

/** Invariant 1: each SKU's levels equal the sums of its movements (as `ordo check stock` reads them). */
export async function stockLedger(db: pg.Pool): Promise<string[]> {
  const res = await db.query<{ sku: string; on_hand: number; reserved: number; backorders: boolean; l_on_hand: number; l_reserved: number }>(
    `SELECT i.sku, i.on_hand, i.reserved, i.backorders, coalesce(sum(m.on_hand_delta), 0)::int AS l_on_hand, coalesce(sum(m.reserved_delta), 0)::int AS l_reserved
     FROM inventory i LEFT JOIN stock_movements m ON m.sku = i.sku GROUP BY i.sku ORDER BY i.sku`,
  );
  return res.rows.flatMap((r) => [
    ...(r.on_hand !== r.l_on_hand || r.reserved !== r.l_reserved ? [`stock ${r.sku}: levels on hand ${r.on_hand} / reserved ${r.reserved}, ledger ${r.l_on_hand} / ${r.l_reserved}`] : []),
    ...(!r.backorders && r.on_hand - r.reserved < 0 ? [`stock ${r.sku}: oversold (on hand ${r.on_hand}, reserved ${r.reserved})`] : []),
  ]);
}

/** Invariant 2, per payment and per order. */
function money(o: Order): string[] {
  const v: string[] = [];
  for (const p of o.payments) {
    if (p.captured > p.authorized) v.push(`order ${o.id} payment ${p.id}: captured ${p.captured} > authorized ${p.authorized}`);
    if (p.captured > p.amount) v.push(`order ${o.id} payment ${p.id}: captured ${p.captured} > amount ${p.amount}`);
    if (p.refunded > p.captured) v.push(`order ${o.id} payment ${p.id}: refunded ${p.refunded} > captured ${p.captured}`);
    const settled = sum(o.refunds.filter((r) => r.paymentId === p.id && r.state === 'settled').map((r) => r.amount));
    const pending = sum(o.refunds.filter((r) => r.paymentId === p.id && r.state === 'pending').map((r) => r.amount));
    if (p.refunded !== settled) v.push(`order ${o.id} payment ${p.id}: refunded ${p.refunded}, its settled refunds ${settled}`);
    if (settled + pending > p.captured) v.push(`order ${o.id} payment ${p.id}: settled + pending refunds ${settled + pending} > captured ${p.captured}`);
  }
  const captured = sum(o.payments.map((p) => p.captured));
  const refunded = sum(o.refunds.filter((r) => r.state === 'settled').map((r) => r.amount));
  if (o.paid !== captured) v.push(`order ${o.id}: paid ${o.paid}, sum captured ${captured}`);
  if (o.refunded !== refunded) v.push(`order ${o.id}: refunded ${o.refunded}, sum of settled refunds ${refunded}`);
  for (const r of o.refunds) if (!o.payments.some((p) => p.id === r.paymentId)) v.push(`order ${o.id}: refund ${r.id} against unknown payment ${r.paymentId}`);
  return v;
}

/**
 * Invariant 3. History rows carry no version, outbox rows do (payload.version): every version
 * 1..N has outbox rows, history and outbox hold the same events in the same order (they are
 * written pairwise with time-ordered ids), and replaying the history's status changes from each
 * track's initial state ends at the order's status, with no step missing in between.
 */
function records(o: Order, h: readonly HistoryRec[], ob: readonly OutboxRec[]): string[] {
  const v: string[] = [];
  if (h.length !== ob.length) v.push(`order ${o.id} v${o.version}: ${h.length} history rows, ${ob.length} outbox rows`);
  else {
    const at = h.findIndex((x, i) => !sameEvent(x.type, ob[i]!.type));
    if (at >= 0) v.push(`order ${o.id}: history and outbox differ at event ${at + 1} (${h[at]!.type} / ${ob[at]!.type})`);
  }
  const versions = new Set(ob.map((x) => x.version));
  const missing = Array.from({ length: o.version }, (_, i) => i + 1).filter((n) => !versions.has(n));
  if (missing.length > 0) v.push(`order ${o.id} v${o.version}: no outbox rows for version(s) ${missing.join(', ')}`);
  const beyond = [...versions].filter((n) => n === null || n > o.version);
  if (beyond.length > 0) v.push(`order ${o.id} v${o.version}: outbox rows for version(s) ${beyond.join(', ')} the order never reached`);
  if (ob.some((x, i) => i > 0 && (x.version ?? 0) < (ob[i - 1]!.version ?? 0))) v.push(`order ${o.id}: outbox rows out of version order`);
  const wf = findWorkflow(o.workflow);
  if (!wf) return [...v, `order ${o.id}: unknown workflow ${o.workflow}`];
  for (const track of wf.tracks) {
    let at = track.initial;
    for (const step of h.filter((x) => x.type === 'order.status_changed' && x.track === track.id)) {
      if (step.from_state !== at) v.push(`order ${o.id} track ${track.id}: history steps ${step.from_state} -> ${step.to_state} from ${at}`);
      at = step.to_state ?? at;
    }
    if ((o.status[track.id] ?? track.initial) !== at) v.push(`order ${o.id} track ${track.id}: status ${o.status[track.id]}, history ends at ${at}`);
  }
  return v;
}

/** An outbox row names its history row's event by its public name (payment.changed to settled: payment.settled). */
const sameEvent = (history: string, outbox: string) =>
  history === outbox || (history.endsWith('.changed') && outbox.split('.')[0] === history.split('.')[0]) || (history === 'payment.created' && outbox === 'payment_link.sent');

/**
 * The event stream's numbering: an order's events are numbered 1..n with no gap and no repeat,
 * in the order of the versions that wrote them, and the order counts n.
 */
function sequences(o: Order, ob: readonly OutboxRec[], counted: number): string[] {
  const v: string[] = [];
  const bySequence = [...ob].sort((a, b) => a.sequence - b.sequence);
  if (bySequence.some((x, i) => x.sequence !== i + 1)) v.push(`order ${o.id}: event sequences ${bySequence.map((x) => x.sequence).join(',')} are not 1..${ob.length}`);
  if (bySequence.some((x, i) => i > 0 && (x.version ?? 0) < (bySequence[i - 1]!.version ?? 0))) v.push(`order ${o.id}: a later event (by sequence) of an earlier version`);
  if (counted !== ob.length) v.push(`order ${o.id}: counts ${counted} events, has ${ob.length}`);
  return v;
}

/**
 * A cancellation that asked for the money back (refund: true) must not end with money kept:
 * once the order is cancelled, all it received is refunded or being refunded, or a staff alert
 * says why not (late money after the order ended).
 */
function moneyKeptOnCancel(o: Order, h: readonly HistoryRec[], ob: readonly OutboxRec[]): string[] {
  const asked = h.some((x) => x.reason === REFUND_ON_CANCEL_REASON);
  if (!asked || o.status.order !== 'cancelled') return [];
  const kept = keptMoney(o);
  if (kept <= 0 || hasAlert(h, ob)) return [];
  const payments = o.payments.map((p) => `${p.state} ${p.captured}/${p.refunded}${p.intent ? ` (${p.intent.op} unanswered)` : ''}`).join(', ');
  const refunds = o.refunds.map((r) => `${r.amount} ${r.state}`).join(', ') || 'none';
  const after = h.slice(h.findIndex((x) => x.reason === REFUND_ON_CANCEL_REASON)).map((x) => (x.type === 'order.money_kept' ? `${x.type} (${JSON.stringify(x.data)})` : x.type)).join(' ');
  return [`order ${o.id}: cancelled with refund: true, yet keeps ${kept} (captured - refunded - pending refunds) without an alert; payments (state captured/refunded): ${payments}; refunds: ${refunds}; events from the cancellation on: ${after}`];
}

/**
 * What a cancelled order still keeps: captured - settled refunds - pending refunds, from the
 * payments and refunds themselves (not from the order's own totals, which are under test too).
 */
export function keptMoney(o: Order): number {
  const refunds = (state: string) => sum(o.refunds.filter((r) => r.state === state).map((r) => r.amount));
  return sum(o.payments.map((p) => p.captured)) - refunds('settled') - refunds('pending');
}

/**
 * A history or outbox event whose type names an alert or late money, or money kept with an alert
 * for staff (`order.money_kept` with `alert: true` sends them a review message): money that
 * arrived while the payment it would go back through was busy is kept that way.
 */
export const hasAlert = (h: readonly { type: string; data?: Record<string, unknown> | null }[], ob: readonly { type: string }[]) =>
  [...h, ...ob].some((x) => /alert|late/i.test(x.type)) || h.some((x) => x.type === 'order.money_kept' && x.data?.alert === true);

/** The payments and fulfillment/return indexes follow the order bodies (written in the same statement). */
async function indexes(db: pg.Pool, orders: ReadonlyMap<string, Order>): Promise<string[]> {
  const v: string[] = [];
  const payments = await db.query<{ id: string; order_id: string; state: string }>('SELECT id, order_id, state FROM payments');
  const indexed = new Map(payments.rows.map((r) => [r.id, r]));
  for (const o of orders.values()) {
    for (const p of o.payments) {
      const row = indexed.get(p.id);
      if (!row) v.push(`order ${o.id}: payment ${p.id} missing from the payments table`);
      else if (row.order_id !== o.id || row.state !== p.state) v.push(`order ${o.id}: payment ${p.id} indexed as ${row.state} of ${row.order_id}, body says ${p.state}`);
    }
  }
  for (const r of payments.rows) if (!orders.get(r.order_id)?.payments.some((p) => p.id === r.id)) v.push(`payments table row ${r.id} is on no order body`);
  const refs = new Set((await db.query<{ id: string }>('SELECT id FROM order_refs')).rows.map((r) => r.id));
  for (const o of orders.values()) for (const f of [...o.fulfillments, ...o.returns]) if (!refs.has(f.id)) v.push(`order ${o.id}: ${f.id} missing from order_refs`);
  return v;
}

/**
 * The simulated gateway's own books against the orders': each payment is charged at most once,
 * and money the gateway took for a payment (a charge or a capture it settled) is recorded as
 * captured on it; more taken than recorded is money charged but lost, or charged twice.
 */
async function gatewayBooks(db: pg.Pool, orders: ReadonlyMap<string, Order>): Promise<string[]> {
  const v: string[] = [];
  const payments = new Map([...orders.values()].flatMap((o) => o.payments.map((p) => [p.id, p] as const)));
  const ops = await db.query<{ payment_id: string; charges: number; taken: number }>(
    `SELECT substr(result->>'reference', 5) AS payment_id,
       count(*) FILTER (WHERE operation = 'charge')::int AS charges,
       coalesce(sum(amount) FILTER (WHERE operation IN ('charge', 'capture') AND result->>'outcome' = 'settled'), 0)::int AS taken
     FROM simulated_gateway_operations WHERE operation IN ('charge', 'authorize', 'capture') AND result->>'reference' LIKE 'sim\\_%'
     GROUP BY 1`,
  );
  for (const r of ops.rows) {
    const p = payments.get(r.payment_id);
    if (!p) v.push(`gateway: payment ${r.payment_id} was charged or authorized at the gateway but is on no order`);
    else {
      if (r.charges > 1) v.push(`gateway: payment ${r.payment_id} charged ${r.charges} times`);
      if (r.taken > p.captured) v.push(`gateway: took ${r.taken} for payment ${r.payment_id}, the order records ${p.captured} captured`);
    }
  }
  return v;
}

/** Gateway calls recorded but never answered, once recovery had its chance. */
async function unfinishedGatewayCalls(db: pg.Pool): Promise<string[]> {
  const res = await db.query<{ id: string; order_id: string; intent_at: Date }>('SELECT id, order_id, intent_at FROM payments WHERE intent_at IS NOT NULL');
  return res.rows.map((r) => `order ${r.order_id}: gateway call for payment ${r.id} recorded at ${r.intent_at.toISOString()} never answered`);
}

/** One Idempotency-Key, one order at most. */
async function oneOrderPerKey(db: pg.Pool): Promise<string[]> {
  const res = await db.query<{ key: string; ids: string[] }>(
    `SELECT body->'metadata'->>'faultKey' AS key, array_agg(id::text ORDER BY created_at) AS ids FROM orders WHERE body->'metadata' ? 'faultKey' GROUP BY 1 HAVING count(*) > 1`,
  );
  return res.rows.map((r) => `Idempotency-Key ${r.key}: ${r.ids.length} orders (${r.ids.join(', ')})`);
}

/** Invariant 3 from the caller's side: what a 2xx answer said is in the database. */
function reflected(a: Answered, o: Order | undefined): string[] {
  if (!o) return [`${a.what}: answered 2xx for order ${a.orderId}, which is not in the database`];
  const v: string[] = [];
  if (o.version < a.version) v.push(`${a.what}: answered order ${a.orderId} at v${a.version}, the database has v${o.version}`);
  for (const id of a.paymentIds) if (!o.payments.some((p) => p.id === id)) v.push(`${a.what}: answered payment ${id} on order ${a.orderId}, not in the database`);
  for (const id of a.refundIds) if (!o.refunds.some((r) => r.id === id)) v.push(`${a.what}: answered refund ${id} on order ${a.orderId}, not in the database`);
  for (const id of a.fulfillmentIds) if (!o.fulfillments.some((f) => f.id === id)) v.push(`${a.what}: answered fulfillment ${id} on order ${a.orderId}, not in the database`);
  return v;
}

const sum = (xs: readonly number[]) => xs.reduce((n, x) => n + x, 0);

function groupBy<T extends { order_id: string }>(rows: readonly T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const list = m.get(r.order_id);
    if (list) list.push(r);
    else m.set(r.order_id, [r]);
  }
  return m;
}
