/**
 * Turns a decision's events into the history and outbox rows written with it: one of each per
 * event. An outbox row's payload is the event as consumers read it (docs/events.md): who acted,
 * and data that needs no other call: the event's own detail and the order as this save left it.
 */
import { systemActor, type Actor } from '../domain/actor.js';
import { totalsOf } from '../domain/totals.js';
import { publicType } from '../domain/event-types.js';
import type { OrderEvent } from '../domain/events.js';
import type { Order } from '../domain/order.js';
import type { HistoryRow, OutboxRow } from '../store/orders.js';
import type { IdGenerator } from './ids.js';

export function recordsFor(order: Order, events: readonly OrderEvent[], actor: Actor, now: Date, newId: IdGenerator) {
  const history: HistoryRow[] = [];
  const outbox: OutboxRow[] = [];
  let summary: OrderSummary | undefined;
  for (const e of events) {
    const by = e.type === 'order.status_changed' && e.bySystem ? systemActor : actor;
    const { bySystem: _internal, ...event } = e as OrderEvent & { bySystem?: boolean };
    // Each row written out in full: spreading a shared part into an object literal that then
    // adds its own fields is several times slower in V8 (about 10 µs an event).
    const actorKind = by.kind;
    const actorId = by.id ?? null;
    if (event.type === 'order.status_changed') {
      history.push({ actor_kind: actorKind, actor_id: actorId, at: now, id: newId(), type: event.type, track: event.track, from_state: event.from, to_state: event.to, reason: event.reason ?? null, cause: event.cause ?? null, data: {} });
    } else {
      history.push({ actor_kind: actorKind, actor_id: actorId, at: now, id: newId(), type: event.type, track: null, from_state: null, to_state: null, reason: null, cause: null, data: event.data });
    }
    const { type: _type, ...rest } = event;
    const detail = 'data' in rest ? rest.data : rest;
    outbox.push({
      id: newId(),
      seq: outbox.length + 1,
      type: publicType(e),
      payload: { actor: { kind: actorKind, id: actorId }, data: { ...detail, order: (summary ??= summaryOf(order)) } },
      created_at: now,
    });
  }
  return { history, outbox };
}

/** The order as every event carries it: enough to act on without reading the order. */
export interface OrderSummary {
  readonly workflow: string;
  readonly version: number;
  readonly status: Order['status'];
  readonly totals: ReturnType<typeof totalsOf>;
}

const summaryOf = (order: Order): OrderSummary => ({ workflow: order.workflow, version: order.version, status: order.status, totals: totalsOf(order) });
