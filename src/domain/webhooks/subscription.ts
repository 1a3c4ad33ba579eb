/** A webhook subscription as the engine and the API see it, and what may refuse one. */
import { isKnownPattern } from '../event-types.js';

export interface WebhookSubscription {
  readonly id: string;
  readonly url: string;
  /** Event type patterns: `order.*`, `payment.settled`, `*`. */
  readonly events: readonly string[];
  readonly description: string | null;
  readonly enabled: boolean;
  /** Why Ordo switched it off (`gone`: the endpoint answered 410; `failing`: days of failures); null when a person did, or it is on. */
  readonly disabledReason: string | null;
  /** Since when every attempt failed; null once one succeeds. */
  readonly failingSince: Date | null;
  /** Until when the previous secret signs too (after a rotation); null when only one signs. */
  readonly previousSecretUntil: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export const WEBHOOK_REFUSALS = [
  'invalid_webhook_url', 'webhook_target_refused', 'unknown_event_type', 'webhook_not_found', 'delivery_not_found', 'delivery_in_progress',
] as const;
export type WebhookRefusalCode = (typeof WEBHOOK_REFUSALS)[number];

export interface WebhookRefusal {
  readonly ok: false;
  readonly code: WebhookRefusalCode;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export type WebhookResult<T> = { readonly ok: true; readonly value: T } | WebhookRefusal;

export const refuse = (code: WebhookRefusalCode, message: string, details?: Readonly<Record<string, unknown>>): WebhookRefusal =>
  details ? { ok: false, code, message, details } : { ok: false, code, message };

/** The patterns, or a refusal naming those that match no known event type (a typo would silently match nothing). */
export function checkPatterns(events: readonly string[]): WebhookRefusal | undefined {
  const unknown = events.filter((p) => !isKnownPattern(p));
  if (unknown.length === 0) return undefined;
  return refuse('unknown_event_type', `no event type matches ${unknown.map((p) => `'${p}'`).join(', ')}`, { unknown });
}
