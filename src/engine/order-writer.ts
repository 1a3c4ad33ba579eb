/**
 * Writing what the domain decided. Without a callback to note or an Idempotency-Key to commit,
 * a decision is one statement (the stock it moves included, on plain PostgreSQL), conditioned on
 * the version of the order it was decided on; otherwise one transaction. Either writes all of it
 * or nothing: a refusal for want of stock, or a lost race ('conflict'), leaves no trace.
 */
import type pg from 'pg';
import type { Actor } from '../domain/actor.js';
import { decideBackorder } from '../domain/decide.js';
import type { Decision } from '../domain/decision.js';
import { numberDue } from '../domain/numbering.js';
import { formatOrderCode, type Order } from '../domain/order.js';
import { accept, reject, type Rejection, type Result } from '../domain/result.js';
import { checkStock, movementDeltas, type Shortage, type StockMovement } from '../domain/stock.js';
import type { WorkflowDefinition } from '../domain/workflow/definition.js';
import { usesScreening } from '../domain/workflow/guards.js';
import { inTransaction, onConnection, type Db } from '../store/database.js';
import type { StoreDialect } from '../store/dialect.js';
import { applyMovements, lockLevels, readLevelsAndRevision, type MovementRow } from '../store/inventory.js';
import type { BatchedSave } from '../store/order-batch.js';
import { searchChanged } from '../store/order-rows.js';
import { insertOrder, lockOrderAt, nextOrderCode, recordGatewayEvent, updateOrder, type Changed, type StockShortfall } from '../store/orders.js';
import { commitClaim, uncommittedClaim, type KeyClaim } from './idempotency-service.js';
import type { IdGenerator } from './ids.js';
import { keyNotLive, type KeyCheck } from './key-check.js';
import { presentOrder } from './order-view.js';
import { recordsFor } from './records.js';
import { Refused, refusable } from './refused.js';
import { SoldOut } from './sold-out.js';

/** A gateway's callback, applied at most once to an order (its id noted in the same transaction). */
export interface GatewayEventOnce {
  readonly gateway: string;
  readonly eventId: string;
}

/** What a write must honour besides the decision. */
export interface WriteOptions {
  /** A gateway callback to note as applied, with the write. */
  readonly once?: GatewayEventOnce;
  /** The transaction that already holds the order's row lock. */
  readonly tx?: pg.PoolClient;
  /** The request's key, not read again for it: the write checks it (key-check.ts). */
  readonly key?: KeyCheck;
}

export interface OrderWriterDeps {
  readonly pool: pg.Pool;
  readonly newId: IdGenerator;
  /** Which form of the stock lock the database takes (Citus or plain PostgreSQL). */
  readonly dialect: StoreDialect;
}

export class OrderWriter {
  readonly #soldOut = new SoldOut();

  constructor(private readonly deps: OrderWriterDeps) {}

  /**
   * Writes a decision. Without a callback to note or an Idempotency-Key to commit, it is one
   * statement, the stock it moves included where the store can (plain PostgreSQL); a SKU that
   * would go below zero available makes it write nothing, and it is refused from what that
   * statement saw. Otherwise, and when such a SKU allows backorders (the domain then decides
   * under the SKUs' locks), it is one transaction (see `writeIn`). A new order taking a SKU this
   * process saw sold out is first checked on a read of the levels (`stillSoldOut`). A key not
   * read again for the request is checked by the one-statement write, else read before
   * anything is written.
   */
  async persist(wf: WorkflowDefinition, before: Order | undefined, decision: Decision, actor: Actor, now: Date, opts: WriteOptions = {}): Promise<Result<Order> | 'conflict'> {
    const { once, tx, key } = opts;
    const claim = uncommittedClaim();
    const moves = decision.movements.length > 0;
    const plain = this.deps.dialect.name === 'plain';
    // Nothing to commit with it (a callback to note, an Idempotency-Key's answer): it may go alone.
    const alone = !once && !claim && !tx;
    if (tx) return (await this.deadKey(key)) ?? this.writeIn(tx, true, wf, before, decision, actor, now, once, claim);
    // The one statement (writeAlone) checks the key itself.
    if (alone && !before && moves) {
      // Which way a new order that takes stock goes is decided once it holds a connection: in a
      // rush, the buyers queued for one learn of a sell-out that came while they waited.
      const done = await onConnection(this.deps.pool, async (db) => {
        const refused = this.#soldOut.touches(decision.movements) ? await this.stillSoldOut(db, wf, decision) : undefined;
        return refused ?? (plain ? this.writeAlone(db, wf, before, decision, actor, now, key) : undefined);
      });
      if (done) return done;
    } else if (alone && (!moves || plain)) {
      const done = await this.writeAlone(this.deps.pool, wf, before, decision, actor, now, key);
      if (done) return done;
    }
    // Every other write is a transaction, on a key read first.
    const dead = await this.deadKey(key);
    if (dead) return dead;
    const saved = await refusable<Result<Order>, Rejection | 'conflict'>(() =>
      inTransaction(this.deps.pool, (client) => this.writeIn(client, false, wf, before, decision, actor, now, once, claim).then((r) => {
        if (r === 'conflict' || !r.ok) throw new Refused(r);
        return r;
      })),
    );
    // Committed: the request's key now answers with this change, whatever follows.
    if (claim && saved !== 'conflict' && saved.ok) claim.committed = true;
    return saved;
  }

  /** The refusal of a key read now and found dead; undefined when it is live (or there is none to check). */
  private async deadKey(key: KeyCheck | undefined): Promise<Result<never> | undefined> {
    return key && !(await key.live()) ? keyNotLive() : undefined;
  }

  /**
   * The one-statement write, the stock it moves included (plain PostgreSQL); undefined when a SKU
   * that allows backorders would go below zero (nothing was written: the transaction decides).
   */
  private async writeAlone(db: Db, wf: WorkflowDefinition, before: Order | undefined, decision: Decision, actor: Actor, now: Date, key?: KeyCheck): Promise<Result<Order> | 'conflict' | undefined> {
    const movements = decision.movements.length > 0 ? decision.movements.map((m) => movementRow(m, decision.order.id, actor, now, this.deps.newId())) : undefined;
    const saved = await this.write(db, wf, before, decision, actor, now, movements, key);
    if (saved === 'conflict') return saved;
    if (saved === 'key_not_live') {
      key?.refused();
      return keyNotLive();
    }
    if (!('short' in saved)) {
      // Written, hence the key was live (a shortfall wrote nothing and proves nothing).
      key?.proven();
      return accept(saved);
    }
    if (saved.short.some((s) => s.backorders)) return undefined;
    // Short, and no SKU of the shortfall allows backorders: the refusal needs no transaction.
    const shortages = saved.short.map((s) => ({ sku: s.sku, requested: s.take, available: Math.max(s.available, 0) }));
    if (!before) this.#soldOut.found(decision.movements, shortages);
    return insufficientStock(shortages);
  }

  /**
   * A new order's refusal for want of stock, if the SKUs it takes are still short as last
   * committed (see sold-out.ts); undefined to write it as usual. Decided on a workflow whose
   * changes moved on since, it is written as usual, to be decided again.
   */
  private async stillSoldOut(db: Db, wf: WorkflowDefinition, decision: Decision): Promise<Result<never> | undefined> {
    const { movements, order } = decision;
    const { revision, levels } = await readLevelsAndRevision(db, movements.map((m) => m.sku), order.workflow);
    if (revision !== undefined && revision !== (wf.revision ?? 0)) return undefined;
    const { shortages } = checkStock(movements, levels);
    this.#soldOut.found(movements, shortages);
    return shortages.length > 0 ? insufficientStock(shortages) : undefined;
  }

  /**
   * The transactional write: note the callback as applied, lock the order at the version the
   * decision was made on (unless `locked` already), lock the SKUs' rows in a fixed order, check
   * the levels (the domain says whether they fit, or which SKUs go to backorder), move them,
   * write the order, and commit the request's Idempotency-Key with the answer.
   */
  private async writeIn(tx: pg.PoolClient, locked: boolean, wf: WorkflowDefinition, before: Order | undefined, decision: Decision, actor: Actor, now: Date, once: GatewayEventOnce | undefined, claim: KeyClaim | undefined): Promise<Result<Order> | 'conflict'> {
    // The order first: a decision made on an order that moved on must not move stock.
    if (before && !locked && !(await lockOrderAt(tx, before.id, before.version))) return 'conflict';
    // Every refusal comes before the first write, so that a locked caller may try another decision in the same transaction.
    let final = decision;
    const levels = decision.movements.length > 0 ? await lockLevels(tx, this.deps.dialect, decision.movements.map((m) => m.sku)) : new Map();
    const { shortages, backordered } = checkStock(final.movements, levels);
    if (shortages.length > 0) {
      if (!before) this.#soldOut.found(decision.movements, shortages);
      return insufficientStock(shortages);
    }
    if (once && !(await recordGatewayEvent(tx, once.gateway, once.eventId, decision.order.id, now))) {
      return reject('event_already_applied', `event ${once.eventId} from ${once.gateway} was applied before`);
    }
    if (backordered.length > 0) final = decideBackorder(wf, final, backordered, now);
    const tracked = final.movements.filter((m) => levels.has(m.sku));
    if (tracked.length > 0) await applyMovements(tx, tracked.map((m) => movementRow(m, final.order.id, actor, now, this.deps.newId())), now);
    const saved = await this.write(tx, wf, before, final, actor, now);
    if (saved === 'conflict') return saved;
    if (saved === 'key_not_live' || 'short' in saved) throw new Error('a write given no movements and no key cannot run short or find a key revoked');
    if (claim && !(await commitClaim(tx, claim, saved.id, presentOrder(saved, wf, actor)))) {
      return reject('idempotency_key_in_progress', 'this Idempotency-Key was taken over by a retry of the request; nothing was changed');
    }
    return accept(saved);
  }

  /**
   * The order's own write: one statement with its history, outbox, timers and index rows, and
   * with `movements`, their stock (or the SKUs that would go below zero: nothing was written).
   */
  private async write(db: Db, wf: WorkflowDefinition, before: Order | undefined, decided: Decision, actor: Actor, now: Date, movements?: readonly MovementRow[], key?: KeyCheck): Promise<Order | 'conflict' | StockShortfall | 'key_not_live'> {
    const numbered = numberDue(wf, decided.order, actor, decided.events);
    // A number given later than at creation (X-Cart) is news of its own: integrations learn it from the outbox.
    const final = before && numbered ? withNumber(decided, await nextOrderCode(db)) : decided;
    const { history, outbox } = recordsFor(final.order, final.events, actor, now, this.deps.newId);
    if (!before) {
      const inserted = await insertOrder(db, final.order, wf.revision ?? 0, history, outbox, numbered, movements, key?.keyId);
      return inserted === 'stale' ? 'conflict' : inserted;
    }
    const changed = { ...indexesChanged(before, final.order), search: searchChanged(before, final.order) };
    const revision = wf.revision ?? 0;
    const guard = { revision, ...(entersCustomStatus(wf, before, final.order) ? { customRevision: revision } : {}), ...(key ? { keyId: key.keyId } : {}) };
    return (await updateOrder(db, final.order, before.version, history, outbox, changed, guard, movements)) ?? 'conflict';
  }

  /**
   * The decision as a batch's save, if it is one that cannot be refused and needs nothing the
   * batch statement does not do: no Idempotency-Key to commit, no screening at checkout, no new
   * order code, no status of the merchant's own, the search rows (the customer's text, the lines'
   * SKUs) as they were, and stock only given back.
   */
  batchable(wf: WorkflowDefinition, before: Order, decided: Decision, actor: Actor, now: Date): BatchedSave | undefined {
    const order = decided.order;
    if (uncommittedClaim() || (before.placedAt === null && order.placedAt !== null && usesScreening(wf))) return undefined;
    if (numberDue(wf, order, actor, decided.events) || entersCustomStatus(wf, before, order) || searchChanged(before, order)) return undefined;
    const takes = new Map<string, number>();
    for (const m of decided.movements) {
      const d = movementDeltas(m.kind, m.quantity);
      takes.set(m.sku, (takes.get(m.sku) ?? 0) + d.reserved - d.onHand);
    }
    if ([...takes.values()].some((take) => take > 0)) return undefined;
    const { history, outbox } = recordsFor(order, decided.events, actor, now, this.deps.newId);
    const movements = decided.movements.map((m) => movementRow(m, order.id, actor, now, this.deps.newId()));
    return { order, expectedVersion: before.version, history, outbox, changed: indexesChanged(before, order), movements };
  }
}

/** Whether a track moves into a status of the merchant's own, which a concurrent change to the workflow may be removing. */
const entersCustomStatus = (wf: WorkflowDefinition, before: Order, after: Order): boolean =>
  wf.tracks.some((t) => after.status[t.id] !== before.status[t.id] && t.states.find((s) => s.id === after.status[t.id])?.custom === true);

/** Which of an order's index tables a save must rewrite. */
const indexesChanged = (before: Order, after: Order): Changed => ({
  timers: JSON.stringify(before.timers) !== JSON.stringify(after.timers),
  payments: before.payments !== after.payments,
  // Only a new parcel or return has a ref to write: a status change of one leaves its ref as it was.
  refs: refIds(before) !== refIds(after),
});

const refIds = (order: Order) => `${order.fulfillments.map((f) => f.id).join()}|${order.returns.map((r) => r.id).join()}`;

const withNumber = (d: Decision, code: number): Decision => ({
  ...d,
  order: { ...d.order, code },
  events: [...d.events, { type: 'order.numbered', data: { code: formatOrderCode(code) } }],
});

export const insufficientStock = (shortages: readonly Shortage[]) =>
  reject('insufficient_stock', `not enough stock: ${shortages.map((s) => `${s.sku} (asked ${s.requested}, available ${s.available})`).join(', ')}`, { shortages });

function movementRow(m: StockMovement, orderId: string, actor: Actor, now: Date, id: string): MovementRow {
  const d = movementDeltas(m.kind, m.quantity);
  return { id, sku: m.sku, kind: m.kind, quantity: m.quantity, on_hand_delta: d.onHand, reserved_delta: d.reserved, order_id: orderId, line_id: m.lineId ?? null, reason: null, actor_kind: actor.kind, actor_id: actor.id ?? null, at: now };
}
