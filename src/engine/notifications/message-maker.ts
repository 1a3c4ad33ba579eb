/**
 * Makes a message ready to queue: who it goes to (the order's customer, or the staff address)
 * and its rendered subject and bodies. Rendering happens here, when the event is fanned out, so
 * the stored message is exactly what is sent on every attempt and what the API shows meanwhile.
 */
import type { EventFacts } from '../../domain/notifications/event-facts.js';
import { messageView } from '../../domain/notifications/message-view.js';
import type { WantedMessage } from '../../domain/notifications/messages.js';
import type { Order } from '../../domain/order.js';
import type { WorkflowDefinition } from '../../domain/workflow/definition.js';
import type { NewNotification, NotificationOrigin } from '../../store/notifications.js';
import type { IdGenerator } from '../ids.js';
import type { Templates } from './templates.js';

export class MessageMaker {
  constructor(private readonly deps: { templates: Templates; newId: IdGenerator; staffEmail: string | undefined }) {}

  recipientOf(wanted: WantedMessage, order: Order): string | undefined {
    return wanted.audience === 'staff' ? this.deps.staffEmail : order.customer.email;
  }

  /** The message, or undefined when there is nobody to send it to (no customer e-mail, no staff address set). */
  async make(wanted: WantedMessage, facts: EventFacts, order: Order, wf: WorkflowDefinition, origin: NotificationOrigin, now: Date): Promise<NewNotification | undefined> {
    const recipient = this.recipientOf(wanted, order);
    if (!recipient) return undefined;
    const base = { id: this.deps.newId(), orderId: order.id, eventId: wanted.key, origin, message: wanted.message, recipient, audience: wanted.audience, createdAt: now };
    try {
      const rendered = await this.deps.templates.render(wf.name, wanted.message, messageView(wanted.message, wanted.audience, facts, order, wf));
      return { ...base, ...rendered, status: 'pending', lastError: null };
    } catch (err) {
      // A broken template must not hold up the stream: the message is kept as failed, with why.
      return { ...base, subject: `(${wanted.message}: not rendered)`, text: '', html: '', status: 'failed', lastError: `template: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
}
