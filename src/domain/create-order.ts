/** Creating an order: check what the caller sent, build the order, let the workflow place it. */
import type { Actor } from './actor.js';
import { isCurrency } from './currency.js';
import type { Decision } from './decision.js';
import type { Address, Customer, Order, Shipping } from './order.js';
import { accept, reject, type Result } from './result.js';
import { totalsOf } from './totals.js';
import type { WorkflowDefinition } from './workflow/definition.js';
import { react } from './workflow/interpret.js';
import { applyEffects, enteredBy } from './effects.js';
import { decide } from './decide.js';
import { PAYMENT_METHODS, type PaymentMethod } from './payments/payment.js';
import type { Screening } from './fraud.js';
import { MAX_QUANTITY, type NewOrderLine } from './new-line.js';

export { MAX_QUANTITY, type NewOrderLine };

export interface NewOrder {
  readonly currency: string;
  readonly customer?: Customer;
  readonly lines: readonly NewOrderLine[];
  readonly shipping?: Shipping;
  readonly billingAddress?: Address;
  /** A cart still being built: the workflow keeps it in its draft state. */
  readonly draft?: boolean;
  /** How the customer will pay; `expiresAt` (ISO time) is the order's own payment deadline, e.g. a payment link's. */
  readonly payment?: NewOrderPayment;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export interface NewOrderPayment {
  readonly method: string;
  readonly expiresAt?: string;
  readonly editable?: boolean;
  readonly amount?: number;
  readonly deposit?: boolean;
  readonly capture?: boolean;
  readonly balanceDueAt?: string;
  /** Gateway-specific options (the simulated gateway's outcome). */
  readonly options?: Readonly<Record<string, string>>;
}

export interface CreateContext {
  readonly id: string;
  /** One id per line, made by the caller: the domain makes no randomness of its own. */
  readonly lineIds: readonly string[];
  readonly actor: Actor;
  readonly now: Date;
  /** The fraud screening's verdict, when a screener ran before the order was written. */
  readonly screening?: Screening;
  /** Ids for the payment the order is created with, if any. */
  readonly payment?: { readonly paymentId: string; readonly intentKey: string; readonly gateway: string };
}

export function decideCreate(wf: WorkflowDefinition, input: NewOrder, ctx: CreateContext): Result<Decision> {
  if (!isCurrency(input.currency)) return reject('unknown_currency', `'${input.currency}' is not an ISO 4217 currency code`, { currency: input.currency });
  const badLine = input.lines.findIndex((l) => !Number.isInteger(l.quantity) || l.quantity < 1 || l.quantity > MAX_QUANTITY || !Number.isSafeInteger(l.unitPrice) || l.unitPrice < 0);
  if (badLine >= 0) return reject('validation_failed', `line ${badLine + 1}: quantity must be a whole number from 1 to ${MAX_QUANTITY} and unitPrice whole minor units >= 0`, { line: badLine });
  if (input.shipping && (!Number.isSafeInteger(input.shipping.amount) || input.shipping.amount < 0)) return reject('validation_failed', 'shipping.amount must be whole minor units >= 0');
  const customer: Customer = ctx.actor.kind === 'customer' ? { ...input.customer, id: ctx.actor.customerId } : { ...input.customer };
  const draft: Order = {
    id: ctx.id,
    code: null,
    workflow: wf.name,
    workflowVersion: wf.version,
    status: Object.fromEntries(wf.tracks.map((t) => [t.id, t.initial])),
    currency: input.currency,
    customer,
    lines: input.lines.map((l, i) => ({
      id: ctx.lineIds[i]!, sku: l.sku, ...(l.name ? { name: l.name } : {}), quantity: l.quantity, unitPrice: l.unitPrice,
      ...(l.requiresApproval ? { approval: { state: 'pending' as const } } : {}),
    })),
    shipping: input.shipping ?? null,
    billingAddress: input.billingAddress ?? null,
    surcharges: [],
    paid: 0,
    refunded: 0,
    payments: [],
    refunds: [],
    fulfillments: [],
    returns: [],
    metadata: input.metadata ?? {},
    // Kept in one form (toISOString), the form timers are looked up by.
    deadlines: input.payment?.expiresAt && !Number.isNaN(Date.parse(input.payment.expiresAt)) ? { payment: new Date(input.payment.expiresAt).toISOString() } : {},
    timers: [],
    ...(input.payment?.editable ? { basketEditable: true } : {}),
    ...(ctx.screening ? { screening: ctx.screening } : {}),
    version: 1,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    // Workflows whose orders start checked out (X-Cart's Awaiting payment) are placed at once.
    placedAt: wf.tracks.some((t) => t.states.find((s) => s.id === t.initial)?.placed) ? ctx.now : null,
  };
  try {
    totalsOf(draft);
  } catch {
    return reject('amount_out_of_range', 'the order total is larger than Ordo can hold exactly');
  }
  if (input.payment?.expiresAt !== undefined && Number.isNaN(Date.parse(input.payment.expiresAt))) return reject('validation_failed', 'payment.expiresAt must be an ISO date-time');
  const facts = { draft: input.draft === true, ...(input.payment ? { paymentMethod: input.payment.method } : {}) };
  const moved = react(wf, draft, 'order.created', facts, ctx.now);
  // The initial states count as entered: their stock effects and timers apply too.
  const initial = wf.tracks.map((t) => ({ track: t.id, state: t.initial }));
  const effects = applyEffects(wf, moved.order, [...initial, ...enteredBy(moved.changes)], ctx.now);
  const created: Decision = {
    order: effects.order,
    events: [{ type: 'order.created', data: { status: draft.status, ...facts } }, ...moved.changes],
    movements: effects.movements,
  };
  return input.payment && ctx.payment && isPaymentMethod(input.payment.method) ? withPayment(wf, created, input.payment, ctx) : accept(created);
}

const isPaymentMethod = (m: string): m is PaymentMethod => (PAYMENT_METHODS as readonly string[]).includes(m);

/** The payment the order is created with is part of the same decision: both are written together, or neither. */
function withPayment(wf: WorkflowDefinition, created: Decision, payment: NewOrderPayment, ctx: CreateContext): Result<Decision> {
  const ids = ctx.payment!;
  const added = decide(wf, created.order, {
    type: 'add_payment', paymentId: ids.paymentId, intentKey: ids.intentKey, gateway: ids.gateway, method: payment.method as PaymentMethod,
    ...(payment.amount !== undefined ? { amount: payment.amount } : {}),
    ...(payment.deposit !== undefined ? { deposit: payment.deposit } : {}),
    ...(payment.capture !== undefined ? { capture: payment.capture } : {}),
    ...(payment.expiresAt !== undefined ? { expiresAt: payment.expiresAt } : {}),
    ...(payment.editable !== undefined ? { editable: payment.editable } : {}),
    ...(payment.balanceDueAt !== undefined ? { balanceDueAt: payment.balanceDueAt } : {}),
    ...(payment.options ? { options: payment.options } : {}),
  }, ctx.actor, ctx.now);
  if (!added.ok) return added;
  // Still the order's first version: creating it with its payment is one change.
  return accept({ order: { ...added.value.order, version: 1 }, events: [...created.events, ...added.value.events], movements: [...created.movements, ...added.value.movements] });
}
