/**
 * Ordo's own workflow: three independent tracks (the order itself, its money, its goods),
 * so that "paid but not shipped" or "shipped but partially refunded" are plain facts
 * rather than extra states. Payment and fulfillment facts drive the tracks through
 * reactions; people move them by hand only where a merchant needs to.
 */
import type { WorkflowDefinition } from '../domain/workflow/definition.js';

const staff = ['admin'] as const;
const automatic = ['gateway', 'system'] as const;

export const standard: WorkflowDefinition = {
  name: 'standard',
  version: 1,
  label: 'Ordo standard',
  description: 'Order, payment and fulfillment as three tracks; stock held from placement, committed on payment.',
  settings: {
    basketTimeout: '10m',
    paymentTimeout: '72h',
    paymentLinkExpiry: '72h',
    depositPercent: 25,
    depositMinimumTotal: 10000,
    depositBalanceDeadline: '30d',
    reviewTimeout: '6d',
    approvalTimeout: '7d',
  },
  settingNotes: {
    basketTimeout: 'an idle cart is cancelled after this; it restarts on every change and may be extended once',
    paymentTimeout: 'a placed order nobody pays is cancelled after this, its stock released (unless the payment has a deadline of its own)',
    paymentLinkExpiry: 'how long a payment link lasts when it has no date of its own',
    depositPercent: 'the share of the total a deposit takes',
    depositMinimumTotal: 'the order total (minor units) from which deposits are offered',
    depositBalanceDeadline: 'when the balance is due if the deposit sets no date; unpaid by then, the order is cancelled and the deposit kept',
    reviewTimeout: 'a review nobody finishes cancels the order after this (Nexway waits 6 days)',
    approvalTimeout: 'items nobody approves or rejects in this time: the order is cancelled and its stock released',
  },
  tracks: [
    {
      id: 'order',
      label: 'Order',
      initial: 'draft',
      states: [
        { id: 'draft', label: 'Draft', kind: 'temporary', stock: 'none', basket: 'editable', description: 'A cart being built; nothing is held.' },
        { id: 'awaiting_approval', label: 'Awaiting approval', kind: 'temporary', stock: 'reserve', placed: true, holdsGoods: true, description: 'Some item needs an admin\'s approval (nuTickets): its stock is held, payment waits, nothing ships.' },
        { id: 'in_review', label: 'In review', kind: 'temporary', stock: 'reserve', placed: true, holdsGoods: true, reviews: true, description: 'Fraud screening flagged it, or an admin held it (Nexway): stock held, nothing ships until accepted.' },
        { id: 'placed', label: 'Placed', kind: 'temporary', stock: 'reserve', placed: true, description: 'Checked out; its stock is held.' },
        { id: 'completed', label: 'Completed', kind: 'terminal', stock: 'none', description: 'Paid and delivered.' },
        { id: 'cancelled', label: 'Cancelled', kind: 'terminal', stock: 'release', description: 'Called off; held stock is released.' },
      ],
      transitions: [
        { from: ['draft'], to: 'placed', actors: ['customer', 'admin'], guards: [{ kind: 'hasLines' }, { kind: 'not', guard: { kind: 'needsApproval' } }] },
        { from: ['draft'], to: 'awaiting_approval', actors: ['customer', 'admin'], guards: [{ kind: 'hasLines' }, { kind: 'needsApproval' }], description: 'a cart with items that need approval is checked out into the review of those items' },
        { from: ['draft'], to: 'cancelled', actors: ['customer', 'admin', 'system'] },
        { from: ['placed'], to: 'in_review', actors: staff, description: 'an admin holds the order for a review by hand' },
        { from: ['in_review'], to: 'placed', actors: staff, description: 'accepted' },
        { from: ['placed', 'awaiting_approval', 'in_review'], to: 'cancelled', actors: ['admin', 'system'] },
        { from: ['placed', 'awaiting_approval'], to: 'cancelled', actors: ['customer'], guards: [{ kind: 'nothingPaid' }, { kind: 'statusIn', track: 'payment', states: ['unpaid', 'failed'] }], description: 'a customer may call off an order nothing has been paid on' },
        { from: ['placed'], to: 'completed', actors: ['admin', 'system'], guards: [{ kind: 'statusIn', track: 'payment', states: ['paid', 'partially_refunded'] }] },
      ],
      reactions: [
        // Checked out at creation: items needing approval wait for it, a flagged order for its review, the rest is placed.
        { on: 'order.created', from: ['draft'], to: 'awaiting_approval', guards: [{ kind: 'not', guard: { kind: 'isDraft' } }, { kind: 'hasLines' }, { kind: 'needsApproval' }] },
        { on: 'order.created', from: ['draft'], to: 'in_review', guards: [{ kind: 'not', guard: { kind: 'isDraft' } }, { kind: 'hasLines' }, { kind: 'flaggedForReview' }] },
        { on: 'order.created', from: ['draft'], to: 'placed', guards: [{ kind: 'not', guard: { kind: 'isDraft' } }, { kind: 'hasLines' }], description: 'an order created with lines is checked out at once' },
        { on: 'approval.payment_due', from: ['awaiting_approval'], to: 'placed', description: 'approved: the customer pays for what was approved' },
        { on: 'approval.free', from: ['awaiting_approval'], to: 'placed', description: 'approved and nothing to pay: placed, and paid at once' },
        { on: 'approval.rejected', from: ['awaiting_approval'], to: 'cancelled', description: 'every item rejected; the stock is released' },
        { on: 'timer.review_expired', from: ['in_review'], to: 'cancelled', description: 'nobody finished the review: called off rather than stuck' },
        { on: 'timer.approval_expired', from: ['awaiting_approval'], to: 'cancelled', description: 'nobody decided on the items: called off rather than stuck' },
        // However it got to placed (a cart checked out later, an approval), a flagged order is reviewed first; screening runs again at checkout.
        { on: 'entered:order.placed', from: ['placed'], to: 'in_review', guards: [{ kind: 'flaggedForReview' }], description: 'screened at checkout, flagged, not yet accepted' },
        { on: 'timer.basket_expired', from: ['draft'], to: 'cancelled', description: 'an abandoned cart lets go of everything' },
        { on: 'order.cancelled', from: ['draft', 'awaiting_approval', 'in_review', 'placed'], to: 'cancelled', description: 'every line cancelled' },
        { on: 'timer.deposit_deadline', from: ['placed'], to: 'cancelled', description: 'the balance after a deposit was not paid in time: called off, the deposit kept, the stock released' },
        { on: 'timer.payment_timeout', from: ['placed'], to: 'cancelled', guards: [{ kind: 'statusIn', track: 'payment', states: ['unpaid', 'failed', 'voided'] }], description: 'nobody paid: the order is called off and its stock released, never left stuck' },
        { on: 'entered:payment.paid', from: ['placed'], to: 'completed', guards: [{ kind: 'statusIn', track: 'fulfillment', states: ['delivered'] }] },
        // Delivered and paid for, less whatever was given back since: the sale is over.
        { on: 'entered:fulfillment.delivered', from: ['placed'], to: 'completed', guards: [{ kind: 'statusIn', track: 'payment', states: ['paid', 'partially_refunded', 'refunded'] }] },
        { on: 'payment.refunded', from: ['placed', 'in_review', 'awaiting_approval'], to: 'cancelled', guards: [{ kind: 'goodsAre', progress: ['unfulfilled'] }], description: 'all the money given back before anything shipped: called off, its stock back on the shelf, never left waiting' },
      ],
      timers: [
        { name: 'basket', state: 'draft', after: 'basketTimeout', fire: 'timer.basket_expired', extendable: true, restartOnBasketChange: 'basketTimeout' },
        { name: 'payment-deadline', state: 'placed', at: 'payment', after: 'paymentTimeout', fire: 'timer.payment_timeout', description: "the order's own payment deadline, else the default" },
        { name: 'review', state: 'in_review', after: 'reviewTimeout', fire: 'timer.review_expired' },
        { name: 'approval', state: 'awaiting_approval', after: 'approvalTimeout', fire: 'timer.approval_expired' },
      ],
    },
    {
      id: 'payment',
      label: 'Payment',
      initial: 'unpaid',
      states: [
        { id: 'unpaid', label: 'Unpaid', kind: 'permanent' },
        { id: 'authorized', label: 'Authorized', kind: 'temporary', description: 'Funds held by the gateway, not yet captured.' },
        { id: 'partially_paid', label: 'Partially paid', kind: 'temporary' },
        { id: 'paid', label: 'Paid', kind: 'permanent', stock: 'commit' },
        { id: 'partially_refunded', label: 'Partially refunded', kind: 'permanent' },
        { id: 'refunded', label: 'Refunded', kind: 'terminal' },
        { id: 'voided', label: 'Voided', kind: 'permanent', description: 'The authorization was released; no money moved. The customer may still pay another way.' },
        { id: 'failed', label: 'Failed', kind: 'permanent', stock: 'release', description: 'Declined or failed; the customer may pay again.' },
        { id: 'unknown', label: 'Unknown', kind: 'temporary', description: 'The gateway answer was unclear; stock stays held until an admin resolves it.' },
      ],
      transitions: [
        { from: ['unpaid', 'failed', 'unknown', 'voided'], to: 'authorized', actors: automatic },
        { from: ['unpaid', 'failed', 'unknown', 'authorized', 'voided', 'paid'], to: 'partially_paid', actors: automatic },
        { from: ['unpaid', 'failed', 'unknown', 'authorized', 'partially_paid', 'voided'], to: 'paid', actors: automatic },
        { from: ['unpaid', 'authorized', 'partially_paid', 'unknown'], to: 'failed', actors: automatic },
        { from: ['unpaid', 'failed'], to: 'unknown', actors: automatic },
        { from: ['authorized'], to: 'voided', actors: [...staff, ...automatic] },
        { from: ['paid', 'partially_refunded'], to: 'partially_refunded', actors: automatic },
        { from: ['paid', 'partially_paid', 'partially_refunded'], to: 'refunded', actors: automatic },
        { from: ['unpaid', 'partially_paid', 'unknown'], to: 'paid', actors: staff, description: 'an admin records money received outside the gateway, or resolves an unknown answer' },
        { from: ['unknown'], to: 'failed', actors: staff, description: 'an admin resolves an unknown answer as failed' },
      ],
      // The payments' facts move this track; the transitions above are for by-hand corrections.
      reactions: [
        { on: 'payment.settled', from: ['unpaid', 'authorized', 'partially_paid', 'failed', 'unknown', 'voided'], to: 'paid' },
        { on: 'entered:order.placed', from: ['unpaid'], to: 'paid', guards: [{ kind: 'balanceCovered' }], description: 'nothing to pay (a free order): paid as it is placed, never cancelled for want of payment' },
        { on: 'payment.authorized', from: ['unpaid', 'failed', 'unknown', 'voided'], to: 'authorized' },
        { on: 'payment.partially_paid', from: ['unpaid', 'authorized', 'failed', 'unknown', 'voided', 'paid'], to: 'partially_paid', description: 'also when a change after checkout leaves more to pay' },
        { on: 'payment.declined', from: ['unpaid', 'unknown', 'authorized'], to: 'failed' },
        { on: 'payment.failed', from: ['unpaid', 'unknown', 'authorized'], to: 'failed' },
        { on: 'payment.unknown', from: ['unpaid', 'failed'], to: 'unknown', description: 'stock stays held until an admin resolves it' },
        { on: 'payment.voided', from: ['authorized'], to: 'voided' },
        { on: 'payment.partially_refunded', from: ['paid', 'partially_refunded'], to: 'partially_refunded' },
        { on: 'payment.refunded', from: ['paid', 'partially_paid', 'partially_refunded'], to: 'refunded' },
      ],
      timers: [
        { name: 'deposit-deadline', state: 'partially_paid', at: 'deposit', fire: 'timer.deposit_deadline', description: 'only when a deposit set a balance deadline' },
      ],
    },
    {
      id: 'fulfillment',
      label: 'Fulfillment',
      initial: 'unfulfilled',
      states: [
        { id: 'unfulfilled', label: 'Unfulfilled', kind: 'permanent' },
        { id: 'partially_shipped', label: 'Partially shipped', kind: 'temporary' },
        { id: 'shipped', label: 'Shipped', kind: 'temporary' },
        { id: 'partially_delivered', label: 'Partially delivered', kind: 'temporary' },
        { id: 'delivered', label: 'Delivered', kind: 'permanent' },
        { id: 'returned', label: 'Returned', kind: 'terminal' },
      ],
      transitions: [
        { from: ['unfulfilled'], to: 'partially_shipped', actors: [...staff, 'system'] },
        { from: ['partially_shipped', 'shipped', 'partially_delivered', 'delivered'], to: 'unfulfilled', actors: ['system'], description: 'every parcel was cancelled' },
        { from: ['unfulfilled', 'partially_shipped'], to: 'shipped', actors: [...staff, 'system'] },
        { from: ['partially_shipped', 'shipped'], to: 'partially_delivered', actors: [...staff, 'system'] },
        { from: ['shipped', 'partially_delivered'], to: 'delivered', actors: [...staff, 'system'] },
        { from: ['shipped', 'partially_delivered', 'delivered'], to: 'returned', actors: [...staff, 'system'] },
      ],
      // The fulfillments' progress moves this track; a cancelled parcel can move it back.
      reactions: [
        { on: 'fulfillment.unfulfilled', from: ['partially_shipped', 'shipped', 'partially_delivered', 'delivered'], to: 'unfulfilled' },
        { on: 'fulfillment.partially_shipped', from: ['unfulfilled', 'shipped', 'partially_delivered', 'delivered'], to: 'partially_shipped' },
        { on: 'fulfillment.shipped', from: ['unfulfilled', 'partially_shipped', 'partially_delivered', 'delivered'], to: 'shipped' },
        { on: 'fulfillment.partially_delivered', from: ['unfulfilled', 'partially_shipped', 'shipped', 'delivered'], to: 'partially_delivered' },
        { on: 'fulfillment.delivered', from: ['unfulfilled', 'partially_shipped', 'shipped', 'partially_delivered'], to: 'delivered' },
        { on: 'return.completed', from: ['shipped', 'partially_delivered', 'delivered'], to: 'returned', description: 'every unit sent has come back' },
      ],
    },
  ],
};
