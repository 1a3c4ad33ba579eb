/**
 * The notifier port: how a message leaves Ordo. `send` resolves once the message is handed on
 * and throws when it could not be (the message is then retried, or the completion step that
 * sent it fails). It is always called outside any database transaction.
 */
export interface OutgoingMessage {
  /** The notification's id in Ordo. */
  readonly id: string;
  readonly orderId: string;
  readonly message: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /**
   * Made from the dedupe key (order, event, message, recipient): the same on every attempt, so
   * a message sent again after a crash is recognisable as the same message.
   */
  readonly messageId: string;
}

export interface Notifier {
  readonly name: string;
  send(message: OutgoingMessage): Promise<void>;
  /**
   * Nothing leaves: a message is sent once it is stored. The placing that queues a message then
   * stores it sent, with no claim and no send after it.
   */
  readonly storesOnly?: boolean;
}

/**
 * The default: nothing leaves. The notifications table already holds the message, and marking
 * it sent is what this notifier does; GET /v1/orders/{id}/notifications and the order's history
 * show what would have gone out.
 */
export const storedNotifier: Notifier = {
  name: 'stored',
  send: async () => {},
  storesOnly: true,
};
