/**
 * What happens to the money when a decision leaves the order holding more than it costs:
 *  - a cancellation gives it back when asked (or when the workflow refunds cancellations), else
 *    says it is kept; a cheaper change gives the difference back. Both are refused whole when
 *    the refund cannot be made now.
 *  - an order called off for good (cancelled, expired) by a transition or a timer gives back
 *    what it holds where the workflow refunds cancellations, else says it is kept.
 *  - money that arrives for an order called off for good is given back; on a status a person
 *    may still leave (X-Cart's Cancelled) it is kept, with an alert for staff.
 * The refunds are part of the decision; their gateway calls follow its commit.
 */
import type { Decision } from '../decision.js';
import { calledOff, calledOffForGood } from '../ended.js';
import type { IdSource } from '../ids.js';
import type { Order } from '../order.js';
import { accept, type Result } from '../result.js';
import { totalsOf } from '../totals.js';
import type { WorkflowDefinition } from '../workflow/definition.js';
import { heldMoney, moneyKept, refundAcross } from './give-back.js';

/** What the caller asked for, as far as the money is concerned. */
export type MoneyIntent =
  | { readonly kind: 'cancel'; readonly reason: string; readonly refund?: boolean }
  | { readonly kind: 'modify'; readonly note?: string }
  | { readonly kind: 'other' };

export function settleMoney(wf: WorkflowDefinition, before: Order, d: Decision, asked: MoneyIntent, ids: IdSource, now: Date): Result<Decision> {
  const arrived = d.order.paid - before.paid;
  const goneNow = calledOffForGood(wf, d.order);
  if (!goneNow && calledOff(wf, before) && calledOff(wf, d.order) && arrived > 0) {
    return kept(d, arrived, 'money arrived after the order was called off; the status may still be left, so a person decides', true);
  }
  const endedNow = goneNow && !calledOffForGood(wf, before);
  const late = goneNow && !endedNow && arrived > 0;
  const stopped = !goneNow && !calledOff(wf, before) && calledOff(wf, d.order);
  if (asked.kind === 'other' && !endedNow && !late && !stopped) return accept(d);
  const amount = asked.kind === 'other' ? Math.max(0, heldMoney(d.order) - stillCharged(d.order)) : Math.min(totalsOf(d.order).overpaid, heldMoney(d.order));
  if (amount <= 0) return accept(d);
  const refundOnCancel = wf.settings.refundOnCancel === true;
  const giveBack = asked.kind === 'cancel' ? (asked.refund ?? refundOnCancel) : asked.kind === 'modify' || late || (goneNow && refundOnCancel);
  if (!giveBack) return kept(d, amount, 'the workflow does not refund cancellations; refund by hand if it is owed', false);
  const reason = asked.kind === 'modify' ? `order changed${asked.note ? `: ${asked.note}` : ''}` : asked.kind === 'cancel' ? `cancellation: ${asked.reason}` : late ? 'money arrived after the order ended' : 'the order was cancelled';
  const back = refundAcross(d.order, amount, reason, ids, now, true);
  if (back.ok) return accept({ ...d, order: back.value.order, events: [...d.events, ...back.value.events] });
  if (asked.kind !== 'other') return back;
  // Money the gateway already moved is recorded whatever happens; what cannot go back now is kept and flagged.
  return kept(d, amount, `${reason}; it could not be given back now (${back.message})`, true);
}

const kept = (d: Decision, amount: number, why: string, alert: boolean): Result<Decision> =>
  accept({ ...d, events: [...d.events, moneyKept(d.order, amount, why, alert)] });

/** What an order called off still charges: what its cancellation left (kept shipping, say), or nothing if it was never cancelled line by line. */
const stillCharged = (order: Order): number => (order.lines.every((l) => l.quantity === 0) ? totalsOf(order).total : 0);
