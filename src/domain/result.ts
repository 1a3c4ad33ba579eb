/**
 * Expected outcomes are returned, not thrown: a rejection carries a stable code that
 * the HTTP layer maps to a status in one place, and the data a caller needs to react.
 */
export const REJECTION_CODES = [
  'validation_failed',
  'unknown_workflow',
  'unknown_currency',
  'unknown_track',
  'unknown_status',
  'track_required',
  'transition_not_allowed',
  'transition_forbidden_for_actor',
  'guard_failed',
  'amount_out_of_range',
  'order_not_found',
  'version_mismatch',
  'concurrent_update',
  'idempotency_key_in_progress',
  'insufficient_stock',
  'timer_not_found',
  'timer_not_extendable',
  'timer_already_extended',
  'sku_not_tracked',
  'stock_below_reserved',
  'basket_not_editable',
  'line_not_found',
  'intent_not_found',
  'payment_not_capturable',
  'payment_busy',
  'capture_exceeds_authorized',
  'payment_not_voidable',
  'payment_not_settleable',
  'payment_not_resolvable',
  'refund_not_found',
  'no_payment_link',
  'deposit_not_offered',
  'nothing_to_pay',
  'payment_exceeds_balance',
  'payment_method_not_allowed',
  'payment_not_found',
  'refund_exceeds_line',
  'refund_exceeds_shipping',
  'refund_exceeds_captured',
  'event_already_applied',
  'fulfillment_not_found',
  'fulfillment_exceeds_line',
  'gateway_not_found',
  'invalid_callback',
  'cancellation_exceeds_line',
  'nothing_to_cancel',
  'return_not_found',
  'return_exceeds_sent',
  'line_already_sent',
  'order_not_modifiable',
  'line_not_awaiting_approval',
  'order_ended',
  'order_on_hold',
  'unknown_setting',
  'invalid_setting',
  'custom_statuses_not_allowed',
  'system_status',
  'status_in_use',
  'status_not_found',
  'notice_not_due',
  'fulfillment_required',
  'forbidden_for_caller',
  'api_key_not_found',
  /** The caller's key was found revoked or expired when its command was written (nothing was). */
  'api_key_not_live',
  'price_required',
  'price_not_allowed',
  'price_not_found',
  'simulation_disabled',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

export interface Rejection {
  readonly ok: false;
  readonly code: RejectionCode;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface Accepted<T> {
  readonly ok: true;
  readonly value: T;
}

export type Result<T> = Accepted<T> | Rejection;

export const accept = <T>(value: T): Accepted<T> => ({ ok: true, value });

export const reject = (
  code: RejectionCode,
  message: string,
  details?: Readonly<Record<string, unknown>>,
): Rejection => (details === undefined ? { ok: false, code, message } : { ok: false, code, message, details });
