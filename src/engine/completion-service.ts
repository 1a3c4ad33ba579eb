/**
 * Runs the completion steps of orders in a state that completes them (Nexway's PENDING), and
 * the cancellation notice of orders in a state that announces it (Nexway's CANCELED): after
 * the state is written, outside any transaction, then records what came of each step.
 * Repairs come back through the workflow's retry timers or an admin's hand; `recover` finds
 * orders a crash left waiting. Steps must be safe to run twice (a real handler keys its work by order).
 */
import type pg from 'pg';
import { systemActor } from '../domain/actor.js';
import { CANCELLATION_NOTICE, stepsToRun, type CompletionStep, type FollowUpStep } from '../domain/completion.js';
import type { Order } from '../domain/order.js';
import type { WorkflowDefinition } from '../domain/workflow/definition.js';
import { stateOf } from '../domain/workflow/interpret.js';
import { listOrders, ordersAwaitingNotice } from '../store/orders.js';
import { presets } from '../workflows/index.js';
import type { Clock } from './clock.js';
import type { OrderService } from './order-service.js';

/** One step for one order: deliver the goods, issue the invoice, send the confirmation, or the cancellation notice. */
export type CompletionHandler = (step: FollowUpStep, order: Order) => Promise<'done' | 'failed'>;

/**
 * The built-in handlers do nothing and succeed, unless the order asks them to fail, for a
 * rehearsal: metadata `simulateFailure` names a step, a list of steps, or `{ step: n }` to fail
 * that step its first n times.
 */
export const rehearsalHandler: CompletionHandler = async (step, order) => {
  const wanted = order.metadata.simulateFailure;
  if (wanted === step || (Array.isArray(wanted) && wanted.includes(step))) return 'failed';
  if (wanted && typeof wanted === 'object' && !Array.isArray(wanted)) {
    const times = (wanted as Record<string, unknown>)[step];
    const failed = step === CANCELLATION_NOTICE ? (order.cancellationNotice?.failures ?? 0) : (order.completion?.failures[step] ?? 0);
    if (typeof times === 'number' && failed < times) return 'failed';
  }
  return 'done';
};

/**
 * The default handlers: a rehearsal's failures first (as above); then the confirmation and the
 * cancellation notice are real messages, sent through the notifier, so a failure to send is
 * the step's failure (Nexway's PENDING_WITH_ERROR, CANCELED_WITH_ERROR). Delivery and the
 * invoice have nothing to reach outside Ordo and succeed.
 */
export function messagingHandler(send: (step: 'confirmation' | typeof CANCELLATION_NOTICE, order: Order) => Promise<'done' | 'failed'>): CompletionHandler {
  return async (step, order) => {
    if ((await rehearsalHandler(step, order)) === 'failed') return 'failed';
    return step === 'confirmation' || step === CANCELLATION_NOTICE ? send(step, order) : 'done';
  };
}

const completes = (wf: WorkflowDefinition, order: Order) => wf.tracks.some((t) => stateOf(t, order.status[t.id] ?? t.initial)?.completes);
const announces = (wf: WorkflowDefinition, order: Order) =>
  order.cancellationNotice?.due === true && wf.tracks.some((t) => stateOf(t, order.status[t.id] ?? t.initial)?.announcesCancellation);

export class CompletionService {
  constructor(private readonly deps: { pool: pg.Pool; clock: Clock; orders: OrderService; handler: CompletionHandler }) {}

  /** Called after every saved change: runs the steps if the order just came to a completing state, or the notice it owes. */
  async afterSave(order: Order, wf: WorkflowDefinition): Promise<boolean> {
    if (announces(wf, order)) {
      const result = await this.deps.handler(CANCELLATION_NOTICE, order).catch(() => 'failed' as const);
      await this.deps.orders.execute(order.id, { type: 'record_cancellation_notice', result }, systemActor);
      return true;
    }
    if (!completes(wf, order)) return false;
    const results: Partial<Record<CompletionStep, 'done' | 'failed'>> = {};
    for (const step of stepsToRun(order)) results[step] = await this.deps.handler(step, order).catch(() => 'failed' as const);
    await this.deps.orders.execute(order.id, { type: 'record_completion', results }, systemActor);
    return true;
  }

  /** Orders left in a completing state for `afterSeconds` (a crash after the state was written): run their steps now. */
  async recover(afterSeconds = 30, limit = 100): Promise<number> {
    const updatedBefore = new Date(this.deps.clock.now().getTime() - afterSeconds * 1000);
    let done = 0;
    for (const wf of presets.values()) {
      const tags = wf.tracks.flatMap((t) => t.states.filter((s) => s.completes).map((s) => `${t.id}:${s.id}`));
      if (tags.length === 0) continue;
      for (const order of await listOrders(this.deps.pool, { workflow: wf.name, statuses: tags, updatedBefore, limit })) {
        await this.afterSave(order, wf);
        done++;
      }
    }
    for (const order of await ordersAwaitingNotice(this.deps.pool, updatedBefore, limit)) {
      const wf = presets.get(order.workflow);
      if (wf && (await this.afterSave(order, wf))) done++;
    }
    return done;
  }
}
