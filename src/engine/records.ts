/** Turns a decision's events into the history and outbox rows written with it: one of each per event. */
import { systemActor, type Actor } from '../domain/actor.js';
import type { OrderEvent } from '../domain/events.js';
import type { Order } from '../domain/order.js';
import type { HistoryRow, OutboxRow } from '../store/orders.js';
import type { IdGenerator } from './ids.js';

export function recordsFor(order: Order, events: readonly OrderEvent[], actor: Actor, now: Date, newId: IdGenerator) {
  const history: HistoryRow[] = [];
  const outbox: OutboxRow[] = [];
  for (const e of events) {
    const by = e.type === 'order.status_changed' && e.bySystem ? systemActor : actor;
    const { bySystem: _internal, ...event } = e as OrderEvent & { bySystem?: boolean };
    const base = { actor_kind: by.kind, actor_id: by.id ?? null, at: now };
    if (event.type === 'order.status_changed') {
      history.push({ ...base, id: newId(), type: event.type, track: event.track, from_state: event.from, to_state: event.to, reason: event.reason ?? null, cause: event.cause ?? null, data: {} });
    } else {
      history.push({ ...base, id: newId(), type: event.type, track: null, from_state: null, to_state: null, reason: null, cause: null, data: event.data });
    }
    const { type, ...detail } = event;
    outbox.push({
      id: newId(),
      type,
      payload: { orderId: order.id, workflow: order.workflow, version: order.version, status: order.status, actor: { kind: by.kind, id: by.id ?? null }, ...detail },
      created_at: now,
    });
  }
  return { history, outbox };
}
