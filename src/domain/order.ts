/**
 * The order aggregate as the domain sees it: plain, immutable data. Every change goes
 * through `decide` and yields a new order value with `version + 1`.
 */
export type StatusMap = Readonly<Record<string, string>>;

export interface Address {
  readonly name?: string;
  readonly line1?: string;
  readonly line2?: string;
  readonly city?: string;
  readonly region?: string;
  readonly postalCode?: string;
  readonly country?: string;
}

export interface Customer {
  readonly id?: string;
  readonly email?: string;
  readonly name?: string;
}

export interface OrderLine {
  readonly id: string;
  readonly sku: string;
  readonly name?: string;
  readonly quantity: number;
  readonly unitPrice: number;
}

export interface Shipping {
  readonly amount: number;
  readonly method?: string;
  readonly address?: Address;
}

export interface Surcharge {
  readonly id: string;
  readonly description: string;
  /** Negative for a discount. */
  readonly amount: number;
}

export interface Order {
  readonly id: string;
  /** Human, sequential number (`#1001`); assigned by the store when the order is first written. */
  readonly code: number;
  readonly workflow: string;
  readonly workflowVersion: number;
  readonly status: StatusMap;
  readonly currency: string;
  readonly customer: Customer;
  readonly lines: readonly OrderLine[];
  readonly shipping: Shipping | null;
  readonly billingAddress: Address | null;
  readonly surcharges: readonly Surcharge[];
  /** Settled money received and refunded, in minor units; payments keep these. */
  readonly paid: number;
  readonly refunded: number;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly placedAt: Date | null;
}

export const formatOrderCode = (code: number): string => `#${code}`;
