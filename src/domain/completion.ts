/**
 * Completion steps (Nexway's PENDING): deliver the digital goods, issue the invoice, send the
 * confirmation. The engine runs them outside any transaction and records what came of each;
 * this decides where that leaves the order. A failed delivery makes it partly completed, any
 * other failure an error to repair; repairs run only the steps that failed.
 */
import type { FulfillmentEvent } from './events.js';
import type { Order } from './order.js';
import { accept, reject, type Result } from './result.js';
import { COMPLETION_STEPS, type Completion, type CompletionStep } from './completion-state.js';

export { CANCELLATION_NOTICE, COMPLETION_STEPS, type CancellationNotice, type Completion, type CompletionStep, type FollowUpStep } from './completion-state.js';

export interface RecordCancellationNoticeCommand {
  readonly type: 'record_cancellation_notice';
  readonly result: 'done' | 'failed';
}

/** Records the notice's outcome; refused when none is due (a late or second answer must not undo the first). */
export function decideCancellationNotice(order: Order, cmd: RecordCancellationNoticeCommand): Result<{ order: Order; events: FulfillmentEvent[]; outcome: 'cancellation.notice_sent' | 'cancellation.failed' }> {
  if (order.cancellationNotice?.due !== true) return reject('notice_not_due', 'no cancellation notice is waiting for its outcome');
  const failures = order.cancellationNotice.failures + (cmd.result === 'failed' ? 1 : 0);
  return accept({
    order: { ...order, cancellationNotice: { due: false, sent: cmd.result === 'done', failures } },
    events: [{ type: 'order.cancellation_notice', data: { result: cmd.result, failures } }],
    outcome: cmd.result === 'done' ? 'cancellation.notice_sent' : 'cancellation.failed',
  });
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
