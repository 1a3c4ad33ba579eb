/** How this deployment delivers webhooks: from createOrdo's options, else the environment. */
import { DEFAULT_RETRY_SCHEDULE, parseRetrySchedule, type RetrySchedule } from '../../domain/webhooks/retry-schedule.js';

export interface WebhookOptions {
  /** Targets may resolve to loopback and private addresses (default: ORDO_ALLOW_PRIVATE_WEBHOOKS=1): for tests and local development only. */
  readonly allowPrivateTargets?: boolean;
  /** Delays before each attempt (default: ORDO_WEBHOOK_RETRIES, else `0s,5s,5m,30m,2h,5h,10h,14h,20h,24h`). */
  readonly retrySchedule?: RetrySchedule | string;
  /** Deliveries sent at once per process (default 32). */
  readonly concurrency?: number;
  /** An attempt's limit, from the connection to the answer's excerpt (default 10 s). */
  readonly attemptTimeoutMs?: number;
  /** How long a claim holds a delivery before another relay may retry it (default 60 s, well past the attempt's limit). */
  readonly leaseSeconds?: number;
  /** The jitter's draw, in [0, 1) (default Math.random): tests pin it. */
  readonly random?: () => number;
}

export interface WebhookSettings {
  readonly allowPrivateTargets: boolean;
  readonly retrySchedule: RetrySchedule;
  readonly concurrency: number;
  readonly attemptTimeoutMs: number;
  readonly leaseSeconds: number;
  readonly random: () => number;
}

export function webhookSettings(options: WebhookOptions = {}, env: NodeJS.ProcessEnv = process.env): WebhookSettings {
  const scheduleText = typeof options.retrySchedule === 'string' ? options.retrySchedule : env.ORDO_WEBHOOK_RETRIES || DEFAULT_RETRY_SCHEDULE;
  const schedule = Array.isArray(options.retrySchedule) ? options.retrySchedule : parseRetrySchedule(scheduleText);
  if (!schedule) throw new Error(`ORDO_WEBHOOK_RETRIES must be comma-separated durations like '0s,5s,5m,2h', not '${scheduleText}'`);
  const timeout = options.attemptTimeoutMs ?? 10_000;
  const lease = options.leaseSeconds ?? 60;
  if (lease * 1000 < timeout * 2) throw new Error('the webhook lease must be at least twice the attempt timeout, so that two attempts of one delivery never overlap');
  return {
    allowPrivateTargets: options.allowPrivateTargets ?? ['1', 'true'].includes(env.ORDO_ALLOW_PRIVATE_WEBHOOKS ?? ''),
    retrySchedule: schedule,
    concurrency: options.concurrency ?? 32,
    attemptTimeoutMs: timeout,
    leaseSeconds: lease,
    random: options.random ?? Math.random,
  };
}
