/**
 * Completion steps (Nexway's PENDING): deliver the digital goods, issue the invoice, send the
 * confirmation. The engine runs them outside any transaction and records what came of each;
 * this decides where that leaves the order. A failed delivery makes it partly completed, any
 * other failure an error to repair; repairs run only the steps that failed.
 */
import type { FulfillmentEvent } from './events.js';
import type { Order } from './order.js';

export const COMPLETION_STEPS = ['fulfilment', 'invoice', 'confirmation'] as const;
export type CompletionStep = (typeof COMPLETION_STEPS)[number];

export interface Completion {
  readonly done: readonly CompletionStep[];
  /** How often each step failed, for the record and for a rehearsal that fails N times. */
  readonly failures: Readonly<Partial<Record<CompletionStep, number>>>;
}

export interface RecordCompletionCommand {
  readonly type: 'record_completion';
  readonly results: Readonly<Partial<Record<CompletionStep, 'done' | 'failed'>>>;
}

export const stepsToRun = (order: Order): CompletionStep[] => COMPLETION_STEPS.filter((s) => !order.completion?.done.includes(s));

export function decideCompletion(order: Order, cmd: RecordCompletionCommand): { order: Order; events: FulfillmentEvent[]; outcome: 'completion.succeeded' | 'completion.partial' | 'completion.failed' } {
  const before: Completion = order.completion ?? { done: [], failures: {} };
  const done = [...new Set([...before.done, ...COMPLETION_STEPS.filter((s) => cmd.results[s] === 'done')])];
  const failed = COMPLETION_STEPS.filter((s) => cmd.results[s] === 'failed');
  const failures = { ...before.failures };
  for (const s of failed) failures[s] = (failures[s] ?? 0) + 1;
  const outcome = done.length === COMPLETION_STEPS.length ? 'completion.succeeded' : failed.includes('fulfilment') || !done.includes('fulfilment') ? 'completion.partial' : 'completion.failed';
  return {
    order: { ...order, completion: { done, failures } },
    events: [{ type: 'order.completion_steps', data: { results: cmd.results, done, outcome } }],
    outcome,
  };
}
