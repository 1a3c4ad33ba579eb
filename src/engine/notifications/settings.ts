/** The notifier and the staff address a deployment uses: createOrdo's options, else the environment. */
import type { Notifier } from './notifier.js';
import { storedNotifier } from './notifier.js';
import { smtpNotifier } from './smtp-notifier.js';

export interface NotificationSettings {
  /** A notifier of your own; default: SMTP when a URL is set, else stored only. */
  readonly notifier?: Notifier;
  /** ORDO_SMTP_URL: smtp://user:pass@host:587 or smtps://...:465. */
  readonly smtpUrl?: string;
  /** ORDO_MAIL_FROM: the From of every message (default ordo@localhost). */
  readonly mailFrom?: string;
  /** ORDO_STAFF_EMAIL: where the store admin's messages go (backorders, orders needing review). */
  readonly staffEmail?: string;
  /** Seconds between a failed message's attempts (default: the webhooks' schedule, about three days). */
  readonly notificationRetrySchedule?: readonly number[];
}

export function notificationSettings(options: NotificationSettings, env: NodeJS.ProcessEnv = process.env): { notifier: Notifier; staffEmail?: string; retrySchedule?: readonly number[] } {
  const smtpUrl = options.smtpUrl ?? (env.ORDO_SMTP_URL || undefined);
  const staffEmail = options.staffEmail ?? (env.ORDO_STAFF_EMAIL || undefined);
  const notifier = options.notifier ?? (smtpUrl ? smtpNotifier({ url: smtpUrl, from: options.mailFrom ?? (env.ORDO_MAIL_FROM || 'ordo@localhost') }) : storedNotifier);
  return { notifier, ...(staffEmail ? { staffEmail } : {}), ...(options.notificationRetrySchedule ? { retrySchedule: options.notificationRetrySchedule } : {}) };
}
