/**
 * decide(workflow, order, command, actor, now): the single pure entry point for changing
 * an existing order. It returns the new order, its events and the stock to move, or a
 * typed rejection; the engine persists the result. It performs nothing itself.
 */
import type { Actor } from './actor.js';
import { paymentFact } from './payments/facts.js';
import { decideCancel, type CancelCommand } from './cancellation.js';
import { decideReturn, type ReturnCommand } from './returns.js';
import { decideModify, type ModifyCommand } from './modification.js';
import { decideCancellationNotice, decideCompletion, type RecordCancellationNoticeCommand, type RecordCompletionCommand } from './completion.js';
import { decideReview, type ReviewItemsCommand } from './approval.js';
import { orderEnded, orderHeld } from './ended.js';
import { heldMoney, refundAcross } from './payments/give-back.js';
import { settleMoney, type MoneyIntent } from './payments/settle-money.js';
import type { IdSource } from './ids.js';
import { removeOrder } from './removal.js';
import { totalsOf } from './totals.js';
import { decideFulfillment, type FulfillmentCommand } from './fulfillments/decide-fulfillment.js';
import { fulfillmentFact } from './fulfillments/fulfillment.js';
import { transitionByHand } from './fulfillments/hand-transition.js';
import { decidePayment, type PaymentCommand } from './payments/decide-payment.js';
import { restockLines, type StockMovement } from './stock.js';
import { decideBasketChange, type BasketChange } from './basket.js';
import type { Decision } from './decision.js';
import { applyEffects, enteredBy } from './effects.js';
import type { OrderEvent, StatusChanged } from './events.js';
import type { Order } from './order.js';
import { accept, reject, type Result } from './result.js';
import { countFiring, extendTimer, followDeadlines, timerDefinition } from './timers.js';
import type { WorkflowDefinition } from './workflow/definition.js';
import { react } from './workflow/interpret.js';

export interface TransitionCommand {
  readonly type: 'transition';
  readonly track?: string;
  readonly to: string;
  readonly reason?: string;
}

/** A timer came due; `dueAt` names which setting of it, so a timer reset meanwhile is not fired early. */
export interface FireTimerCommand {
  readonly type: 'fire_timer';
  readonly name: string;
  readonly dueAt: string;
}

export interface ExtendTimerCommand {
  readonly type: 'extend_timer';
  readonly name: string;
}

export interface ChangeBasketCommand extends BasketChange {
  readonly type: 'change_basket';
  /** Ids for the added lines, made by the caller: the domain makes no randomness of its own. */
  readonly newLineIds: readonly string[];
}

/** Gives `amount` back across the order's payments in one decision: every refund, or none. */
export interface RefundAcrossCommand {
  readonly type: 'refund_across';
  readonly amount: number;
  readonly reason: string;
}

/** A cancellation, and whether to give back what the order then no longer costs (default: the workflow's `refundOnCancel`). */
export type CancelOrderCommand = CancelCommand & { readonly refund?: boolean };

export type OrderCommand = TransitionCommand | FireTimerCommand | ExtendTimerCommand | ChangeBasketCommand | PaymentCommand | FulfillmentCommand | CancelOrderCommand | ReturnCommand | ModifyCommand | RecordCompletionCommand | RecordCancellationNoticeCommand | ReviewItemsCommand | RecordMoneyOnlyCommand | RefundAcrossCommand;

/**
 * Money that moved at the gateway is a fact, whatever the stock says: when the workflow's
 * reaction to it needs stock that is no longer there, the money is recorded without the
 * reaction, and the shortfall is reported for the merchant to settle (restock, or refund).
 */
export interface RecordMoneyOnlyCommand {
  readonly type: 'record_money_only';
  readonly money: PaymentCommand;
  readonly shortages: readonly { readonly sku: string; readonly requested: number; readonly available: number }[];
}

const noIds: IdSource = () => {
  throw new Error('this decision needs new ids: pass an id source to decide()');
};

export function decide(wf: WorkflowDefinition, order: Order, command: OrderCommand, actor: Actor, now: Date, ids: IdSource = noIds): Result<Decision> {
  if (command.type === 'cancel' && command.refund === true && orderEnded(wf, order) && heldMoney(order) > 0) {
    // Cancelled already (by a transition, say): asking again with refund gives the money back.
    const back = refundAcross(order, heldMoney(order), `cancellation: ${command.reason}`, ids, now, true);
    return back.ok ? accept(finish(wf, back.value.order, [], back.value.events, now)) : back;
  }
  const decided = decideCommand(wf, order, command, actor, now, ids);
  return decided.ok ? settleMoney(wf, order, decided.value, moneyIntentOf(command), ids, now) : decided;
}

const moneyIntentOf = (command: OrderCommand): MoneyIntent =>
  command.type === 'cancel'
    ? { kind: 'cancel', reason: command.reason, ...(command.refund !== undefined ? { refund: command.refund } : {}) }
    : command.type === 'modify' ? { kind: 'modify', ...(command.note ? { note: command.note } : {}) } : { kind: 'other' };

function decideCommand(wf: WorkflowDefinition, order: Order, command: OrderCommand, actor: Actor, now: Date, ids: IdSource): Result<Decision> {
  switch (command.type) {
    case 'refund_across': {
      // Goodwill or a return: it changes nothing the customer owes, so no part of it is overpayment.
      const back = refundAcross(order, command.amount, command.reason, ids, now, false);
      return back.ok ? accept(finish(wf, back.value.order, [], back.value.events, now)) : back;
    }
    case 'transition': {
      const moved = transitionByHand(wf, order, command, actor, now, ids);
      return moved.ok ? accept(finish(wf, moved.value.order, moved.value.changes, moved.value.events, now, moved.value.movements)) : moved;
    }
    case 'fire_timer': {
      const timer = order.timers.find((t) => t.name === command.name && t.dueAt === command.dueAt);
      if (!timer) return reject('timer_not_found', `the order is not waiting on timer '${command.name}' due ${command.dueAt}`);
      const rest = countFiring(wf, { ...order, timers: order.timers.filter((t) => t !== timer) }, timer);
      const fired: OrderEvent = { type: 'timer.fired', data: { name: timer.name, event: timer.event, dueAt: timer.dueAt } };
      if (timerDefinition(wf, timer.track, timer.name)?.removes) {
        const removed = removeOrder(rest, now);
        return accept(finish(wf, removed.order, [], [fired, ...removed.events], now, removed.movements));
      }
      const moved = react(wf, rest, timer.event, {}, now);
      return accept(finish(wf, moved.order, moved.changes, [fired], now));
    }
    case 'extend_timer': {
      const timer = order.timers.find((t) => t.name === command.name);
      if (!timer) return reject('timer_not_found', `the order is not waiting on timer '${command.name}'`, { timers: order.timers.map((t) => t.name) });
      if (!timerDefinition(wf, timer.track, timer.name)?.extendable) return reject('timer_not_extendable', `timer '${timer.name}' cannot be extended`);
      if (timer.extended) return reject('timer_already_extended', `timer '${timer.name}' has already been extended once`, { dueAt: timer.dueAt });
      const extended = extendTimer(wf, timer)!;
      const next = { ...order, timers: order.timers.map((t) => (t === timer ? extended : t)) };
      return accept(finish(wf, next, [], [{ type: 'timer.extended', data: { name: timer.name, dueAt: extended.dueAt } }], now));
    }
    case 'change_basket':
      return decideBasketChange(wf, order, command, command.newLineIds, actor, now);
    case 'create_fulfillment':
    case 'fulfillment_transition':
      return decideGoods(wf, order, command, now);
    case 'modify': {
      const modified = decideModify(wf, order, command, actor);
      if (!modified.ok) return modified;
      // More to pay: the money's fact changes (paid -> partially paid), and workflows with an
      // additional-payment status (Vendure) hear that a payment is due.
      const due = modified.value.difference > 0 && totalsOf(modified.value.order).balance > 0 ? paymentDue(wf, modified.value.order, now) : { order: modified.value.order, changes: [] };
      const before = paymentFact(order);
      const after = paymentFact(due.order);
      const moved = after === before ? due : react(wf, due.order, `payment.${after}`, {}, now);
      const changes = after === before ? due.changes : [...due.changes, ...moved.changes];
      return accept(finish(wf, moved.order, changes, modified.value.events, now, modified.value.movements));
    }
    case 'record_money_only': {
      const money = decidePayment(wf, order, command.money, actor, now);
      if (!money.ok) return money;
      const short: OrderEvent = { type: 'stock.short', data: { shortages: command.shortages, why: 'the money was recorded; the status change it called for needs stock that is not there' } };
      return accept(finish(wf, money.value.order, [], [...money.value.events, short], now));
    }
    case 'review_items': {
      const reviewed = decideReview(order, command);
      if (!reviewed.ok) return reviewed;
      const moved = reviewed.value.outcome ? react(wf, reviewed.value.order, reviewed.value.outcome, {}, now) : { order: reviewed.value.order, changes: [] };
      return accept(finish(wf, moved.order, moved.changes, reviewed.value.events, now, reviewed.value.movements));
    }
    case 'record_completion': {
      const completed = decideCompletion(order, command);
      const moved = react(wf, completed.order, completed.outcome, {}, now);
      return accept(finish(wf, moved.order, moved.changes, completed.events, now));
    }
    case 'record_cancellation_notice': {
      const noticed = decideCancellationNotice(order, command);
      if (!noticed.ok) return noticed;
      const moved = react(wf, noticed.value.order, noticed.value.outcome, {}, now);
      return accept(finish(wf, moved.order, moved.changes, noticed.value.events, now));
    }
    case 'create_return':
    case 'return_transition': {
      const returned = decideReturn(order, command, now);
      if (!returned.ok) return returned;
      const moved = returned.value.allBack ? react(wf, returned.value.order, 'return.completed', {}, now) : { order: returned.value.order, changes: [] };
      return accept(finish(wf, moved.order, moved.changes, returned.value.events, now, returned.value.movements));
    }
    case 'cancel': {
      const ended = orderEnded(wf, order);
      if (ended) return reject('order_ended', `the order is ${ended} already`, { status: order.status });
      const cancelled = decideCancel(order, command);
      if (!cancelled.ok) return cancelled;
      // Two steps, as a cancellation is requested and then processed (Nexway's CANCEL_PENDING in between).
      const requested = react(wf, cancelled.value.order, cancelled.value.fact, {}, now);
      const processed = react(wf, requested.order, 'cancellation.processed', {}, now);
      const changes = [...requested.changes, ...processed.changes].map((c) => ({ ...c, reason: command.reason }));
      return accept(finish(wf, processed.order, changes, cancelled.value.events, now, cancelled.value.movements));
    }
    default:
      return decideMoney(wf, order, command, actor, now);
  }
}

function finish(wf: WorkflowDefinition, order: Order, changes: readonly StatusChanged[], before: readonly OrderEvent[], now: Date, movements: readonly StockMovement[] = []): Decision {
  const effects = applyEffects(wf, order, enteredBy(changes), now);
  return { order: { ...effects.order, version: order.version + 1, updatedAt: now }, events: [...before, ...changes], movements: [...movements, ...effects.movements] };
}

/** A fulfillment command, then the workflow's reaction when the goods' progress changed in kind (shipped, delivered, ...). */
function decideGoods(wf: WorkflowDefinition, order: Order, command: FulfillmentCommand, now: Date): Result<Decision> {
  const ended = command.type === 'create_fulfillment' ? orderEnded(wf, order) : undefined;
  if (ended) return reject('order_ended', `the order is ${ended}: nothing more ships`, { status: order.status });
  const held = command.type === 'create_fulfillment' ? orderHeld(wf, order) : undefined;
  if (held) return reject('order_on_hold', `the order is ${held}: nothing ships until that is settled`, { status: order.status });
  const goods = decideFulfillment(order, command, now);
  if (!goods.ok) return goods;
  const before = fulfillmentFact(order);
  const after = fulfillmentFact(goods.value.order);
  const moved = after === before ? { order: goods.value.order, changes: [] } : react(wf, goods.value.order, `fulfillment.${after}`, {}, now);
  return accept(finish(wf, moved.order, moved.changes, goods.value.events, now, goods.value.movements));
}

/** "A payment is due" may take more than one step (Vendure: PartiallyShipped -> Modifying -> ArrangingAdditionalPayment). */
function paymentDue(wf: WorkflowDefinition, order: Order, now: Date): { order: Order; changes: StatusChanged[] } {
  const first = react(wf, order, 'order.additional_payment_due', {}, now);
  const second = first.changes.length > 0 ? react(wf, first.order, 'order.additional_payment_due', {}, now) : { order: first.order, changes: [] };
  return { order: second.order, changes: [...first.changes, ...second.changes] };
}

/** A money command, then the workflow's reaction when the order's money changed in kind (paid, refunded, ...). */
function decideMoney(wf: WorkflowDefinition, order: Order, command: PaymentCommand, actor: Actor, now: Date): Result<Decision> {
  const money = decidePayment(wf, order, command, actor, now);
  if (!money.ok) return money;
  const { order: changed, events, restock } = money.value;
  const before = paymentFact(order);
  const after = paymentFact(changed);
  const facts = money.value.paymentMethod ? { paymentMethod: money.value.paymentMethod } : {};
  const timed = followDeadlines(wf, order, changed, now);
  const moved = after === before ? { order: timed, changes: [] } : react(wf, timed, `payment.${after}`, facts, now);
  const returned = restockLines(moved.order, restock);
  return accept(finish(wf, returned.order, moved.changes, events, now, returned.movements));
}

/** The engine found SKUs that ran out but allow backorders: say so, and let the workflow react (X-Cart's NB). */
export function decideBackorder(wf: WorkflowDefinition, decision: Decision, skus: readonly string[], now: Date): Decision {
  const moved = react(wf, decision.order, 'stock.backordered', {}, now);
  const effects = applyEffects(wf, moved.order, enteredBy(moved.changes), now);
  return {
    order: effects.order,
    events: [...decision.events, { type: 'stock.backordered', data: { skus } }, ...moved.changes.map((c) => ({ ...c, bySystem: true }))],
    movements: [...decision.movements, ...effects.movements],
  };
}
