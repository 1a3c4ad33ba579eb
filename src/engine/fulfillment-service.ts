/** Fulfillments: parcels of an order's lines, and the steps each parcel goes through. */
import type pg from 'pg';
import type { Actor } from '../domain/actor.js';
import type { FulfillmentLine, FulfillmentState } from '../domain/fulfillments/fulfillment.js';
import { reject, type Result } from '../domain/result.js';
import type { IdGenerator } from './ids.js';
import type { CommandOptions, OrderService } from './order-service.js';
import type { OrderView } from './order-view.js';

export interface NewFulfillment {
  readonly lines: readonly FulfillmentLine[];
  readonly carrier?: string;
  readonly trackingNumber?: string;
  readonly trackingUrl?: string;
}

export class FulfillmentService {
  constructor(private readonly deps: { pool: pg.Pool; newId: IdGenerator; orders: OrderService }) {}

  create(orderId: string, input: NewFulfillment, actor: Actor, opts: CommandOptions = {}): Promise<Result<OrderView>> {
    return this.deps.orders.execute(orderId, { type: 'create_fulfillment', fulfillmentId: this.deps.newId(), ...input }, actor, opts);
  }

  async transition(fulfillmentId: string, to: FulfillmentState, actor: Actor, opts: CommandOptions = {}): Promise<Result<OrderView>> {
    const orderId = await this.deps.orders.orderOfRef(fulfillmentId, 'fulfillment');
    if (!orderId) return reject('fulfillment_not_found', `there is no fulfillment ${fulfillmentId}`);
    return this.deps.orders.execute(orderId, { type: 'fulfillment_transition', fulfillmentId, to }, actor, opts);
  }
}
