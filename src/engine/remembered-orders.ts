/**
 * What this process remembers of the orders it answered with. Only ever a shortcut: a command
 * decided on a remembered order saves only if the stored order is still at that version and the
 * workflow's changes at that revision (the order service's writes check both), and a refusal is
 * never answered from it (it may be out of date).
 */
import { LRUCache } from 'lru-cache';
import type { Order } from '../domain/order.js';
import type { WorkflowDefinition } from '../domain/workflow/definition.js';
import { isUuid } from './ids.js';

/** An order with the workflow it is decided on. */
export interface Loaded {
  readonly order: Order;
  readonly wf: WorkflowDefinition;
}

/** What a route or a gateway's callback may name alone, without its order. */
export type OwnedKind = 'fulfillment' | 'return' | 'payment';

/** The orders answered with last: enough for the orders being worked on now. */
const ORDERS_KEPT = 500;

/**
 * Which order a fulfillment, a return or a payment belongs to never changes: the answers are kept
 * (the most used 10,000, a process's recent work; a miss is one indexed read). At 50,000 the
 * cache alone held about 10 MB once full, a tenth of the server's memory under load.
 */
const OWNERS_KEPT = 10_000;

export class RememberedOrders {
  readonly #recent = new LRUCache<string, Loaded>({ max: ORDERS_KEPT });
  readonly #owners = new LRUCache<string, string>({ max: OWNERS_KEPT });

  /** The order as this process last answered it, with the workflow it was decided on. */
  recent(id: string): Loaded | undefined {
    return this.#recent.get(id);
  }

  /** Remembers an answer: the order, and that its parcels, returns and payments are its own. */
  keep(order: Order, wf: WorkflowDefinition): void {
    // A removed order is found by no command; one that moved to another workflow is decided on that one's.
    if (order.removedAt === undefined && order.workflow === wf.name) this.#recent.set(order.id, { order, wf });
    else this.#recent.delete(order.id);
    // Its own for good: a command that names one alone (the next step of a parcel this process
    // just made) needs no lookup of the order.
    for (const f of order.fulfillments) this.#owners.set(`fulfillment:${f.id}`, order.id);
    for (const r of order.returns) this.#owners.set(`return:${r.id}`, order.id);
    for (const p of order.payments) this.#owners.set(`payment:${p.id}`, order.id);
  }

  /** Forgets the order as answered (it is out of date): the next command reads it. */
  forget(id: string): void {
    this.#recent.delete(id);
  }

  /**
   * The order as last answered here if that is version `version` or later: a committed state at
   * least as new as the change the caller is about.
   */
  answeredSince(id: string, version: number): Loaded | undefined {
    const kept = this.#recent.get(id);
    return kept && kept.order.version >= version ? kept : undefined;
  }

  /** The order `id` (a `kind`) belongs to: remembered, else `read` once and remembered. */
  async ownerOf(kind: OwnedKind, id: string, read: () => Promise<string | undefined>): Promise<string | undefined> {
    if (!isUuid(id)) return undefined;
    const key = `${kind}:${id}`;
    const kept = this.#owners.get(key);
    if (kept) return kept;
    const found = await read();
    if (found) this.#owners.set(key, found);
    return found;
  }
}
