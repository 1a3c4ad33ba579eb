/**
 * Vendure's default order process (seed 004): one track, and the order is the cart, so it
 * exists from the first item. The edges are Vendure's own, one for one; the guards are the
 * checks its default process makes, as far as the language can state them.
 *
 * Stock follows Vendure's defaults: nothing is held while shopping (its known overselling
 * weakness, kept here on purpose), it is allocated when the order is placed (payment
 * authorized or settled) and sold when it ships; cancelling gives it back.
 */
import type { Guard, TransitionDefinition, WorkflowDefinition } from '../domain/workflow/definition.js';

const shopper = ['customer', 'admin'] as const;
const admin = ['admin'] as const;
const staffOrSystem = ['admin', 'system'] as const;
const payments = ['gateway', 'system', 'admin'] as const;

const covered: Guard = { kind: 'balanceCovered' };
const notCovered: Guard = { kind: 'not', guard: covered };
const checkout: readonly Guard[] = [{ kind: 'hasLines' }, { kind: 'hasCustomer' }, { kind: 'hasShipping' }];

/** The fulfillments' progress each goods status stands for. */
const PROGRESS = { PartiallyShipped: 'partially_shipped', Shipped: 'shipped', PartiallyDelivered: 'partially_delivered', Delivered: 'delivered' } as const;
const goods = (state: keyof typeof PROGRESS): Guard => ({ kind: 'goodsAre', progress: [PROGRESS[state]] });
const goodsOf = (state: string): Guard[] => (state in PROGRESS ? [goods(state as keyof typeof PROGRESS)] : []);

/** Where an order may go back to once a modification (or its extra payment) is settled. */
const afterModification = ['PaymentAuthorized', 'PaymentSettled', 'PartiallyShipped', 'Shipped', 'PartiallyDelivered'] as const;

const transitions: readonly TransitionDefinition[] = [
  { from: ['Created'], to: 'AddingItems', actors: ['system'] },
  { from: ['Created'], to: 'Draft', actors: ['system'] },

  // Checkout needs lines, a customer and shipping; entering ArrangingPayment holds the stock, so a
  // cart the shelf cannot cover is refused here (insufficient_stock), before anyone pays.
  { from: ['AddingItems'], to: 'ArrangingPayment', actors: shopper, guards: checkout },
  { from: ['Draft'], to: 'ArrangingPayment', actors: admin, guards: checkout, description: 'an admin completes a draft order' },
  { from: ['ArrangingPayment'], to: 'AddingItems', actors: shopper, description: 'back to the cart' },

  // Payment: all settled payments covering the total -> PaymentSettled; authorized and settled together -> PaymentAuthorized.
  { from: ['ArrangingPayment'], to: 'PaymentAuthorized', actors: payments, guards: [{ kind: 'heldCovers' }] },
  { from: ['ArrangingPayment', 'PaymentAuthorized'], to: 'PaymentSettled', actors: payments, guards: [covered] },

  // Fulfilment: the order follows its fulfillments, and like Vendure's own checks, a status
  // set directly must be what the fulfillments say; nothing is shipped by naming a status.
  { from: ['PaymentSettled'], to: 'PartiallyShipped', actors: ['system'], guards: [goods('PartiallyShipped')] },
  { from: ['PaymentSettled', 'PartiallyShipped'], to: 'Shipped', actors: ['system'], guards: [goods('Shipped')] },
  { from: ['PaymentSettled', 'PartiallyShipped', 'Shipped'], to: 'PartiallyDelivered', actors: ['system'], guards: [goods('PartiallyDelivered')] },
  { from: ['PaymentSettled', 'Shipped', 'PartiallyDelivered'], to: 'Delivered', actors: ['system'], guards: [goods('Delivered')] },

  // Modification, by an admin after checkout.
  { from: ['PaymentAuthorized', 'PaymentSettled', 'PartiallyShipped', 'Shipped', 'PartiallyDelivered'], to: 'Modifying', actors: admin },
  { from: ['PaymentAuthorized', 'PaymentSettled'], to: 'ArrangingAdditionalPayment', actors: staffOrSystem },
  // Leaving Modifying: with money owed, only towards the extra payment; otherwise back where it was
  // (Vendure allows any of these; returning to the exact previous state is the caller's choice).
  { from: ['Modifying'], to: 'ArrangingAdditionalPayment', actors: staffOrSystem, guards: [notCovered] },
  ...afterModification.map((to) => ({ from: ['Modifying'], to, actors: staffOrSystem, guards: [covered, ...goodsOf(to)] })),
  ...afterModification.map((to) => ({ from: ['ArrangingAdditionalPayment'], to, actors: payments, guards: [covered, ...goodsOf(to)] })),

  // Cancellation. Vendure also requires, outside the cart states, that every line was cancelled first.
  {
    from: ['Draft', 'AddingItems', 'ArrangingPayment', 'PaymentAuthorized', 'PaymentSettled', 'PartiallyShipped', 'Shipped', 'PartiallyDelivered', 'Delivered', 'ArrangingAdditionalPayment'],
    to: 'Cancelled',
    actors: staffOrSystem,
  },
];

export const vendure: WorkflowDefinition = {
  name: 'vendure',
  version: 1,
  label: 'Vendure',
  description: "Vendure's default order process: the cart is the order; payment, fulfilment and modification states on one track.",
  settings: {},
  tracks: [
    {
      id: 'order',
      label: 'Order',
      initial: 'Created',
      states: [
        { id: 'Created', label: 'Created', kind: 'temporary', stock: 'none', description: 'Momentary: the order is becoming a cart or a draft.' },
        { id: 'Draft', label: 'Draft', kind: 'permanent', stock: 'none', basket: 'editable', description: 'An order an admin is putting together.' },
        // Carts never expire in Vendure, so an abandoned one simply rests here.
        { id: 'AddingItems', label: 'Adding items', kind: 'permanent', stock: 'release', basket: 'editable', description: 'The cart: it holds nothing.' },
        { id: 'ArrangingPayment', label: 'Arranging payment', kind: 'temporary', stock: 'reserve', description: 'Checked out: the stock is held while the customer pays.' },
        { id: 'PaymentAuthorized', label: 'Payment authorized', kind: 'temporary', stock: 'reserve', placed: true },
        { id: 'PaymentSettled', label: 'Payment settled', kind: 'permanent', stock: 'reserve', placed: true },
        // Partial states: only the fulfilled lines are sold, which a whole-order stock effect cannot say.
        { id: 'PartiallyShipped', label: 'Partially shipped', kind: 'temporary', stock: 'none' },
        { id: 'Shipped', label: 'Shipped', kind: 'temporary', stock: 'commit' },
        { id: 'PartiallyDelivered', label: 'Partially delivered', kind: 'temporary', stock: 'none' },
        { id: 'Delivered', label: 'Delivered', kind: 'permanent', stock: 'commit' },
        { id: 'Modifying', label: 'Modifying', kind: 'temporary', stock: 'none' },
        { id: 'ArrangingAdditionalPayment', label: 'Arranging additional payment', kind: 'temporary', stock: 'none' },
        { id: 'Cancelled', label: 'Cancelled', kind: 'terminal', stock: 'release' },
      ],
      transitions,
      reactions: [
        // A change after checkout that costs more waits for the difference, then goes back to where
        // it was, which the goods' progress tells. Before any parcel left it goes straight to
        // ArrangingAdditionalPayment; after, through Modifying, as Vendure's transitions require.
        // inferred: Ordo applies a modification as one command, so Modifying is passed through at once.
        { on: 'order.additional_payment_due', from: ['PaymentAuthorized', 'PaymentSettled'], to: 'ArrangingAdditionalPayment' },
        { on: 'order.additional_payment_due', from: ['PartiallyShipped', 'Shipped', 'PartiallyDelivered'], to: 'Modifying', description: 'inferred: passed through at once' },
        { on: 'order.additional_payment_due', from: ['Modifying'], to: 'ArrangingAdditionalPayment' },
        { on: 'payment.settled', from: ['ArrangingAdditionalPayment'], to: 'PaymentSettled', guards: [{ kind: 'balanceCovered' }, { kind: 'goodsAre', progress: ['unfulfilled'] }] },
        { on: 'payment.settled', from: ['ArrangingAdditionalPayment'], to: 'PartiallyShipped', guards: [{ kind: 'balanceCovered' }, { kind: 'goodsAre', progress: ['partially_shipped'] }] },
        { on: 'payment.settled', from: ['ArrangingAdditionalPayment'], to: 'Shipped', guards: [{ kind: 'balanceCovered' }, { kind: 'goodsAre', progress: ['shipped'] }] },
        { on: 'payment.settled', from: ['ArrangingAdditionalPayment'], to: 'PartiallyDelivered', guards: [{ kind: 'balanceCovered' }, { kind: 'goodsAre', progress: ['partially_delivered'] }] },
        { on: 'order.cancelled', from: ['Draft', 'AddingItems', 'ArrangingPayment', 'PaymentAuthorized', 'PaymentSettled', 'PartiallyShipped', 'Shipped', 'PartiallyDelivered', 'Delivered', 'ArrangingAdditionalPayment'], to: 'Cancelled', description: 'every line cancelled' },
        { on: 'order.created', from: ['Created'], to: 'Draft', guards: [{ kind: 'isDraft' }] },
        { on: 'order.created', from: ['Created'], to: 'AddingItems', guards: [{ kind: 'not', guard: { kind: 'isDraft' } }], description: 'the first item makes the cart' },
        { on: 'payment.authorized', from: ['ArrangingPayment'], to: 'PaymentAuthorized', guards: [{ kind: 'heldCovers' }] },
        { on: 'payment.settled', from: ['ArrangingPayment', 'PaymentAuthorized'], to: 'PaymentSettled', guards: [covered] },
        { on: 'fulfillment.partially_shipped', from: ['PaymentSettled'], to: 'PartiallyShipped' },
        { on: 'fulfillment.shipped', from: ['PaymentSettled', 'PartiallyShipped'], to: 'Shipped' },
        { on: 'fulfillment.partially_delivered', from: ['PaymentSettled', 'PartiallyShipped', 'Shipped'], to: 'PartiallyDelivered' },
        { on: 'fulfillment.delivered', from: ['PaymentSettled', 'Shipped', 'PartiallyDelivered'], to: 'Delivered' },
      ],
    },
  ],
};
