import type { OrderEvent } from './events.js';
import type { Order } from './order.js';

/** The outcome of a command: the order as it now is, and what happened, in order. */
export interface Decision {
  readonly order: Order;
  readonly events: readonly OrderEvent[];
}
