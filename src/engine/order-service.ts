/**
 * Order commands and queries. A command loads the order, lets the pure domain decide, and
 * saves the new state with its history and outbox rows in one atomic write conditioned on
 * the version it read. Losing that race means someone else changed the order first: the
 * command is decided again on the fresh state, unless the caller pinned a version.
 */
import type pg from 'pg';
import type { Actor } from '../domain/actor.js';
import { decideCreate, type NewOrder } from '../domain/create-order.js';
import { decide, type OrderCommand } from '../domain/decide.js';
import type { Order } from '../domain/order.js';
import { accept, reject, type Result } from '../domain/result.js';
import type { WorkflowDefinition } from '../domain/workflow/definition.js';
import { DEFAULT_WORKFLOW, findWorkflow } from '../workflows/index.js';
import { findOrder, insertOrder, listOrders, orderHistory, updateOrder } from '../store/orders.js';
import type { Clock } from './clock.js';
import type { IdGenerator } from './ids.js';
import { presentHistory, presentOrder, type HistoryEntryView, type OrderView } from './order-view.js';
import { recordsFor } from './records.js';

/** How often a command is decided again after losing a race before it gives up. */
const MAX_ATTEMPTS = 8;

export interface OrderServiceDeps {
  readonly pool: pg.Pool;
  readonly clock: Clock;
  readonly newId: IdGenerator;
}

export interface CreateOrderInput extends NewOrder {
  readonly workflow?: string;
}

export interface CommandOptions {
  /** The version the caller last saw (If-Match); the command is refused if the order has moved on. */
  readonly expectedVersion?: number;
}

export interface ListOrdersQuery {
  readonly workflow?: string;
  readonly status?: string;
  readonly q?: string;
  readonly cursor?: string;
  readonly limit?: number;
}

export interface OrderPage {
  readonly items: readonly OrderView[];
  readonly nextCursor: string | null;
}

export class OrderService {
  constructor(private readonly deps: OrderServiceDeps) {}

  async create(input: CreateOrderInput, actor: Actor): Promise<Result<OrderView>> {
    const wf = findWorkflow(input.workflow ?? DEFAULT_WORKFLOW);
    if (!wf) return reject('unknown_workflow', `there is no workflow '${input.workflow}'`, { workflow: input.workflow });
    const now = this.deps.clock.now();
    const decided = decideCreate(wf, input, { id: this.deps.newId(), lineIds: input.lines.map(() => this.deps.newId()), actor, now });
    if (!decided.ok) return decided;
    const { order, events } = decided.value;
    const { history, outbox } = recordsFor(order, events, actor, now, this.deps.newId);
    const saved = await insertOrder(this.deps.pool, order, history, outbox);
    return accept(presentOrder(saved, wf, actor));
  }

  async get(id: string, actor: Actor): Promise<Result<OrderView>> {
    const found = await this.load(id, actor);
    return found.ok ? accept(presentOrder(found.value.order, found.value.wf, actor)) : found;
  }

  async list(query: ListOrdersQuery, actor: Actor): Promise<OrderPage> {
    const limit = Math.min(Math.max(query.limit ?? 20, 1), 100);
    const rows = await listOrders(this.deps.pool, {
      ...(query.workflow ? { workflow: query.workflow } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(query.q ? { q: query.q } : {}),
      ...(query.cursor ? { after: query.cursor } : {}),
      ...(actor.kind === 'customer' ? { customerId: actor.customerId ?? '' } : {}),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    return {
      items: page.flatMap((o) => {
        const wf = findWorkflow(o.workflow);
        return wf ? [presentOrder(o, wf, actor)] : [];
      }),
      nextCursor: rows.length > limit ? page[page.length - 1]!.id : null,
    };
  }

  async history(id: string, actor: Actor): Promise<Result<readonly HistoryEntryView[]>> {
    const found = await this.load(id, actor);
    if (!found.ok) return found;
    return accept((await orderHistory(this.deps.pool, id)).map(presentHistory));
  }

  /** Runs a command against the order's current state; see the class comment for races. */
  async execute(id: string, command: OrderCommand, actor: Actor, opts: CommandOptions = {}): Promise<Result<OrderView>> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const found = await this.load(id, actor);
      if (!found.ok) return found;
      const { order, wf } = found.value;
      if (opts.expectedVersion !== undefined && opts.expectedVersion !== order.version) return versionMismatch(order, opts.expectedVersion);
      const now = this.deps.clock.now();
      const decided = decide(wf, order, command, actor, now);
      if (!decided.ok) return decided;
      const { history, outbox } = recordsFor(decided.value.order, decided.value.events, actor, now, this.deps.newId);
      if (await updateOrder(this.deps.pool, decided.value.order, order.version, history, outbox)) {
        return accept(presentOrder(decided.value.order, wf, actor));
      }
      if (opts.expectedVersion !== undefined) return versionMismatch(order, opts.expectedVersion, 'the order changed while this command ran');
    }
    return reject('concurrent_update', 'the order is being changed by others too often; try again');
  }

  private async load(id: string, actor: Actor): Promise<Result<{ order: Order; wf: WorkflowDefinition }>> {
    const order = isUuid(id) ? await findOrder(this.deps.pool, id) : undefined;
    // A customer is told an order of someone else does not exist, rather than that it is hidden.
    if (!order || (actor.kind === 'customer' && order.customer.id !== actor.customerId)) return reject('order_not_found', `there is no order '${id}'`);
    const wf = findWorkflow(order.workflow);
    if (!wf) throw new Error(`order ${id} uses workflow '${order.workflow}', which this Ordo does not have`);
    return accept({ order, wf });
  }
}

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

const versionMismatch = (order: Order, expected: number, why?: string) =>
  reject('version_mismatch', why ?? `the order is at version ${order.version}, not ${expected}`, { currentVersion: order.version, expectedVersion: expected });
