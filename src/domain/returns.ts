/**
 * Returns (RMA): the customer sends units back. A return names lines and quantities that
 * were sent, and goes requested -> received (what is resellable goes back in stock) ->
 * refunded, or requested -> rejected. The refund itself is a payment operation the engine
 * runs against the order's payments before the return is marked refunded.
 */
import type { FulfillmentEvent } from './events.js';
import type { Order, OrderLine } from './order.js';
import { accept, reject, type Result } from './result.js';
import { committedOf, type StockMovement } from './stock.js';
import { fulfilledOf } from './fulfillments/fulfillment.js';
import type { OrderReturn, ReturnLine, ReturnState } from './return-record.js';

export { RETURN_STATES, type OrderReturn, type ReturnLine, type ReturnState } from './return-record.js';

const NEXT: Readonly<Record<ReturnState, readonly ReturnState[]>> = {
  requested: ['received', 'rejected'],
  received: ['refunded'],
  refunded: [],
  rejected: [],
};


export interface CreateReturnCommand {
  readonly type: 'create_return';
  readonly returnId: string;
  readonly lines: readonly ReturnLine[];
  readonly reason: string;
}

export interface ReturnTransitionCommand {
  readonly type: 'return_transition';
  readonly returnId: string;
  readonly to: ReturnState;
  /** On receiving: whether the units are resellable and go back in stock (default true). */
  readonly restock?: boolean;
}

export type ReturnCommand = CreateReturnCommand | ReturnTransitionCommand;

export interface ReturnDecision {
  readonly order: Order;
  readonly events: readonly FulfillmentEvent[];
  readonly movements: readonly StockMovement[];
  /** Every unit sent has come back. */
  readonly allBack: boolean;
}

/** Units of a line that left in parcels (shipped or delivered) and are still part of the order. */
const sentOf = (order: Order, l: OrderLine) => Math.min(fulfilledOf(order, l.id, ['shipped', 'delivered']), l.quantity);
const returningOf = (order: Order, lineId: string) =>
  order.returns.filter((r) => r.state !== 'rejected').flatMap((r) => r.lines).filter((x) => x.lineId === lineId).reduce((n, x) => n + x.quantity, 0);

export function decideReturn(order: Order, cmd: ReturnCommand, now: Date): Result<ReturnDecision> {
  if (cmd.type === 'create_return') {
    if (cmd.lines.length === 0) return reject('validation_failed', 'a return names at least one line');
    for (const l of cmd.lines) {
      const line = order.lines.find((x) => x.id === l.lineId);
      if (!line) return reject('line_not_found', `the order has no line ${l.lineId}`, { lineIds: [l.lineId] });
      const left = sentOf(order, line) - returningOf(order, l.lineId);
      if (l.quantity < 1 || l.quantity > left) return reject('return_exceeds_sent', `line ${l.lineId} has ${left} sent unit(s) that can still come back`, { lineId: l.lineId, left });
    }
    const created: OrderReturn = { id: cmd.returnId, lines: cmd.lines, reason: cmd.reason, state: 'requested', restocked: 0, createdAt: now.toISOString(), updatedAt: now.toISOString() };
    return accept({ order: { ...order, returns: [...order.returns, created] }, events: [{ type: 'return.created', data: { returnId: created.id, lines: created.lines, reason: created.reason } }], movements: [], allBack: false });
  }
  const ret = order.returns.find((r) => r.id === cmd.returnId);
  if (!ret) return reject('return_not_found', `there is no return ${cmd.returnId} on this order`);
  if (!NEXT[ret.state].includes(cmd.to)) return reject('transition_not_allowed', `a ${ret.state} return cannot become ${cmd.to}`, { from: ret.state, to: cmd.to, allowed: NEXT[ret.state] });
  const movements: StockMovement[] = [];
  let lines = order.lines;
  let restocked = ret.restocked;
  if (cmd.to === 'received' && cmd.restock !== false) {
    lines = order.lines.map((l) => {
      const back = Math.min(ret.lines.filter((x) => x.lineId === l.id).reduce((n, x) => n + x.quantity, 0), committedOf(l));
      if (back === 0) return l;
      movements.push({ sku: l.sku, kind: 'restock', quantity: back, lineId: l.id });
      restocked += back;
      // Back in the building: no longer out, so a later parcel or release counts it right.
      return { ...l, committed: committedOf(l) - back, fulfilled: Math.max(0, (l.fulfilled ?? 0) - back), back: (l.back ?? 0) + back };
    });
  }
  const next: OrderReturn = { ...ret, state: cmd.to, restocked, updatedAt: now.toISOString() };
  const returns = order.returns.map((r) => (r.id === ret.id ? next : r));
  const sent = order.lines.reduce((n, l) => n + sentOf(order, l), 0);
  const back = returns.filter((r) => r.state === 'received' || r.state === 'refunded').flatMap((r) => r.lines).reduce((n, x) => n + x.quantity, 0);
  return accept({
    order: { ...order, lines, returns },
    events: [{ type: 'return.changed', data: { returnId: ret.id, from: ret.state, to: cmd.to, restocked: restocked - ret.restocked } }],
    movements,
    allBack: cmd.to === 'received' && sent > 0 && back >= sent,
  });
}
