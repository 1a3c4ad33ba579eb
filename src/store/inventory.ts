/** Stock levels and the movement ledger. Levels change only in the same statement that records the movement. */
import type { StockLevel } from '../domain/stock.js';
import type { Db } from './database.js';
import type { StoreDialect } from './dialect.js';

export interface MovementRow {
  readonly id: string;
  readonly sku: string;
  readonly kind: string;
  readonly quantity: number;
  readonly on_hand_delta: number;
  readonly reserved_delta: number;
  readonly order_id: string | null;
  readonly line_id: string | null;
  readonly reason: string | null;
  readonly actor_kind: string;
  readonly actor_id: string | null;
  readonly at: Date;
}

interface LevelRow { sku: string; on_hand: number; reserved: number; backorders: boolean }
const toLevel = (r: LevelRow): StockLevel => ({ sku: r.sku, onHand: r.on_hand, reserved: r.reserved, backorders: r.backorders });

/**
 * Locks the SKUs' rows in a fixed order (so two orders never deadlock) and reads them; `tx`
 * must be a transaction's client. Plain PostgreSQL locks them all in one statement. Citus
 * cannot lock rows of several shards in one statement, so there each SKU is locked by its own
 * equality query, one after the other in SKU order.
 */
export async function lockLevels(tx: Db, dialect: StoreDialect, skus: readonly string[]): Promise<Map<string, StockLevel>> {
  const unique = [...new Set(skus)];
  if (dialect.name === 'plain') {
    const res = await tx.query<LevelRow>({
      name: 'ordo_lock_levels',
      text: 'SELECT sku, on_hand, reserved, backorders FROM inventory WHERE sku = ANY($1) ORDER BY sku FOR UPDATE',
      values: [unique],
    });
    return new Map(res.rows.map((r) => [r.sku, toLevel(r)]));
  }
  const levels = new Map<string, StockLevel>();
  for (const sku of unique.sort()) {
    const res = await tx.query<LevelRow>({
      name: 'ordo_lock_level',
      text: 'SELECT sku, on_hand, reserved, backorders FROM inventory WHERE sku = $1 FOR UPDATE',
      values: [sku],
    });
    for (const r of res.rows) levels.set(r.sku, toLevel(r));
  }
  return levels;
}

/** The SKUs' levels as they are, without locking (for previews). */
export async function readLevels(db: Db, skus: readonly string[]): Promise<Map<string, StockLevel>> {
  const res = await db.query<LevelRow>('SELECT sku, on_hand, reserved, backorders FROM inventory WHERE sku = ANY($1)', [[...new Set(skus)]]);
  return new Map(res.rows.map((r) => [r.sku, toLevel(r)]));
}

/**
 * The SKUs' levels as last committed and the revision of a workflow's changes, from one snapshot,
 * without locking; no revision when none of the SKUs has a level (a reference table's value in
 * each row, rather than a join: one form for plain PostgreSQL and Citus alike).
 */
export async function readLevelsAndRevision(db: Db, skus: readonly string[], workflow: string): Promise<{ revision?: number; levels: Map<string, StockLevel> }> {
  const res = await db.query<LevelRow & { revision: number }>({
    name: 'ordo_read_levels_and_revision',
    text: `SELECT sku, on_hand, reserved, backorders, coalesce((SELECT revision FROM workflow_customizations WHERE workflow = $2), 0) AS revision
           FROM inventory WHERE sku = ANY($1)`,
    values: [[...new Set(skus)], workflow],
  });
  return { ...(res.rows[0] ? { revision: res.rows[0].revision } : {}), levels: new Map(res.rows.map((r) => [r.sku, toLevel(r)])) };
}

export async function findLevel(db: Db, sku: string): Promise<StockLevel | undefined> {
  const res = await db.query<LevelRow>('SELECT sku, on_hand, reserved, backorders FROM inventory WHERE sku = $1', [sku]);
  return res.rows[0] && toLevel(res.rows[0]);
}

/** Records the movements and moves the levels by their sums, in one statement. */
export async function applyMovements(tx: Db, rows: readonly MovementRow[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  await tx.query({
    name: 'ordo_apply_movements',
    text: `WITH m AS (
      INSERT INTO stock_movements (id, sku, kind, quantity, on_hand_delta, reserved_delta, order_id, line_id, reason, actor_kind, actor_id, at)
      SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, sku text, kind text, quantity integer, on_hand_delta integer, reserved_delta integer,
        order_id uuid, line_id uuid, reason text, actor_kind text, actor_id text, at timestamptz)
      RETURNING sku, on_hand_delta, reserved_delta
    )
    UPDATE inventory i SET on_hand = i.on_hand + d.on_hand, reserved = i.reserved + d.reserved, updated_at = $2
    FROM (SELECT sku, sum(on_hand_delta)::int AS on_hand, sum(reserved_delta)::int AS reserved FROM m GROUP BY sku) d
    WHERE i.sku = d.sku`,
    values: [JSON.stringify(rows), now],
  });
}

/** Creates the SKU's row at zero if it has none, so that an adjustment can follow as a movement. */
export async function ensureItem(tx: Db, sku: string, now: Date): Promise<void> {
  await tx.query(`INSERT INTO inventory (sku, on_hand, reserved, backorders, updated_at) VALUES ($1, 0, 0, false, $2) ON CONFLICT (sku) DO NOTHING`, [sku, now]);
}

export async function setBackorders(tx: Db, sku: string, backorders: boolean, now: Date): Promise<void> {
  await tx.query('UPDATE inventory SET backorders = $2, updated_at = $3 WHERE sku = $1', [sku, backorders, now]);
}

export async function movementsOf(db: Db, sku: string, limit: number): Promise<MovementRow[]> {
  const res = await db.query<MovementRow>('SELECT * FROM stock_movements WHERE sku = $1 ORDER BY id DESC LIMIT $2', [sku, limit]);
  return res.rows;
}

export interface LedgerMismatch {
  readonly sku: string;
  readonly onHand: number;
  readonly reserved: number;
  readonly ledgerOnHand: number;
  readonly ledgerReserved: number;
  readonly backorders: boolean;
}

/** SKUs whose levels differ from the sums of their movements, or that are oversold without allowing backorders. */
export async function ledgerMismatches(db: Db): Promise<{ checked: number; mismatches: LedgerMismatch[] }> {
  const res = await db.query<{ sku: string; on_hand: number; reserved: number; ledger_on_hand: number; ledger_reserved: number; backorders: boolean }>(
    `SELECT i.sku, i.on_hand, i.reserved, i.backorders,
       coalesce(sum(m.on_hand_delta), 0)::int AS ledger_on_hand, coalesce(sum(m.reserved_delta), 0)::int AS ledger_reserved
     FROM inventory i LEFT JOIN stock_movements m ON m.sku = i.sku
     GROUP BY i.sku ORDER BY i.sku`,
  );
  const mismatches = res.rows
    .filter((r) => r.on_hand !== r.ledger_on_hand || r.reserved !== r.ledger_reserved || r.reserved < 0 || (!r.backorders && r.on_hand - r.reserved < 0))
    .map((r) => ({ sku: r.sku, onHand: r.on_hand, reserved: r.reserved, ledgerOnHand: r.ledger_on_hand, ledgerReserved: r.ledger_reserved, backorders: r.backorders }));
  return { checked: res.rows.length, mismatches };
}
