import type { OrderEvent } from './events.js';
import type { Order } from './order.js';
import type { StockMovement } from './stock.js';

/** The outcome of a command: the order as it now is, and what happened, in order. */
export interface Decision {
  readonly order: Order;
  readonly events: readonly OrderEvent[];
  /** Stock the engine must move, in the same transaction, if the levels allow it. */
  readonly movements: readonly StockMovement[];
}
