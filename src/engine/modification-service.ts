/**
 * Changes after checkout. A dry run shows the new totals and the price difference and writes
 * nothing. Applied, the change is written first; money owed back is then refunded against
 * the order's payments, at the gateway, outside the change's transaction.
 */
import type { Actor } from '../domain/actor.js';
import type { ModifyCommand } from '../domain/modification.js';
import { accept, type Result } from '../domain/result.js';
import type { Totals } from '../domain/totals.js';
import type { IdGenerator } from './ids.js';
import type { OrderService } from './order-service.js';
import type { OrderView } from './order-view.js';
import type { PaymentService } from './payment-service.js';

export type NewModification = Omit<ModifyCommand, 'type' | 'newLineIds' | 'surchargeIds'>;

export interface ModificationPreview {
  readonly dryRun: true;
  readonly before: Totals;
  readonly after: Totals;
  readonly difference: number;
  readonly order: OrderView;
}

export class ModificationService {
  constructor(private readonly deps: { newId: IdGenerator; orders: OrderService; payments: PaymentService }) {}

  async preview(orderId: string, input: NewModification, actor: Actor): Promise<Result<ModificationPreview>> {
    const seen = await this.deps.orders.preview(orderId, this.command(input), actor);
    if (!seen.ok) return seen;
    const { before, after } = seen.value;
    return accept({ dryRun: true, before: before.totals, after: after.totals, difference: after.totals.total - before.totals.total, order: after });
  }

  async apply(orderId: string, input: NewModification, actor: Actor): Promise<Result<OrderView>> {
    const modified = await this.deps.orders.execute(orderId, this.command(input), actor);
    if (!modified.ok) return modified;
    const owed = -modified.value.totals.balance;
    if (owed <= 0) return modified;
    return this.deps.payments.refundAcross(orderId, owed, `order changed${input.note ? `: ${input.note}` : ''}`, actor);
  }

  private command(input: NewModification): ModifyCommand {
    return { type: 'modify', ...input, newLineIds: (input.addLines ?? []).map(() => this.deps.newId()), surchargeIds: (input.surcharges ?? []).map(() => this.deps.newId()) };
  }
}
