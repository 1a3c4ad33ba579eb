/** A parcel: some quantity of some lines, and the steps it goes through. It names no order, so the order may name it. */
export const FULFILLMENT_STATES = ['pending', 'shipped', 'delivered', 'cancelled'] as const;
export type FulfillmentState = (typeof FULFILLMENT_STATES)[number];

/** pending -> shipped -> delivered, and cancelled from any but itself (its quantities become fulfillable again). */
export const FULFILLMENT_TRANSITIONS: Readonly<Record<FulfillmentState, readonly FulfillmentState[]>> = {
  pending: ['shipped', 'delivered', 'cancelled'],
  shipped: ['delivered', 'cancelled'],
  delivered: ['cancelled'],
  cancelled: [],
};

export interface FulfillmentLine {
  readonly lineId: string;
  readonly quantity: number;
}

export interface Fulfillment {
  readonly id: string;
  readonly lines: readonly FulfillmentLine[];
  readonly carrier: string | null;
  readonly trackingNumber: string | null;
  readonly trackingUrl: string | null;
  readonly state: FulfillmentState;
  readonly createdAt: string;
  readonly updatedAt: string;
}
