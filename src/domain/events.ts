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
}

export type OrderEvent = OrderCreated | StatusChanged;
