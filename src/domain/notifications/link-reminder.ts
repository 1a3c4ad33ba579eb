/**
 * nuTickets' "about to expire" reminder. A payment link's expiry is the order's `payment-link`
 * timer; the reminder goes out once the expiry is a day away, and not when less than an hour is
 * left (an edit through an editable link restarts the expiry at the short basket timeout: no
 * reminder for that). One per expiry date: a link given a new date may be reminded again.
 */
import type { Order } from '../order.js';

export const LINK_EXPIRY_TIMER = 'payment-link';
export const REMIND_BEFORE_MS = 24 * 3_600_000;
export const TOO_LATE_MS = 3_600_000;

export const reminderKey = (dueAt: Date): string => `expiry:${dueAt.toISOString()}`;

/** Whether the order still waits on this expiry (the timers index may lag the order by a save). */
export function stillExpiring(order: Order, dueAt: Date): boolean {
  return order.timers.some((t) => t.name === LINK_EXPIRY_TIMER && Date.parse(t.dueAt) === dueAt.getTime());
}
