/**
 * Removing an order (X-Cart deletes Not finished orders after a lifetime the merchant sets).
 * Only an order that never became one in the books goes: no number, no money kept. It is
 * hidden from every caller and its personal data erased; its row stays, because the stock
 * ledger and the history refer to it. Whatever stock it still held is let go.
 */
import type { FulfillmentEvent } from './events.js';
import type { Order } from './order.js';
import { reservedOf, type StockMovement } from './stock.js';

export interface Removal {
  readonly order: Order;
  readonly events: readonly FulfillmentEvent[];
  readonly movements: readonly StockMovement[];
}

export function removeOrder(order: Order, now: Date): Removal {
  if (order.code !== null || order.paid - order.refunded > 0 || order.removedAt !== undefined) {
    return { order, events: [{ type: 'order.kept', data: { why: order.code !== null ? 'numbered' : 'money kept' } }], movements: [] };
  }
  const movements = order.lines.filter((l) => reservedOf(l) > 0).map((l): StockMovement => ({ sku: l.sku, kind: 'release', quantity: reservedOf(l), lineId: l.id }));
  return {
    order: {
      ...order,
      removedAt: now.toISOString(),
      customer: {},
      shipping: order.shipping ? { amount: order.shipping.amount } : null,
      billingAddress: null,
      metadata: {},
      lines: order.lines.map((l) => ({ ...l, reserved: 0 })),
      timers: [],
    },
    events: [{ type: 'order.removed', data: {} }],
    movements,
  };
}
