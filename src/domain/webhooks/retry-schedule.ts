/**
 * When a delivery is tried: a schedule of delays, one per attempt (the first is usually 0:
 * at once). The delays are spread by a little jitter, so that the retries of everything that
 * failed during one outage do not all land on the endpoint in the same second.
 */
import { parseDuration } from '../duration.js';

/** About three and a half days from the first attempt to the last. */
export const DEFAULT_RETRY_SCHEDULE = '0s,5s,5m,30m,2h,5h,10h,14h,20h,24h';

/** Seconds to wait before each attempt; its length is how many attempts a delivery gets. */
export type RetrySchedule = readonly number[];

/** Each delay moves by up to this share either way. */
export const JITTER = 0.1;

/** The longest a Retry-After is followed: beyond it, the endpoint is asked again anyway. */
export const MAX_RETRY_AFTER_SECONDS = 86_400;

/** `0s,5s,5m,…` (a bare number is seconds); undefined when any part is not a duration, or the list is empty. */
export function parseRetrySchedule(text: string): RetrySchedule | undefined {
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  const delays = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : parseDuration(p)));
  if (delays.length === 0 || delays.some((d) => d === undefined)) return undefined;
  return delays as number[];
}

/**
 * Seconds to wait before the next attempt once `attemptsMade` attempts failed, or undefined when
 * the schedule has none left. `random` is in [0, 1): the jitter's draw.
 */
export function retryDelay(schedule: RetrySchedule, attemptsMade: number, random: number): number | undefined {
  const delay = schedule[attemptsMade];
  if (delay === undefined) return undefined;
  return delay * (1 - JITTER + 2 * JITTER * random);
}

/**
 * The seconds a Retry-After header asks for (a number of seconds or an HTTP date), capped at a
 * day; undefined when there is none or it cannot be read.
 */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  let seconds: number;
  if (/^\d+$/.test(text)) seconds = Number(text);
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    seconds = Math.max(0, (at - now.getTime()) / 1000);
  }
  return Math.min(seconds, MAX_RETRY_AFTER_SECONDS);
}
