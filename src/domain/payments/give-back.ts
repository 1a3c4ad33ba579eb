/**
 * Giving money back as part of the command that makes it owed: a cancellation, a cheaper
 * change, an order that ended with money on it. The refunds are decided with the command and
 * committed with it (their gateway calls follow the commit), so a command either gives back
 * everything it owes or is refused whole.
 */
import { sum } from '../money.js';
import type { Order } from '../order.js';
import { accept, reject, type Result } from '../result.js';
import { totalsOf } from '../totals.js';
import type { MoneyEvent } from '../events.js';
import { requestRefund, type MoneyDecision } from './decide-payment.js';
import { refundable } from './payment.js';
import type { IdSource } from '../ids.js';


/** Money the order holds that is not already on its way back. */
export const heldMoney = (order: Order): number => {
  const t = totalsOf(order);
  return Math.max(0, t.net - t.refundsPending);
};

/**
 * Refunds `amount` across the order's payments, latest first, one refund per payment, each part
 * marked as overpayment when `overpayment` (money the order no longer costs). A payment busy at the gateway is left alone; if the others
 * cannot cover the amount, nothing is refunded and the reason says which payment is busy.
 */
export function refundAcross(order: Order, amount: number, reason: string, ids: IdSource, now: Date, overpayment: boolean): Result<MoneyDecision> {
  const pending = (paymentId: string) => sum(order.refunds.filter((r) => r.paymentId === paymentId && r.state === 'pending').map((r) => r.amount));
  const rooms = [...order.payments].reverse().map((p) => ({ p, room: refundable(p) - pending(p.id) })).filter((r) => r.room > 0);
  const free = rooms.filter((r) => !r.p.intent);
  if (sum(free.map((r) => r.room)) < amount) {
    const busy = rooms.filter((r) => r.p.intent).map((r) => ({ paymentId: r.p.id, operation: r.p.intent!.op }));
    return busy.length > 0
      ? reject('payment_busy', `${amount} cannot be given back now: a payment it needs is waiting on the gateway; try again shortly`, { requested: amount, busy })
      : reject('refund_exceeds_captured', `${amount} is more than the payments can give back`, { requested: amount, payments: rooms.map((r) => ({ paymentId: r.p.id, room: r.room })) });
  }
  let current = order;
  const events: MoneyEvent[] = [];
  let left = amount;
  for (const { p, room } of free) {
    if (left === 0) break;
    const part = Math.min(left, room);
    const asked = requestRefund(current, { type: 'request_refund', refundId: ids(), intentKey: ids(), paymentId: p.id, amount: part, reason, overpayment: overpayment ? part : 0 }, now);
    if (!asked.ok) return asked;
    current = asked.value.order;
    events.push(...asked.value.events);
    left -= part;
  }
  return accept({ order: current, events, restock: [] });
}

/** The order's money is staying with the merchant for now: said in the history, for a person to decide. */
export const moneyKept = (order: Order, amount: number, why: string, alert: boolean): MoneyEvent => ({
  type: 'order.money_kept',
  data: { amount, currency: order.currency, why, alert },
});
