/**
 * `ordo db distribute`: lays out a migrated Citus database the way Ordo's statements expect
 * (docs/scaling.md). The order side is distributed by order id and co-located, so that a
 * command on one order touches one shard group; the stock side by SKU; the small shared
 * tables are copied to every node. Tables already laid out are skipped, so it may run again
 * (after a migration added a table to the layout, say).
 *
 * The order code sequence stays on the coordinator, where Ordo connects: codes are taken by
 * nextval() in statements the coordinator evaluates, and no column default ties the sequence
 * to a distributed table (migration 009), so Citus never hands workers ranges of their own.
 */
import type { Db } from './database.js';
import { hasCitus } from './dialect.js';

export type Placement =
  /** Hash-distributed by `by`, in the shard group of `colocateWith`, or in a group of its own. */
  | { readonly table: string; readonly by: string; readonly colocateWith?: string }
  | { readonly table: string; readonly reference: true };

/** In the order Citus needs: a table before the tables whose foreign keys point at it. */
export const LAYOUT: readonly Placement[] = [
  // The order and everything a command writes with it, on the order's shard.
  { table: 'orders', by: 'id' },
  { table: 'order_history', by: 'order_id', colocateWith: 'orders' },
  { table: 'outbox', by: 'order_id', colocateWith: 'orders' },
  { table: 'timers', by: 'order_id', colocateWith: 'orders' },
  // The search text (migration 017): the list joins it to its orders on each shard.
  { table: 'order_search', by: 'order_id', colocateWith: 'orders' },
  { table: 'order_skus', by: 'order_id', colocateWith: 'orders' },
  { table: 'gateway_events', by: 'order_id', colocateWith: 'orders' },
  { table: 'notifications', by: 'order_id', colocateWith: 'orders' },
  // Appended by a trigger on orders, which runs on the order's shard (migration 016).
  { table: 'order_status_deltas', by: 'order_id', colocateWith: 'orders' },
  // Found by their own id (a payment named in a callback, a fulfillment in a URL).
  { table: 'payments', by: 'id' },
  { table: 'order_refs', by: 'id' },
  // Stock: a SKU's level and its ledger together.
  { table: 'inventory', by: 'sku' },
  { table: 'stock_movements', by: 'sku', colocateWith: 'inventory' },
  // Prices on file are read per SKU by the create path, like its stock.
  { table: 'prices', by: 'sku', colocateWith: 'inventory' },
  // Small, read by every command or request, written rarely: a copy on every node.
  { table: 'api_keys', reference: true },
  { table: 'workflow_customizations', reference: true },
  { table: 'idempotency_keys', reference: true },
  { table: 'simulated_gateway_operations', reference: true },
  { table: 'ordo_clock', reference: true },
  // The stream's highest place: one row, updated by the one placer at a time.
  { table: 'event_places', reference: true },
  // Per-status counts: a few dozen rows per workflow, written by folds only, read by the counts.
  { table: 'order_status_counts', reference: true },
  // Webhooks: the few subscriptions everywhere (before the deliveries, whose key points at them); a delivery beside its order.
  { table: 'webhook_subscriptions', reference: true },
  { table: 'webhook_deliveries', by: 'order_id', colocateWith: 'orders' },
];

/** Migration bookkeeping: only the coordinator runs migrations. */
const COORDINATOR_ONLY = new Set(['ordo_migrations']);

export interface DistributeReport {
  /** What this run did, one line per table. */
  readonly done: readonly string[];
  /** Tables that were laid out before. */
  readonly skipped: readonly string[];
  /** Tables in the schema that the layout does not name: they stay local to the coordinator. */
  readonly unplaced: readonly string[];
}

export class NoCitus extends Error {
  constructor() {
    super('this database has no citus extension; ordo db distribute lays out a Citus coordinator (CREATE EXTENSION citus first), nothing was changed');
  }
}

export async function distribute(db: Db): Promise<DistributeReport> {
  if (!(await hasCitus(db))) throw new NoCitus();
  const laidOut = new Set((await db.query<{ name: string }>(
    'SELECT c.relname AS name FROM pg_dist_partition p JOIN pg_class c ON c.oid = p.logicalrelid',
  )).rows.map((r) => r.name));
  const done: string[] = [];
  const skipped: string[] = [];
  for (const p of LAYOUT) {
    if (laidOut.has(p.table)) {
      skipped.push(p.table);
      continue;
    }
    if ('reference' in p) {
      await db.query('SELECT create_reference_table($1::regclass)', [p.table]);
      done.push(`${p.table}: reference table (a copy on every node)`);
    } else {
      await db.query('SELECT create_distributed_table($1::regclass, $2, colocate_with => $3)', [p.table, p.by, p.colocateWith ?? 'none']);
      done.push(`${p.table}: distributed by ${p.by}${p.colocateWith ? `, co-located with ${p.colocateWith}` : ''}`);
    }
  }
  const placed = new Set(LAYOUT.map((p) => p.table));
  const tables = (await db.query<{ name: string }>('SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename')).rows;
  const unplaced = tables.map((r) => r.name).filter((name) => !placed.has(name) && !COORDINATOR_ONLY.has(name) && !laidOut.has(name));
  return { done, skipped, unplaced };
}
