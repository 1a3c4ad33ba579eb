/** Vendure's default order process, as its transitions table lists them (SEED-RULES.md, seed 004): state -> next states. */
export const VENDURE_EDGES: Readonly<Record<string, readonly string[]>> = {
  Created: ['AddingItems', 'Draft'],
  Draft: ['ArrangingPayment', 'Cancelled'],
  AddingItems: ['ArrangingPayment', 'Cancelled'],
  ArrangingPayment: ['PaymentAuthorized', 'PaymentSettled', 'AddingItems', 'Cancelled'],
  PaymentAuthorized: ['PaymentSettled', 'Cancelled', 'Modifying', 'ArrangingAdditionalPayment'],
  PaymentSettled: ['PartiallyShipped', 'Shipped', 'PartiallyDelivered', 'Delivered', 'Cancelled', 'Modifying', 'ArrangingAdditionalPayment'],
  PartiallyShipped: ['Shipped', 'PartiallyDelivered', 'Cancelled', 'Modifying'],
  Shipped: ['PartiallyDelivered', 'Delivered', 'Cancelled', 'Modifying'],
  PartiallyDelivered: ['Delivered', 'Cancelled', 'Modifying'],
  Delivered: ['Cancelled'],
  Modifying: ['PaymentAuthorized', 'PaymentSettled', 'PartiallyShipped', 'Shipped', 'PartiallyDelivered', 'ArrangingAdditionalPayment'],
  ArrangingAdditionalPayment: ['PaymentAuthorized', 'PaymentSettled', 'PartiallyShipped', 'Shipped', 'PartiallyDelivered', 'Cancelled'],
  Cancelled: [],
};
