/**
 * Cancelling after checkout. When the caller asks for the money back too (refund: true, else as
 * the workflow says), the refunds of what the order then no longer costs are decided with the
 * cancellation and committed with it: the cancellation gives everything back or is refused
 * whole. The gateway calls follow the commit; one that fails is a refund `failed` or still
 * pending on the order, never a refusal of the cancellation.
 */
import { systemActor, type Actor } from '../domain/actor.js';
import type { CancelCommand } from '../domain/cancellation.js';
import type { Order } from '../domain/order.js';
import type { Result } from '../domain/result.js';
import type { WorkflowDefinition } from '../domain/workflow/definition.js';
import { stateOf } from '../domain/workflow/interpret.js';
import type { CommandOptions, OrderService } from './order-service.js';
import type { OrderView } from './order-view.js';
import type { PaymentService } from './payment-service.js';

export interface NewCancellation extends Omit<CancelCommand, 'type'> {
  /** Refund what was paid beyond the new total, in the same command (default: the workflow's `refundOnCancel`). */
  readonly refund?: boolean;
}

export class CancellationService {
  constructor(private readonly deps: { orders: OrderService; payments: PaymentService }) {}

  async cancel(orderId: string, input: NewCancellation, actor: Actor, opts: CommandOptions = {}): Promise<Result<OrderView>> {
    return this.deps.payments.followUp(actor, await this.deps.orders.executeAnswered(orderId, { type: 'cancel', ...input }, actor, opts));
  }

  /** Called after every saved change: an order moved by hand into a cancelling state (a withdrawal) is cancelled in full. */
  async afterSave(order: Order, wf: WorkflowDefinition): Promise<boolean> {
    const cancelling = wf.tracks.some((t) => stateOf(t, order.status[t.id] ?? t.initial)?.cancels);
    if (!cancelling) return false;
    await this.cancel(order.id, { reason: 'withdrawal' }, systemActor);
    return true;
  }
}
