/** Returns: asked for, received (restocking what is resellable), refunded against the order's payments, or rejected. */
import type pg from 'pg';
import type { Actor } from '../domain/actor.js';
import { reject, type Result } from '../domain/result.js';
import type { ReturnLine, ReturnState } from '../domain/returns.js';
import { refundRooms } from '../domain/payments/decide-payment.js';
import type { IdGenerator } from './ids.js';
import type { CommandOptions, OrderService } from './order-service.js';
import type { OrderView } from './order-view.js';
import type { PaymentService } from './payment-service.js';

export class ReturnService {
  constructor(private readonly deps: { pool: pg.Pool; newId: IdGenerator; orders: OrderService; payments: PaymentService }) {}

  create(orderId: string, input: { lines: readonly ReturnLine[]; reason: string }, actor: Actor, opts: CommandOptions = {}): Promise<Result<OrderView>> {
    return this.deps.orders.execute(orderId, { type: 'create_return', returnId: this.deps.newId(), ...input }, actor, opts);
  }

  /** Refunding pays back the returned lines first, at the gateway; the return is marked refunded once that is done. */
  async transition(returnId: string, to: ReturnState, input: { restock?: boolean }, actor: Actor, opts: CommandOptions = {}): Promise<Result<OrderView>> {
    const orderId = await this.deps.orders.orderOfRef(returnId, 'return');
    if (!orderId) return reject('return_not_found', `there is no return ${returnId}`);
    if (to === 'refunded') {
      const ret = (await this.deps.orders.find(orderId))?.returns.find((r) => r.id === returnId);
      if (ret?.state !== 'received') return this.deps.orders.execute(orderId, { type: 'return_transition', returnId, to }, actor, opts);
      // The returned lines' value, from one payment if one can cover it (the refund then names the lines), else across them.
      const order = (await this.deps.orders.find(orderId))!;
      const value = ret.lines.reduce((n, l) => n + l.quantity * (order.lines.find((x) => x.id === l.lineId)?.unitPrice ?? 0), 0);
      const single = refundRooms(order).some((r) => r.room >= value);
      const refunded = single
        ? await this.deps.payments.refund(orderId, { lines: ret.lines, reason: `return: ${ret.reason}` }, actor, opts)
        : await this.deps.payments.refundAcross(orderId, value, `return: ${ret.reason}`, actor, opts);
      if (!refunded.ok) return refunded;
      // The refund is committed: whatever becomes of marking the return, the answer is the order as it now is.
      const marked = await this.deps.orders.execute(orderId, { type: 'return_transition', returnId, to }, actor);
      return marked.ok ? marked : this.deps.orders.get(orderId, actor);
    }
    return this.deps.orders.execute(orderId, { type: 'return_transition', returnId, to, ...(input.restock !== undefined ? { restock: input.restock } : {}) }, actor, opts);
  }
}
