/**
 * Items that need approval before they can be paid for (nuTickets): an admin approves or
 * rejects each, with a reason. Rejected items are let go (their stock too). Once every such
 * item is decided, the order goes on: nothing left -> rejected; nothing to pay (guest-list
 * items are free) -> complete; else a payment link is issued for what was approved.
 */
import type { FulfillmentEvent } from './events.js';
import type { Order, OrderLine } from './order.js';
import { accept, reject, type Result } from './result.js';
import { committedOf, reservedOf, type StockMovement } from './stock.js';
import { totalsOf } from './totals.js';

export interface ItemDecision {
  readonly lineId: string;
  readonly approved: boolean;
  readonly reason: string;
}

export interface ReviewItemsCommand {
  readonly type: 'review_items';
  readonly decisions: readonly ItemDecision[];
}

export interface ReviewDecision {
  readonly order: Order;
  readonly events: readonly FulfillmentEvent[];
  readonly movements: readonly StockMovement[];
  /** Set once nothing waits for approval any more. */
  readonly outcome?: 'approval.rejected' | 'approval.free' | 'approval.payment_due';
}

export const awaitingApproval = (l: OrderLine) => l.approval?.state === 'pending';

export function decideReview(order: Order, cmd: ReviewItemsCommand): Result<ReviewDecision> {
  for (const d of cmd.decisions) {
    const line = order.lines.find((l) => l.id === d.lineId);
    if (!line) return reject('line_not_found', `the order has no line ${d.lineId}`, { lineIds: [d.lineId] });
    if (!line.approval || line.approval.state !== 'pending') return reject('line_not_awaiting_approval', `line ${d.lineId} is not waiting for approval`, { lineId: d.lineId });
  }
  const movements: StockMovement[] = [];
  const lines = order.lines.map((l): OrderLine => {
    const d = cmd.decisions.find((x) => x.lineId === l.id);
    if (!d) return l;
    if (d.approved) return { ...l, approval: { state: 'approved', reason: d.reason } };
    // Rejected: the item is let go, and what it held with it.
    if (reservedOf(l)) movements.push({ sku: l.sku, kind: 'release', quantity: reservedOf(l), lineId: l.id });
    if (committedOf(l)) movements.push({ sku: l.sku, kind: 'restock', quantity: committedOf(l), lineId: l.id });
    return { ...l, quantity: 0, cancelled: (l.cancelled ?? 0) + l.quantity, reserved: 0, committed: 0, approval: { state: 'rejected', reason: d.reason } };
  });
  const next: Order = { ...order, lines };
  const pending = lines.some(awaitingApproval);
  const outcome = pending ? undefined : lines.every((l) => l.quantity === 0) ? 'approval.rejected' : totalsOf(next).balance <= 0 ? 'approval.free' : 'approval.payment_due';
  return accept({
    order: next,
    events: [{ type: 'order.items_reviewed', data: { decisions: cmd.decisions, ...(outcome ? { outcome } : {}) } }],
    movements,
    ...(outcome ? { outcome } : {}),
  });
}
