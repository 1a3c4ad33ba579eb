/**
 * Payments through gateways, without money ever moving inside a database transaction:
 *   1. a command records the payment and the gateway call it needs (an intent with an
 *      idempotency key) and commits;
 *   2. the gateway is called, outside any transaction;
 *   3. another command records the answer.
 * Step 2 follows the command before it is answered (`followUp`); a failure there is state on
 * the order (the intent stays, the operation in flight), never the command's failure. A crash between 1 and 3 leaves the intent; `recover` calls the gateway
 * again with the same key, and the gateway answers it without moving money a second time.
 */
import type pg from 'pg';
import { systemActor, type Actor } from '../domain/actor.js';
import { orderEnded, orderHeld, releasesHolds } from '../domain/ended.js';
import { totalsOf } from '../domain/totals.js';
import type { Order } from '../domain/order.js';
import type { WorkflowDefinition } from '../domain/workflow/definition.js';
import type { CallbackType } from '../domain/payments/decide-payment.js';
import { capturable, type Payment, type PaymentMethod } from '../domain/payments/payment.js';
import { accept, reject, type Result } from '../domain/result.js';
import { CallbackInvalid, CallbackRejected, type PaymentGateway } from '../gateways/port.js';
import { eventNotApplied, ordersAwaitingLink, stalledPayments } from '../store/orders.js';
import type { Clock } from './clock.js';
import type { Metrics } from './metrics.js';
import type { IdGenerator } from './ids.js';
import { gatewayFor, type Answered, type CommandOptions, type CreateOrderInput, type OrderService } from './order-service.js';
import type { KeyCheck } from './key-check.js';
import type { OrderView } from './order-view.js';

export interface NewPayment {
  readonly method: PaymentMethod;
  readonly amount?: number;
  readonly deposit?: boolean;
  /** false: authorize only, capture later. */
  readonly capture?: boolean;
  readonly expiresAt?: string;
  readonly editable?: boolean;
  readonly balanceDueAt?: string;
  /** The simulated gateway's outcome: settle, authorize, decline, pending, unknown. */
  readonly simulate?: string;
}

export interface NewRefund {
  readonly paymentId?: string;
  readonly amount?: number;
  readonly lines?: readonly { readonly lineId: string; readonly quantity: number }[];
  readonly shipping?: boolean | number;
  readonly adjustment?: number;
  readonly reason: string;
  readonly restock?: boolean;
  readonly simulate?: string;
}

export type CallbackOutcome = { readonly status: 'applied' | 'duplicate' | 'ignored' | 'refused'; readonly orderId?: string };

const gatewayActor = (name: string): Actor => ({ kind: 'gateway', id: name });

export class PaymentService {
  constructor(
    private readonly deps: { pool: pg.Pool; clock: Clock; newId: IdGenerator; orders: OrderService; gateways: ReadonlyMap<string, PaymentGateway>; onError?: (err: unknown) => void; simulation?: boolean; metrics?: Pick<Metrics, 'gatewayCall'> },
  ) {}

  /** Rehearsal outcomes are for staff only once the simulated gateway is off: a shop or a customer cannot make money appear. */
  private simulationRefused(simulate: string | undefined, actor: Actor) {
    if (!simulate || actor.kind !== 'customer' || this.deps.simulation !== false) return undefined;
    return reject('simulation_disabled', 'payments are not simulated on this deployment: leave out simulate');
  }

  async add(orderId: string, input: NewPayment, actor: Actor, opts: CommandOptions = {}): Promise<Result<OrderView>> {
    const refused = this.simulationRefused(input.simulate, actor);
    if (refused) return refused;
    return this.followUp(actor, await this.deps.orders.executeAnswered(orderId, {
      type: 'add_payment',
      paymentId: this.deps.newId(),
      intentKey: this.deps.newId(),
      method: input.method,
      gateway: gatewayFor(input.method, this.deps.orders.onlineGateway),
      ...(input.amount !== undefined ? { amount: input.amount } : {}),
      ...(input.deposit !== undefined ? { deposit: input.deposit } : {}),
      ...(input.capture !== undefined ? { capture: input.capture } : {}),
      ...(input.expiresAt !== undefined ? { expiresAt: input.expiresAt } : {}),
      ...(input.editable !== undefined ? { editable: input.editable } : {}),
      ...(input.balanceDueAt !== undefined ? { balanceDueAt: input.balanceDueAt } : {}),
      options: input.simulate ? { simulate: input.simulate } : {},
    }, actor, opts));
  }

  /**
   * Creates an order; a payment it is created with goes to the gateway right after the order is
   * written. `key`: the request's key, not read again for it: the insert checks it, before any gateway call.
   */
  async createOrder(input: CreateOrderInput, actor: Actor, key?: KeyCheck): Promise<Result<OrderView>> {
    const refused = this.simulationRefused(input.payment?.options?.simulate, actor);
    if (refused) return refused;
    return this.followUp(actor, await this.deps.orders.createAnswered(input, actor, key));
  }

  async capture(paymentId: string, amount: number | undefined, actor: Actor, opts: CommandOptions = {}): Promise<Result<OrderView>> {
    return this.followUp(actor, await this.onPayment(paymentId, (orderId) =>
      this.deps.orders.executeAnswered(orderId, { type: 'request_capture', paymentId, intentKey: this.deps.newId(), ...(amount !== undefined ? { amount } : {}) }, actor, opts)));
  }

  async void(paymentId: string, actor: Actor, opts: CommandOptions = {}): Promise<Result<OrderView>> {
    return this.followUp(actor, await this.onPayment(paymentId, (orderId) => this.deps.orders.executeAnswered(orderId, { type: 'request_void', paymentId, intentKey: this.deps.newId() }, actor, opts)));
  }

  async settle(paymentId: string, amount: number | undefined, actor: Actor, opts: CommandOptions = {}): Promise<Result<OrderView>> {
    return this.followUp(actor, await this.onPayment(paymentId, (orderId) => this.deps.orders.executeAnswered(orderId, { type: 'settle_payment', paymentId, ...(amount !== undefined ? { amount } : {}) }, actor, opts)));
  }

  async resolve(paymentId: string, outcome: 'settled' | 'failed', actor: Actor, opts: CommandOptions = {}): Promise<Result<OrderView>> {
    return this.followUp(actor, await this.onPayment(paymentId, (orderId) => this.deps.orders.executeAnswered(orderId, { type: 'resolve_payment', paymentId, outcome }, actor, opts)));
  }

  async refund(orderId: string, input: NewRefund, actor: Actor, opts: CommandOptions = {}): Promise<Result<OrderView>> {
    const refused = this.simulationRefused(input.simulate, actor);
    if (refused) return refused;
    return this.followUp(actor, await this.deps.orders.executeAnswered(orderId, {
      type: 'request_refund',
      refundId: this.deps.newId(),
      intentKey: this.deps.newId(),
      ...(input.paymentId ? { paymentId: input.paymentId } : {}),
      ...(input.amount !== undefined ? { amount: input.amount } : {}),
      ...(input.lines ? { lines: input.lines } : {}),
      ...(input.shipping !== undefined ? { shipping: input.shipping } : {}),
      ...(input.adjustment !== undefined ? { adjustment: input.adjustment } : {}),
      reason: input.reason,
      ...(input.restock !== undefined ? { restock: input.restock } : {}),
      ...(input.simulate ? { options: { simulate: input.simulate } } : {}),
    }, actor, opts));
  }

  /**
   * Gives `amount` back across the order's payments, latest first, one refund per payment, when
   * no single payment captured enough (an order paid by deposit and balance, say). One command:
   * every refund is recorded, or none.
   */
  async refundAcross(orderId: string, amount: number, reason: string, actor: Actor, opts: CommandOptions = {}): Promise<Result<OrderView>> {
    return this.followUp(actor, await this.deps.orders.executeAnswered(orderId, { type: 'refund_across', amount, reason }, actor, opts));
  }

  /**
   * What follows a committed command, before it is answered: the gateway calls it recorded, each
   * answer recorded in turn. A call that fails leaves its intent on the order for recovery. The
   * answer is the order as it then is: a committed command is never answered as refused.
   */
  async followUp(actor: Actor, result: Result<Answered>): Promise<Result<OrderView>> {
    if (!result.ok) return result;
    const { order, view } = result.value;
    if (!view.payments.some((p) => p.pendingOperation)) return accept(view);
    // The last recorded answer is the order as it then is, unless a call failed (its intent stays): then it is read again.
    // Each recording is decided on the order as last answered, kept by the order service (read again only if it moved on since).
    let last: Answered | undefined = result.value;
    for (const p of order.payments.filter((x) => x.intent)) {
      try {
        last = await this.call(order, p);
      } catch (err) {
        last = undefined;
        (this.deps.onError ?? ((e: unknown) => console.error('ordo:', e)))(err);
      }
    }
    if (last) return accept(this.deps.orders.present(last, actor));
    const now = await this.deps.orders.get(order.id, actor);
    return now.ok ? now : accept(view);
  }

  resendLink(orderId: string, actor: Actor): Promise<Result<OrderView>> {
    return this.deps.orders.execute(orderId, { type: 'resend_payment_link' }, actor);
  }

  /** Resends every payment link still awaiting payment; returns the orders reminded. */
  async resendAllLinks(actor: Actor): Promise<string[]> {
    const resent: string[] = [];
    for (const orderId of await ordersAwaitingLink(this.deps.pool)) {
      if ((await this.resendLink(orderId, actor)).ok) resent.push(orderId);
    }
    return resent;
  }

  /** A signed callback from a gateway: verified, then applied once, late or out-of-order ones recorded as ignored. */
  async callback(gatewayName: string, headers: Readonly<Record<string, string | string[] | undefined>>, rawBody: string): Promise<Result<CallbackOutcome> | { readonly unauthorized: string }> {
    const gateway = this.deps.gateways.get(gatewayName);
    if (!gateway) return reject('gateway_not_found', `there is no gateway '${gatewayName}'`);
    let event;
    try {
      event = gateway.parseCallback(headers, rawBody);
    } catch (err) {
      if (err instanceof CallbackInvalid) return reject('invalid_callback', `the callback is signed but not understood: ${err.message}`);
      if (err instanceof CallbackRejected) return { unauthorized: err.message };
      throw err;
    }
    const orderId = await this.deps.orders.orderOfPayment(event.paymentId);
    if (!orderId) return reject('payment_not_found', `there is no payment ${event.paymentId}`);
    const applied = await this.deps.orders.execute(orderId, {
      type: 'gateway_event',
      eventId: event.eventId,
      event: event.type as CallbackType,
      paymentId: event.paymentId,
      ...(event.refundId ? { refundId: event.refundId } : {}),
      ...(event.amount !== undefined ? { amount: event.amount } : {}),
      ...(event.reference ? { reference: event.reference } : {}),
    }, gatewayActor(gatewayName), { once: { gateway: gatewayName, eventId: event.eventId } });
    // Money that arrived for an ended order goes back: its refund was decided with the callback, and recovery makes the call.
    if (!applied.ok) return applied.code === 'event_already_applied' ? accept({ status: 'duplicate', orderId }) : applied;
    return accept({ status: (await eventNotApplied(this.deps.pool, orderId, event.eventId)) ?? 'applied', orderId });
  }

  /** Gateway calls recorded more than `afterSeconds` ago and never answered: call again, same key. */
  async recover(afterSeconds = 30, limit = 100): Promise<number> {
    const before = new Date(this.deps.clock.now().getTime() - afterSeconds * 1000);
    let done = 0;
    for (const { orderId, paymentId } of await stalledPayments(this.deps.pool, before, limit)) {
      // One gateway that keeps failing must not hold up the others: it is tried again next time.
      const result = await this.complete(orderId, paymentId, { kind: 'system', id: 'recovery' }).catch(() => undefined);
      if (result?.ok) done++;
    }
    return done;
  }

  /** Runs the gateway call the payment waits on, if any, and records the answer; the order as it then is. */
  private async complete(orderId: string, paymentId: string, actor: Actor): Promise<Result<OrderView>> {
    const order = await this.deps.orders.find(orderId);
    const payment = order?.payments.find((p) => p.id === paymentId);
    if (!order || !payment) return reject('payment_not_found', `there is no payment ${paymentId}`);
    if (payment.intent) await this.call(order, payment);
    return this.deps.orders.get(orderId, actor);
  }

  /**
   * One gateway call and the recording of its answer. A callback may have answered first
   * (gateways often call back before they reply): the recording then finds no intent, and the
   * order already says what happened. Returns the order as the recording left it (undefined if
   * the recording was refused).
   */
  private async call(order: Order, payment: Payment): Promise<Answered | undefined> {
    const intent = payment.intent!;
    const gateway = this.deps.gateways.get(payment.gateway);
    if (!gateway) throw new Error(`payment ${payment.id} uses gateway '${payment.gateway}', which this Ordo does not have`);
    const call = { key: intent.key, paymentId: payment.id, amount: intent.amount, currency: order.currency, reference: payment.reference, options: { ...payment.options, ...intent.options } };
    const by = gatewayActor(gateway.name);
    const timed = this.deps.metrics?.gatewayCall(gateway.name, intent.op);
    if (intent.op === 'refund') {
      const answer = await gateway.refund(call).catch(failed(timed));
      timed?.(answer.outcome);
      return answeredOrNot(await this.deps.orders.executeAnswered(order.id, { type: 'record_refund_result', refundId: intent.refundId!, key: intent.key, outcome: answer.outcome, reference: answer.reference }, by));
    }
    const answer = await gateway[intent.op](call).catch(failed(timed));
    timed?.(answer.outcome);
    return answeredOrNot(await this.deps.orders.executeAnswered(order.id, {
      type: 'record_gateway_result', paymentId: payment.id, key: intent.key, outcome: answer.outcome, reference: answer.reference,
      ...(answer.amount !== undefined ? { amount: answer.amount } : {}),
    }, by));
  }

  /**
   * Called after every saved change. An order over for good lets go of the card holds it still
   * has; an order whose hold (a review, an approval) was lifted has the payments
   * that were only authorized because of it captured, up to what it still owes, the rest let go.
   * Ordo asks once per payment: a capture or void the gateway refuses is left to the merchant.
   */
  async afterSave(order: Order, wf: WorkflowDefinition): Promise<boolean> {
    const open = order.payments.filter((p) => p.state === 'authorized' && !p.intent && p.captured === 0 && !p.autoReleased);
    if (open.length === 0) return false;
    const over = releasesHolds(wf, order);
    const lifted = !over && orderEnded(wf, order) === undefined && orderHeld(wf, order) === undefined;
    let owed = totalsOf(order).balance;
    let released = false;
    for (const p of open) {
      if (!over && !(lifted && p.captureOnRelease)) continue;
      const amount = over ? 0 : Math.min(capturable(p), owed);
      owed -= amount;
      await this.followUp(systemActor, await this.deps.orders.executeAnswered(order.id, amount > 0
        ? { type: 'request_capture', paymentId: p.id, intentKey: this.deps.newId(), amount, automatic: true }
        : { type: 'request_void', paymentId: p.id, intentKey: this.deps.newId(), automatic: true }, systemActor));
      released = true;
    }
    return released;
  }

  private async onPayment(paymentId: string, command: (orderId: string) => Promise<Result<Answered>>): Promise<Result<Answered>> {
    const orderId = await this.deps.orders.orderOfPayment(paymentId);
    if (!orderId) return reject('payment_not_found', `there is no payment ${paymentId}`);
    return command(orderId);
  }
}

const answeredOrNot = (r: Result<Answered>): Answered | undefined => (r.ok ? r.value : undefined);

/** Notes a gateway call that threw as an 'error' outcome, and lets the error go on. */
const failed = (timed: ((outcome: string) => void) | undefined) => (err: unknown): never => {
  timed?.('error');
  throw err;
};
