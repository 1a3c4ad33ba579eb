/**
 * What a decision says happened. Each event becomes exactly one history row and one
 * outbox row, written in the same transaction as the new order state.
 */
export interface OrderCreated {
  readonly type: 'order.created';
  readonly data: Readonly<Record<string, unknown>>;
}

export interface StatusChanged {
  readonly type: 'order.status_changed';
  readonly track: string;
  readonly from: string;
  readonly to: string;
  readonly reason?: string;
  /** The event that made a reaction take this step, when it was not asked for directly. */
  readonly cause?: string;
  /** Taken by Ordo itself rather than by whoever sent the command (X-Cart's NB: the stock check found the item gone). */
  readonly bySystem?: boolean;
}

/** A timer came due and its event was handled (whether or not a reaction moved a status). */
export interface TimerFired {
  readonly type: 'timer.fired';
  readonly data: { readonly name: string; readonly event: string; readonly dueAt: string };
}

export interface TimerExtended {
  readonly type: 'timer.extended';
  readonly data: { readonly name: string; readonly dueAt: string };
}

/** Money was recorded but the status change it called for needs stock that is not there. */
export interface StockShort {
  readonly type: 'stock.short';
  readonly data: Readonly<Record<string, unknown>>;
}

/** Some SKUs ran out while the order took them; they allow backorders, so the order went ahead. */
export interface StockBackordered {
  readonly type: 'stock.backordered';
  readonly data: { readonly skus: readonly string[] };
}

export interface BasketChanged {
  readonly type: 'order.basket_changed';
  readonly data: { readonly added: readonly string[]; readonly changed: readonly string[]; readonly removed: readonly string[] };
}

/** What happened to the order's money: payments, gateway answers and callbacks, refunds, links. */
export interface MoneyEvent {
  readonly type:
    | 'payment.created'
    | 'payment.changed'
    | 'payment.operation_requested'
    | 'payment.event_ignored'
    | 'payment.event_refused'
    | 'payment.operation_answered'
    | 'payment.amount_mismatch'
    | 'order.money_kept'
    | 'refund.amount_mismatch'
    | 'payment_link.resent'
    | 'refund.created'
    | 'refund.changed';
  readonly data: Readonly<Record<string, unknown>>;
}

/** What happened to the order's goods: parcels, cancellations, returns, changes after checkout. */
export interface FulfillmentEvent {
  readonly type: 'fulfillment.created' | 'fulfillment.changed' | 'order.lines_cancelled' | 'return.created' | 'return.changed' | 'order.modified' | 'order.completion_steps' | 'order.cancellation_notice' | 'order.removed' | 'order.kept' | 'order.numbered' | 'order.items_reviewed';
  readonly data: Readonly<Record<string, unknown>>;
}

export type OrderEvent = OrderCreated | StatusChanged | TimerFired | TimerExtended | StockBackordered | StockShort | BasketChanged | MoneyEvent | FulfillmentEvent;
