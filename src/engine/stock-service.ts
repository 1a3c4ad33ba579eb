/** Inventory: read a SKU's levels, set what is on the shelf (as an adjustment movement), read the ledger, check it. */
import type pg from 'pg';
import type { Actor } from '../domain/actor.js';
import { accept, reject, type Result } from '../domain/result.js';
import { movementDeltas } from '../domain/stock.js';
import { inTransaction } from '../store/database.js';
import type { StoreDialect } from '../store/dialect.js';
import { applyMovements, ensureItem, setBackorders, findLevel, ledgerMismatches, lockLevels, movementsOf, type LedgerMismatch, type MovementRow } from '../store/inventory.js';
import type { Clock } from './clock.js';
import type { IdGenerator } from './ids.js';
import { Refused, refusable } from './refused.js';

export interface InventoryView {
  readonly sku: string;
  readonly onHand: number;
  readonly reserved: number;
  readonly available: number;
  readonly backorders: boolean;
}

export interface SetStock {
  readonly onHand: number;
  readonly backorders?: boolean;
  readonly reason?: string;
}

export class StockService {
  constructor(private readonly deps: { pool: pg.Pool; clock: Clock; newId: IdGenerator; dialect: StoreDialect }) {}

  async get(sku: string): Promise<Result<InventoryView>> {
    const level = await findLevel(this.deps.pool, sku);
    if (!level) return reject('sku_not_tracked', `SKU '${sku}' has no inventory record; it is not tracked and never refused`, { sku });
    return accept({ ...level, available: level.onHand - level.reserved });
  }

  /** Sets the on-hand count; the difference is recorded as an adjustment. Refused if it would leave reservations uncovered. */
  async set(sku: string, input: SetStock, actor: Actor): Promise<Result<InventoryView>> {
    const now = this.deps.clock.now();
    return refusable<Result<InventoryView>, Result<InventoryView>>(() => inTransaction(this.deps.pool, async (tx) => {
      await ensureItem(tx, sku, now);
      const level = (await lockLevels(tx, this.deps.dialect, [sku])).get(sku)!;
      const backorders = input.backorders ?? level.backorders;
      if (!backorders && input.onHand < level.reserved) {
        throw new Refused(reject('stock_below_reserved', `${level.reserved} units of '${sku}' are held for orders; on hand cannot go below that`, { sku, reserved: level.reserved }));
      }
      // Allowing backorders goes first and forbidding them last, so that no step breaks the available >= 0 rule.
      if (backorders && !level.backorders) await setBackorders(tx, sku, true, now);
      const delta = input.onHand - level.onHand;
      if (delta !== 0) {
        const d = movementDeltas('adjust', delta);
        const row: MovementRow = { id: this.deps.newId(), sku, kind: 'adjust', quantity: delta, on_hand_delta: d.onHand, reserved_delta: d.reserved, order_id: null, line_id: null, reason: input.reason ?? null, actor_kind: actor.kind, actor_id: actor.id ?? null, at: now };
        await applyMovements(tx, [row], now);
      }
      if (!backorders && level.backorders) await setBackorders(tx, sku, false, now);
      return accept({ sku, onHand: input.onHand, reserved: level.reserved, available: input.onHand - level.reserved, backorders });
    }));
  }

  movements(sku: string, limit = 100): Promise<MovementRow[]> {
    return movementsOf(this.deps.pool, sku, limit);
  }

  /** Every SKU's levels against the sum of its movements. */
  check(): Promise<{ checked: number; mismatches: LedgerMismatch[] }> {
    return ledgerMismatches(this.deps.pool);
  }
}
