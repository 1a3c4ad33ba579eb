/**
 * The webhook deliveries that placed events call for, as a part of the placing statement
 * (store/events.ts), so that queuing them costs no round trip of its own: one pending delivery
 * per event per enabled subscription with a matching pattern. The patterns match as
 * matchesPattern (domain/event-types.ts) says: `*`, the exact type, or `prefix.*`. The delivery
 * id is derived from the pair, so a repeat inserts nothing.
 *
 * `placed` names a relation of outbox rows (id, order_id, type, created_at, sequence, position);
 * `now` is the parameter that gives the time.
 */
export const queueDeliveries = (placed: string, now: string): string =>
  `INSERT INTO webhook_deliveries (order_id, id, subscription_id, event_id, event_type, event_at, sequence, position, next_attempt_at, created_at, updated_at)
      SELECT e.order_id, md5(s.id::text || e.id::text)::uuid, s.id, e.id, e.type, e.created_at, e.sequence, e.position, ${now}, ${now}, ${now}
      FROM ${placed} e
      JOIN webhook_subscriptions s ON s.enabled AND EXISTS (
        SELECT 1 FROM unnest(s.events) p WHERE p = '*' OR p = e.type OR (p LIKE '%.*' AND starts_with(e.type, left(p, -1))))
      ON CONFLICT (order_id, id) DO NOTHING
      RETURNING order_id`;
