/**
 * Fulfillment commands. Creating a fulfillment takes units off what is left to fulfil and
 * commits their held stock (a held unit becomes a sold one); its state moves along its own
 * small machine; cancelling it makes its units fulfillable again.
 */
import type { FulfillmentEvent } from '../events.js';
import type { Order, OrderLine } from '../order.js';
import { accept, reject, type Result } from '../result.js';
import { committedOf, reservedOf, type StockMovement } from '../stock.js';
import { FULFILLMENT_TRANSITIONS, fulfilledOf, type Fulfillment, type FulfillmentLine, type FulfillmentState } from './fulfillment.js';

export interface CreateFulfillmentCommand {
  readonly type: 'create_fulfillment';
  readonly fulfillmentId: string;
  readonly lines: readonly FulfillmentLine[];
  readonly carrier?: string;
  readonly trackingNumber?: string;
  readonly trackingUrl?: string;
}

export interface FulfillmentTransitionCommand {
  readonly type: 'fulfillment_transition';
  readonly fulfillmentId: string;
  readonly to: FulfillmentState;
}

export type FulfillmentCommand = CreateFulfillmentCommand | FulfillmentTransitionCommand;

export interface GoodsDecision {
  readonly order: Order;
  readonly events: readonly FulfillmentEvent[];
  readonly movements: readonly StockMovement[];
}

export function decideFulfillment(order: Order, cmd: FulfillmentCommand, now: Date): Result<GoodsDecision> {
  switch (cmd.type) {
    case 'create_fulfillment':
      return create(order, cmd, now);
    case 'fulfillment_transition': {
      const f = order.fulfillments.find((x) => x.id === cmd.fulfillmentId);
      if (!f) return reject('fulfillment_not_found', `there is no fulfillment ${cmd.fulfillmentId} on this order`);
      if (!FULFILLMENT_TRANSITIONS[f.state].includes(cmd.to)) {
        return reject('transition_not_allowed', `a ${f.state} fulfillment cannot become ${cmd.to}`, { from: f.state, to: cmd.to, allowed: FULFILLMENT_TRANSITIONS[f.state] });
      }
      const next: Fulfillment = { ...f, state: cmd.to, updatedAt: now.toISOString() };
      const withNext = { ...order, fulfillments: order.fulfillments.map((x) => (x.id === f.id ? next : x)) };
      return accept({
        order: { ...withNext, lines: withNext.lines.map((l) => ({ ...l, fulfilled: Math.max(0, fulfilledOf(withNext, l.id) - (l.back ?? 0)) })) },
        events: [{ type: 'fulfillment.changed', data: { fulfillmentId: f.id, from: f.state, to: cmd.to } }],
        movements: [],
      });
    }
    default:
      return cmd satisfies never;
  }
}

function create(order: Order, cmd: CreateFulfillmentCommand, now: Date): Result<GoodsDecision> {
  if (cmd.lines.length === 0) return reject('validation_failed', 'a fulfillment takes at least one line');
  const asked = new Map<string, number>();
  for (const l of cmd.lines) asked.set(l.lineId, (asked.get(l.lineId) ?? 0) + l.quantity);
  for (const [lineId, quantity] of asked) {
    const line = order.lines.find((l) => l.id === lineId);
    if (!line) return reject('line_not_found', `the order has no line ${lineId}`, { lineIds: [lineId] });
    const left = line.quantity - fulfilledOf(order, lineId);
    if (quantity < 1 || quantity > left) return reject('fulfillment_exceeds_line', `line ${lineId} has ${left} unit(s) left to fulfil, not ${quantity}`, { lineId, left, requested: quantity });
  }
  const movements: StockMovement[] = [];
  const lines = order.lines.map((l): OrderLine => {
    const q = asked.get(l.id);
    if (!q) return l;
    // Units leaving in a parcel are sold: held units are committed, units never held are sold outright.
    const unsold = Math.max(0, q - Math.max(0, committedOf(l) - (l.fulfilled ?? 0)));
    const fromHeld = Math.min(unsold, reservedOf(l));
    if (fromHeld > 0) movements.push({ sku: l.sku, kind: 'commit', quantity: fromHeld, lineId: l.id });
    if (unsold - fromHeld > 0) movements.push({ sku: l.sku, kind: 'sale', quantity: unsold - fromHeld, lineId: l.id });
    return { ...l, reserved: reservedOf(l) - fromHeld, committed: committedOf(l) + unsold, fulfilled: (l.fulfilled ?? 0) + q };
  });
  const fulfillment: Fulfillment = {
    id: cmd.fulfillmentId,
    lines: [...asked].map(([lineId, quantity]) => ({ lineId, quantity })),
    carrier: cmd.carrier ?? null,
    trackingNumber: cmd.trackingNumber ?? null,
    trackingUrl: cmd.trackingUrl ?? null,
    state: 'pending',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  return accept({
    order: { ...order, lines, fulfillments: [...order.fulfillments, fulfillment] },
    events: [{ type: 'fulfillment.created', data: { fulfillmentId: fulfillment.id, lines: fulfillment.lines, carrier: fulfillment.carrier, trackingNumber: fulfillment.trackingNumber } }],
    movements,
  });
}
