/**
 * The messages Ordo sends, and to whom. A message is named after what it tells; its templates
 * are files named after it (templates/<workflow>/<message>.txt.liquid and .html.liquid).
 */
export const CUSTOMER_MESSAGES = [
  'order_confirmation',
  'payment_link_sent',
  'payment_link_resent',
  'payment_link_expiring',
  'invoice_instructions',
  'onsite_instructions',
  'local_payment_instructions',
  'payment_received',
  'payment_failed',
  'payment_refused',
  'refund_issued',
  'order_cancelled',
  'order_aborted',
  'order_expired',
  'order_shipped',
  'order_delivered',
  'approval_decision',
  'fraud_review_outcome',
] as const;

export const STAFF_MESSAGES = ['backorder_notice', 'review_needed'] as const;

export const MESSAGES = [...CUSTOMER_MESSAGES, ...STAFF_MESSAGES] as const;
export type MessageName = (typeof MESSAGES)[number];

export const AUDIENCES = ['customer', 'staff'] as const;
export type Audience = (typeof AUDIENCES)[number];

export const audienceOf = (message: MessageName): Audience => ((STAFF_MESSAGES as readonly string[]).includes(message) ? 'staff' : 'customer');

/** A message an event calls for. `key` is what makes it one of a kind (the dedupe key's event part). */
export interface WantedMessage {
  readonly message: MessageName;
  readonly audience: Audience;
  /** The event's id, or a key of its own for messages sent once per order whatever the event. */
  readonly key: string;
}

/** The confirmation goes out once per order, however often the order re-enters the state that confirms it. */
export const ONCE_PER_ORDER = 'order';
