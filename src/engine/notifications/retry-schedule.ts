/**
 * When a message that failed to send is tried again: the webhooks' schedule, about three days
 * in all. The first attempt is at once; after the last one the message is `failed`.
 */
export const RETRY_SCHEDULE_SECONDS: readonly number[] = [5, 300, 1800, 7200, 18_000, 36_000, 50_400, 72_000, 86_400];

/**
 * The wait after `attempts` failed attempts, with up to a tenth more at random so that a burst
 * of failures (a mail server down) does not retry all at once; undefined when none is left.
 */
export function retryDelayMs(attempts: number, schedule: readonly number[] = RETRY_SCHEDULE_SECONDS, random: () => number = Math.random): number | undefined {
  const base = schedule[attempts - 1];
  return base === undefined ? undefined : Math.round(base * 1000 * (1 + random() / 10));
}
