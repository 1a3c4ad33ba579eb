/**
 * When an order gets its human number. Most workflows number every order when it is created.
 * X-Cart numbers an order once it is finished: not while a fresh online order still waits for
 * the gateway's first answer, nor while it is Not finished (that answer was a failure), unless
 * an admin changes one of its statuses. The number itself comes from the store's sequence.
 */
import type { Actor } from './actor.js';
import type { OrderEvent } from './events.js';
import type { Order } from './order.js';
import type { WorkflowDefinition } from './workflow/definition.js';
import { stateOf } from './workflow/interpret.js';

export function numberDue(wf: WorkflowDefinition, order: Order, actor: Actor, events: readonly OrderEvent[]): boolean {
  if (order.code !== null || order.removedAt !== undefined) return false;
  if (wf.numbering !== 'finished') return true;
  if (actor.kind === 'admin' && events.some((e) => e.type === 'order.status_changed')) return true;
  const unfinished = wf.tracks.some((t) => stateOf(t, order.status[t.id] ?? t.initial)?.unnumbered);
  const awaitingFirstAnswer = order.payments.length > 0 && order.payments.every((p) => p.state === 'pending' && p.gateway !== 'manual');
  return !unfinished && !awaitingFirstAnswer;
}
