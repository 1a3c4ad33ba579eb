/**
 * Fulfillments: parcels that take some quantity of some lines, each with its own states.
 * The order's fulfillment status follows from them, as a fact the workflows react to.
 */
import type { Order } from '../order.js';
import type { FulfillmentState } from './parcel.js';

export { FULFILLMENT_STATES, FULFILLMENT_TRANSITIONS, type Fulfillment, type FulfillmentLine, type FulfillmentState } from './parcel.js';

/** How far the goods have gone, least first. */
export const FULFILLMENT_FACTS = ['unfulfilled', 'partially_shipped', 'shipped', 'partially_delivered', 'delivered'] as const;
export type FulfillmentFact = (typeof FULFILLMENT_FACTS)[number];

/** Units of a line in fulfillments that are not cancelled. */
export const fulfilledOf = (order: Pick<Order, 'fulfillments'>, lineId: string, states: readonly FulfillmentState[] = ['pending', 'shipped', 'delivered']) =>
  order.fulfillments.filter((f) => states.includes(f.state)).flatMap((f) => f.lines).filter((l) => l.lineId === lineId).reduce((n, l) => n + l.quantity, 0);

/** How far the goods have gone, counted in units against what the order (still) wants. */
export function fulfillmentFact(order: Pick<Order, 'fulfillments' | 'lines'>): FulfillmentFact {
  const wanted = order.lines.reduce((n, l) => n + l.quantity, 0);
  const shipped = order.lines.reduce((n, l) => n + fulfilledOf(order, l.id, ['shipped', 'delivered']), 0);
  const delivered = order.lines.reduce((n, l) => n + fulfilledOf(order, l.id, ['delivered']), 0);
  if (wanted > 0 && delivered >= wanted) return 'delivered';
  if (delivered > 0) return 'partially_delivered';
  if (wanted > 0 && shipped >= wanted) return 'shipped';
  if (shipped > 0) return 'partially_shipped';
  return 'unfulfilled';
}
