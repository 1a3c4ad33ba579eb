import { fulfillmentFact } from '../fulfillments/fulfillment.js';
import { totalsOf } from '../totals.js';
import type { Order } from '../order.js';
import type { Guard, SettingValue, WorkflowDefinition } from './definition.js';

/** What a guard may look at besides the order: the facts of the event being handled. */
export interface GuardFacts {
  readonly draft?: boolean;
  readonly paymentMethod?: string;
  /** The workflow's settings as the merchant set them. */
  readonly settings?: Readonly<Record<string, SettingValue>>;
}

/** Returns null when the guard holds, else why not, in words a merchant can read. */
export function failedGuard(guard: Guard, order: Order, facts: GuardFacts): string | null {
  switch (guard.kind) {
    case 'hasLines':
      return order.lines.length > 0 ? null : 'the order has no lines';
    case 'hasCustomer':
      return order.customer.id || order.customer.email ? null : 'the order has no customer';
    case 'hasShippingAddress':
      return order.shipping?.address ? null : 'the order has no shipping address';
    case 'heldCovers': {
      const held = order.payments.reduce((n, p) => n + (p.state === 'authorized' ? p.authorized - p.captured : 0), 0);
      return totalsOf(order).balance - held <= 0 ? null : 'payments held and settled do not cover the order total';
    }
    case 'hasShipping':
      return order.shipping ? null : 'the order has no shipping';
    case 'balanceCovered':
      return totalsOf(order).balance <= 0 ? null : 'payments do not cover the order total';
    case 'nothingPaid':
      return order.paid === 0 ? null : 'money has already been paid on the order';
    case 'isDraft':
      return facts.draft ? null : 'the order is not a draft';
    case 'goodsAre':
      return guard.progress.includes(fulfillmentFact(order)) ? null : `the goods are ${fulfillmentFact(order).replace('_', ' ')}`;
    case 'needsApproval':
      return order.lines.some((l) => l.approval?.state === 'pending') ? null : 'no item waits for approval';
    case 'flaggedForReview':
      return order.screening?.flagged && !order.screening.accepted ? null : 'screening did not flag the order, or a reviewer accepted it';
    case 'nothingLeft':
      return order.lines.every((l) => l.quantity === 0) ? null : 'some lines are still wanted';
    case 'not':
      return failedGuard(guard.guard, order, facts) === null ? `not (${describeGuard(guard.guard)})` : null;
    case 'settingOn':
      return facts.settings?.[guard.setting] === true ? null : `the merchant has not turned on '${guard.setting}'`;
    case 'paymentMethodIn':
      return facts.paymentMethod !== undefined && guard.methods.includes(facts.paymentMethod)
        ? null
        : `the payment method is not one of ${guard.methods.join(', ')}`;
    case 'statusIn':
      return guard.states.includes(order.status[guard.track] ?? '')
        ? null
        : `${guard.track} is not ${guard.states.join(' or ')}`;
    case 'statusNotIn':
      return guard.states.includes(order.status[guard.track] ?? '')
        ? `${guard.track} is ${order.status[guard.track]}`
        : null;
    default:
      return guard satisfies never;
  }
}

export function describeGuard(guard: Guard): string {
  switch (guard.kind) {
    case 'not':
      return `not ${describeGuard(guard.guard)}`;
    case 'goodsAre':
      return `goods ${guard.progress.join('|')}`;
    case 'settingOn':
      return `setting ${guard.setting} on`;
    case 'paymentMethodIn':
      return `payment method in ${guard.methods.join('|')}`;
    case 'statusIn':
      return `${guard.track} in ${guard.states.join('|')}`;
    case 'statusNotIn':
      return `${guard.track} not in ${guard.states.join('|')}`;
    default:
      return guard.kind;
  }
}

/** Whether any reaction or transition of the workflow depends on the fraud screening's verdict (an order is then screened as it is placed). */
export const usesScreening = (wf: WorkflowDefinition): boolean => {
  const uses = (g: Guard): boolean => g.kind === 'flaggedForReview' || (g.kind === 'not' && uses(g.guard));
  return wf.tracks.some((t) => [...t.transitions, ...(t.reactions ?? [])].some((x) => (x.guards ?? []).some(uses)));
};
