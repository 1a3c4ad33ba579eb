/**
 * Changing a placed order: quantities, lines, surcharges and discounts, addresses. Stock
 * follows at once; the price difference is settled by the money: more to pay leaves a balance
 * (the workflow's additional-payment status until a payment covers it), less leaves money to
 * give back, which the engine refunds against the order's payments.
 */
import type { Actor } from './actor.js';
import { changeLines, type BasketChange } from './basket.js';
import type { FulfillmentEvent } from './events.js';
import type { Address, Order, Surcharge } from './order.js';
import { accept, reject, type Result } from './result.js';
import type { StockMovement } from './stock.js';
import { totalsOf } from './totals.js';
import type { WorkflowDefinition } from './workflow/definition.js';
import { orderEnded } from './ended.js';

export interface ModifyCommand extends BasketChange {
  readonly type: 'modify';
  readonly newLineIds: readonly string[];
  /** A negative amount is a discount. */
  readonly surcharges?: readonly { readonly description: string; readonly amount: number }[];
  readonly surchargeIds: readonly string[];
  readonly shippingAddress?: Address;
  readonly billingAddress?: Address;
  readonly note?: string;
}

export interface ModifyDecision {
  readonly order: Order;
  readonly events: readonly FulfillmentEvent[];
  readonly movements: readonly StockMovement[];
  /** New total minus old total, in minor units. */
  readonly difference: number;
}

export function decideModify(wf: WorkflowDefinition, order: Order, cmd: ModifyCommand, _actor: Actor): Result<ModifyDecision> {
  const ended = orderEnded(wf, order);
  if (order.placedAt === null || ended) return reject('order_not_modifiable', ended ? `the order is ${ended} and can no longer change` : 'the order is not placed yet: change its basket instead');
  const changed = changeLines(wf, order, cmd, cmd.newLineIds);
  if (!changed.ok) return changed;
  const surcharges: Surcharge[] = [...order.surcharges, ...(cmd.surcharges ?? []).map((s, i) => ({ id: cmd.surchargeIds[i]!, description: s.description, amount: s.amount }))];
  const next: Order = {
    ...order,
    lines: changed.value.lines,
    surcharges,
    ...(cmd.shippingAddress ? { shipping: { ...(order.shipping ?? { amount: 0 }), address: cmd.shippingAddress } } : {}),
    ...(cmd.billingAddress ? { billingAddress: cmd.billingAddress } : {}),
  };
  let before;
  let after;
  try {
    before = totalsOf(order).total;
    after = totalsOf(next).total;
  } catch {
    return reject('amount_out_of_range', 'the order total is larger than Ordo can hold exactly');
  }
  if (after < 0) return reject('validation_failed', `discounts may not take the total below zero (it would be ${after})`);
  const difference = after - before;
  return accept({
    order: next,
    events: [{
      type: 'order.modified',
      data: {
        difference, totalBefore: before, totalAfter: after,
        added: changed.value.added.map((l) => ({ lineId: l.id, sku: l.sku, quantity: l.quantity, unitPrice: l.unitPrice })),
        changed: [...changed.value.counts].map(([lineId, quantity]) => ({ lineId, quantity })),
        removed: [...changed.value.removed],
        surcharges: surcharges.slice(order.surcharges.length),
        ...(cmd.shippingAddress ? { shippingAddress: cmd.shippingAddress } : {}),
        ...(cmd.billingAddress ? { billingAddress: cmd.billingAddress } : {}),
        ...(cmd.note ? { note: cmd.note } : {}),
      },
    }],
    movements: changed.value.movements,
    difference,
  });
}
