/**
 * Completion steps (Nexway's PENDING): deliver the digital goods, issue the invoice, send the
 * confirmation. The engine runs them outside any transaction and records what came of each;
 * this decides where that leaves the order. A failed delivery makes it partly completed, any
 * other failure an error to repair; repairs run only the steps that failed.
 */
import type { FulfillmentEvent } from './events.js';
import type { Order } from './order.js';
import { accept, reject, type Result } from './result.js';

export const COMPLETION_STEPS = ['fulfilment', 'invoice', 'confirmation'] as const;
export type CompletionStep = (typeof COMPLETION_STEPS)[number];

/** The follow-up of a cancellation (Nexway's e-mail): when it fails the order is CANCELED_WITH_ERROR. */
export const CANCELLATION_NOTICE = 'cancellation_notice';
/** Every step a completion handler may be asked to run. */
export type FollowUpStep = CompletionStep | typeof CANCELLATION_NOTICE;

/**
 * The cancellation notice: due from entering a state that announces it (unless it went out
 * before) until its outcome is recorded; whether it went out; how often it failed.
 */
export interface CancellationNotice {
  readonly due: boolean;
  readonly sent: boolean;
  readonly failures: number;
}

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
