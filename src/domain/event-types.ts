/**
 * The event types consumers see: stable dotted names. A few internal events are named after
 * what they did to their record (`payment.changed` to `settled`), so that a consumer can
 * subscribe to exactly that (`payment.settled`); the history keeps the internal name.
 */
import type { OrderEvent } from './events.js';
import { PAYMENT_STATES, REFUND_STATES } from './payments/payment.js';
import { FULFILLMENT_STATES } from './fulfillments/parcel.js';
import { RETURN_STATES } from './return-record.js';

/** Every public type, with what it means (docs/events.md and the OpenAPI document are made from this). */
export const EVENT_TYPES: Readonly<Record<string, string>> = {
  'order.created': 'An order was created (a draft or a checkout).',
  'order.status_changed': 'A track moved from one status to another: track, from, to, reason.',
  'order.basket_changed': 'Lines were added, changed or removed before checkout.',
  'order.modified': 'The order was changed after checkout; the price difference is in the data.',
  'order.lines_cancelled': 'Some lines or units were cancelled after checkout.',
  'order.numbered': 'The order got its human number after creation.',
  'order.money_kept': 'Money is held on an order that no longer costs it; staff decide what to give back.',
  'order.completion_steps': 'Completion steps (deliver, invoice, confirm) ran: each step\'s result.',
  'order.cancellation_notice': 'The cancellation notice was sent, or failed to send.',
  'order.items_reviewed': 'Staff decided on items awaiting approval.',
  'order.removed': 'An abandoned draft was removed.',
  'order.kept': 'An abandoned order was kept rather than removed (numbered, or money held).',
  'timer.fired': 'A timer came due and was handled.',
  'timer.extended': 'A timer was pushed back.',
  'stock.backordered': 'SKUs ran out while the order took them; they allow backorders.',
  'stock.short': 'Money arrived but the stock the next status needs is not there.',
  'payment.created': 'A payment was started.',
  ...Object.fromEntries(PAYMENT_STATES.map((s) => [`payment.${s}`, `A payment became ${s.replace('_', ' ')}.`])),
  'payment.operation_requested': 'A gateway call (capture, void, refund) was asked for.',
  'payment.operation_answered': 'A gateway answered a call.',
  'payment.event_ignored': 'A gateway callback changed nothing (a repeat, or older news).',
  'payment.event_refused': 'A gateway callback claimed more than the payment asked and was refused.',
  'payment.amount_mismatch': 'A gateway reported another amount than asked; the amount asked was recorded.',
  'payment_link.sent': 'A payment link was made and sent to the customer.',
  'payment_link.resent': 'A payment link was sent again.',
  'refund.created': 'A refund was asked for.',
  ...Object.fromEntries(REFUND_STATES.filter((s) => s !== 'pending').map((s) => [`refund.${s}`, `A refund ${s === 'settled' ? 'reached the customer' : 'failed at the gateway'}.`])),
  'refund.amount_mismatch': 'A gateway settled a refund for another amount than asked.',
  'fulfillment.created': 'A parcel was made from some of the order\'s lines.',
  ...Object.fromEntries(FULFILLMENT_STATES.filter((s) => s !== 'pending').map((s) => [`fulfillment.${s}`, `A parcel was ${s}.`])),
  'return.created': 'A return was opened.',
  ...Object.fromEntries(RETURN_STATES.filter((s) => s !== 'requested').map((s) => [`return.${s}`, `A return became ${s}.`])),
  'webhook.disabled': 'A webhook subscription was switched off (its endpoint answered 410, or failed for days). Not about an order.',
};

/** The public name of an internal event. */
export function publicType(event: OrderEvent): string {
  const data = 'data' in event ? (event.data as Record<string, unknown>) : {};
  switch (event.type) {
    case 'payment.changed':
    case 'refund.changed':
    case 'fulfillment.changed':
    case 'return.changed':
      return known(`${event.type.split('.')[0]}.${String(data.to)}`, event.type);
    case 'payment.created':
      return data.method === 'payment_link' ? 'payment_link.sent' : event.type;
    default:
      return event.type;
  }
}

const known = (type: string, otherwise: string) => (type in EVENT_TYPES ? type : otherwise);

/**
 * Whether `pattern` names known types: an exact type, `prefix.*`, or `*`. What a subscription
 * or a stream filter may say, so that a typo is refused rather than silently matching nothing.
 */
export function isKnownPattern(pattern: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) {
    const prefix = pattern.slice(0, -1);
    return Object.keys(EVENT_TYPES).some((t) => t.startsWith(prefix));
  }
  return pattern in EVENT_TYPES;
}

export function matchesPattern(type: string, pattern: string): boolean {
  return pattern === '*' || pattern === type || (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1)));
}
