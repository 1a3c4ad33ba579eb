/**
 * What one delivery attempt leads to: delivered (any 2xx), tried again later (by the schedule,
 * or when a 429 or 503 says when), given up (the schedule ran out), or gone (410: the endpoint
 * asks for no more, so the subscription is switched off).
 */
import { parseRetryAfter, retryDelay, type RetrySchedule } from './retry-schedule.js';

export interface AttemptAnswer {
  /** The HTTP status, or null when no answer came (refused target, timeout, connection lost). */
  readonly status: number | null;
  /** The Retry-After header, if any. */
  readonly retryAfter?: string;
}

export type AttemptVerdict =
  | { readonly kind: 'delivered' }
  | { readonly kind: 'retry'; readonly at: Date }
  | { readonly kind: 'failed' }
  | { readonly kind: 'gone' };

/**
 * `attemptsMade` counts this attempt. `random` in [0, 1) draws the jitter. A Retry-After is
 * followed as asked (up to a day) in place of the schedule's delay, but still counts as an attempt,
 * so an endpoint that keeps saying "later" ends like any other failing one.
 */
export function judgeAttempt(answer: AttemptAnswer, attemptsMade: number, schedule: RetrySchedule, now: Date, random: number): AttemptVerdict {
  const { status } = answer;
  if (status !== null && status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 410) return { kind: 'gone' };
  const scheduled = retryDelay(schedule, attemptsMade, random);
  if (scheduled === undefined) return { kind: 'failed' };
  const asked = status === 429 || status === 503 ? parseRetryAfter(answer.retryAfter, now) : undefined;
  return { kind: 'retry', at: new Date(now.getTime() + (asked ?? scheduled) * 1000) };
}

/** A subscription whose deliveries have failed, with no success, for this long is switched off. */
export const FAILING_DAYS_BEFORE_DISABLE = 5;

/** Whether a subscription failing since `failingSince` (null: it is not failing) has failed long enough to switch off. */
export function failedTooLong(failingSince: Date | null, now: Date): boolean {
  return failingSince !== null && now.getTime() - failingSince.getTime() >= FAILING_DAYS_BEFORE_DISABLE * 86_400_000;
}
