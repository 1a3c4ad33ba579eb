/**
 * Payments and refunds as the order holds them. Amounts are minor units: `authorized` is held
 * at the gateway, `captured` received, `refunded` given back; always
 * captured <= authorized and refunded <= captured.
 */
export const PAYMENT_METHODS = ['card', 'payment_link', 'invoice', 'onsite', 'local', 'manual'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** Methods whose money arrives outside any gateway: an admin records it. */
export const OFFLINE_METHODS: readonly PaymentMethod[] = ['invoice', 'onsite', 'manual'];

export const PAYMENT_STATES = ['pending', 'authorized', 'settled', 'partially_refunded', 'refunded', 'declined', 'voided', 'failed', 'unknown'] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

/** What a gateway answered, or said later in a callback. */
export const GATEWAY_OUTCOMES = ['settled', 'authorized', 'declined', 'failed', 'pending', 'unknown'] as const;
export type GatewayOutcome = (typeof GATEWAY_OUTCOMES)[number];

export type GatewayOperation = 'charge' | 'authorize' | 'capture' | 'void' | 'refund';

/**
 * A gateway call that was decided and recorded but whose answer is not recorded yet. The key
 * is the gateway's idempotency key: a retry after a crash sends the same key, so the
 * gateway does the operation at most once.
 */
export interface PaymentIntent {
  readonly op: GatewayOperation;
  readonly key: string;
  readonly amount: number;
  readonly refundId?: string;
  /** Options for this one call (a refund's `simulate`). */
  readonly options?: Readonly<Record<string, string>>;
  /** ISO time the intent was recorded. */
  readonly at: string;
}

export interface PaymentLink {
  readonly expiresAt: string;
  readonly editable: boolean;
  readonly sent: number;
}

export interface Payment {
  readonly id: string;
  readonly method: PaymentMethod;
  readonly gateway: string;
  readonly reference: string | null;
  readonly amount: number;
  readonly state: PaymentState;
  readonly authorized: number;
  readonly captured: number;
  readonly refunded: number;
  readonly deposit: boolean;
  /** Gateway-specific options given with the payment (the simulated gateway's `simulate`). */
  readonly options: Readonly<Record<string, string>>;
  readonly link?: PaymentLink;
  readonly intent?: PaymentIntent;
  /** Only authorized because the order was on hold (a review): captured once the hold is lifted. */
  readonly captureOnRelease?: boolean;
  /**
   * Ordo already asked on its own to capture or void this authorization (a hold lifted, an
   * order ended). It never asks twice: what the gateway refused is for the merchant to settle.
   */
  readonly autoReleased?: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const REFUND_STATES = ['pending', 'settled', 'failed'] as const;
export type RefundState = (typeof REFUND_STATES)[number];

export interface RefundLine {
  readonly lineId: string;
  readonly quantity: number;
}

export interface Refund {
  readonly id: string;
  readonly paymentId: string;
  readonly amount: number;
  readonly lines: readonly RefundLine[];
  readonly shipping: number;
  readonly adjustment: number;
  readonly reason: string;
  readonly restock: boolean;
  readonly state: RefundState;
  readonly reference: string | null;
  /**
   * The part of the amount that gives back money the order no longer costs (a cancellation, a
   * cheaper change, an ended order); the rest is goodwill and changes nothing the customer owes.
   */
  readonly overpayment?: number;
  readonly createdAt: string;
}

/** Money the payment can still give back. */
export const refundable = (p: Payment) => p.captured - p.refunded;

/** Money held but not yet taken. */
export const capturable = (p: Payment) => (p.state === 'authorized' ? p.authorized - p.captured : 0);
