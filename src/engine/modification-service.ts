/**
 * Changes after checkout. A dry run shows the new totals and the price difference and writes
 * nothing. Applied, the change and the refunds of money owed back are committed together; the
 * gateway calls follow the commit.
 */
import type { Actor } from '../domain/actor.js';
import type { ModifyCommand } from '../domain/modification.js';
import { accept, type Result } from '../domain/result.js';
import type { Totals } from '../domain/totals.js';
import type { IdGenerator } from './ids.js';
import type { CommandOptions, OrderService } from './order-service.js';
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

  /** The change, and the refund of what the order then no longer costs, in one command (see decide's settleMoney). */
  async apply(orderId: string, input: NewModification, actor: Actor, opts: CommandOptions = {}): Promise<Result<OrderView>> {
    return this.deps.payments.followUp(actor, await this.deps.orders.executeAnswered(orderId, this.command(input), actor, opts));
  }

  private command(input: NewModification): ModifyCommand {
    return { type: 'modify', ...input, newLineIds: (input.addLines ?? []).map(() => this.deps.newId()), surchargeIds: (input.surcharges ?? []).map(() => this.deps.newId()) };
  }
}
