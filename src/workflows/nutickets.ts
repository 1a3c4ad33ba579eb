/**
 * nuTickets by Nu Web Group (seed 002): one track that follows the money. A basket holds
 * its tickets from the start; the customer pays at once, pays a deposit, or takes one of
 * the deferred routes (payment link, invoice, on-site, local method, approval first).
 *
 * A first sketch: statuses, actors, stock and timers. Payments, refunds and the
 * per-order expiry dates behind the events below come in a later issue.
 */
import type { TransitionDefinition, WorkflowDefinition } from '../domain/workflow/definition.js';

const customer = ['customer'] as const;
const admin = ['admin'] as const;
const gateway = ['gateway'] as const;
const system = ['system'] as const;

/** Payment method ids as `POST /v1/orders` `payment.method` carries them (inferred names). */
const METHOD = { card: 'card', link: 'payment_link', invoice: 'invoice', onSite: 'onsite', local: 'local' } as const;

const transitions: readonly TransitionDefinition[] = [
  // The basket. Its timer restarts when the basket changes and may be extended once ("more time").
  { from: ['active'], to: 'processing', actors: customer, description: 'the customer pays in full' },
  { from: ['processing'], to: 'complete', actors: gateway },
  { from: ['processing'], to: 'failed', actors: gateway },
  { from: ['processing'], to: 'unknown', actors: system, description: 'the gateway answer could not be read' },
  { from: ['unknown'], to: 'complete', actors: admin, description: 'the admin found the payment at the gateway' },
  { from: ['unknown'], to: 'expired', actors: admin, description: 'the admin found no payment at the gateway' },

  // Deferred payment.
  { from: ['active', 'awaiting_approval'], to: 'awaiting_payment_link', actors: admin },
  { from: ['awaiting_payment_link'], to: 'complete', actors: gateway },
  { from: ['active'], to: 'awaiting_invoice', actors: ['customer', 'admin'] },
  { from: ['awaiting_invoice'], to: 'complete', actors: admin, description: 'paid outside the platform; completed by hand' },
  { from: ['active'], to: 'awaiting_onsite_payment', actors: admin },
  { from: ['awaiting_onsite_payment'], to: 'complete', actors: admin, description: 'inferred: paid at the venue and recorded by the box office' },
  { from: ['active'], to: 'awaiting_local_payment', actors: customer },
  { from: ['awaiting_local_payment'], to: 'complete', actors: ['gateway', 'admin'] },
  // inferred: the page gives these three no way out but payment; an admin may give the tickets back.
  { from: ['awaiting_invoice', 'awaiting_onsite_payment', 'awaiting_local_payment'], to: 'expired', actors: admin, description: 'inferred: the admin gives up on the payment and releases the items' },

  // Approval before payment. The seed decides per item; the status is per order.
  { from: ['active'], to: 'awaiting_approval', actors: customer, description: 'some item needs approval before it can be paid for' },
  { from: ['awaiting_approval'], to: 'complete', actors: admin, description: 'approved guest-list items need no payment' },
  { from: ['awaiting_approval'], to: 'rejected', actors: admin },

  // Deposit, then balance.
  { from: ['active'], to: 'partially_paid', actors: customer, description: 'the customer pays the deposit' },
  { from: ['partially_paid'], to: 'complete', actors: customer, description: 'the customer pays the balance' },

  // After completion. The customer may cancel too, where the company allows it.
  { from: ['complete', 'partially_refunded'], to: 'cancelled', actors: admin },
  {
    from: ['complete', 'partially_refunded'], to: 'cancelled', actors: customer, guards: [{ kind: 'settingOn', setting: 'customerCancellation' }],
    description: 'where the company allows it; inferred: the tickets go back on sale and any refund stays the box office\'s decision',
  },
  { from: ['complete', 'partially_refunded'], to: 'refunded', actors: admin },
  { from: ['complete'], to: 'partially_refunded', actors: admin },
];

export const nutickets: WorkflowDefinition = {
  name: 'nutickets',
  version: 1,
  label: 'nuTickets',
  description: 'One payment-led track: tickets are held from the basket on, paid at once, by deposit or by a deferred route, and released when the hold runs out.',
  settings: {
    basketTimeout: '10m',
    paymentLinkExpiry: '72h',
    depositPercent: 25,
    depositMinimumTotal: 0,
    depositBalanceDeadline: '30d',
    customerCancellation: false,
  },
  settingNotes: {
    basketTimeout: "each company's basket timeout, 10 minutes unless it sets another",
    paymentLinkExpiry: 'how long a payment link lasts when it has no date of its own (72 hours)',
    depositPercent: 'the share of the total a deposit takes; inferred: 25 %, the page gives no default',
    depositMinimumTotal: 'the order total (minor units) from which deposits are offered; inferred: from any total',
    depositBalanceDeadline: "when the balance is due if the order sets no date before the event; inferred: 30 days",
    customerCancellation: 'whether customers may cancel their own completed orders: off unless the company allows it',
  },
  tracks: [
    {
      id: 'order',
      label: 'Order',
      initial: 'active',
      states: [
        { id: 'active', label: 'Active', kind: 'temporary', stock: 'reserve', basket: 'editable', description: 'In the basket: items held, no payment tried yet.' },
        { id: 'processing', label: 'Processing', kind: 'temporary', stock: 'reserve', placed: true, description: 'A payment attempt is waiting for the gateway.' },
        { id: 'complete', label: 'Complete', kind: 'permanent', stock: 'commit', placed: true, description: 'Paid in full (or approved free) and final.' },
        { id: 'partially_paid', label: 'Partially paid', kind: 'temporary', stock: 'reserve', placed: true, description: 'The deposit is in; the balance is due by the deadline.' },
        { id: 'awaiting_payment_link', label: 'Awaiting payment link', kind: 'temporary', stock: 'reserve', placed: true, basket: 'editableIfAllowed', description: 'A link was sent; if it lets the customer edit the basket, an edit restarts the expiry at the basket timeout.' },
        { id: 'awaiting_invoice', label: 'Awaiting invoice', kind: 'temporary', stock: 'reserve', placed: true },
        { id: 'awaiting_onsite_payment', label: 'Awaiting on-site payment', kind: 'temporary', stock: 'reserve', placed: true },
        { id: 'awaiting_local_payment', label: 'Awaiting local payment', kind: 'temporary', stock: 'reserve', placed: true, description: 'A local method such as a cash voucher; it never expires on its own.' },
        { id: 'awaiting_approval', label: 'Awaiting approval', kind: 'temporary', stock: 'reserve', placed: true, holdsGoods: true },
        { id: 'expired', label: 'Expired', kind: 'terminal', stock: 'release' },
        { id: 'failed', label: 'Failed', kind: 'terminal', stock: 'release' },
        { id: 'cancelled', label: 'Cancelled', kind: 'terminal', stock: 'release' },
        { id: 'rejected', label: 'Rejected', kind: 'terminal', stock: 'release' },
        { id: 'refunded', label: 'Refunded', kind: 'terminal', stock: 'release' },
        // A partial refund gives back only the refunded lines; a whole-order stock effect cannot say that.
        { id: 'partially_refunded', label: 'Partially refunded', kind: 'permanent', stock: 'none', description: 'Part of the money was returned; the rest of the order stays valid.' },
        { id: 'unknown', label: 'Unknown', kind: 'temporary', stock: 'reserve', description: 'The payment outcome is unclear; items stay held until an admin checks the gateway.' },
      ],
      transitions,
      reactions: [
        // Items that need approval: the basket waits for the admin's review, item by item.
        { on: 'order.created', from: ['active'], to: 'awaiting_approval', guards: [{ kind: 'needsApproval' }], description: 'some item needs approval; its items are held, payment waits' },
        { on: 'approval.payment_due', from: ['awaiting_approval'], to: 'awaiting_payment_link', description: 'a payment link is issued for the approved items' },
        { on: 'approval.free', from: ['awaiting_approval'], to: 'complete', description: 'guest-list items need no payment' },
        { on: 'approval.rejected', from: ['awaiting_approval'], to: 'rejected', description: 'every item was rejected; the items are released' },
        { on: 'order.cancelled', from: ['active', 'complete', 'partially_paid', 'partially_refunded', 'awaiting_payment_link', 'awaiting_invoice', 'awaiting_onsite_payment', 'awaiting_local_payment', 'awaiting_approval'], to: 'cancelled', description: 'every item cancelled' },
        // The payment method chosen at checkout picks the route. Reactions cannot see who created
        // the order, so a storefront order asking for an admin-only route (link, on-site) goes there too.
        { on: 'order.created', from: ['active'], to: 'processing', guards: [{ kind: 'paymentMethodIn', methods: [METHOD.card] }], description: 'inferred: an order created with a card payment is already being paid' },
        { on: 'order.created', from: ['active'], to: 'awaiting_payment_link', guards: [{ kind: 'paymentMethodIn', methods: [METHOD.link] }] },
        { on: 'order.created', from: ['active'], to: 'awaiting_invoice', guards: [{ kind: 'paymentMethodIn', methods: [METHOD.invoice] }] },
        { on: 'order.created', from: ['active'], to: 'awaiting_onsite_payment', guards: [{ kind: 'paymentMethodIn', methods: [METHOD.onSite] }] },
        { on: 'order.created', from: ['active'], to: 'awaiting_local_payment', guards: [{ kind: 'paymentMethodIn', methods: [METHOD.local] }] },

        // A payment added to a basket sends it down that method's route, as at creation.
        { on: 'payment.pending', from: ['active'], to: 'processing', guards: [{ kind: 'paymentMethodIn', methods: [METHOD.card] }] },
        { on: 'payment.pending', from: ['active'], to: 'awaiting_payment_link', guards: [{ kind: 'paymentMethodIn', methods: [METHOD.link] }] },
        { on: 'payment.pending', from: ['active'], to: 'awaiting_invoice', guards: [{ kind: 'paymentMethodIn', methods: [METHOD.invoice] }] },
        { on: 'payment.pending', from: ['active'], to: 'awaiting_onsite_payment', guards: [{ kind: 'paymentMethodIn', methods: [METHOD.onSite] }] },
        { on: 'payment.pending', from: ['active'], to: 'awaiting_local_payment', guards: [{ kind: 'paymentMethodIn', methods: [METHOD.local] }] },
        { on: 'payment.settled', from: ['processing', 'awaiting_payment_link', 'awaiting_local_payment', 'awaiting_invoice', 'awaiting_onsite_payment', 'unknown'], to: 'complete' },
        { on: 'payment.settled', from: ['partially_paid'], to: 'complete', guards: [{ kind: 'balanceCovered' }], description: 'the balance after the deposit' },
        // inferred: a deposit normally goes through the gateway, so it may land from processing as well.
        { on: 'payment.partially_paid', from: ['active', 'processing'], to: 'partially_paid', description: 'the deposit is in' },
        { on: 'payment.declined', from: ['processing'], to: 'failed' },
        { on: 'payment.failed', from: ['processing'], to: 'failed' },
        { on: 'payment.unknown', from: ['processing'], to: 'unknown' },
        // The admin checked the gateway and found no payment: the order expires and its items go back.
        { on: 'payment.failed', from: ['unknown'], to: 'expired' },
        { on: 'payment.declined', from: ['unknown'], to: 'expired' },
        { on: 'payment.refunded', from: ['complete', 'partially_refunded'], to: 'refunded' },
        { on: 'payment.partially_refunded', from: ['complete'], to: 'partially_refunded' },
        { on: 'payment.refunded', from: ['partially_paid'], to: 'refunded', description: 'inferred: the deposit was given back in full, so the tickets go back on sale rather than wait for the deadline' },

        { on: 'timer.basket_expired', from: ['active'], to: 'expired' },
        { on: 'timer.payment_link_expired', from: ['awaiting_payment_link'], to: 'expired' },
        // On-site reservations expire only when the admin set a date for that order. No timer
        // below can carry a per-order date, so the engine must schedule this event itself.
        { on: 'timer.onsite_expired', from: ['awaiting_onsite_payment'], to: 'expired', description: 'only when this reservation was given an expiry date' },
        // inferred path: the deposit is kept (no refund), the items go back.
        { on: 'timer.deposit_deadline', from: ['partially_paid'], to: 'cancelled', description: 'balance unpaid by the deadline; the deposit is kept' },
      ],
      timers: [
        { name: 'basket', state: 'active', after: 'basketTimeout', fire: 'timer.basket_expired', extendable: true, restartOnBasketChange: 'basketTimeout', description: 'restarts whenever the basket changes; the customer may ask for more time once' },
        { name: 'payment-link', state: 'awaiting_payment_link', at: 'payment', after: 'paymentLinkExpiry', fire: 'timer.payment_link_expired', restartOnBasketChange: 'basketTimeout', description: "the link's own expiry date, else the default; an edit through an editable link restarts it at the basket timeout" },
        { name: 'onsite', state: 'awaiting_onsite_payment', at: 'payment', fire: 'timer.onsite_expired', description: 'only when the reservation was given an expiry date' },
        { name: 'deposit-deadline', state: 'partially_paid', at: 'deposit', fire: 'timer.deposit_deadline', description: 'the balance deadline the deposit set' },
      ],
    },
  ],
};
