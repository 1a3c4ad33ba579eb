/**
 * The payment gateway port: what Ordo asks of any gateway. Every call carries an idempotency
 * key; a gateway answers the same key with the same result and moves money at most once.
 */
import type { CallbackType } from '../domain/payments/decide-payment.js';
import type { GatewayOutcome } from '../domain/payments/payment.js';

export interface GatewayCall {
  readonly key: string;
  readonly paymentId: string;
  readonly amount: number;
  readonly currency: string;
  readonly reference: string | null;
  /** Gateway-specific options given with the payment (the simulated gateway's `simulate`). */
  readonly options: Readonly<Record<string, string>>;
}

export interface GatewayAnswer {
  readonly outcome: GatewayOutcome;
  readonly reference: string;
  readonly amount?: number;
}

export interface RefundAnswer {
  readonly outcome: 'settled' | 'pending' | 'failed';
  readonly reference: string;
}

/** A callback the gateway sent, once its signature checked out. */
export interface GatewayCallback {
  readonly eventId: string;
  readonly type: CallbackType;
  readonly paymentId: string;
  readonly refundId?: string;
  readonly amount?: number;
  readonly reference?: string;
}

/** The callback's signature or timestamp does not check out: answered 401, nothing recorded. */
export class CallbackRejected extends Error {}

/** Signed correctly, but not a callback this gateway sends: answered 400 (a gateway must not retry it). */
export class CallbackInvalid extends Error {}

export interface PaymentGateway {
  readonly name: string;
  charge(call: GatewayCall): Promise<GatewayAnswer>;
  authorize(call: GatewayCall): Promise<GatewayAnswer>;
  capture(call: GatewayCall): Promise<GatewayAnswer>;
  void(call: GatewayCall): Promise<GatewayAnswer>;
  refund(call: GatewayCall): Promise<RefundAnswer>;
  /** Checks the callback's signature and reads it; throws CallbackRejected when it does not check out. */
  parseCallback(headers: Readonly<Record<string, string | string[] | undefined>>, rawBody: string): GatewayCallback;
}
