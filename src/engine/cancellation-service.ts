/**
 * Cancelling after checkout. The cancellation is written first; when the caller asks for the
 * money back too (refund: true), what was paid beyond the new total is refunded right after,
 * at the gateway, outside the cancellation's transaction.
 */
import { systemActor, type Actor } from '../domain/actor.js';
import type { CancelCommand } from '../domain/cancellation.js';
import type { Order } from '../domain/order.js';
import type { Result } from '../domain/result.js';
import type { WorkflowDefinition } from '../domain/workflow/definition.js';
import { stateOf } from '../domain/workflow/interpret.js';
import type { OrderService } from './order-service.js';
import type { OrderView } from './order-view.js';
import type { PaymentService } from './payment-service.js';
import type { WorkflowCatalog } from './workflow-catalog.js';

export interface NewCancellation extends Omit<CancelCommand, 'type'> {
  /** Refund what was paid beyond the new total, in the same call. */
  readonly refund?: boolean;
}

export class CancellationService {
  constructor(private readonly deps: { orders: OrderService; payments: PaymentService; workflows: WorkflowCatalog }) {}

  async cancel(orderId: string, input: NewCancellation, actor: Actor): Promise<Result<OrderView>> {
    const { refund, ...cancel } = input;
    const cancelled = await this.deps.orders.execute(orderId, { type: 'cancel', ...cancel }, actor);
    if (!cancelled.ok) return cancelled;
    // The caller decides, else the workflow (Nexway: cancelled orders are refunded).
    if (!(refund ?? (await this.deps.workflows.get(cancelled.value.workflow))?.settings.refundOnCancel === true)) return cancelled;
    // balance < 0: paid more than the order now costs.
    const owed = -cancelled.value.totals.balance;
    if (owed <= 0) return cancelled;
    // The cancellation stands either way; a refund refused is answered as such, the order as it now is being one GET away.
    return this.deps.payments.refundAcross(orderId, owed, `cancellation: ${input.reason}`, actor);
  }

  /** Called after every saved change: an order moved by hand into a cancelling state (a withdrawal) is cancelled in full. */
  async afterSave(order: Order, wf: WorkflowDefinition): Promise<boolean> {
    const cancelling = wf.tracks.some((t) => stateOf(t, order.status[t.id] ?? t.initial)?.cancels);
    if (!cancelling) return false;
    await this.cancel(order.id, { reason: 'withdrawal' }, systemActor);
    return true;
  }
}
