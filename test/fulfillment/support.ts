/**
 * Shared by the fulfillment scenario suites: orders placed over HTTP in each workflow, small
 * calls for parcels, cancellations, returns and changes, and the invariants every scenario
 * is held to afterwards (stock ledger, money, line counters against the ledger and the statuses).
 */
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { startTestApp, type Reply, type TestApp } from '../support/app.js';
import { expectRecordsConsistent, uniqueSku } from '../stock/helpers.js';
import { getOrder, type Json } from '../payments/helpers.js';

export type { Json };

export interface LineInput {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly name?: string;
}

export interface PlaceOptions {
  readonly workflow?: 'standard' | 'xcart' | 'nutickets' | 'nexway' | 'vendure';
  readonly lines: readonly LineInput[];
  /** Shipping amount in minor units; omitted: no shipping. */
  readonly shipping?: number;
  /** Pay by card at once (through the simulated gateway, which settles). */
  readonly paid?: boolean;
  readonly key?: string;
  readonly customer?: Record<string, unknown>;
}

/** A tracked SKU no other test uses, with this much on hand. */
export async function stockedSku(t: TestApp, label: string, onHand = 10): Promise<string> {
  const sku = uniqueSku(label);
  const r = await t.call('PUT', `/v1/inventory/${encodeURIComponent(sku)}`, { onHand });
  expect(r.status, r.text).toBe(200);
  return sku;
}

export async function level(t: TestApp, sku: string): Promise<{ onHand: number; reserved: number }> {
  const r = await t.call('GET', `/v1/inventory/${encodeURIComponent(sku)}`);
  expect(r.status, r.text).toBe(200);
  return { onHand: r.body.onHand, reserved: r.body.reserved };
}

/**
 * An order checked out in the given workflow, optionally paid by card. Vendure's cart is taken
 * to ArrangingPayment first (its stock is held from PaymentSettled on).
 */
export async function place(t: TestApp, opts: PlaceOptions): Promise<Json> {
  const workflow = opts.workflow ?? 'standard';
  const key = opts.key === undefined ? {} : { key: opts.key };
  const body = {
    workflow,
    currency: 'EUR',
    customer: opts.customer ?? { email: 'ship@example.com', name: 'Grace' },
    lines: opts.lines,
    ...(opts.shipping !== undefined ? { shipping: { amount: opts.shipping } } : {}),
    ...(opts.paid && workflow !== 'vendure' ? { payment: { method: 'card' } } : {}),
  };
  const created = await t.call('POST', '/v1/orders', body, key);
  expect(created.status, created.text).toBe(201);
  let order = created.body;
  if (workflow === 'vendure') {
    const arranging = await t.call('POST', `/v1/orders/${order.id}/transitions`, { to: 'ArrangingPayment' });
    expect(arranging.status, arranging.text).toBe(200);
    order = arranging.body;
    if (opts.paid) {
      const settled = await t.call('POST', `/v1/orders/${order.id}/payments`, { method: 'card' });
      expect(settled.status, settled.text).toBe(201);
      order = settled.body;
      expect(order.status.order).toBe('PaymentSettled');
    }
  }
  if (opts.paid) expect(order.totals.balance, 'paid in full').toBe(0);
  return order;
}

export const ship = (t: TestApp, orderId: string, lines: readonly { lineId: string; quantity: number }[], extra: Record<string, unknown> = {}, key?: string): Promise<Reply> =>
  t.call('POST', `/v1/orders/${orderId}/fulfillments`, { lines, ...extra }, key === undefined ? {} : { key });

export const moveParcel = (t: TestApp, fulfillmentId: string, to: string, key?: string): Promise<Reply> =>
  t.call('POST', `/v1/fulfillments/${fulfillmentId}/transitions`, { to }, key === undefined ? {} : { key });

/** Creates a parcel and moves it on to `to` (pending, shipped, delivered); returns its id and the order. */
export async function parcel(t: TestApp, orderId: string, lines: readonly { lineId: string; quantity: number }[], to: 'pending' | 'shipped' | 'delivered' = 'pending'): Promise<{ id: string; order: Json }> {
  const created = await ship(t, orderId, lines);
  expect(created.status, created.text).toBe(201);
  const id: string = created.body.fulfillments[created.body.fulfillments.length - 1].id;
  let order = created.body;
  for (const step of to === 'pending' ? [] : to === 'shipped' ? ['shipped'] : ['shipped', 'delivered']) {
    const moved = await moveParcel(t, id, step);
    expect(moved.status, moved.text).toBe(200);
    order = moved.body;
  }
  return { id, order };
}

export const cancel = (t: TestApp, orderId: string, body: Record<string, unknown>, key?: string): Promise<Reply> =>
  t.call('POST', `/v1/orders/${orderId}/cancellations`, body, key === undefined ? {} : { key });

export const modify = (t: TestApp, orderId: string, body: Record<string, unknown>, key?: string): Promise<Reply> =>
  t.call('POST', `/v1/orders/${orderId}/modifications`, body, key === undefined ? {} : { key });

export const askReturn = (t: TestApp, orderId: string, lines: readonly { lineId: string; quantity: number }[], reason = 'does not fit', key?: string): Promise<Reply> =>
  t.call('POST', `/v1/orders/${orderId}/returns`, { lines, reason }, key === undefined ? {} : { key });

export const moveReturn = (t: TestApp, returnId: string, to: string, extra: Record<string, unknown> = {}, key?: string): Promise<Reply> =>
  t.call('POST', `/v1/returns/${returnId}/transitions`, { to, ...extra }, key === undefined ? {} : { key });

/** The order's stock movements as `kind quantity` strings, oldest first, optionally for one SKU. */
export async function movementsOf(t: TestApp, orderId: string, sku?: string): Promise<string[]> {
  const r = await t.ordo.pool.query<{ kind: string; quantity: number }>(
    `SELECT kind, quantity FROM stock_movements WHERE order_id = $1 ${sku ? 'AND sku = $2' : ''} ORDER BY id`,
    sku ? [orderId, sku] : [orderId],
  );
  return r.rows.map((m) => `${m.kind} ${m.quantity}`);
}

/** Where each workflow lets go of everything the order held: such an order holds nothing but units that left. */
const RELEASED: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  standard: { order: ['cancelled'] },
  nutickets: { order: ['cancelled', 'expired', 'failed', 'refunded'] },
  nexway: { order: ['CANCELED', 'CANCELED_WITH_ERROR', 'ABORTED', 'PAYMENT_REFUSED'] },
  vendure: { order: ['Cancelled'] },
  xcart: { payment: ['C', 'R', 'D'] },
};

const releasedOrder = (o: Json) => Object.entries(RELEASED[o.workflow] ?? {}).some(([track, states]) => states.includes(o.status[track]));

/** Units of a line in parcels that were not cancelled. */
export const sentOf = (o: Json, lineId: string) =>
  (o.fulfillments as Json[]).filter((f) => f.state !== 'cancelled').flatMap((f) => f.lines as Json[]).filter((l) => l.lineId === lineId).reduce((n: number, l: Json) => n + l.quantity, 0);

/**
 * The invariants of DESIGN.md 1 and 2 for one order, and its lines against the ledger:
 * - every SKU's levels equal its movements;
 * - per payment captured <= authorized (when authorized) and refunded <= captured;
 * - totals.paid = sum captured, totals.refunded = sum of settled refunds = sum refunded per payment,
 *   net = paid - refunded, balance = max(0, total - paid + settled overpayment refunds),
 *   overpaid = max(0, min(paid - overpayment refunds settled or pending, net - pending refunds) - total), never both > 0,
 *   total = subtotal + shipping + surcharges, subtotal = sum of lines;
 * - line counters are never negative; for each of the order's tracked SKUs, the inventory's reserved
 *   is the sum of the lines' reserved and its on-hand the counted stock minus the lines' committed;
 * - an order in a status that lets go of everything holds nothing but units that left in parcels;
 * - history and outbox carry the same events.
 */
export async function expectInvariants(t: TestApp, orderId: string): Promise<void> {
  const check = await t.ordo.stock.check();
  expect(check.mismatches, 'stock ledger').toEqual([]);
  const o = await getOrder(t, orderId);
  for (const p of o.payments as Json[]) {
    if (p.authorized > 0) expect(p.captured, `payment ${p.id} captured <= authorized`).toBeLessThanOrEqual(p.authorized);
    expect(p.refunded, `payment ${p.id} refunded <= captured`).toBeLessThanOrEqual(p.captured);
    expect(p.refunded).toBeGreaterThanOrEqual(0);
  }
  const captured = (o.payments as Json[]).reduce((n: number, p: Json) => n + p.captured, 0);
  const settledRefunds = (o.refunds as Json[]).filter((r) => r.state === 'settled').reduce((n: number, r: Json) => n + r.amount, 0);
  const refundedPerPayment = (o.payments as Json[]).reduce((n: number, p: Json) => n + p.refunded, 0);
  const subtotal = (o.lines as Json[]).reduce((n: number, l: Json) => n + l.quantity * l.unitPrice, 0);
  const surcharges = (o.surcharges as Json[]).reduce((n: number, s: Json) => n + s.amount, 0);
  expect(o.totals.subtotal, 'subtotal').toBe(subtotal);
  expect(o.totals.surcharges, 'surcharges').toBe(surcharges);
  expect(o.totals.shipping, 'shipping').toBe(o.shipping?.amount ?? 0);
  expect(o.totals.total, 'total').toBe(subtotal + o.totals.shipping + surcharges);
  expect(o.totals.paid, 'paid = sum captured').toBe(captured);
  expect(o.totals.refunded, 'refunded = sum of settled refunds').toBe(settledRefunds);
  expect(refundedPerPayment, 'refunded per payment adds up').toBe(settledRefunds);
  const refunds = o.refunds as Json[];
  const back = (states: string[]) => refunds.filter((r) => states.includes(r.state)).reduce((n, r) => n + r.overpayment, 0);
  const pending = refunds.filter((r) => r.state === 'pending').reduce((n, r) => n + r.amount, 0);
  expect(o.totals.net, 'net = paid - refunded').toBe(o.totals.paid - o.totals.refunded);
  expect(o.totals.refundsPending, 'refundsPending = sum of pending refunds').toBe(pending);
  expect(o.totals.balance, 'balance = max(0, total - paid + settled overpayment refunds)').toBe(Math.max(0, o.totals.total - o.totals.paid + back(['settled'])));
  expect(o.totals.overpaid, 'overpaid = money held beyond the total, not on its way back').toBe(Math.max(0, Math.min(o.totals.paid - back(['settled', 'pending']), o.totals.net - pending) - o.totals.total));
  expect(o.totals.balance > 0 && o.totals.overpaid > 0, 'never both owed and overpaid').toBe(false);

  for (const l of o.lines as Json[]) {
    expect(l.reserved, `line ${l.sku} reserved`).toBeGreaterThanOrEqual(0);
    expect(l.committed, `line ${l.sku} committed`).toBeGreaterThanOrEqual(0);
    expect(l.quantity, `line ${l.sku} quantity`).toBeGreaterThanOrEqual(0);
    if (releasedOrder(o)) {
      expect(l.reserved, `a ${JSON.stringify(o.status)} order holds nothing of ${l.sku}`).toBe(0);
      expect(l.committed, `a ${JSON.stringify(o.status)} order keeps only units that left of ${l.sku}`).toBeLessThanOrEqual(sentOf(o, l.id));
    }
  }
  for (const sku of new Set((o.lines as Json[]).map((l) => l.sku as string))) await expectLinesMatchLedger(t, sku);
  await expectRecordsConsistent(t.ordo.pool, orderId);
}

/** The SKU's inventory agrees with what every order's lines say they hold and took. */
export async function expectLinesMatchLedger(t: TestApp, sku: string): Promise<void> {
  const inv = await t.ordo.pool.query<{ on_hand: number; reserved: number }>('SELECT on_hand, reserved FROM inventory WHERE sku = $1', [sku]);
  const row = inv.rows[0];
  if (!row) return; // not tracked
  const counted = await t.ordo.pool.query<{ n: number }>(`SELECT coalesce(sum(on_hand_delta), 0)::int AS n FROM stock_movements WHERE sku = $1 AND kind = 'adjust'`, [sku]);
  const held = await t.ordo.pool.query<{ reserved: number; committed: number }>(
    `SELECT coalesce(sum(coalesce((l->>'reserved')::int, 0)), 0)::int AS reserved, coalesce(sum(coalesce((l->>'committed')::int, 0)), 0)::int AS committed
     FROM orders o, jsonb_array_elements(o.body->'lines') l WHERE l->>'sku' = $1`,
    [sku],
  );
  const h = held.rows[0]!;
  expect({ sku, reserved: row.reserved, onHand: row.on_hand }, 'inventory against the lines').toEqual({ sku, reserved: h.reserved, onHand: counted.rows[0]!.n - h.committed });
}

/** Orders a scenario touched; `afterEach(() => checkTouched(t))` holds each to the invariants. */
export class Touched {
  readonly #ids = new Set<string>();
  add<T extends { id: string }>(order: T): T {
    this.#ids.add(order.id);
    return order;
  }
  async check(t: TestApp): Promise<void> {
    const ids = [...this.#ids];
    this.#ids.clear();
    for (const id of ids) await expectInvariants(t, id);
  }
}

export const historyTypes = (items: readonly Json[]) => items.map((i) => i.type as string);

export type Workflow = 'standard' | 'xcart' | 'nutickets' | 'nexway' | 'vendure';

/** The answer must be 200; its body is shown when it is not. */
export const ok = (res: { status: number; text: string }) => expect(res.status, res.text).toBe(200);

/** One app per suite; after each test the invariants are checked on every order it touched. */
export function scenarioSuite(): { readonly app: () => TestApp; readonly touched: Touched } {
  let app: TestApp;
  const touched = new Touched();
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterEach(() => touched.check(app));
  afterAll(() => app.close());
  return { app: () => app, touched };
}
