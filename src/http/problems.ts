/**
 * RFC 9457 problem details, and the one mapping from rejection codes to HTTP statuses.
 * Every error the API sends goes through here, so every one has a stable `code`.
 */
import type { FastifyReply } from 'fastify';
import type { Rejection, RejectionCode } from '../domain/result.js';

const STATUS_OF = {
  validation_failed: 422,
  unknown_workflow: 422,
  unknown_currency: 422,
  unknown_track: 422,
  unknown_status: 422,
  track_required: 422,
  amount_out_of_range: 422,
  transition_not_allowed: 409,
  transition_forbidden_for_actor: 409,
  guard_failed: 409,
  concurrent_update: 409,
  idempotency_key_in_progress: 409,
  order_not_found: 404,
  version_mismatch: 412,
  insufficient_stock: 409,
  timer_not_found: 404,
  timer_not_extendable: 409,
  timer_already_extended: 409,
  sku_not_tracked: 404,
  stock_below_reserved: 409,
  basket_not_editable: 409,
  line_not_found: 422,
  intent_not_found: 409,
  payment_not_capturable: 409,
  payment_busy: 409,
  capture_exceeds_authorized: 422,
  payment_not_voidable: 409,
  payment_not_settleable: 409,
  payment_not_resolvable: 409,
  refund_not_found: 404,
  no_payment_link: 409,
  deposit_not_offered: 422,
  nothing_to_pay: 422,
  payment_exceeds_balance: 422,
  payment_method_not_allowed: 403,
  payment_not_found: 404,
  refund_exceeds_line: 422,
  refund_exceeds_shipping: 422,
  refund_exceeds_captured: 422,
  event_already_applied: 409,
  fulfillment_not_found: 404,
  fulfillment_exceeds_line: 422,
  gateway_not_found: 404,
  invalid_callback: 400,
  cancellation_exceeds_line: 422,
  nothing_to_cancel: 409,
  return_not_found: 404,
  return_exceeds_sent: 422,
  line_already_sent: 409,
  order_not_modifiable: 409,
  line_not_awaiting_approval: 409,
  order_ended: 409,
  order_on_hold: 409,
  unknown_setting: 422,
  invalid_setting: 422,
  custom_statuses_not_allowed: 422,
  system_status: 409,
  status_in_use: 409,
  status_not_found: 404,
  notice_not_due: 409,
  fulfillment_required: 409,
  forbidden_for_caller: 403,
  api_key_not_found: 404,
  api_key_not_live: 401,
  price_required: 422,
  price_not_allowed: 422,
  price_not_found: 404,
  simulation_disabled: 422,
} as const satisfies Record<RejectionCode, number>;

/** Problems the HTTP layer itself raises, besides the domain's rejections. */
export type HttpProblemCode =
  | 'invalid_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'idempotency_key_reused'
  | 'idempotency_key_in_progress'
  | 'database_unavailable'
  | 'rate_limited'
  | 'internal_error'
  | 'method_not_allowed'
  /** An event type pattern that names no event (GET /v1/events, webhook subscriptions). */
  | 'unknown_event_type'
  | 'uri_too_long'
  | 'headers_too_large'
  | 'request_timeout'
  | 'rate_limited';

const titleOf = (code: string) => code.charAt(0).toUpperCase() + code.slice(1).replace(/_/g, ' ');

export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly [extension: string]: unknown;
}

export function problem(status: number, code: string, detail: string, extensions: Readonly<Record<string, unknown>> = {}): ProblemBody {
  return { ...extensions, type: `urn:ordo:problem:${code}`, title: titleOf(code), status, detail, code };
}

export function sendProblem(reply: FastifyReply, body: ProblemBody): FastifyReply {
  return reply.code(body.status).type('application/problem+json').send(body);
}

export const httpProblem = (reply: FastifyReply, status: number, code: HttpProblemCode, detail: string, extensions?: Readonly<Record<string, unknown>>) =>
  sendProblem(reply, problem(status, code, detail, extensions));

/** Seconds a client is asked to wait when the database is unavailable: about a restart's length. */
export const DATABASE_RETRY_AFTER = 5;

export const DATABASE_UNAVAILABLE = problem(503, 'database_unavailable', 'the database is unavailable for now; retry after a few seconds');
export const INTERNAL_ERROR = problem(500, 'internal_error', 'something went wrong on our side; the request may be retried');

/** The 503 answer's headers (a Retry-After of about a restart's length). */
export const databaseUnavailableHeaders = (reply: FastifyReply) => reply.header('retry-after', String(DATABASE_RETRY_AFTER));

export const databaseUnavailableProblem = (reply: FastifyReply) => sendProblem(databaseUnavailableHeaders(reply), DATABASE_UNAVAILABLE);

export const rejectionProblem = (reply: FastifyReply, r: Rejection) =>
  sendProblem(reply, problem(STATUS_OF[r.code], r.code, r.message, r.details));
