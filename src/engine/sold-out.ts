/**
 * The SKUs this process last saw sold out when it wrote a new order. A new order taking one of
 * them first reads the levels as committed, in one light statement that locks nothing: if they are
 * still short, it is refused on that read, and the write (the order, its history, its outbox,
 * its stock, all of which a refusal would throw away) is never sent. When a thousand buyers race
 * for the last units, those after the last one cost PostgreSQL a read each, not a write.
 *
 * Only a hint of which way to go, never an answer: the refusal is true of a state that was
 * committed when the read ran, and a SKU found with enough stock again is forgotten at once
 * (a restock by any process is seen by the next read).
 */
import type { Shortage, StockMovement } from '../domain/stock.js';

/** More than a shop sells out of at once; past it, the oldest are forgotten. */
const SKUS_KEPT = 1000;

export class SoldOut {
  readonly #skus = new Set<string>();

  /** Whether a new order's movements take a SKU seen sold out. */
  touches(movements: readonly StockMovement[]): boolean {
    return this.#skus.size > 0 && movements.some((m) => this.#skus.has(m.sku));
  }

  /** What a check of `movements` found: the SKUs short now, the others not (any more). */
  found(movements: readonly StockMovement[], shortages: readonly Shortage[]): void {
    for (const m of movements) this.#skus.delete(m.sku);
    for (const s of shortages) this.#skus.add(s.sku);
    for (const sku of this.#skus) {
      if (this.#skus.size <= SKUS_KEPT) break;
      this.#skus.delete(sku);
    }
  }
}
