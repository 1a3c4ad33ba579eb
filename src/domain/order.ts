/**
 * The order aggregate as the domain sees it: plain, immutable data. Every change goes
 * through `decide` and yields a new order value with `version + 1`.
 */
import type { Fulfillment } from './fulfillments/parcel.js';
import type { OrderReturn } from './return-record.js';
import type { CancellationNotice, Completion } from './completion-state.js';
import type { Screening } from './screening.js';
import type { Payment, Refund } from './payments/payment.js';

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
  /** Units of this line held in stock for the order, not yet sold. */
  readonly reserved?: number;
  /** Units of this line taken from stock (sold). */
  readonly committed?: number;
  /** Units of this line out of the building: in parcels not cancelled, less those that came back into stock. */
  readonly fulfilled?: number;
  /** Units of this line that were sent and came back into stock (a return received, a cancellation restocked). */
  readonly back?: number;
  /** For items that need approval before payment (nuTickets): where the review stands, and why. */
  readonly approval?: { readonly state: 'pending' | 'approved' | 'rejected'; readonly reason?: string };
  /** Units of this line cancelled after checkout; `quantity` is what the order still wants. */
  readonly cancelled?: number;
}

/** A timer the order is waiting on; the order is its source of truth, the timers table an index. */
export interface ScheduledTimer {
  readonly name: string;
  readonly track: string;
  readonly state: string;
  readonly event: string;
  /** ISO time. */
  readonly dueAt: string;
  /** Set once the customer took the one extension the timer allows. */
  readonly extended?: boolean;
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
  /** The human order number; null until the order is numbered (X-Cart numbers an order once it is finished). */
  readonly code: number | null;
  readonly workflow: string;
  readonly workflowVersion: number;
  readonly status: StatusMap;
  readonly currency: string;
  readonly customer: Customer;
  readonly lines: readonly OrderLine[];
  readonly shipping: Shipping | null;
  readonly billingAddress: Address | null;
  readonly surcharges: readonly Surcharge[];
  /** Money received (captured) and given back (settled refunds), in minor units: the sums over `payments` and `refunds`. */
  readonly paid: number;
  readonly refunded: number;
  readonly payments: readonly Payment[];
  readonly refunds: readonly Refund[];
  readonly fulfillments: readonly Fulfillment[];
  readonly returns: readonly OrderReturn[];
  /** The fraud screening's verdict at checkout, when a screener ran. */
  readonly screening?: Screening;
  /** Progress of the completion steps, for workflows that run them (Nexway's PENDING). */
  readonly completion?: Completion;
  /** The cancellation notice, for workflows that send one and mark its failure (Nexway's CANCELED_WITH_ERROR). */
  readonly cancellationNotice?: CancellationNotice;
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Dates the order itself sets for its timers (a payment link's own expiry), by name; ISO times. */
  readonly deadlines: Readonly<Record<string, string>>;
  readonly timers: readonly ScheduledTimer[];
  /** How often each backing-off timer has fired since its track last rested; sets the next wait. */
  readonly timerFirings?: Readonly<Record<string, number>>;
  /** The customer may still edit the basket where the workflow allows it on request (nuTickets' editable link). */
  readonly basketEditable?: boolean;
  /** When the order was removed (X-Cart deletes Not finished orders after their lifetime); ISO time. */
  readonly removedAt?: string;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly placedAt: Date | null;
}

export const formatOrderCode = (code: number | null): string | null => (code === null ? null : `#${code}`);
