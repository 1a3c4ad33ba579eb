/** Order rows <-> domain orders. The domain never sees a row; the database never sees a class. */
import { formatOrderCode, type Order } from '../domain/order.js';

export interface OrderRow {
  id: string;
  code: number | null;
  workflow: string;
  workflow_version: number;
  status: Record<string, string>;
  currency: string;
  body: OrderBody;
  version: number;
  created_at: Date;
  updated_at: Date;
  placed_at: Date | null;
}

type OrderBody = Pick<Order, 'customer' | 'lines' | 'shipping' | 'billingAddress' | 'surcharges' | 'paid' | 'refunded' | 'metadata' | 'deadlines' | 'timers' | 'basketEditable' | 'timerFirings' | 'payments' | 'refunds' | 'fulfillments' | 'returns' | 'screening' | 'completion' | 'cancellationNotice' | 'removedAt'>;

export const ORDER_COLUMNS = 'id, code, workflow, workflow_version, status, currency, body, version, created_at, updated_at, placed_at';

export function toOrder(row: OrderRow): Order {
  return {
    id: row.id,
    code: row.code,
    workflow: row.workflow,
    workflowVersion: row.workflow_version,
    status: row.status,
    currency: row.currency,
    ...row.body,
    // Orders written before payments existed have none.
    payments: (row.body as Partial<OrderBody>).payments ?? [],
    refunds: (row.body as Partial<OrderBody>).refunds ?? [],
    fulfillments: (row.body as Partial<OrderBody>).fulfillments ?? [],
    returns: (row.body as Partial<OrderBody>).returns ?? [],
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    placedAt: row.placed_at,
  };
}

/** The order's document column: all of it the columns of its own do not hold. */
export function orderBody(order: Order): OrderBody {
  return {
    customer: order.customer,
    lines: order.lines,
    shipping: order.shipping,
    billingAddress: order.billingAddress,
    surcharges: order.surcharges,
    paid: order.paid,
    refunded: order.refunded,
    metadata: order.metadata,
    deadlines: order.deadlines,
    timers: order.timers,
    payments: order.payments,
    refunds: order.refunds,
    fulfillments: order.fulfillments,
    returns: order.returns,
    ...(order.screening ? { screening: order.screening } : {}),
    ...(order.completion ? { completion: order.completion } : {}),
    ...(order.cancellationNotice ? { cancellationNotice: order.cancellationNotice } : {}),
    ...(order.removedAt ? { removedAt: order.removedAt } : {}),
    ...(order.basketEditable ? { basketEditable: true } : {}),
    ...(order.timerFirings && Object.keys(order.timerFirings).length > 0 ? { timerFirings: order.timerFirings } : {}),
  };
}

/** The rows of the payments index (the payments table), one per payment. */
export const paymentRows = (order: Order) =>
  order.payments.map((p) => ({ id: p.id, method: p.method, gateway: p.gateway, reference: p.reference, state: p.state, intent_at: p.intent?.at ?? null }));

/** The rows of the fulfillment and return ids (order_refs). */
export const refRows = (order: Order) =>
  [...order.fulfillments.map((f) => ({ id: f.id, kind: 'fulfillment' })), ...order.returns.map((r) => ({ id: r.id, kind: 'return' }))];

/** The column values a write sets, in the order the statements in orders.ts expect them. */
export function orderColumns(order: Order) {
  return {
    refs: JSON.stringify(refRows(order)),
    payments: JSON.stringify(paymentRows(order)),
    status: JSON.stringify(order.status),
    statusTags: statusTags(order.status),
    body: JSON.stringify(orderBody(order)),
    search: searchText(order),
    skus: lineSkus(order),
  };
}

/** Each track's state twice, plain and qualified: `?status=paid` and `?status=payment:paid` both hit the index. */
export const statusTags = (status: Readonly<Record<string, string>>): string[] =>
  Object.entries(status).flatMap(([track, state]) => [state, `${track}:${state}`]);

/**
 * What the order search (`q`) matches a part of: the customer's email, name and id, lowercased.
 * Kept in order_search, apart from the order row (migration 017): a save writes it only when it
 * changed (searchChanged).
 */
export const searchText = (order: Pick<Order, 'customer'>): string =>
  [order.customer.email, order.customer.name, order.customer.id].filter(Boolean).join(' ').toLowerCase();

/** The SKUs of the order's lines, each once, as typed: what the admin's search finds whole (order_skus, migration 019). */
export const lineSkus = (order: Pick<Order, 'lines'>): string[] => [...new Set(order.lines.map((l) => l.sku))];

/** Whether a save must write the order's search rows again (order_search, order_skus): its text or its lines' SKUs changed. */
export function searchChanged(before: Pick<Order, 'customer' | 'lines'>, after: Pick<Order, 'customer' | 'lines'>): boolean {
  if (searchText(before) !== searchText(after)) return true;
  if (before.lines === after.lines) return false;
  const [was, is] = [lineSkus(before), lineSkus(after)];
  return was.length !== is.length || was.some((sku, i) => sku !== is[i]);
}

export { formatOrderCode };
