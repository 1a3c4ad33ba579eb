/** What every sender of a message shares: the message as the notifier takes it, and one attempt at sending it. */
import type { NotificationRecord } from '../../store/notifications.js';
import { messageIdOf } from './message-id.js';
import type { OutgoingMessage } from './notifier.js';

/** The stored message as the notifier takes it, with the Message-ID its dedupe key gives. */
export const outgoing = (n: Pick<NotificationRecord, 'id' | 'orderId' | 'eventId' | 'message' | 'recipient' | 'subject' | 'text' | 'html'>): OutgoingMessage => ({
  id: n.id, orderId: n.orderId, message: n.message, to: n.recipient, subject: n.subject, text: n.text, html: n.html, messageId: messageIdOf(n),
});

/** Sends; what went wrong, or undefined when it went out. Only the send is caught: recording its outcome may throw (the lease then lapses). */
export async function attempt(send: () => Promise<void>): Promise<string | undefined> {
  try {
    await send();
    return undefined;
  } catch (err) {
    return (err instanceof Error ? err.message : String(err)) || 'send failed';
  }
}
