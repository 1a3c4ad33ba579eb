/** Reviewing items that need approval (nuTickets): approved items get a payment link, unless nothing is left to pay. */
import type { Actor } from '../domain/actor.js';
import type { ItemDecision } from '../domain/approval.js';
import type { Result } from '../domain/result.js';
import type { CommandOptions, OrderService } from './order-service.js';
import type { OrderView } from './order-view.js';
import type { PaymentService } from './payment-service.js';

export class ApprovalService {
  constructor(private readonly deps: { orders: OrderService; payments: PaymentService }) {}

  async review(orderId: string, decisions: readonly ItemDecision[], actor: Actor, opts: CommandOptions = {}): Promise<Result<OrderView>> {
    const reviewed = await this.deps.orders.execute(orderId, { type: 'review_items', decisions }, actor, opts);
    if (!reviewed.ok) return reviewed;
    // The review sent the order to wait for a payment link: issue it, for what was approved.
    const waiting = Object.values(reviewed.value.status).includes('awaiting_payment_link');
    const linked = reviewed.value.payments.some((p) => p.link && p.state === 'pending');
    if (!waiting || linked) return reviewed;
    // The review stands whatever the link's fate: a link that could not be issued is answered as the order now is.
    const issued = await this.deps.payments.add(orderId, { method: 'payment_link' }, actor);
    return issued.ok ? issued : this.deps.orders.get(orderId, actor);
  }
}
