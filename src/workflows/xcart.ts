/**
 * X-Cart (seeds 000, 001): two independent tracks, payment and fulfilment, each keyed by
 * X-Cart's own letter codes. Gateways drive the payment track; the merchant may put either
 * track into almost any status by hand, so no state here is terminal.
 *
 * A first sketch: the statuses, who may set them and what they do to stock. The payment,
 * backorder and not-finished behaviour behind the events below comes in a later issue.
 */
import type { WorkflowDefinition } from '../domain/workflow/definition.js';

const admin = ['admin'] as const;
const gateway = ['gateway'] as const;

export const xcart: WorkflowDefinition = {
  name: 'xcart',
  version: 1,
  label: 'X-Cart',
  description: 'Separate payment and fulfilment statuses; stock is held by Q, P and A and given back by R, C and D; admins may set almost any status by hand.',
  settings: {
    notFinishedLifetime: '7d',
  },
  settingNotes: {
    notFinishedLifetime: 'how long a Not finished order is kept before it is removed; inferred: 7 days, X-Cart gives no default',
  },
  // An order is numbered once finished: not while its first online answer is awaited, nor while Not finished.
  numbering: 'finished',
  // X-Cart merchants add statuses of their own to either track, and rename the shipped ones.
  customStatuses: true,
  tracks: [
    {
      id: 'payment',
      label: 'Payment',
      // Every order starts here; an online gateway's first answer moves it on to P, A, PP or D.
      initial: 'Q',
      // An X-Cart order exists only once checked out: `placed` on the initial Q says so.
      states: [
        { id: 'Q', code: 'Q', label: 'Awaiting payment', kind: 'temporary', stock: 'reserve', placed: true, description: 'Placed, not paid yet: an offline method, or an online answer still outstanding.' },
        { id: 'P', code: 'P', label: 'Paid', kind: 'permanent', stock: 'commit', placed: true, description: 'The customer has been charged in full.' },
        { id: 'PP', code: 'PP', label: 'Partially paid', kind: 'permanent', stock: 'none', description: 'Part of the total was paid, or part of it refunded; stock is left as it is.' },
        { id: 'A', code: 'A', label: 'Authorized', kind: 'temporary', stock: 'reserve', placed: true, description: 'Funds are held on the card but not captured; only a gateway sets it.' },
        { id: 'D', code: 'D', label: 'Declined', kind: 'permanent', stock: 'release', description: 'The charge or authorization failed; only a gateway sets it.' },
        { id: 'C', code: 'C', label: 'Cancelled', kind: 'permanent', stock: 'release', description: 'Called off by the merchant, normally before any money was taken.' },
        { id: 'R', code: 'R', label: 'Refunded', kind: 'permanent', stock: 'release', description: 'All the money was given back.' },
      ],
      transitions: [
        // The merchant's hand: any status from any other, except the two that only a gateway can know.
        // X-Cart advises R (not C) after P and C (not R) after Q or A, but does not enforce it.
        ...(['Q', 'P', 'PP', 'C', 'R'] as const).map((to) => ({ from: '*' as const, to, actors: admin })),
        { from: ['Q'], to: 'A', actors: gateway, description: 'an online gateway placed a hold' },
        { from: ['Q', 'A'], to: 'P', actors: gateway },
        { from: ['Q', 'A'], to: 'PP', actors: gateway },
        { from: ['Q', 'A'], to: 'D', actors: gateway },
        { from: ['P'], to: 'R', actors: gateway, description: 'full refund through a gateway that supports refunds' },
        { from: ['P'], to: 'PP', actors: gateway, description: 'partial refund through a gateway that supports refunds' },
        { from: ['PP'], to: 'P', actors: gateway, description: 'inferred: the rest of the total arrives' },
        { from: ['PP'], to: 'R', actors: gateway, description: 'inferred: the rest of a partly refunded payment is refunded' },
      ],
      reactions: [
        { on: 'order.cancelled', from: ['Q', 'A', 'PP'], to: 'C', description: 'inferred: every item cancelled before it was paid in full' },
        { on: 'payment.authorized', from: ['Q'], to: 'A' },
        { on: 'payment.settled', from: ['Q', 'A', 'PP'], to: 'P' },
        { on: 'payment.partially_paid', from: ['Q', 'A'], to: 'PP' },
        { on: 'payment.declined', from: ['Q', 'A'], to: 'D' },
        { on: 'payment.voided', from: ['A'], to: 'C', description: 'inferred: the hold was released, so the order is called off and its stock goes back' },
        { on: 'payment.failed', from: ['Q', 'A'], to: 'D', description: 'inferred: a failed charge is shown as declined, X-Cart has no status of its own for it' },
        { on: 'payment.refunded', from: ['P', 'PP'], to: 'R' },
        { on: 'payment.partially_refunded', from: ['P'], to: 'PP' },
      ],
    },
    {
      id: 'fulfilment',
      label: 'Fulfilment',
      initial: 'N',
      // X-Cart ties stock to payment statuses only, so no fulfilment status touches it.
      states: [
        { id: 'N', code: 'N', label: 'New', kind: 'temporary', stock: 'none' },
        { id: 'NB', code: 'NB', label: 'New/Backorder', kind: 'temporary', stock: 'none', customerAlias: 'N', description: 'Some item ran out while the order was being placed; the customer still sees New.' },
        { id: 'P', code: 'P', label: 'Processing', kind: 'temporary', stock: 'none' },
        { id: 'S', code: 'S', label: 'Shipped', kind: 'temporary', stock: 'none' },
        { id: 'D', code: 'D', label: 'Delivered', kind: 'permanent', stock: 'none' },
        { id: 'WND', code: 'WND', label: 'Will not deliver', kind: 'permanent', stock: 'none' },
        { id: 'R', code: 'R', label: 'Returned', kind: 'permanent', stock: 'none', description: 'The goods came back; restocking follows the payment status (R or C), not this one.' },
        { id: 'NF', code: 'NF', label: 'Not finished', kind: 'permanent', stock: 'none', unnumbered: true, description: 'Add-on "Not Finished Orders": the payment attempt came back cancelled or failed. No order number until an admin changes a status.' },
      ],
      transitions: [
        // Any status by hand except NB, which only the system assigns at placement.
        ...(['N', 'P', 'S', 'D', 'WND', 'R', 'NF'] as const).map((to) => ({ from: '*' as const, to, actors: admin })),
        { from: ['N'], to: 'NB', actors: ['system'], description: 'the last unit went to an earlier order while this one was placed' },
      ],
      reactions: [
        { on: 'stock.backordered', from: ['N'], to: 'NB', description: 'the engine reports an item it could not hold for this order' },
        // The add-on's rule: a declined payment leaves the order not finished. Listening for D
        // being entered (rather than the raw gateway event) also covers a gateway that sets D
        // by a direct transition, and ignores a late decline that left the payment unchanged.
        { on: 'entered:payment.D', from: ['N', 'NB'], to: 'NF', description: 'add-on: Not Finished Orders' },
        { on: 'fulfillment.shipped', from: ['N', 'NB', 'P'], to: 'S', description: 'inferred: every unit has left in a parcel; X-Cart sets this by hand, Ordo also from its fulfillments' },
        { on: 'fulfillment.delivered', from: ['N', 'NB', 'P', 'S'], to: 'D', description: 'inferred: every unit arrived' },
        { on: 'return.completed', from: ['S', 'D'], to: 'R', description: 'inferred: every unit sent came back' },
        {
          on: 'payment.refunded', from: ['N', 'NB', 'P'], to: 'WND', guards: [{ kind: 'goodsAre', progress: ['unfulfilled'] }],
          description: 'inferred: all the money went back before anything shipped, so nothing will be delivered; X-Cart leaves this to the admin, Ordo leaves no order New for ever',
        },
      ],
      timers: [
        {
          name: 'not-finished-lifetime', state: 'NF', after: 'notFinishedLifetime', fire: 'timer.not_finished_expired', removes: true,
          description: 'the add-on deletes the order; inferred: Ordo removes it only if it never got a number nor kept money (hidden from every caller, personal data erased, ledger kept)',
        },
      ],
    },
  ],
};
