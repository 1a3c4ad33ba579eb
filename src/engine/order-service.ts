/**
 * Order commands and queries. A command loads the order, lets the pure domain decide, and
 * saves the new state with its history and outbox rows in one atomic write conditioned on
 * the version it read. Losing that race means someone else changed the order first: the
 * command is decided again on the fresh state, unless the caller pinned a version. After two
 * lost races it takes the path that cannot lose: it locks the order's row and decides under
 * the lock. Once a change is committed, the answer is that change, whatever follows it.
 */
import type pg from 'pg';
import type { Actor } from '../domain/actor.js';
import { decideCreate, type NewOrder, type NewOrderLine } from '../domain/create-order.js';
import { decide, type OrderCommand, type RecordMoneyOnlyCommand } from '../domain/decide.js';
import type { PaymentCommand } from '../domain/payments/decide-payment.js';
import type { BasketChange } from '../domain/basket.js';
import { isOffline } from '../domain/payments/decide-payment.js';
import type { PaymentMethod } from '../domain/payments/payment.js';
import { checkStock } from '../domain/stock.js';
import type { Order } from '../domain/order.js';
import { accept, reject, type Rejection, type Result } from '../domain/result.js';
import type { WorkflowDefinition } from '../domain/workflow/definition.js';
import { usesScreening } from '../domain/workflow/guards.js';
import type { Screening } from '../domain/fraud.js';
import { DEFAULT_WORKFLOW } from '../workflows/index.js';
import { inTransaction } from '../store/database.js';
import type { StoreDialect } from '../store/dialect.js';
import { readLevels } from '../store/inventory.js';
import { findOrder, findOrderForCommand, listOrders, orderHistory, orderIdOfPayment, orderIdOfRef, type OrderForCommand } from '../store/orders.js';
import { saveOrders, type BatchedSave } from '../store/order-batch.js';
import type { Clock } from './clock.js';
import type { Metrics } from './metrics.js';
import { isUuid, type IdGenerator } from './ids.js';
import { customerStatusFilter, presentHistory, presentOrder, presentPage, type HistoryEntryView, type OrderPage, type OrderView } from './order-view.js';
import { RememberedOrders, type Loaded } from './remembered-orders.js';
import { Refused, refusable } from './refused.js';
import { insufficientStock, OrderWriter, type GatewayEventOnce } from './order-writer.js';
import { uncommittedClaim } from './idempotency-service.js';
import { keyNotLive, type KeyCheck } from './key-check.js';
import type { WorkflowCatalog } from './workflow-catalog.js';
import { isAnyCustomer, viaOf } from './api-key-service.js';
import { inParallel } from './in-parallel.js';
import { Turns } from './turns.js';
import type { AskedLine, PriceService } from './price-service.js';

/** How often a command is decided on an unlocked read before it decides under the order's row lock (default). */
const OPTIMISTIC_ATTEMPTS = 2;

export interface OrderServiceDeps {
  readonly pool: pg.Pool;
  readonly clock: Clock;
  readonly newId: IdGenerator;
  readonly workflows: WorkflowCatalog;
  /** Which form of the stock lock the database takes (Citus or plain PostgreSQL). */
  readonly dialect: StoreDialect;
  /** Fraud screening, for workflows that send flagged orders to review. */
  readonly screen?: (order: Order) => Promise<Screening>;
  /** Hears what failed after a change was saved (a gateway down for an automatic capture): the change stands. */
  readonly onError?: (err: unknown) => void;
  /** The gateway that takes card, link and local payments (default `simulated`). */
  readonly onlineGateway?: string;
  /** Races a command may lose on an unlocked read before it takes the order's row lock (default 2; 0: always locked). */
  readonly optimisticAttempts?: number;
  /** Prices lines the caller may not (or did not) price itself; without it every line must carry its price. */
  readonly prices?: Pick<PriceService, 'price'>;
  /** Counts commands by type and result, for /metrics. */
  readonly metrics?: Pick<Metrics, 'command'>;
}

export interface CreateOrderInput extends Omit<NewOrder, 'lines'> {
  readonly workflow?: string;
  /** A line without unitPrice takes the SKU's price on file; a customer token's lines always do. */
  readonly lines: readonly AskedLine[];
}

export interface CommandOptions {
  /** The version the caller last saw (If-Match); the command is refused if the order has moved on. */
  readonly expectedVersion?: number;
  /** A gateway callback's id: the command applies only if this event was not applied before. */
  readonly once?: GatewayEventOnce;
  /** The request's key, as this process knew it and did not read again for it: the write checks it. */
  readonly key?: KeyCheck;
}

export interface ListOrdersQuery {
  readonly workflow?: string;
  readonly status?: string;
  readonly q?: string;
  readonly cursor?: string;
  readonly limit?: number;
}

export type { OrderPage } from './order-view.js';
export type { Loaded } from './remembered-orders.js';

/**
 * Work that follows a saved change, outside its transaction (gateway calls, completion steps);
 * true if it changed the order. `before` is the order as the change found it (none for a new one).
 */
export type AfterSave = (order: Order, wf: WorkflowDefinition, before: Order | undefined) => Promise<boolean>;

export class OrderService {
  #afterSave: AfterSave[] = [];
  /**
   * Each order as this process last answered it: the next command on it is decided on that,
   * without reading it, and saved only if the stored order is still that one, so a decision made
   * on it is the one a fresh read would have given. A refusal is decided again on the order as stored.
   */
  readonly #remembered = new RememberedOrders();
  readonly #writer: OrderWriter;

  constructor(private readonly deps: OrderServiceDeps) {
    this.#writer = new OrderWriter(deps);
  }

  /** The gateway that takes card, link and local payments: the first one this deployment enabled. */
  get onlineGateway(): string {
    return this.deps.onlineGateway ?? 'simulated';
  }

  /** Wiring only: createOrdo registers what must follow a saved change. */
  onSaved(fn: AfterSave): void {
    this.#afterSave.push(fn);
  }

  /**
   * Runs what follows a saved change. The change is committed: whatever fails here is reported,
   * never answered as the command's failure, and is picked up again by the recovery loops
   * (an intent recorded before its gateway call, a completion step still due).
   */
  private async saved(order: Order, wf: WorkflowDefinition, before: Order | undefined): Promise<boolean> {
    let changed = false;
    for (const fn of this.#afterSave) {
      try {
        changed = (await fn(order, wf, before)) || changed;
      } catch (err) {
        changed = true;
        (this.deps.onError ?? reportToConsole)(err);
      }
    }
    return changed;
  }

  async create(asked: CreateOrderInput, caller: Actor): Promise<Result<OrderView>> {
    return viewOf(await this.createAnswered(asked, caller));
  }

  /** `create`, answered with the order behind the view too (for the engine's own follow-ups: gateway calls). */
  async createAnswered(asked: CreateOrderInput, caller: Actor, key?: KeyCheck): Promise<Result<Answered>> {
    return this.counted('create', await this.createOrder(asked, caller, key));
  }

  /** `key`: the request's key, not read again for it: the insert checks it. */
  private async createOrder(asked: CreateOrderInput, caller: Actor, key?: KeyCheck): Promise<Result<Answered>> {
    const name = asked.workflow ?? DEFAULT_WORKFLOW;
    let wf = await this.deps.workflows.latest(name);
    if (!wf) return reject('unknown_workflow', `there is no workflow '${asked.workflow}'`, { workflow: asked.workflow });
    const lines = this.deps.prices ? await this.deps.prices.price(asked.lines, asked.currency, caller) : pricedAsSent(asked.lines);
    if (!lines.ok) return lines;
    const input = { ...asked, lines: lines.value };
    // A storefront key for every customer acts as the customer the order names.
    const actor: Actor = isAnyCustomer(caller) && asked.customer?.id ? { ...caller, customerId: asked.customer.id } : caller;
    // Decided on the workflow as last seen here; if its changes moved on since, on them as they now are.
    for (let attempt = 1; ; attempt++) {
      const made = await this.createOn(wf, input, actor, key);
      if (made !== 'conflict') return made;
      if (attempt === 3) return reject('concurrent_update', `the workflow '${name}' changed while this order was created; try again`);
      wf = (await this.deps.workflows.get(name))!;
    }
  }

  /** Decides and writes a new order on `wf`; 'conflict' if the workflow's stored changes are no longer those of `wf`. */
  private async createOn(wf: WorkflowDefinition, input: NewOrder & { workflow?: string }, actor: Actor, key?: KeyCheck): Promise<Result<Answered> | 'conflict'> {
    const now = this.deps.clock.now();
    const payment = input.payment ? { paymentId: this.deps.newId(), intentKey: this.deps.newId(), gateway: gatewayFor(input.payment.method, this.onlineGateway) } : undefined;
    const ctx = { id: this.deps.newId(), lineIds: input.lines.map(() => this.deps.newId()), actor, now, ...(payment ? { payment } : {}) };
    let decided = decideCreate(wf, input, ctx);
    if (!decided.ok) return decided;
    // Screening looks at the order as built; its verdict is then part of the same creation.
    if (usesScreening(wf)) {
      const screening = await this.screen(decided.value.order);
      decided = decideCreate(wf, input, { ...ctx, screening });
      if (!decided.ok) return decided;
    }
    const saved = await this.#writer.persist(wf, undefined, decided.value, actor, now, key ? { key } : {});
    if (saved === 'conflict' || !saved.ok) return saved;
    return this.answer(saved.value, wf, undefined, actor);
  }

  /** The answer to a committed change: the order as it is once what follows the change has run. Never a refusal. */
  private async answer(order: Order, wf: WorkflowDefinition, before: Order | undefined, actor: Actor): Promise<Result<Answered>> {
    // Kept before what follows runs: a follow-up command on the order starts from this version.
    this.#remembered.keep(order, wf);
    const now = (await this.saved(order, wf, before)) ? ((await this.find(order.id)) ?? order) : order;
    if (now !== order) this.#remembered.keep(now, wf);
    return accept({ view: presentOrder(now, wf, actor), order: now, wf });
  }

  /** How `actor` sees an order this service answered with (for another caller). */
  present(answered: Answered, actor: Actor): OrderView {
    return presentOrder(answered.order, answered.wf, actor);
  }

  async get(id: string, actor: Actor): Promise<Result<OrderView>> {
    const found = await this.load(id, actor);
    return found.ok ? accept(presentOrder(found.value.order, found.value.wf, actor)) : found;
  }

  async list(query: ListOrdersQuery, actor: Actor): Promise<OrderPage> {
    const limit = Math.min(Math.max(query.limit ?? 20, 1), 100);
    const workflows = await this.deps.workflows.list();
    const statuses = query.status === undefined ? undefined : actor.kind === 'customer' ? customerStatusFilter(query.status, workflows) : [query.status];
    if (statuses && statuses.length === 0) return { items: [], nextCursor: null };
    const rows = await listOrders(this.deps.pool, {
      ...(query.workflow ? { workflow: query.workflow } : {}),
      ...(statuses ? { statuses } : {}),
      ...(query.q ? { q: query.q } : {}),
      ...(query.cursor ? { after: query.cursor } : {}),
      ...(actor.kind === 'customer' && !isAnyCustomer(actor) ? { customerId: actor.customerId ?? '' } : {}),
      limit: limit + 1,
    });
    return presentPage(rows, limit, workflows, actor);
  }

  async history(id: string, actor: Actor): Promise<Result<readonly HistoryEntryView[]>> {
    const found = await this.load(id, actor);
    if (!found.ok) return found;
    return accept(presentHistory(await orderHistory(this.deps.pool, id), found.value.wf, actor));
  }

  /** Runs a command against the order's current state; see the class comment for races. */
  async execute(id: string, command: OrderCommand, actor: Actor, opts: CommandOptions = {}): Promise<Result<OrderView>> {
    return viewOf(await this.executeAnswered(id, command, actor, opts));
  }

  /** `execute`, answered with the order behind the view too (for the engine's own follow-ups: gateway calls). */
  async executeAnswered(id: string, command: OrderCommand, actor: Actor, opts: CommandOptions = {}): Promise<Result<Answered>> {
    const done = this.counted(command.type, await this.decideAndSave(id, command, actor, opts));
    return done.ok ? this.answer(done.value.saved, done.value.wf, done.value.before, actor) : done;
  }

  /**
   * For the engine's own loops (the sweeper, which reads a batch of orders in one round trip):
   * the command, on the order as `read` beforehand if given (read again only if someone changed
   * it meanwhile). What follows the change runs as for any command; the answer is the order
   * saved, not presented.
   */
  async executeRead(id: string, command: OrderCommand, actor: Actor, read?: OrderForCommand): Promise<Result<Order>> {
    const done = this.counted(command.type, await this.decideAndSave(id, command, actor, {}, read));
    if (!done.ok) return done;
    await this.saved(done.value.saved, done.value.wf, done.value.before);
    return accept(done.value.saved);
  }

  /**
   * `executeRead` for a batch of orders (the sweeper's): the saves that cannot be refused
   * (`batchable`) are written together, in one statement and one commit; an order that changed
   * since it was read, and every other command, runs as `executeRead` runs it, `concurrency` at a
   * time. What follows each saved change then runs as for any command. Answers in `items`' order.
   */
  async executeBatch(items: readonly { read: OrderForCommand; command: OrderCommand }[], actor: Actor, concurrency: number): Promise<Result<Order>[]> {
    const now = this.deps.clock.now();
    const results: Result<Order>[] = [];
    // On Citus the orders of a batch live on many shards: one statement would be a distributed transaction.
    if (this.deps.dialect.name !== 'plain') {
      await inParallel(items.map((_, i) => i), concurrency, async (i) => {
        results[i] = await this.executeRead(items[i]!.read.order.id, items[i]!.command, actor, items[i]!.read);
      });
      return results;
    }
    const written: Batched[] = [];
    const alone: number[] = [];
    const lost = new Set<number>();
    // In `concurrency` parts: PostgreSQL writes a part while the next is decided. Deciding a
    // batch of 500 takes tens of milliseconds, done in slices so that requests are not held up.
    const size = Math.ceil(items.length / concurrency);
    const turns = new Turns();
    const saving: Promise<void>[] = [];
    for (let from = 0; from < items.length; from += size) {
      const batch: Batched[] = [];
      for (let i = from; i < Math.min(from + size, items.length); i++) {
        await turns.share();
        const { read, command } = items[i]!;
        const found = this.loaded(read.order.id, read, actor);
        const decided = found.ok ? decide(found.value.wf, found.value.order, command, actor, now, this.deps.newId) : found;
        if (!found.ok || !decided.ok) {
          results[i] = this.counted(command.type, decided as Rejection);
          continue;
        }
        const save = this.#writer.batchable(found.value.wf, found.value.order, decided.value, actor, now);
        if (save) batch.push({ i, save, before: found.value.order, wf: found.value.wf });
        else alone.push(i);
      }
      saving.push(this.#saveBatch(batch, items, results, written, lost));
    }
    await Promise.all(saving);
    alone.push(...lost);
    await inParallel([...written, ...alone], concurrency, async (next) => {
      if (typeof next !== 'number') {
        await this.saved(next.save.order, next.wf, next.before);
        return;
      }
      const { read, command } = items[next]!;
      // Lost the race to another writer, or not batchable: decided again, alone (on the read only if it was never tried).
      results[next] = await this.executeRead(read.order.id, command, actor, lost.has(next) ? undefined : read);
    });
    return results;
  }

  /** Writes a batch's part in one statement; what was not written (another writer came first, or the statement failed) is `lost`. */
  async #saveBatch(batch: readonly Batched[], items: readonly { command: OrderCommand }[], results: Result<Order>[], written: Batched[], lost: Set<number>): Promise<void> {
    const saved = await saveOrders(this.deps.pool, batch.map((b) => b.save)).catch((err: unknown) => {
      // Nothing of this part was written (a deadlock, a lost connection): each of it goes alone.
      (this.deps.onError ?? reportToConsole)(err);
      return new Set<string>();
    });
    for (const b of batch) {
      if (!saved.has(b.save.order.id)) lost.add(b.i);
      else {
        results[b.i] = this.counted(items[b.i]!.command.type, accept(b.save.order));
        written.push(b);
      }
    }
  }

  private counted<T>(type: string, result: Result<T>): Result<T> {
    this.deps.metrics?.command(type, result.ok ? 'ok' : result.code);
    return result;
  }

  /**
   * `read`: the order as already read, for the first attempt.
   * Without it, the order as this process last answered it, when the command asks nothing of the
   * stored order beyond its version (no If-Match, no gateway event to note once).
   */
  private async decideAndSave(id: string, command: OrderCommand, actor: Actor, opts: CommandOptions, read?: OrderForCommand): Promise<Result<Saved>> {
    const kept = !read && opts.expectedVersion === undefined && !opts.once ? this.#kept(id, actor) : undefined;
    if (kept) {
      const outcome = await this.attempt(kept.order, kept.wf, command, actor, opts);
      if (outcome !== 'conflict' && outcome.ok) return accept({ ...outcome.value, wf: kept.wf });
      // The caller's key, not the order, is what failed: nothing to decide again.
      if (outcome !== 'conflict' && outcome.code === 'api_key_not_live') return outcome;
      // Out of date, or refused on what may be out of date (a refusal wrote nothing): decided again on the order as stored.
      this.#remembered.forget(id);
    }
    for (let attempt = 1; attempt <= (this.deps.optimisticAttempts ?? OPTIMISTIC_ATTEMPTS); attempt++) {
      const found = attempt === 1 && read ? this.loaded(id, read, actor) : await this.load(id, actor);
      if (!found.ok) return found;
      const outcome = await this.attempt(found.value.order, found.value.wf, command, actor, opts);
      if (outcome !== 'conflict') return outcome.ok ? accept({ ...outcome.value, wf: found.value.wf }) : outcome;
      if (opts.expectedVersion !== undefined) return versionMismatch(found.value.order, opts.expectedVersion, 'the order changed while this command ran');
    }
    return this.underLock(id, command, actor, opts);
  }

  /** Decides and writes once on the order as read (with `tx`: locked in that transaction); 'conflict' when someone else wrote first. */
  private async attempt(read: Order, wf: WorkflowDefinition, command: OrderCommand, actor: Actor, opts: CommandOptions, tx?: pg.PoolClient): Promise<Result<{ saved: Order; before: Order }> | 'conflict'> {
    let order = read;
    if (opts.expectedVersion !== undefined && opts.expectedVersion !== order.version) return versionMismatch(order, opts.expectedVersion);
    const now = this.deps.clock.now();
    let decided = decide(wf, order, command, actor, now, this.deps.newId);
    if (!decided.ok) return decided;
    // A cart being checked out is screened as it now is, and the checkout decided with that verdict.
    if (order.placedAt === null && decided.value.order.placedAt !== null && usesScreening(wf)) {
      order = { ...order, screening: await this.screen(order) };
      decided = decide(wf, order, command, actor, now, this.deps.newId);
      if (!decided.ok) return decided;
    }
    let saved = await this.#writer.persist(wf, order, decided.value, actor, now, { once: opts.once, tx, key: opts.key });
    if (saved !== 'conflict' && !saved.ok && saved.code === 'insufficient_stock' && MONEY_FACTS.has(command.type)) {
      // The gateway already moved the money: record it, and report the stock it could not take.
      const fallback = decide(wf, order, { type: 'record_money_only', money: command as PaymentCommand, shortages: (saved.details?.shortages ?? []) as RecordMoneyOnlyCommand['shortages'] }, actor, now, this.deps.newId);
      if (!fallback.ok) return fallback;
      saved = await this.#writer.persist(wf, order, fallback.value, actor, now, { once: opts.once, tx, key: opts.key });
    }
    if (saved === 'conflict' || !saved.ok) return saved;
    return accept({ saved: saved.value, before: order });
  }

  /**
   * The path that cannot lose a race: the order's row is locked, then read, decided and written
   * in one transaction. Only for a hot order (two races lost): the lock makes others wait.
   */
  private async underLock(id: string, command: OrderCommand, actor: Actor, opts: CommandOptions): Promise<Result<Saved>> {
    // Read before the lock is taken, not under it (the write inside would read it anyway).
    if (opts.key && !(await opts.key.live())) return keyNotLive();
    const claim = uncommittedClaim();
    const outcome = await refusable<Result<Saved>, Rejection>(() =>
      inTransaction(this.deps.pool, async (tx) => {
        const found = await this.load(id, actor, tx);
        if (!found.ok) throw new Refused(found);
        const done = await this.attempt(found.value.order, found.value.wf, command, actor, opts, tx);
        // Only the workflow's own changes can still get in the way under the lock (a custom status removed meanwhile).
        if (done === 'conflict') throw new Refused(reject('concurrent_update', 'the workflow changed while this command ran; try again'));
        if (!done.ok) throw new Refused(done);
        return accept({ ...done.value, wf: found.value.wf });
      }),
    );
    // Committed: the request's key now answers with this change, whatever follows (as `persist` notes on its own path).
    if (outcome.ok && claim) claim.committed = true;
    return outcome;
  }

  /** What the command would make of the order, without writing anything (a modification's dry run). */
  async preview(id: string, command: OrderCommand, actor: Actor): Promise<Result<{ before: OrderView; after: OrderView }>> {
    const found = await this.load(id, actor);
    if (!found.ok) return found;
    const { order, wf } = found.value;
    const decided = decide(wf, order, command, actor, this.deps.clock.now(), this.deps.newId);
    if (!decided.ok) return decided;
    // The stock as it is now (unlocked: a preview holds nothing back).
    const { shortages } = checkStock(decided.value.movements, await readLevels(this.deps.pool, decided.value.movements.map((m) => m.sku)));
    if (shortages.length > 0) return insufficientStock(shortages);
    return accept({ before: presentOrder(order, wf, actor), after: presentOrder(decided.value.order, wf, actor) });
  }

  /** The screener's verdict; a screener that fails sends the order to review rather than letting it through unscreened. */
  private async screen(order: Order): Promise<Screening> {
    if (!this.deps.screen) return { flagged: false, reasons: [] };
    try {
      return await this.deps.screen(order);
    } catch (err) {
      (this.deps.onError ?? reportToConsole)(err);
      return { flagged: true, reasons: ['the screener failed; review by hand'] };
    }
  }

  /** Adds, re-counts and removes basket lines, where the workflow lets the basket be edited. */
  async changeBasket(id: string, change: BasketChange, actor: Actor, opts: CommandOptions = {}): Promise<Result<OrderView>> {
    // A customer token never prices a line; added lines are priced as at creation (on file, where prices are enforced).
    if (viaOf(actor) === 'token' && change.addLines?.length) return reject('price_not_allowed', 'a customer token does not add priced lines to a basket');
    let addLines = change.addLines;
    if (addLines?.length && this.deps.prices) {
      const order = await this.find(id);
      if (order) {
        const priced = await this.deps.prices.price(addLines, order.currency, actor);
        if (!priced.ok) return priced;
        addLines = priced.value;
      }
    }
    const newLineIds = (addLines ?? []).map(() => this.deps.newId());
    return this.execute(id, { type: 'change_basket', ...change, ...(addLines ? { addLines } : {}), newLineIds }, actor, opts);
  }

  /** The order a fulfillment or a return belongs to (a route names the fulfillment or return alone). */
  orderOfRef(id: string, kind: 'fulfillment' | 'return'): Promise<string | undefined> {
    return this.#remembered.ownerOf(kind, id, () => orderIdOfRef(this.deps.pool, id, kind));
  }

  /** The order a payment belongs to (a gateway's callback names the payment alone). */
  orderOfPayment(id: string): Promise<string | undefined> {
    return this.#remembered.ownerOf('payment', id, () => orderIdOfPayment(this.deps.pool, id));
  }

  /** The order as last answered here, if `actor` may act on it (as `loaded` would find). */
  #kept(id: string, actor: Actor): Loaded | undefined {
    const kept = this.#remembered.recent(id);
    return kept && visibleTo(kept.order, actor) ? kept : undefined;
  }

  /**
   * The order as this process last answered it, with the workflow it was decided on, if that is
   * version `version` or later: a committed state at least as new as the change the caller is
   * about (the notifier renders an event's messages from it, rather than reading the order).
   */
  answeredSince(id: string, version: number): Loaded | undefined {
    return this.#remembered.answeredSince(id, version);
  }

  /** The order as the domain has it, for the engine's own services. */
  async find(id: string): Promise<Order | undefined> {
    return isUuid(id) ? findOrder(this.deps.pool, id) : undefined;
  }

  /** The order and its workflow as this deployment runs it; with `tx`, its row locked in that transaction. */
  private async load(id: string, actor: Actor, tx?: pg.PoolClient): Promise<Result<Loaded>> {
    return this.loaded(id, isUuid(id) ? await findOrderForCommand(tx ?? this.deps.pool, id, tx !== undefined) : undefined, actor);
  }

  private loaded(id: string, found: OrderForCommand | undefined, actor: Actor): Result<Loaded> {
    const order = found?.order;
    if (!order || !visibleTo(order, actor)) return reject('order_not_found', `there is no order '${id}'`);
    const wf = this.deps.workflows.resolve(order.workflow, found.customization);
    if (!wf) throw new Error(`order ${id} uses workflow '${order.workflow}', which this Ordo does not have`);
    return accept({ order, wf });
  }
}

/** A customer is told an order of someone else does not exist, rather than that it is hidden; a removed order exists for no one. */
const visibleTo = (order: Order, actor: Actor): boolean =>
  order.removedAt === undefined && !(actor.kind === 'customer' && !isAnyCustomer(actor) && (!actor.customerId || order.customer.id !== actor.customerId));

/** A committed command's answer: the view for its caller, and the order and workflow behind it. */
export interface Answered extends Loaded {
  readonly view: OrderView;
}

const viewOf = (r: Result<Answered>): Result<OrderView> => (r.ok ? accept(r.value.view) : r);

/** A committed change: the order saved, the order as the command found it, and its workflow. */
interface Saved {
  readonly saved: Order;
  readonly before: Order;
  readonly wf: WorkflowDefinition;
}

/** A save decided for a batch: where its answer goes, and what follows it needs. */
interface Batched {
  readonly i: number;
  readonly save: BatchedSave;
  readonly before: Order;
  readonly wf: WorkflowDefinition;
}

const reportToConsole = (err: unknown) => console.error('ordo:', err);

/** Commands that record money the gateway already moved: they are never refused for want of stock. */
const MONEY_FACTS: ReadonlySet<string> = new Set(['record_gateway_result', 'gateway_event', 'record_refund_result']);

/** Cards, links and local vouchers are paid through the deployment's gateway (the first of ORDO_GATEWAYS); the rest by hand. */
export const gatewayFor = (method: string, online: string) => (isOffline(method as PaymentMethod) ? 'manual' : online);

/** Without a price service, a line must carry its own price. */
const pricedAsSent = (lines: readonly AskedLine[]): Result<NewOrderLine[]> => {
  const i = lines.findIndex((l) => l.unitPrice === undefined);
  return i < 0 ? accept(lines as NewOrderLine[]) : reject('price_required', `line ${i + 1}: give unitPrice`, { line: i });
};


const versionMismatch = (order: Order, expected: number, why?: string) =>
  reject('version_mismatch', why ?? `the order is at version ${order.version}, not ${expected}`, { currentVersion: order.version, expectedVersion: expected });
