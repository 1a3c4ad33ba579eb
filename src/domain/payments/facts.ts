/**
 * The order's money in one word, for the workflow's reactions: covered -> `settled`, partly ->
 * `partially_paid`, held -> `authorized`, given back -> `refunded` / `partially_refunded`,
 * else what became of the latest attempt. A change of that word is an event (`payment.<word>`).
 */
import { sum } from '../money.js';
import type { Order } from '../order.js';
import { totalsOf } from '../totals.js';

export type PaymentFact =
  | 'none'
  | 'pending'
  | 'authorized'
  | 'partially_paid'
  | 'settled'
  | 'partially_refunded'
  | 'refunded'
  | 'declined'
  | 'failed'
  | 'voided'
  | 'unknown';

export function paymentFact(order: Order): PaymentFact {
  const { total } = totalsOf(order);
  const captured = order.paid;
  if (order.refunded > 0) return order.refunded >= captured ? 'refunded' : 'partially_refunded';
  if (captured > 0 && captured >= total) return 'settled';
  const held = sum(order.payments.filter((p) => p.state === 'authorized').map((p) => p.authorized - p.captured));
  if (held > 0 && captured + held >= total) return 'authorized';
  if (captured > 0) return 'partially_paid';
  const latest = order.payments[order.payments.length - 1];
  if (!latest) return 'none';
  switch (latest.state) {
    case 'pending':
    case 'unknown':
    case 'declined':
    case 'failed':
    case 'voided':
      return latest.state;
    default:
      return 'pending';
  }
}
