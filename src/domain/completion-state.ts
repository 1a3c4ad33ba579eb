/** What the order keeps of its completion steps and its cancellation notice. It names no order, so the order may name it. */
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

export interface Completion {
  readonly done: readonly CompletionStep[];
  /** How often each step failed, for the record and for a rehearsal that fails N times. */
  readonly failures: Readonly<Partial<Record<CompletionStep, number>>>;
}
