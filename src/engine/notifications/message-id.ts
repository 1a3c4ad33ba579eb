/** The Message-ID of a notification: made from its dedupe key, so every attempt of one message carries the same one. */
import { createHash } from 'node:crypto';

export function messageIdOf(key: { orderId: string; eventId: string; message: string; recipient: string }): string {
  const digest = createHash('sha256').update([key.orderId, key.eventId, key.message, key.recipient.toLowerCase()].join('\n')).digest('hex').slice(0, 40);
  return `<${digest}.${key.message}@ordo.notifications>`;
}
