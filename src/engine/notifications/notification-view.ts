/** A notification as the API shows it, and as an entry of the order's history. */
import type { NotificationRecord } from '../../store/notifications.js';
import type { HistoryEntryView } from '../order-view.js';

export interface NotificationView {
  readonly id: string;
  readonly message: string;
  readonly audience: 'customer' | 'staff';
  readonly recipient: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly status: NotificationRecord['status'];
  readonly attempts: number;
  readonly nextAttemptAt: string | null;
  readonly lastError: string | null;
  readonly sentAt: string | null;
  readonly createdAt: string;
  /** The event that called for it, or its own key (`order` for the once-per-order confirmation, `expiry:...`, `step:...`). */
  readonly eventId: string;
}

export const notificationView = (n: NotificationRecord): NotificationView => ({
  id: n.id, message: n.message, audience: n.audience, recipient: n.recipient, subject: n.subject, text: n.text, html: n.html,
  status: n.status, attempts: n.attempts, nextAttemptAt: n.status === 'pending' ? (n.nextAttemptAt?.toISOString() ?? null) : null,
  lastError: n.lastError, sentAt: n.sentAt?.toISOString() ?? null, createdAt: n.createdAt.toISOString(), eventId: n.eventId,
});

/** Sent and given-up messages as history entries, marked `notification.sent` / `notification.failed`. */
export function historyEntryOf(n: NotificationRecord): HistoryEntryView | undefined {
  if (n.status !== 'sent' && n.status !== 'failed') return undefined;
  return {
    id: n.id,
    type: n.status === 'sent' ? 'notification.sent' : 'notification.failed',
    track: null, from: null, to: null,
    actor: { kind: 'system', id: 'notifier' },
    reason: n.status === 'failed' ? n.lastError : null,
    cause: null,
    data: { notificationId: n.id, message: n.message, audience: n.audience, recipient: n.recipient, subject: n.subject, attempts: n.attempts },
    at: (n.sentAt ?? n.createdAt).toISOString(),
  };
}

/** The history with the messages woven in by time; on a tie the order's own entry comes first. */
export function weave(history: readonly HistoryEntryView[], messages: readonly HistoryEntryView[]): HistoryEntryView[] {
  const out: HistoryEntryView[] = [];
  let i = 0;
  for (const entry of history) {
    while (i < messages.length && messages[i]!.at < entry.at) out.push(messages[i++]!);
    out.push(entry);
  }
  return out.concat(messages.slice(i));
}
