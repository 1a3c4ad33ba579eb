/**
 * Where the workflows differ in what they tell: which statuses confirm an order, and how an
 * order that ended is announced. A workflow not listed here confirms when it is placed and
 * names its endings by the usual status names.
 */
import type { WorkflowDefinition } from '../workflow/definition.js';

export type Ending = 'order_cancelled' | 'order_expired' | 'order_aborted';

export interface NotificationPlan {
  /** `track:state`s whose entry confirms the order; none: the confirmation is a completion step (Nexway). */
  readonly confirmsIn: 'placement' | readonly string[];
  /** `track:state` -> how reaching it is told to the customer. */
  readonly endings: Readonly<Record<string, Ending>>;
}

const PLANS: Readonly<Record<string, NotificationPlan>> = {
  standard: { confirmsIn: 'placement', endings: { 'order:cancelled': 'order_cancelled' } },
  // X-Cart's order is placed at checkout (Q); calling it off is C on the payment track.
  xcart: { confirmsIn: 'placement', endings: { 'payment:C': 'order_cancelled' } },
  // nuTickets confirms the tickets once the order is complete (paid, or approved free).
  nutickets: { confirmsIn: ['order:complete'], endings: { 'order:cancelled': 'order_cancelled', 'order:expired': 'order_expired' } },
  // Vendure's e-mail plugin confirms when the payment is arranged (authorized or settled).
  vendure: { confirmsIn: ['order:PaymentAuthorized', 'order:PaymentSettled'], endings: { 'order:Cancelled': 'order_cancelled' } },
  // Nexway: the confirmation and the cancellation notice are completion steps (completion-service);
  // only the unpaid order's end is told from the stream.
  nexway: { confirmsIn: [], endings: { 'order:ABORTED': 'order_aborted' } },
};

const USUAL_ENDINGS: Readonly<Record<string, Ending>> = { cancelled: 'order_cancelled', canceled: 'order_cancelled', expired: 'order_expired', aborted: 'order_aborted' };

export function planOf(wf: WorkflowDefinition): NotificationPlan {
  const plan = PLANS[wf.name];
  if (plan) return plan;
  const endings: Record<string, Ending> = {};
  for (const t of wf.tracks) for (const s of t.states) {
    const ending = USUAL_ENDINGS[s.id.toLowerCase()];
    if (ending) endings[`${t.id}:${s.id}`] = ending;
  }
  return { confirmsIn: 'placement', endings };
}
