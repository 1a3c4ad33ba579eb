/**
 * The built-in simulated gateway, for demos, tests and a merchant's rehearsal. The payment
 * says what should happen (`simulate`: settle, authorize, decline, pending, unknown); with
 * `pending` the answer comes later through a signed callback, as from a real gateway. It keeps
 * its own books keyed by idempotency key, so a retried call never moves money twice.
 */
import type pg from 'pg';
import type { Webhook } from 'standardwebhooks';
import { CALLBACK_TYPES, type CallbackType } from '../domain/payments/decide-payment.js';
import type { GatewayOutcome } from '../domain/payments/payment.js';
import { CallbackInvalid, CallbackRejected, type GatewayAnswer, type GatewayCall, type GatewayCallback, type PaymentGateway, type RefundAnswer } from './port.js';
import { isStorableText, isUuid, verifySigned, webhookFor } from './signature.js';

export const SIMULATED_OUTCOMES = ['settle', 'authorize', 'decline', 'pending', 'unknown', 'fail'] as const;
export type SimulatedOutcome = (typeof SIMULATED_OUTCOMES)[number];

const answerFor: Record<SimulatedOutcome, GatewayOutcome> = {
  settle: 'settled', authorize: 'authorized', decline: 'declined', pending: 'pending', unknown: 'unknown', fail: 'failed',
};

export class SimulatedGateway implements PaymentGateway {
  readonly name = 'simulated';
  readonly #webhook: Webhook | undefined;

  constructor(private readonly pool: pg.Pool, secret: string | undefined) {
    this.#webhook = secret ? webhookFor(secret) : undefined;
  }

  charge(call: GatewayCall): Promise<GatewayAnswer> {
    return this.#once(call, 'charge', () => this.#answer(call, 'settle'));
  }

  authorize(call: GatewayCall): Promise<GatewayAnswer> {
    return this.#once(call, 'authorize', () => this.#answer(call, 'authorize'));
  }

  capture(call: GatewayCall): Promise<GatewayAnswer> {
    return this.#once(call, 'capture', () => ({ outcome: 'settled', reference: call.reference ?? `sim_${call.paymentId}`, amount: call.amount }));
  }

  void(call: GatewayCall): Promise<GatewayAnswer> {
    return this.#once(call, 'void', () => ({ outcome: 'settled', reference: call.reference ?? `sim_${call.paymentId}` }));
  }

  async refund(call: GatewayCall): Promise<RefundAnswer> {
    const answer = await this.#once(call, 'refund', () => {
      const wanted = call.options.simulate;
      const outcome = wanted === 'pending' ? 'pending' : wanted === 'fail' || wanted === 'decline' ? 'failed' : 'settled';
      return { outcome, reference: `simr_${call.key.slice(0, 12)}` };
    });
    return answer as unknown as RefundAnswer;
  }

  parseCallback(headers: Readonly<Record<string, string | string[] | undefined>>, rawBody: string): GatewayCallback {
    if (!this.#webhook) throw new CallbackRejected('no secret is configured for the simulated gateway (ORDO_GATEWAY_SECRET_SIMULATED)');
    const { id, body } = verifySigned(this.#webhook, headers, rawBody);
    // Signed, but possibly anything: every field is checked before it reaches a query, so a bad one is a 400, never a 500 the gateway retries.
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new CallbackInvalid('the body must be a JSON object');
    const b = body as Record<string, unknown>;
    if (!CALLBACK_TYPES.includes(b.type as CallbackType)) throw new CallbackInvalid(`unknown event type ${JSON.stringify(b.type)}; expected one of ${CALLBACK_TYPES.join(', ')}`);
    if (!isUuid(b.paymentId)) throw new CallbackInvalid('paymentId must be a payment id (a UUID)');
    if (b.refundId !== undefined && !isUuid(b.refundId)) throw new CallbackInvalid('refundId must be a refund id (a UUID)');
    if (b.amount !== undefined && (!Number.isSafeInteger(b.amount) || (b.amount as number) < 1)) throw new CallbackInvalid('amount must be whole minor units >= 1');
    if (b.reference !== undefined && !isStorableText(b.reference, 200)) throw new CallbackInvalid('reference must be text of 1 to 200 characters, without NUL or lone surrogates');
    if (!isStorableText(id, 255)) throw new CallbackInvalid('webhook-id must be 1 to 255 characters');
    return {
      eventId: id,
      type: b.type as CallbackType,
      paymentId: b.paymentId,
      ...(typeof b.refundId === 'string' ? { refundId: b.refundId } : {}),
      ...(typeof b.amount === 'number' ? { amount: b.amount } : {}),
      ...(typeof b.reference === 'string' ? { reference: b.reference } : {}),
    };
  }

  #answer(call: GatewayCall, fallback: SimulatedOutcome): GatewayAnswer {
    const wanted = (SIMULATED_OUTCOMES as readonly string[]).includes(call.options.simulate ?? '') ? (call.options.simulate as SimulatedOutcome) : fallback;
    // "settle" on an authorize-only payment holds the money rather than taking it.
    const outcome = fallback === 'authorize' && wanted === 'settle' ? 'authorized' : answerFor[wanted];
    return { outcome, reference: `sim_${call.paymentId}`, amount: call.amount };
  }

  /** Records the operation under its key first; a key seen before gets its first answer back. */
  async #once<T extends object>(call: GatewayCall, operation: string, decide: () => T): Promise<T> {
    const answer = decide();
    const inserted = await this.pool.query(
      `INSERT INTO simulated_gateway_operations (key, operation, amount, result, created_at) VALUES ($1, $2, $3, $4, now()) ON CONFLICT (key) DO NOTHING`,
      [call.key, operation, call.amount, JSON.stringify(answer)],
    );
    if (inserted.rowCount === 1) return answer;
    const res = await this.pool.query<{ result: T }>('SELECT result FROM simulated_gateway_operations WHERE key = $1', [call.key]);
    return res.rows[0]!.result;
  }
}
