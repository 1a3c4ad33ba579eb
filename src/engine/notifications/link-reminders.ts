/**
 * "Your payment link expires soon" (nuTickets). The expiry is already a timer on the order
 * (`payment-link`, indexed in the timers table), so no new timer or event is needed: the relay
 * looks, at most once a minute of the injected clock, for link expiries a day away that have no
 * reminder yet, and queues one per expiry date (the dedupe key's event part is `expiry:<date>`,
 * so several relays looking at once still make one).
 */
import type pg from 'pg';
import type { EventFacts } from '../../domain/notifications/event-facts.js';
import { LINK_EXPIRY_TIMER, REMIND_BEFORE_MS, reminderKey, stillExpiring, TOO_LATE_MS } from '../../domain/notifications/link-reminder.js';
import { totalsOf } from '../../domain/totals.js';
import type { WorkflowDefinition } from '../../domain/workflow/definition.js';
import { expiriesWithoutReminder, insertNotifications, type NewNotification } from '../../store/notifications.js';
import { findOrdersForCommand } from '../../store/orders.js';
import type { Clock } from '../clock.js';
import type { MessageMaker } from './message-maker.js';

const LOOK_EVERY_MS = 60_000;
const MESSAGE = 'payment_link_expiring';

export class LinkReminders {
  #lookedAt = -Infinity;

  constructor(private readonly deps: { pool: pg.Pool; clock: Clock; maker: MessageMaker; workflowOf: (name: string) => Promise<WorkflowDefinition | undefined> }) {}

  /** Queues the reminders now due; how many were new. */
  async queue(): Promise<number> {
    const now = this.deps.clock.now();
    if (now.getTime() - this.#lookedAt < LOOK_EVERY_MS) return 0;
    this.#lookedAt = now.getTime();
    const due = await expiriesWithoutReminder(this.deps.pool, LINK_EXPIRY_TIMER, MESSAGE, new Date(now.getTime() + TOO_LATE_MS), new Date(now.getTime() + REMIND_BEFORE_MS), 200);
    if (due.length === 0) return 0;
    const orders = await findOrdersForCommand(this.deps.pool, [...new Set(due.map((d) => d.orderId))]);
    const rows: NewNotification[] = [];
    for (const { orderId, dueAt } of due) {
      const order = orders.get(orderId)?.order;
      const wf = order && (await this.deps.workflowOf(order.workflow));
      if (!order || !wf || !stillExpiring(order, dueAt)) continue;
      const link = [...order.payments].reverse().find((p) => p.method === 'payment_link' && p.state === 'pending');
      const key = reminderKey(dueAt);
      const facts: EventFacts = {
        id: key, type: 'payment_link.expiring', occurredAt: now.toISOString(),
        data: { paymentId: link?.id, expiresAt: dueAt.toISOString(), order: { status: order.status, totals: totalsOf(order) } },
      };
      const row = await this.deps.maker.make({ message: MESSAGE, audience: 'customer', key }, facts, order, wf, 'event', now);
      if (row) rows.push(row);
    }
    return insertNotifications(this.deps.pool, rows);
  }
}
