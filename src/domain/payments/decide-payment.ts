/**
 * Payment commands, decided purely. Money itself moves at the gateway, outside any database
 * transaction: a command that needs the gateway records an *intent* (operation + idempotency
 * key); the engine calls the gateway and records the answer with `record_gateway_result`.
 * Gateway callbacks arrive as `gateway_event`; a late or out-of-order one changes nothing and
 * is recorded as ignored, with why.
 */
import type { Actor } from '../actor.js';
import { orderHeld } from '../ended.js';
import { allocate } from '../money.js';
import type { MoneyEvent } from '../events.js';
import type { Order } from '../order.js';
import { accept, reject, type Result } from '../result.js';
import { NEVER, settingSeconds } from '../timers.js';
import { totalsOf } from '../totals.js';
import type { WorkflowDefinition } from '../workflow/definition.js';
import { capturable, OFFLINE_METHODS, refundable, type GatewayOperation, type GatewayOutcome, type Payment, type PaymentMethod, type Refund, type RefundLine } from './payment.js';

export interface AddPaymentCommand {
  readonly type: 'add_payment';
  readonly paymentId: string;
  readonly intentKey: string;
  readonly method: PaymentMethod;
  readonly gateway: string;
  /** Default: the balance; with `deposit`, the workflow's deposit share of the total. */
  readonly amount?: number;
  readonly deposit?: boolean;
  /** Charge at once (default) or only authorize (capture later). */
  readonly capture?: boolean;
  readonly expiresAt?: string;
  readonly editable?: boolean;
  readonly balanceDueAt?: string;
  readonly options?: Readonly<Record<string, string>>;
}

export interface RecordGatewayResultCommand {
  readonly type: 'record_gateway_result';
  readonly paymentId: string;
  readonly key: string;
  readonly outcome: GatewayOutcome;
  readonly reference?: string;
  readonly amount?: number;
}

/** `automatic`: asked by Ordo itself (a hold lifted, an order ended), which then never asks again for this payment. */
export interface RequestCaptureCommand { readonly type: 'request_capture'; readonly paymentId: string; readonly intentKey: string; readonly amount?: number; readonly automatic?: boolean }
export interface RequestVoidCommand { readonly type: 'request_void'; readonly paymentId: string; readonly intentKey: string; readonly automatic?: boolean }
/** An admin records money that arrived outside a gateway (invoice, on-site, manual), or a gateway's answer checked by hand. */
export interface SettlePaymentCommand { readonly type: 'settle_payment'; readonly paymentId: string; readonly amount?: number }
/** An admin resolves an unknown or pending answer after checking the gateway. */
export interface ResolvePaymentCommand { readonly type: 'resolve_payment'; readonly paymentId: string; readonly outcome: 'settled' | 'failed' }

export const CALLBACK_TYPES = ['payment.authorized', 'payment.settled', 'payment.declined', 'payment.failed', 'payment.unknown', 'refund.settled', 'refund.failed'] as const;
export type CallbackType = (typeof CALLBACK_TYPES)[number];

export interface GatewayEventCommand {
  readonly type: 'gateway_event';
  readonly eventId: string;
  readonly event: CallbackType;
  readonly paymentId: string;
  readonly refundId?: string;
  readonly amount?: number;
  readonly reference?: string;
}

export interface RequestRefundCommand {
  readonly type: 'request_refund';
  readonly refundId: string;
  readonly intentKey: string;
  readonly paymentId?: string;
  readonly amount?: number;
  readonly lines?: readonly RefundLine[];
  /** true: the whole shipping charge; a number: that much of it. */
  readonly shipping?: boolean | number;
  readonly adjustment?: number;
  readonly reason: string;
  readonly restock?: boolean;
  readonly options?: Readonly<Record<string, string>>;
  /** How much of it gives back money the order no longer costs; default: as much as the order is overpaid. */
  readonly overpayment?: number;
}

export interface RecordRefundResultCommand {
  readonly type: 'record_refund_result';
  readonly refundId: string;
  readonly key: string;
  readonly outcome: 'settled' | 'failed' | 'pending';
  readonly reference?: string;
}

export interface ResendPaymentLinkCommand { readonly type: 'resend_payment_link' }

export type PaymentCommand =
  | AddPaymentCommand
  | RecordGatewayResultCommand
  | RequestCaptureCommand
  | RequestVoidCommand
  | SettlePaymentCommand
  | ResolvePaymentCommand
  | GatewayEventCommand
  | RequestRefundCommand
  | RecordRefundResultCommand
  | ResendPaymentLinkCommand;

/** The order with its money changed, what happened, and the stock to restock for refunded lines. */
export interface MoneyDecision {
  readonly order: Order;
  readonly events: readonly MoneyEvent[];
  readonly restock: readonly RefundLine[];
  readonly paymentMethod?: string;
}

const iso = (d: Date) => d.toISOString();
const plusSeconds = (d: Date, s: number) => new Date(d.getTime() + s * 1000).toISOString();

export function decidePayment(wf: WorkflowDefinition, order: Order, cmd: PaymentCommand, actor: Actor, now: Date): Result<MoneyDecision> {
  switch (cmd.type) {
    case 'add_payment':
      return addPayment(wf, order, cmd, actor, now);
    case 'record_gateway_result':
      return withPayment(order, cmd.paymentId, (p) => {
        if (!p.intent || p.intent.key !== cmd.key) return reject('intent_not_found', `payment ${p.id} is not waiting on a gateway answer for key ${cmd.key}`);
        const decided = answered(change(order, p, gatewayResult(p, p.intent.op, p.intent.amount, cmd), now, `gateway answered ${cmd.outcome} to ${p.intent.op}`), p, p.intent.op, cmd.outcome);
        // A gateway that reports more than was asked is not believed: the amount asked is recorded, and staff are told.
        if (cmd.amount === undefined || cmd.amount <= p.intent.amount) return accept(decided);
        return accept({ ...decided, events: [...decided.events, { type: 'payment.amount_mismatch', data: { paymentId: p.id, op: p.intent.op, asked: p.intent.amount, reported: cmd.amount, alert: true, why: 'the gateway reported more than was asked; the amount asked was recorded' } }] });
      });
    case 'request_capture':
      return withPayment(order, cmd.paymentId, (p) => {
        if (p.state !== 'authorized') return reject('payment_not_capturable', `payment ${p.id} is ${p.state}, not authorized`, { state: p.state });
        if (p.intent) return reject('payment_busy', `payment ${p.id} is waiting on the gateway (${p.intent.op})`);
        // Without an amount, no more than the order still needs: a hold larger than the order is not taken whole.
        const amount = cmd.amount ?? Math.min(capturable(p), totalsOf(order).balance);
        if (cmd.amount === undefined && amount < 1) return reject('nothing_to_pay', `the order owes nothing more; give an amount to capture anyway (up to ${capturable(p)})`, { capturable: capturable(p) });
        if (amount < 1 || amount > capturable(p)) return reject('capture_exceeds_authorized', `can capture at most ${capturable(p)}, not ${amount}`, { capturable: capturable(p), requested: amount });
        return accept(automatically(requestOperation(order, p, 'capture', cmd.intentKey, amount, now), p.id, cmd.automatic));
      });
    case 'request_void':
      return withPayment(order, cmd.paymentId, (p) => {
        if (p.state !== 'authorized' || p.captured > 0) return reject('payment_not_voidable', `only an authorization nothing was captured on can be voided; payment ${p.id} is ${p.state}`, { state: p.state });
        if (p.intent) return reject('payment_busy', `payment ${p.id} is waiting on the gateway (${p.intent.op})`);
        return accept(automatically(requestOperation(order, p, 'void', cmd.intentKey, 0, now), p.id, cmd.automatic));
      });
    case 'settle_payment':
      return withPayment(order, cmd.paymentId, (p) => {
        if (p.state !== 'pending' && p.state !== 'unknown') return reject('payment_not_settleable', `payment ${p.id} is ${p.state}; only a pending or unknown payment can be settled by hand`, { state: p.state });
        const amount = cmd.amount ?? p.amount;
        if (amount < 1) return reject('validation_failed', 'the amount must be at least 1');
        const { intent: _dropped, ...rest } = p;
        return accept(change(order, p, { ...rest, state: 'settled', authorized: amount, captured: amount }, now, `recorded by ${actor.kind}`));
      });
    case 'resolve_payment':
      return withPayment(order, cmd.paymentId, (p) => {
        if (p.state !== 'unknown' && p.state !== 'pending') return reject('payment_not_resolvable', `payment ${p.id} is ${p.state}, not unknown or pending`, { state: p.state });
        const { intent: _dropped, ...rest } = p;
        const next: Payment = cmd.outcome === 'settled' ? { ...rest, state: 'settled', authorized: p.amount, captured: p.amount } : { ...rest, state: 'failed' };
        return accept(change(order, p, next, now, `resolved as ${cmd.outcome} by ${actor.kind} after checking the gateway`));
      });
    case 'gateway_event':
      return gatewayEvent(order, cmd, now);
    case 'request_refund':
      return requestRefund(order, cmd, now);
    case 'record_refund_result': {
      const refund = order.refunds.find((r) => r.id === cmd.refundId);
      if (!refund) return reject('refund_not_found', `there is no refund ${cmd.refundId} on this order`);
      const payment = order.payments.find((p) => p.id === refund.paymentId)!;
      if (!payment.intent || payment.intent.key !== cmd.key) return reject('intent_not_found', `refund ${refund.id} is not waiting on a gateway answer for key ${cmd.key}`);
      const { intent: _dropped, ...cleared } = payment;
      return accept(answered(settleRefund(order, { ...refund, reference: cmd.reference ?? refund.reference }, cleared, cmd.outcome, now), payment, 'refund', cmd.outcome));
    }
    case 'resend_payment_link': {
      const p = [...order.payments].reverse().find((x) => x.link && x.state === 'pending' && Date.parse(x.link.expiresAt) > now.getTime());
      if (!p || !p.link) return reject('no_payment_link', 'the order has no payment link waiting to be paid that has not expired');
      const next: Payment = { ...p, link: { ...p.link, sent: p.link.sent + 1 }, updatedAt: iso(now) };
      return accept({ order: replace(order, p, next), events: [{ type: 'payment_link.resent', data: { paymentId: p.id, sent: next.link!.sent, expiresAt: p.link.expiresAt } }], restock: [] });
    }
    default:
      return cmd satisfies never;
  }
}

/** Dates are kept in one form (toISOString), the form timers are looked up by. */
const normalised = (text: string | undefined): string | undefined | 'invalid' =>
  text === undefined ? undefined : Number.isNaN(Date.parse(text)) ? 'invalid' : new Date(text).toISOString();

function addPayment(wf: WorkflowDefinition, order: Order, input: AddPaymentCommand, actor: Actor, now: Date): Result<MoneyDecision> {
  const expiresAt = normalised(input.expiresAt);
  const balanceDueAt = normalised(input.balanceDueAt);
  if (expiresAt === 'invalid' || balanceDueAt === 'invalid') return reject('validation_failed', 'expiresAt and balanceDueAt must be ISO date-times');
  const cmd: AddPaymentCommand = { ...input, ...(expiresAt ? { expiresAt } : {}), ...(balanceDueAt ? { balanceDueAt } : {}) };
  const { total, balance } = totalsOf(order);
  const outstanding = balance - heldOrPending(order);
  let amount = cmd.amount ?? outstanding;
  let deadlines = order.deadlines;
  if (cmd.deposit) {
    const percent = numberSetting(wf, 'depositPercent');
    const minimum = numberSetting(wf, 'depositMinimumTotal') ?? 0;
    if (percent === undefined) return reject('deposit_not_offered', `workflow '${wf.name}' offers no deposits`);
    if (total < minimum) return reject('deposit_not_offered', `deposits are offered on orders of ${minimum} or more; this one is ${total}`, { minimum, total });
    if (order.payments.some((p) => p.deposit && p.state !== 'failed' && p.state !== 'declined' && p.state !== 'voided')) return reject('deposit_not_offered', 'the order already has a deposit');
    amount = cmd.amount ?? allocate(total, [percent, 100 - percent])[0]!;
    const deadlineSeconds = settingSeconds(wf, 'depositBalanceDeadline');
    const due = cmd.balanceDueAt ?? (deadlineSeconds !== undefined ? plusSeconds(now, deadlineSeconds) : undefined);
    if (due) deadlines = { ...deadlines, deposit: due };
  }
  if (!Number.isSafeInteger(amount) || amount < 1) return reject('nothing_to_pay', `there is nothing to pay: the balance not yet covered is ${outstanding}`, { outstanding });
  if (amount > outstanding) return reject('payment_exceeds_balance', `a payment of ${amount} is more than the ${outstanding} still owed`, { outstanding, requested: amount });
  // Links are sent, on-site reservations made and manual payments recorded by the merchant's staff.
  if ((cmd.method === 'manual' || cmd.method === 'payment_link' || cmd.method === 'onsite') && actor.kind !== 'admin') {
    return reject('payment_method_not_allowed', `a ${cmd.method.replace('_', ' ')} is for the merchant's staff to set up`, { method: cmd.method });
  }
  const base: Payment = {
    id: cmd.paymentId, method: cmd.method, gateway: cmd.gateway, reference: null, amount, state: 'pending',
    authorized: 0, captured: 0, refunded: 0, deposit: cmd.deposit === true, options: cmd.options ?? {}, createdAt: iso(now), updatedAt: iso(now),
  };
  let payment: Payment = base;
  if (cmd.method === 'payment_link') {
    const seconds = settingSeconds(wf, 'paymentLinkExpiry') ?? 72 * 3600;
    const expiresAt = cmd.expiresAt ?? plusSeconds(now, seconds);
    payment = { ...base, link: { expiresAt, editable: cmd.editable === true, sent: 1 } };
    deadlines = { ...deadlines, payment: expiresAt };
  } else if (cmd.expiresAt) deadlines = { ...deadlines, payment: cmd.expiresAt };
  // A local voucher never expires, an on-site reservation only when given a date: no default payment deadline for them.
  else if (cmd.method === 'local' || cmd.method === 'onsite') deadlines = { ...deadlines, payment: NEVER };
  if (cmd.method === 'manual') payment = { ...base, state: 'settled', authorized: amount, captured: amount };
  // A card goes to the gateway at once; the other methods wait for the customer, the gateway's callback or an admin.
  // While the order is on hold (a review) a card is only authorized: no money is taken from an order that may be rejected.
  const holdOnly = cmd.capture !== false && orderHeld(wf, order) !== undefined;
  if (cmd.method === 'card') payment = { ...payment, ...(holdOnly ? { captureOnRelease: true } : {}), intent: { op: cmd.capture === false || holdOnly ? 'authorize' : 'charge', key: cmd.intentKey, amount, at: iso(now) } };
  const withDeadlines: Order = { ...order, deadlines, ...(cmd.method === 'payment_link' && cmd.editable ? { basketEditable: true } : {}) };
  const next = recompute({ ...withDeadlines, payments: [...order.payments, payment] });
  return accept({
    order: next,
    events: [{ type: 'payment.created', data: { paymentId: payment.id, method: payment.method, amount, state: payment.state, deposit: payment.deposit, ...(payment.link ? { link: payment.link } : {}) } }],
    restock: [],
    paymentMethod: cmd.method,
  });
}

/** What is already on its way: held authorizations and payments still waiting for an answer. */
const heldOrPending = (order: Order) =>
  order.payments.reduce((n, p) => n + (p.state === 'pending' || p.state === 'unknown' ? p.amount : p.state === 'authorized' ? p.authorized - p.captured : 0), 0);

function numberSetting(wf: WorkflowDefinition, name: string): number | undefined {
  const v = wf.settings[name];
  return typeof v === 'number' ? v : undefined;
}

function gatewayResult(p: Payment, op: GatewayOperation, intentAmount: number, r: RecordGatewayResultCommand): Payment {
  const { intent: _done, ...cleared } = p;
  const base: Payment = { ...cleared, reference: r.reference ?? p.reference };
  const amount = Math.min(r.amount ?? intentAmount, intentAmount);
  switch (op) {
    case 'charge':
    case 'authorize':
      switch (r.outcome) {
        case 'settled':
          return { ...base, state: 'settled', authorized: amount, captured: amount };
        case 'authorized':
          return { ...base, state: 'authorized', authorized: amount };
        case 'pending':
          return base;
        default:
          return { ...base, state: r.outcome };
      }
    case 'capture':
      // A capture whose answer is unclear keeps its intent: it is retried with the same key.
      if (r.outcome === 'unknown' || r.outcome === 'pending') return p;
      return r.outcome === 'settled' ? { ...base, state: 'settled', captured: p.captured + Math.min(amount, capturable(p)) } : base;
    case 'void':
      if (r.outcome === 'unknown' || r.outcome === 'pending') return p;
      return r.outcome === 'settled' ? { ...base, state: 'voided' } : base;
    case 'refund':
      return p; // refunds are answered through record_refund_result
    default:
      return op satisfies never;
  }
}

/** Callbacks: each kind applies only from the states it can follow; anything else is late or out of order. */
function gatewayEvent(order: Order, cmd: GatewayEventCommand, now: Date): Result<MoneyDecision> {
  const p = order.payments.find((x) => x.id === cmd.paymentId);
  if (!p) return reject('payment_not_found', `there is no payment ${cmd.paymentId}`);
  const ignore = (why: string): Result<MoneyDecision> =>
    accept({ order, events: [{ type: 'payment.event_ignored', data: { paymentId: p.id, eventId: cmd.eventId, event: cmd.event, state: p.state, why } }], restock: [] });
  // Not late but wrong: a gateway claiming more money than the payment asked for. Never applied; staff are told.
  const refuse = (why: string): Result<MoneyDecision> =>
    accept({ order, events: [{ type: 'payment.event_refused', data: { paymentId: p.id, eventId: cmd.eventId, event: cmd.event, amount: cmd.amount, expected: p.amount, alert: true, why } }], restock: [] });
  const { intent: _answered, ...cleared } = p;
  const answered: Payment = { ...cleared, reference: cmd.reference ?? p.reference };
  const why = `a ${cmd.event} callback`;
  switch (cmd.event) {
    case 'payment.authorized':
      if (p.state !== 'pending' && p.state !== 'unknown') return ignore(`payment is already ${p.state}; an authorization cannot follow that`);
      if (cmd.amount !== undefined && cmd.amount > p.amount) return refuse(`the callback authorizes ${cmd.amount}, more than the ${p.amount} asked for`);
      return accept(change(order, p, { ...answered, state: 'authorized', authorized: cmd.amount ?? p.amount }, now, why));
    case 'payment.settled': {
      if (p.state !== 'pending' && p.state !== 'unknown' && p.state !== 'authorized') return ignore(`payment is already ${p.state}; a settlement cannot follow that`);
      const captured = cmd.amount ?? (p.state === 'authorized' ? p.authorized : p.amount);
      if (captured > p.amount) return refuse(`the callback settles ${captured}, more than the ${p.amount} asked for`);
      return accept(change(order, p, { ...answered, state: 'settled', captured, authorized: Math.max(p.authorized, captured) }, now, why));
    }
    case 'payment.declined':
    case 'payment.failed':
      // A hold can still be declined (the bank withdrew it, the capture failed); money taken cannot.
      if (p.state !== 'pending' && p.state !== 'unknown' && !(p.state === 'authorized' && p.captured === 0)) return ignore(`payment is already ${p.state}; a late ${cmd.event.slice(8)} changes nothing`);
      return accept(change(order, p, { ...answered, state: cmd.event === 'payment.declined' ? 'declined' : 'failed' }, now, why));
    case 'payment.unknown':
      if (p.state !== 'pending') return ignore(`payment is already ${p.state}`);
      return accept(change(order, p, { ...answered, state: 'unknown' }, now, why));
    case 'refund.settled':
    case 'refund.failed': {
      const refund = order.refunds.find((r) => (cmd.refundId ? r.id === cmd.refundId : r.paymentId === p.id && r.state === 'pending'));
      if (!refund) return ignore('no refund of this payment is waiting for an answer');
      if (refund.state !== 'pending') return ignore(`refund ${refund.id} is already ${refund.state}`);
      const owner = refund.paymentId === p.id ? p : order.payments.find((x) => x.id === refund.paymentId)!;
      // Only this refund's own gateway call is answered; another operation in flight stays recoverable.
      const { intent, ...rest } = owner;
      const ownerAnswered: Payment = intent && intent.refundId !== refund.id ? owner : rest;
      const settled = settleRefund(order, { ...refund, reference: cmd.reference ?? refund.reference }, ownerAnswered, cmd.event === 'refund.settled' ? 'settled' : 'failed', now);
      // The refund as asked is what is recorded; a gateway that reports another amount is flagged for staff to check.
      if (cmd.event !== 'refund.settled' || cmd.amount === undefined || cmd.amount === refund.amount) return accept(settled);
      return accept({ ...settled, events: [...settled.events, { type: 'refund.amount_mismatch', data: { refundId: refund.id, paymentId: refund.paymentId, asked: refund.amount, reported: cmd.amount, eventId: cmd.eventId, alert: true } }] });
    }
    default:
      return cmd.event satisfies never;
  }
}

export function requestRefund(order: Order, cmd: RequestRefundCommand, now: Date): Result<MoneyDecision> {
  const lines = cmd.lines ?? [];
  for (const l of lines) {
    const line = order.lines.find((x) => x.id === l.lineId);
    if (!line) return reject('line_not_found', `the order has no line ${l.lineId}`, { lineIds: [l.lineId] });
    const already = order.refunds.filter((r) => r.state !== 'failed').flatMap((r) => r.lines).filter((x) => x.lineId === l.lineId).reduce((n, x) => n + x.quantity, 0);
    if (l.quantity < 1 || already + l.quantity > line.quantity) return reject('refund_exceeds_line', `line ${l.lineId} has ${line.quantity - already} unit(s) left to refund`, { lineId: l.lineId, refundable: line.quantity - already });
  }
  const totals = totalsOf(order);
  const shippingRefunded = order.refunds.filter((r) => r.state !== 'failed').reduce((n, r) => n + r.shipping, 0);
  const shipping = cmd.shipping === true ? totals.shipping - shippingRefunded : typeof cmd.shipping === 'number' ? cmd.shipping : 0;
  if (shipping < 0 || shipping > totals.shipping - shippingRefunded) return reject('refund_exceeds_shipping', `at most ${totals.shipping - shippingRefunded} of shipping is left to refund`);
  const fromLines = lines.reduce((n, l) => n + l.quantity * order.lines.find((x) => x.id === l.lineId)!.unitPrice, 0);
  const amount = cmd.amount ?? fromLines + shipping + (cmd.adjustment ?? 0);
  if (!Number.isSafeInteger(amount) || amount < 1) return reject('validation_failed', 'a refund must be of at least 1 minor unit: give an amount, or lines, shipping and an adjustment that add up to more than 0');
  const candidates = cmd.paymentId ? order.payments.filter((p) => p.id === cmd.paymentId) : [...order.payments].reverse();
  if (cmd.paymentId && candidates.length === 0) return reject('payment_not_found', `there is no payment ${cmd.paymentId} on this order`);
  const payment = candidates.find((p) => !p.intent && refundable(p) - pendingRefunds(order, p.id) >= amount);
  const busy = candidates.find((p) => p.intent && refundable(p) - pendingRefunds(order, p.id) >= amount);
  if (!payment && busy) return reject('payment_busy', `payment ${busy.id} is waiting on the gateway (${busy.intent!.op}); try again shortly`, { paymentId: busy.id, operation: busy.intent!.op });
  if (!payment) {
    const room = candidates.map((p) => ({ paymentId: p.id, refundable: refundable(p) - pendingRefunds(order, p.id) }));
    return reject('refund_exceeds_captured', `a refund of ${amount} is more than a payment can give back (${room.map((r) => `${r.paymentId}: ${r.refundable}`).join(', ') || 'nothing was captured'})`, { requested: amount, payments: room });
  }
  const overpayment = Math.min(amount, cmd.overpayment ?? totalsOf(order).overpaid);
  const refund: Refund = {
    id: cmd.refundId, paymentId: payment.id, amount, lines, shipping, adjustment: cmd.adjustment ?? 0, reason: cmd.reason,
    restock: cmd.restock === true, state: 'pending', reference: null, ...(overpayment > 0 ? { overpayment } : {}), createdAt: iso(now),
  };
  const created: MoneyEvent = { type: 'refund.created', data: { refundId: refund.id, paymentId: payment.id, amount, reason: cmd.reason, lines, shipping } };
  const withRefund: Order = { ...order, refunds: [...order.refunds, refund] };
  // Money that came in outside a gateway goes back outside it too: the refund is recorded as done.
  if (payment.gateway === 'manual') {
    const settled = settleRefund(withRefund, refund, payment, 'settled', now);
    return accept({ ...settled, events: [created, ...settled.events] });
  }
  const asked = requestOperation(withRefund, payment, 'refund', cmd.intentKey, amount, now, refund.id, cmd.options);
  return accept({ ...asked, events: [created, ...asked.events] });
}

/** What each payment can still give back, latest first, leaving out payments busy at the gateway. */
export const refundRooms = (order: Order): { paymentId: string; room: number }[] =>
  [...order.payments].reverse().filter((p) => !p.intent).map((p) => ({ paymentId: p.id, room: refundable(p) - pendingRefunds(order, p.id) })).filter((r) => r.room > 0);

const pendingRefunds = (order: Order, paymentId: string) =>
  order.refunds.filter((r) => r.paymentId === paymentId && r.state === 'pending').reduce((n, r) => n + r.amount, 0);

function settleRefund(order: Order, refund: Refund, payment: Payment, outcome: 'settled' | 'failed' | 'pending', now: Date): MoneyDecision {
  const nextRefund: Refund = { ...refund, state: outcome };
  const refunded = outcome === 'settled' ? payment.refunded + refund.amount : payment.refunded;
  const state = outcome !== 'settled' ? payment.state : refunded >= payment.captured ? 'refunded' : 'partially_refunded';
  const nextPayment: Payment = { ...payment, refunded, state, updatedAt: iso(now) };
  const next = recompute({ ...replace(order, payment, nextPayment), refunds: order.refunds.map((r) => (r.id === refund.id ? nextRefund : r)) });
  const events: MoneyEvent[] = [];
  if (outcome !== 'pending') events.push({ type: 'refund.changed', data: { refundId: refund.id, paymentId: payment.id, from: refund.state, to: outcome, amount: refund.amount } });
  if (state !== payment.state) events.push({ type: 'payment.changed', data: { paymentId: payment.id, from: payment.state, to: state, authorized: payment.authorized, captured: payment.captured, refunded } });
  return { order: next, events, restock: outcome === 'settled' && refund.restock ? refund.lines : [] };
}

/** Every gateway answer is recorded, also one that changed nothing visible yet (a `pending`). */
function answered(d: MoneyDecision, p: Payment, op: GatewayOperation, outcome: string): MoneyDecision {
  if (d.events.length > 0) return d;
  return { ...d, events: [{ type: 'payment.operation_answered', data: { paymentId: p.id, op, outcome } }] };
}

const automatically = (d: MoneyDecision, paymentId: string, automatic: boolean | undefined): MoneyDecision =>
  automatic ? { ...d, order: { ...d.order, payments: d.order.payments.map((x) => (x.id === paymentId ? { ...x, autoReleased: true } : x)) } } : d;

function requestOperation(order: Order, p: Payment, op: GatewayOperation, key: string, amount: number, now: Date, refundId?: string, options?: Readonly<Record<string, string>>): MoneyDecision {
  const next: Payment = { ...p, intent: { op, key, amount, at: iso(now), ...(refundId ? { refundId } : {}), ...(options ? { options } : {}) }, updatedAt: iso(now) };
  return { order: replace(order, p, next), events: [{ type: 'payment.operation_requested', data: { paymentId: p.id, op, amount, ...(refundId ? { refundId } : {}) } }], restock: [] };
}

function change(order: Order, before: Payment, after: Payment, now: Date, why: string): MoneyDecision {
  const next = recompute(replace(order, before, { ...after, updatedAt: iso(now) }));
  const events: MoneyEvent[] = [];
  if (after.state !== before.state || after.captured !== before.captured || after.authorized !== before.authorized) {
    events.push({ type: 'payment.changed', data: { paymentId: before.id, from: before.state, to: after.state, authorized: after.authorized, captured: after.captured, refunded: after.refunded, why } });
  }
  return { order: next, events, restock: [], paymentMethod: before.method };
}

const replace = (order: Order, before: Payment, after: Payment): Order => ({ ...order, payments: order.payments.map((p) => (p.id === before.id ? after : p)) });

function recompute(order: Order): Order {
  const paid = order.payments.reduce((n, p) => n + p.captured, 0);
  const refunded = order.refunds.filter((r) => r.state === 'settled').reduce((n, r) => n + r.amount, 0);
  return { ...order, paid, refunded };
}

function withPayment(order: Order, paymentId: string, then: (p: Payment) => Result<MoneyDecision>): Result<MoneyDecision> {
  const p = order.payments.find((x) => x.id === paymentId);
  return p ? then(p) : reject('payment_not_found', `there is no payment ${paymentId} on this order`);
}

export const isOffline = (method: PaymentMethod) => OFFLINE_METHODS.includes(method);
