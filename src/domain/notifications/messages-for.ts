/**
 * Which messages an event calls for. Pure: the event, and the order (as loaded after the
 * event) with its workflow, in; the messages out. The engine finds the recipients, renders
 * and queues them. What each message answers to is listed in templates/README.md.
 */
import type { Order } from '../order.js';
import type { StateDefinition, WorkflowDefinition } from '../workflow/definition.js';
import { stateOf, trackOf } from '../workflow/interpret.js';
import type { EventFacts } from './event-facts.js';
import { summaryOf } from './event-facts.js';
import { audienceOf, ONCE_PER_ORDER, type MessageName, type WantedMessage } from './messages.js';
import { planOf } from './plan.js';

/** Event types that may call for a message: the rest are passed over without loading their order. */
export const NOTIFYING_TYPES: ReadonlySet<string> = new Set([
  'order.created', 'order.status_changed', 'order.items_reviewed', 'order.money_kept',
  'payment_link.sent', 'payment_link.resent', 'payment.created', 'payment.settled', 'payment.declined', 'payment.failed', 'payment.unknown',
  'refund.settled', 'fulfillment.shipped', 'fulfillment.delivered', 'stock.backordered',
]);

const INSTRUCTIONS: Readonly<Record<string, MessageName>> = { invoice: 'invoice_instructions', onsite: 'onsite_instructions', local: 'local_payment_instructions' };

const want = (message: MessageName, key: string): WantedMessage => ({ message, audience: audienceOf(message), key });

export function messagesFor(event: EventFacts, order: Order, wf: WorkflowDefinition): WantedMessage[] {
  const d = event.data;
  const one = (message: MessageName) => [want(message, event.id)];
  switch (event.type) {
    case 'order.created':
      return d.draft !== true && confirmsAtPlacement(wf) && initiallyPlaced(wf, d.status) ? [want('order_confirmation', ONCE_PER_ORDER)] : [];
    case 'order.status_changed':
      return statusMessages(event, order, wf);
    case 'payment_link.sent':
      return one('payment_link_sent');
    case 'payment_link.resent':
      return one('payment_link_resent');
    case 'payment.created': {
      const message = INSTRUCTIONS[String(d.method)];
      return message ? one(message) : [];
    }
    case 'payment.settled':
      return paymentReceived(event, order, wf) ? one('payment_received') : [];
    case 'payment.declined':
      return one('payment_refused');
    case 'payment.failed':
      return one('payment_failed');
    case 'payment.unknown':
      return one('review_needed');
    case 'order.money_kept':
      return d.alert === true ? one('review_needed') : [];
    case 'refund.settled':
      return one('refund_issued');
    case 'fulfillment.shipped':
      return one('order_shipped');
    case 'fulfillment.delivered':
      return one('order_delivered');
    case 'order.items_reviewed':
      return one('approval_decision');
    case 'stock.backordered':
      return one('backorder_notice');
    default:
      return [];
  }
}

function statusMessages(event: EventFacts, order: Order, wf: WorkflowDefinition): WantedMessage[] {
  const { track, from, to, cause } = event.data as { track: string; from: string; to: string; cause?: string };
  const def = trackOf(wf, track);
  const before = def && stateOf(def, from);
  const after = def && stateOf(def, to);
  if (!after || from === to) return [];
  const plan = planOf(wf);
  const out: WantedMessage[] = [];
  const confirms = plan.confirmsIn === 'placement' ? confirmsAtPlacement(wf) && placedFree(after) : plan.confirmsIn.includes(`${track}:${to}`);
  if (confirms) out.push(want('order_confirmation', ONCE_PER_ORDER));
  const ending = plan.endings[`${track}:${to}`];
  // A basket that lapsed was never an order to the customer; a notice the workflow sends as a step is not sent twice.
  if (ending && order.placedAt !== null && !after.announcesCancellation) {
    out.push(want(ending === 'order_cancelled' && cause?.startsWith('timer.') ? 'order_expired' : ending, event.id));
  }
  if (before?.reviews && !after.reviews) out.push(want('fraud_review_outcome', event.id));
  if (after.holdsGoods && !before?.holdsGoods) out.push(want('review_needed', event.id));
  return out;
}

/** Whether the order's own workflow confirms at placement, rather than by a completion step. */
function confirmsAtPlacement(wf: WorkflowDefinition): boolean {
  return planOf(wf).confirmsIn === 'placement' && !wf.tracks.some((t) => t.states.some((s) => s.completes));
}

function initiallyPlaced(wf: WorkflowDefinition, status: unknown): boolean {
  const initial = (status ?? {}) as Record<string, string>;
  return wf.tracks.some((t) => placedFree(stateOf(t, initial[t.id] ?? t.initial)));
}

/** Placed and not held for a person's decision (a review, an approval): the order is confirmed once it is let through. */
const placedFree = (s: StateDefinition | undefined): boolean => s?.placed === true && !s.holdsGoods;

/**
 * Money that came later than the checkout: a deferred method settled (invoice, on-site, local,
 * a link, by hand). A card is paid at the checkout, which the confirmation tells; so is a
 * settlement that completes a workflow confirming on payment (nuTickets), or that starts Nexway's
 * completion steps, whose confirmation says it.
 */
function paymentReceived(event: EventFacts, order: Order, wf: WorkflowDefinition): boolean {
  const payment = order.payments.find((p) => p.id === event.data.paymentId);
  if (!payment || payment.method === 'card') return false;
  const status = summaryOf(event).status ?? order.status;
  const plan = planOf(wf);
  const confirming = (s: StateDefinition | undefined, key: string) => s?.completes === true || (plan.confirmsIn !== 'placement' && plan.confirmsIn.includes(key));
  return !wf.tracks.some((t) => confirming(stateOf(t, status[t.id] ?? t.initial), `${t.id}:${status[t.id]}`));
}
