import { sum } from './money.js';
import type { Order } from './order.js';

export interface Totals {
  readonly subtotal: number;
  readonly shipping: number;
  readonly surcharges: number;
  readonly total: number;
  readonly paid: number;
  readonly refunded: number;
  /** What the customer still owes: total - paid + refunded. Negative means owed back. */
  readonly balance: number;
}

type Priced = Pick<Order, 'lines' | 'shipping' | 'surcharges' | 'paid' | 'refunded'>;

export function totalsOf(order: Priced): Totals {
  const subtotal = sum(order.lines.map((l) => l.quantity * l.unitPrice));
  const shipping = order.shipping?.amount ?? 0;
  const surcharges = sum(order.surcharges.map((s) => s.amount));
  const total = sum([subtotal, shipping, surcharges]);
  return { subtotal, shipping, surcharges, total, paid: order.paid, refunded: order.refunded, balance: sum([total, -order.paid, order.refunded]) };
}
