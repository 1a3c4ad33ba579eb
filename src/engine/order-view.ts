/**
 * The order as callers see it, over HTTP and in-process alike: money in minor units, times
 * as ISO strings, what the caller may do next, and customer-facing status names for customers.
 */
import type { Actor } from '../domain/actor.js';
import { formatOrderCode, type Address, type Customer, type Order, type Shipping, type Surcharge } from '../domain/order.js';
import { totalsOf, type Totals } from '../domain/totals.js';
import type { WorkflowDefinition } from '../domain/workflow/definition.js';
import { stateOf } from '../domain/workflow/interpret.js';
import { acceptedNext } from '../domain/fulfillments/hand-transition.js';
import type { HistoryRow } from '../store/orders.js';
import type { Fulfillment } from '../domain/fulfillments/fulfillment.js';
import type { OrderReturn } from '../domain/returns.js';

export interface OrderLineView {
  readonly id: string;
  readonly sku: string;
  readonly name?: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly total: number;
  /** Units held in stock for this line, and units taken from stock. */
  readonly reserved: number;
  readonly committed: number;
  /** Units in parcels (not cancelled), and units cancelled after checkout. */
  readonly fulfilled: number;
  readonly cancelled: number;
}

export interface PaymentView {
  readonly id: string;
  readonly method: string;
  readonly gateway: string;
  readonly reference: string | null;
  readonly amount: number;
  readonly state: string;
  readonly authorized: number;
  readonly captured: number;
  readonly refunded: number;
  readonly deposit: boolean;
  readonly link: { readonly expiresAt: string; readonly editable: boolean; readonly sent: number } | null;
  /** A gateway call made but not yet answered (it is retried with the same idempotency key). */
  readonly pendingOperation: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface RefundView {
  readonly id: string;
  readonly paymentId: string;
  readonly amount: number;
  readonly lines: readonly { readonly lineId: string; readonly quantity: number }[];
  readonly shipping: number;
  readonly adjustment: number;
  readonly reason: string;
  readonly restock: boolean;
  readonly state: string;
  readonly reference: string | null;
  /** The part that gives back money the order no longer costs; the rest is goodwill. */
  readonly overpayment: number;
  readonly createdAt: string;
}

export interface TimerView {
  readonly name: string;
  readonly track: string;
  readonly dueAt: string;
  readonly extended: boolean;
}

export interface OrderView {
  readonly id: string;
  /** `#1001`; null while the workflow has not numbered the order yet. */
  readonly code: string | null;
  readonly workflow: string;
  readonly workflowVersion: number;
  readonly version: number;
  readonly status: Readonly<Record<string, string>>;
  /** Each track's status by name, as the merchant calls it (X-Cart lets a merchant rename statuses). */
  readonly statusLabels: Readonly<Record<string, string>>;
  readonly currency: string;
  readonly customer: Customer;
  readonly lines: readonly OrderLineView[];
  readonly shipping: Shipping | null;
  readonly billingAddress: Address | null;
  readonly surcharges: readonly Surcharge[];
  readonly totals: Totals;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly payments: readonly PaymentView[];
  readonly refunds: readonly RefundView[];
  readonly fulfillments: readonly Fulfillment[];
  readonly returns: readonly OrderReturn[];
  /** What the order waits on: when its basket or payment link runs out, and so on. */
  readonly timers: readonly TimerView[];
  /** The statuses each track may move to next, by this caller. */
  readonly next: Readonly<Record<string, readonly string[]>>;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly placedAt: string | null;
}

export function presentOrder(order: Order, wf: WorkflowDefinition, actor: Actor): OrderView {
  const status = actor.kind === 'customer' ? customerFacing(order.status, wf) : order.status;
  return {
    id: order.id,
    code: formatOrderCode(order.code),
    workflow: order.workflow,
    workflowVersion: order.workflowVersion,
    version: order.version,
    status,
    statusLabels: labelsOf(status, wf),
    currency: order.currency,
    customer: order.customer,
    lines: order.lines.map((l) => ({ ...l, total: l.quantity * l.unitPrice, reserved: l.reserved ?? 0, committed: l.committed ?? 0, fulfilled: l.fulfilled ?? 0, cancelled: l.cancelled ?? 0 })),
    shipping: order.shipping,
    billingAddress: order.billingAddress,
    surcharges: order.surcharges,
    totals: totalsOf(order),
    metadata: order.metadata,
    payments: order.payments.map((p) => ({
      id: p.id, method: p.method, gateway: p.gateway, reference: p.reference, amount: p.amount, state: p.state,
      authorized: p.authorized, captured: p.captured, refunded: p.refunded, deposit: p.deposit, link: p.link ?? null,
      pendingOperation: p.intent?.op ?? null, createdAt: p.createdAt, updatedAt: p.updatedAt,
    })),
    refunds: order.refunds.map((r) => ({ ...r, lines: r.lines, overpayment: r.overpayment ?? 0 })),
    fulfillments: order.fulfillments,
    returns: order.returns,
    timers: order.timers.map((t) => ({ name: t.name, track: t.track, dueAt: t.dueAt, extended: t.extended === true })),
    // Only what this caller would be let do now: what the same decision would accept.
    next: acceptedNext(wf, order, actor),
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    placedAt: order.placedAt?.toISOString() ?? null,
  };
}

/**
 * A status filter as a customer means it: a customer-facing name also finds the states shown
 * under it; a state customers never see finds nothing.
 */
export function customerStatusFilter(status: string, workflows: readonly WorkflowDefinition[]): string[] {
  const [track, state] = status.includes(':') ? (status.split(':', 2) as [string, string]) : [undefined, status];
  const matches = workflows.flatMap((wf) => wf.tracks.filter((t) => track === undefined || t.id === track).flatMap((t) => t.states.map((s) => ({ track: t.id, s }))));
  if (matches.some(({ s }) => s.id === state && s.customerAlias)) return [];
  const hidden = matches.filter(({ s }) => s.customerAlias === state).map(({ track: t, s }) => (track ? `${t}:${s.id}` : s.id));
  return [status, ...hidden];
}

/** Some states are shown to customers under another name (X-Cart shows New/Backorder as New). */
function customerFacing(status: Readonly<Record<string, string>>, wf: WorkflowDefinition): Record<string, string> {
  return Object.fromEntries(
    Object.entries(status).map(([trackId, state]) => {
      const track = wf.tracks.find((t) => t.id === trackId);
      return [trackId, (track && stateOf(track, state)?.customerAlias) ?? state];
    }),
  );
}

const labelsOf = (status: Readonly<Record<string, string>>, wf: WorkflowDefinition): Record<string, string> =>
  Object.fromEntries(Object.entries(status).map(([trackId, state]) => {
    const track = wf.tracks.find((t) => t.id === trackId);
    return [trackId, (track && stateOf(track, state)?.label) ?? state];
  }));

export interface HistoryEntryView {
  readonly id: string;
  readonly type: string;
  readonly track: string | null;
  readonly from: string | null;
  readonly to: string | null;
  readonly actor: { readonly kind: string; readonly id: string | null };
  readonly reason: string | null;
  readonly cause: string | null;
  readonly data: Readonly<Record<string, unknown>>;
  readonly at: string;
}

/** Events that are the merchant's business only (X-Cart tells the admin, not the customer, of a backorder). */
const STAFF_ONLY_EVENTS: ReadonlySet<string> = new Set(['stock.backordered', 'stock.short']);

/** The history as this caller may see it: customers get customer-facing status names and no staff-only events. */
export function presentHistory(rows: readonly HistoryRow[], wf: WorkflowDefinition, actor: Actor): HistoryEntryView[] {
  if (actor.kind !== 'customer') return rows.map((r) => historyEntry(r, (s) => s));
  const shown = (track: string | null) => (state: string | null) => {
    const def = wf.tracks.find((t) => t.id === track);
    return state !== null && def ? (stateOf(def, state)?.customerAlias ?? state) : state;
  };
  return rows
    .filter((r) => !STAFF_ONLY_EVENTS.has(r.type))
    .map((r) => historyEntry(r, shown(r.track)))
    // A step between two states the customer sees as one is no step for them.
    .filter((e) => e.type !== 'order.status_changed' || e.from !== e.to);
}

const historyEntry = (row: HistoryRow, name: (state: string | null) => string | null): HistoryEntryView => ({
  id: row.id,
  type: row.type,
  track: row.track,
  from: name(row.from_state),
  to: name(row.to_state),
  actor: { kind: row.actor_kind, id: row.actor_id },
  reason: row.reason,
  cause: row.cause,
  data: row.data,
  at: row.at.toISOString(),
});

/** A page of a list: its orders, and where the next page starts (null: this was the last). */
export interface OrderPage {
  readonly items: readonly OrderView[];
  readonly nextCursor: string | null;
}

/**
 * The page `rows` make, as `actor` sees it: `rows` is read with one order more than `limit`,
 * so that a next page is known to exist without counting.
 */
export function presentPage(rows: readonly Order[], limit: number, workflows: readonly WorkflowDefinition[], actor: Actor): OrderPage {
  const page = rows.slice(0, limit);
  return {
    items: page.flatMap((o) => {
      const wf = workflows.find((w) => w.name === o.workflow);
      return wf ? [presentOrder(o, wf, actor)] : [];
    }),
    nextCursor: rows.length > limit ? page[page.length - 1]!.id : null,
  };
}
