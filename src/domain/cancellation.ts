/**
 * Cancelling after checkout: all of an order, or some units of some lines. Units not yet in
 * a parcel let go of their stock; units already sent go back on the shelf only if the
 * merchant says so. Totals follow; money is refunded only if the caller asks (the engine
 * does it in the same call, at the gateway, after this is written).
 */
import type { FulfillmentEvent } from './events.js';
import type { Order, OrderLine, Shipping } from './order.js';
import { accept, reject, type Result } from './result.js';
import { committedOf, reservedOf, type StockMovement } from './stock.js';

export interface CancelCommand {
  readonly type: 'cancel';
  /** Omitted: everything still wanted, shipping included. */
  readonly lines?: readonly { readonly lineId: string; readonly quantity: number }[];
  /** Omitted: dropped with the whole order, or with its last lines unless a parcel went out on it. */
  readonly cancelShipping?: boolean;
  readonly reason: string;
  /** Put units that already left back in stock (they came back, or never left the building). */
  readonly restock?: boolean;
}

export interface CancelDecision {
  readonly order: Order;
  readonly events: readonly FulfillmentEvent[];
  readonly movements: readonly StockMovement[];
  /** 'order.cancelled' when nothing is left, else 'order.partially_cancelled'. */
  readonly fact: 'order.cancelled' | 'order.partially_cancelled';
}

export function decideCancel(order: Order, cmd: CancelCommand): Result<CancelDecision> {
  const whole = cmd.lines === undefined;
  const asked = new Map<string, number>();
  for (const l of cmd.lines ?? order.lines.map((x) => ({ lineId: x.id, quantity: x.quantity }))) asked.set(l.lineId, (asked.get(l.lineId) ?? 0) + l.quantity);
  for (const [lineId, q] of asked) {
    const line = order.lines.find((l) => l.id === lineId);
    if (!line) return reject('line_not_found', `the order has no line ${lineId}`, { lineIds: [lineId] });
    if (q > line.quantity || (q < 1 && !whole)) return reject('cancellation_exceeds_line', `line ${lineId} has ${line.quantity} unit(s) left to cancel, not ${q}`, { lineId, left: line.quantity });
  }
  const shippingLeft = (cmd.cancelShipping ?? whole) && (order.shipping?.amount ?? 0) > 0;
  if ([...asked.values()].every((q) => q === 0) && !shippingLeft) return reject('nothing_to_cancel', 'there is nothing left to cancel');
  const movements: StockMovement[] = [];
  const lines = order.lines.map((l): OrderLine => {
    const q = asked.get(l.id) ?? 0;
    if (q === 0) return l;
    const fulfilled = l.fulfilled ?? 0;
    const unsent = Math.min(q, l.quantity - fulfilled);
    const sent = q - unsent;
    // Units not in a parcel: held ones are let go, sold ones go back on the shelf.
    const released = Math.min(unsent, reservedOf(l));
    const unsentSold = Math.min(unsent - released, Math.max(0, committedOf(l) - fulfilled));
    // Units that left: back in stock only if the merchant says they are.
    const restocked = cmd.restock ? Math.min(sent, fulfilled) : 0;
    if (released) movements.push({ sku: l.sku, kind: 'release', quantity: released, lineId: l.id });
    if (unsentSold + restocked) movements.push({ sku: l.sku, kind: 'restock', quantity: unsentSold + restocked, lineId: l.id });
    return {
      ...l,
      quantity: l.quantity - q,
      cancelled: (l.cancelled ?? 0) + q,
      reserved: reservedOf(l) - released,
      committed: committedOf(l) - unsentSold - restocked,
      // Sent units stay out unless they were put back; those count as back.
      fulfilled: fulfilled - restocked,
      back: (l.back ?? 0) + restocked,
    };
  });
  const nothingLeft = lines.every((l) => l.quantity === 0);
  // Nothing left to send: the shipping goes too, unless a parcel already went out on it. The caller may say otherwise.
  const shippedOut = order.fulfillments.some((f) => f.state === 'shipped' || f.state === 'delivered');
  const dropShipping = cmd.cancelShipping ?? (whole || (nothingLeft && !shippedOut));
  const shipping: Shipping | null = dropShipping && order.shipping ? { ...order.shipping, amount: 0 } : order.shipping;
  return accept({
    order: { ...order, lines, shipping },
    events: [{
      type: 'order.lines_cancelled',
      data: { reason: cmd.reason, lines: [...asked].filter(([, q]) => q > 0).map(([lineId, quantity]) => ({ lineId, quantity })), shippingCancelled: dropShipping ? (order.shipping?.amount ?? 0) : 0, restock: cmd.restock === true },
    }],
    movements,
    fact: nothingLeft ? 'order.cancelled' : 'order.partially_cancelled',
  });
}
