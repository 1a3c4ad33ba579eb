/**
 * Nexway Monetize (seed 003): one track for a digital sale. Nexway marks each status as
 * temporary or permanent; those marks are kept as the kinds here. A permanent status is
 * where an order may rest, not necessarily where it ends: a refused payment can be retried
 * and a completed order can still be withdrawn from.
 *
 * A first sketch. The seed names no actors and says nothing about stock: both are inferred
 * (completion steps and screening run as the system, reviews and cancellations as an admin,
 * stock held until completion). The completion steps and payments behind the events come
 * in a later issue.
 */
import type { TransitionDefinition, WorkflowDefinition } from '../domain/workflow/definition.js';

const admin = ['admin'] as const;
const gateway = ['gateway'] as const;
const system = ['system'] as const;

const transitions: readonly TransitionDefinition[] = [
  // Payment.
  { from: ['CREATED', 'PAYMENT_REFUSED'], to: 'PAYMENT_PENDING', actors: ['customer', 'gateway'], description: 'an asynchronous payment was started (again, after a refusal)' },
  { from: ['CREATED', 'PAYMENT_PENDING', 'PAYMENT_REFUSED'], to: 'PENDING', actors: gateway, description: 'the payment was confirmed' },
  { from: ['CREATED', 'PAYMENT_PENDING'], to: 'PAYMENT_REFUSED', actors: gateway },
  { from: ['CREATED', 'PAYMENT_PENDING'], to: 'FRAUD_PENDING', actors: system, description: 'automated screening flagged the order' },
  { from: ['CREATED', 'PAYMENT_PENDING', 'PENDING'], to: 'FRAUD_PENDING', actors: admin, description: 'an admin puts the order in review by hand' },

  // Fraud review, by Nexway staff during office hours.
  { from: ['FRAUD_PENDING'], to: 'PENDING', actors: admin, description: 'accepted: fulfil it' },
  { from: ['FRAUD_PENDING'], to: 'CANCELED', actors: admin, description: 'rejected' },

  // Completion steps: fulfilment, invoice, confirmation e-mail, subscription activation.
  { from: ['PENDING', 'PARTIAL_COMPLETED', 'PARTIAL_CANCELED'], to: 'COMPLETED', actors: system },
  { from: ['PENDING'], to: 'PENDING_WITH_ERROR', actors: system, description: 'a step other than fulfilment failed' },
  { from: ['PENDING'], to: 'PARTIAL_COMPLETED', actors: system, description: 'a fulfilment failed' },
  { from: ['PENDING_WITH_ERROR', 'PARTIAL_COMPLETED'], to: 'PENDING', actors: ['system', 'admin'], description: 'repair: run the failed steps again' },

  // Cancellation. Every cancellation but a rejected fraud review is processed through
  // CANCEL_PENDING (inferred). A completed order may still be withdrawn from; whether the
  // withdrawal period is still open is not a guard the language has.
  { from: ['CREATED', 'PAYMENT_PENDING', 'PENDING', 'PENDING_WITH_ERROR', 'PARTIAL_COMPLETED', 'PARTIAL_CANCELED'], to: 'CANCEL_PENDING', actors: ['admin', 'system'] },
  { from: ['COMPLETED'], to: 'CANCEL_PENDING', actors: ['admin', 'customer'], description: 'right of withdrawal' },
  { from: ['CANCEL_PENDING'], to: 'CANCELED', actors: system },
  { from: ['CANCELED'], to: 'CANCELED_WITH_ERROR', actors: system, description: 'cancelled, but the cancellation e-mail failed' },
  { from: ['CANCELED_WITH_ERROR'], to: 'CANCELED', actors: admin, description: 'repair: send the cancellation e-mail again' },
  { from: ['CANCEL_PENDING'], to: 'PARTIAL_CANCELED', actors: system, description: 'only part of the order was cancelled and refunded' },
];

export const nexway: WorkflowDefinition = {
  name: 'nexway',
  version: 1,
  label: 'Nexway Monetize',
  description: 'One track for a digital sale: payment, fraud review, completion steps with automatic repair, and cancellation with refund.',
  settings: {
    paymentTimeout: '7d',
    fraudReviewTimeout: '6d',
    repairRetry: '5m',
    refundOnCancel: true,
    repairRetryMax: '6h',
  },
  settingNotes: {
    paymentTimeout: 'how long an asynchronous payment may stay unpaid before the order is ABORTED; inferred: 7 days, Nexway does not publish its own',
    fraudReviewTimeout: 'how long a review waits for the shopper to authenticate before the order is cancelled (6 days, as Nexway says)',
    repairRetry: 'the first wait before a failed completion step is tried again; inferred: 5 minutes',
    refundOnCancel: 'cancelled orders are refunded, without being asked',
    repairRetryMax: 'retries back off, doubling up to this; inferred: Nexway publishes no schedule',
  },
  tracks: [
    {
      id: 'order',
      label: 'Order',
      initial: 'CREATED',
      states: [
        { id: 'CREATED', label: 'Created', kind: 'temporary', stock: 'reserve', placed: true, description: 'Checked out; a subscription pre-billing order waits here for its first charge.' },
        { id: 'PAYMENT_PENDING', label: 'Payment pending', kind: 'temporary', stock: 'reserve', description: 'An asynchronous method (PayPal, transfer, SEPA...) is still to confirm.' },
        { id: 'PAYMENT_REFUSED', label: 'Payment refused', kind: 'permanent', stock: 'release', description: 'The payment was not approved; a new attempt may still complete the order.' },
        { id: 'FRAUD_PENDING', label: 'Fraud pending', kind: 'temporary', stock: 'reserve', holdsGoods: true, reviews: true, description: 'Flagged by screening; awaiting review or shopper authentication.' },
        { id: 'PENDING', label: 'Pending', kind: 'temporary', stock: 'reserve', completes: true, description: 'Paid; the completion steps are running.' },
        { id: 'PENDING_WITH_ERROR', label: 'Pending with error', kind: 'temporary', stock: 'reserve', description: 'A completion step failed; it is retried automatically.' },
        { id: 'PARTIAL_COMPLETED', label: 'Partially completed', kind: 'temporary', stock: 'reserve', description: 'Some fulfilment failed; repairable, or cancelled and reimbursed.' },
        { id: 'COMPLETED', label: 'Completed', kind: 'permanent', stock: 'commit', description: 'Every completion step succeeded.' },
        { id: 'CANCEL_PENDING', label: 'Cancel pending', kind: 'temporary', stock: 'none', cancels: true, description: 'A cancellation is being processed.' },
        { id: 'ABORTED', label: 'Aborted', kind: 'permanent', stock: 'release', releasesHolds: true, description: 'The asynchronous payment did not arrive in time.' },
        { id: 'CANCELED', label: 'Canceled', kind: 'permanent', stock: 'release', announcesCancellation: true, releasesHolds: true, description: 'Cancelled with a reason and refunded; the shopper is sent the cancellation e-mail.' },
        { id: 'CANCELED_WITH_ERROR', label: 'Canceled with error', kind: 'permanent', stock: 'release', releasesHolds: true, description: 'Cancelled and refunded, but the cancellation e-mail failed; an admin may send it again.' },
        // Part cancelled: only those lines go back, which a whole-order stock effect cannot say.
        { id: 'PARTIAL_CANCELED', label: 'Partially canceled', kind: 'temporary', stock: 'none', description: 'Part of the order was cancelled and refunded.' },
      ],
      transitions,
      reactions: [
        // A cancellation goes through CANCEL_PENDING, as the page describes, within one command.
        { on: 'order.cancelled', from: ['CREATED', 'PAYMENT_PENDING', 'PENDING', 'PENDING_WITH_ERROR', 'PARTIAL_COMPLETED', 'PARTIAL_CANCELED', 'COMPLETED'], to: 'CANCEL_PENDING' },
        { on: 'cancellation.processed', from: ['CANCEL_PENDING'], to: 'CANCELED', guards: [{ kind: 'nothingLeft' }] },
        { on: 'order.partially_cancelled', from: ['CREATED', 'PAYMENT_PENDING', 'PENDING', 'PENDING_WITH_ERROR', 'PARTIAL_COMPLETED', 'COMPLETED'], to: 'CANCEL_PENDING' },
        { on: 'cancellation.processed', from: ['CANCEL_PENDING'], to: 'PARTIAL_CANCELED', guards: [{ kind: 'not', guard: { kind: 'nothingLeft' } }] },
        { on: 'payment.pending', from: ['CREATED', 'PAYMENT_REFUSED'], to: 'PAYMENT_PENDING' },
        // Screening's verdict decides where a paid order goes: review, or straight to completion.
        { on: 'payment.settled', from: ['CREATED', 'PAYMENT_PENDING', 'PAYMENT_REFUSED'], to: 'FRAUD_PENDING', guards: [{ kind: 'flaggedForReview' }] },
        { on: 'payment.settled', from: ['CREATED', 'PAYMENT_PENDING', 'PAYMENT_REFUSED'], to: 'PENDING', guards: [{ kind: 'not', guard: { kind: 'flaggedForReview' } }] },
        // The completion steps' outcome.
        { on: 'completion.succeeded', from: ['PENDING'], to: 'COMPLETED' },
        { on: 'completion.partial', from: ['PENDING'], to: 'PARTIAL_COMPLETED', description: 'the goods could not be delivered (in full); repaired like an error' },
        { on: 'completion.failed', from: ['PENDING'], to: 'PENDING_WITH_ERROR', description: 'the invoice or the confirmation failed' },
        { on: 'payment.declined', from: ['CREATED', 'PAYMENT_PENDING'], to: 'PAYMENT_REFUSED' },
        { on: 'timer.payment_timeout', from: ['PAYMENT_PENDING'], to: 'ABORTED' },
        { on: 'timer.fraud_review_expired', from: ['FRAUD_PENDING'], to: 'CANCELED', description: 'the shopper never authenticated' },
        { on: 'cancellation.failed', from: ['CANCELED'], to: 'CANCELED_WITH_ERROR', description: 'inferred: the step that can fail after a cancellation is the e-mail; the refund is answered to whoever cancelled' },
        { on: 'timer.repair_retry', from: ['PENDING_WITH_ERROR', 'PARTIAL_COMPLETED'], to: 'PENDING' },
      ],
      timers: [
        { name: 'payment-timeout', state: 'PAYMENT_PENDING', after: 'paymentTimeout', fire: 'timer.payment_timeout' },
        { name: 'fraud-review', state: 'FRAUD_PENDING', after: 'fraudReviewTimeout', fire: 'timer.fraud_review_expired' },
        { name: 'repair', state: 'PENDING_WITH_ERROR', after: 'repairRetry', backoff: { factor: 2, max: 'repairRetryMax' }, fire: 'timer.repair_retry' },
        // inferred: a partly completed order is "repairable" too, so it is retried the same way.
        { name: 'repair-partial', state: 'PARTIAL_COMPLETED', after: 'repairRetry', backoff: { factor: 2, max: 'repairRetryMax' }, fire: 'timer.repair_retry' },
      ],
    },
  ],
};
