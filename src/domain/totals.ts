/**
 * The order's money as a merchant reads it. Refunds are of two kinds: those that give back
 * money the order no longer costs (a cancellation, a cheaper change, an order that ended:
 * each refund records that part as `overpayment`), and goodwill (a return, a gesture), which
 * never changes what the customer owes. So:
 *   net       = paid - refunded
 *   balance   = max(0, total - paid + settled overpayment refunds)   what is still owed
 *   overpaid  = max(0, min(paid - overpayment refunds (settled or pending), net - pending refunds) - total)   what is due back
 * and never both balance > 0 and overpaid > 0.
 */
import { sum } from './money.js';
import type { Order } from './order.js';

export interface Totals {
  readonly subtotal: number;
  readonly shipping: number;
  readonly surcharges: number;
  readonly total: number;
  /** Money received (captured). */
  readonly paid: number;
  /** Money given back (settled refunds). */
  readonly refunded: number;
  /** paid - refunded: what the merchant keeps. */
  readonly net: number;
  /** Refunds asked of the gateway and not yet answered: money on its way back. */
  readonly refundsPending: number;
  /** What the customer still owes; a goodwill refund never raises it. */
  readonly balance: number;
  /** Money held beyond what the order costs, not yet on its way back. */
  readonly overpaid: number;
}

type Priced = Pick<Order, 'lines' | 'shipping' | 'surcharges' | 'paid' | 'refunded'> & Partial<Pick<Order, 'refunds'>>;

export function totalsOf(order: Priced): Totals {
  const subtotal = sum(order.lines.map((l) => l.quantity * l.unitPrice));
  const shipping = order.shipping?.amount ?? 0;
  const surcharges = sum(order.surcharges.map((s) => s.amount));
  const total = sum([subtotal, shipping, surcharges]);
  const refunds = order.refunds ?? [];
  const back = (states: readonly string[]) => sum(refunds.filter((r) => states.includes(r.state)).map((r) => r.overpayment ?? 0));
  const refundsPending = sum(refunds.filter((r) => r.state === 'pending').map((r) => r.amount));
  return {
    subtotal, shipping, surcharges, total,
    paid: order.paid,
    refunded: order.refunded,
    net: order.paid - order.refunded,
    refundsPending,
    balance: Math.max(0, total - order.paid + back(['settled'])),
    // Never more than is actually held: a goodwill refund already on its way back leaves less to return.
    overpaid: Math.max(0, Math.min(order.paid - back(['settled', 'pending']), order.paid - order.refunded - refundsPending) - total),
  };
}
