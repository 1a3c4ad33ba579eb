/** The event as consumers read it: over webhooks, from GET /v1/events, and in notifications. */
import { formatOrderCode } from '../../domain/order.js';
import { STORE_STREAM, type StoredEvent } from '../../store/events.js';

export interface EventEnvelope {
  /** Unique, and the same on every delivery of this event (the `webhook-id`). */
  readonly id: string;
  readonly type: string;
  /** null for a store-wide event (a webhook switched off). */
  readonly orderId: string | null;
  readonly orderCode: string | null;
  /** The order's events are numbered 1, 2, 3…: no gap, no repeat. */
  readonly sequence: number;
  readonly occurredAt: string;
  readonly actor: { readonly kind: string; readonly id: string | null };
  /** The event's own detail, and (for an order's event) `order`: its statuses, totals and version after the change. */
  readonly data: Readonly<Record<string, unknown>>;
}

/** An event with its place in the stream: the cursor of GET /v1/events. */
export interface PlacedEvent extends EventEnvelope {
  readonly position: number;
}

export function toEnvelope(row: StoredEvent): PlacedEvent {
  return {
    id: row.id,
    type: row.type,
    orderId: row.order_id === STORE_STREAM ? null : row.order_id,
    orderCode: formatOrderCode(row.order_code),
    sequence: row.sequence,
    occurredAt: row.created_at.toISOString(),
    actor: row.payload.actor,
    data: row.payload.data,
    position: row.position,
  };
}

/** The envelope alone, as a webhook body (the position is this store's, not the event's). */
export function envelopeOnly({ position: _position, ...envelope }: PlacedEvent): EventEnvelope {
  return envelope;
}
