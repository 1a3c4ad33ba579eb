/** Shared by the stock and timer suites: read the database directly, to hold the engine to its invariants. */
import type { MovementRow } from '../../src/store/inventory.js';
import { expect } from 'vitest';
import type pg from 'pg';
import type { Actor } from '../../src/domain/actor.js';
import type { Rejection, Result } from '../../src/domain/result.js';
import type { CreateOrderInput } from '../../src/engine/order-service.js';
import { publicType } from '../../src/domain/event-types.js';
import type { OrderEvent } from '../../src/domain/events.js';

export const admin: Actor = { kind: 'admin', id: 'admin-test' };
export const gateway: Actor = { kind: 'gateway', id: 'gw-test' };
export const system: Actor = { kind: 'system', id: 'ordo' };
export const customer = (customerId: string): Actor => ({ kind: 'customer', id: `shop-${customerId}`, customerId });

let counter = 0;
/** A SKU no other test uses. */
export const uniqueSku = (label: string) => `${label}-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 7)}`;

export const input = (lines: { sku: string; quantity: number }[], over: Partial<CreateOrderInput> = {}): CreateOrderInput => ({
  currency: 'EUR',
  customer: { email: 'buyer@example.com', name: 'Buyer' },
  lines: lines.map((l) => ({ ...l, unitPrice: 1000 })),
  ...over,
});

/** Unwraps an accepted result, failing with the rejection otherwise. */
export function ok<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected acceptance, got ${result.code}: ${result.message} ${JSON.stringify(result.details ?? {})}`);
  return result.value;
}

export function rejected<T>(result: Result<T>, code: Rejection['code']): Rejection {
  if (result.ok) throw new Error(`expected rejection ${code}, got acceptance`);
  expect(result.code).toBe(code);
  return result;
}

export interface Levels {
  readonly onHand: number;
  readonly reserved: number;
  readonly available: number;
  readonly backorders: boolean;
}

/** The inventory row as stored, or undefined when the SKU is not tracked. */
export async function levels(pool: pg.Pool, sku: string): Promise<Levels | undefined> {
  const r = await pool.query<{ on_hand: number; reserved: number; backorders: boolean }>('SELECT on_hand, reserved, backorders FROM inventory WHERE sku = $1', [sku]);
  const row = r.rows[0];
  return row && { onHand: row.on_hand, reserved: row.reserved, available: row.on_hand - row.reserved, backorders: row.backorders };
}

/** Sums of the SKU's movements, and how many there are. */
export async function ledger(pool: pg.Pool, sku: string): Promise<{ onHand: number; reserved: number; count: number }> {
  const r = await pool.query<{ on_hand: number; reserved: number; n: number }>(
    'SELECT coalesce(sum(on_hand_delta), 0)::int AS on_hand, coalesce(sum(reserved_delta), 0)::int AS reserved, count(*)::int AS n FROM stock_movements WHERE sku = $1',
    [sku],
  );
  const row = r.rows[0]!;
  return { onHand: row.on_hand, reserved: row.reserved, count: row.n };
}

/** The SKU's levels are what the test expects, and equal to the sums of its ledger. */
export async function expectLevels(pool: pg.Pool, sku: string, expected: { onHand: number; reserved: number }): Promise<void> {
  const l = await levels(pool, sku);
  expect(l, `inventory row for ${sku}`).toBeDefined();
  expect({ onHand: l!.onHand, reserved: l!.reserved }).toEqual(expected);
  const sums = await ledger(pool, sku);
  expect({ onHand: sums.onHand, reserved: sums.reserved }).toEqual(expected);
}

/** A ledger row as the store writes it. */
export type MovementRecord = Omit<MovementRow, 'id' | 'sku' | 'at'>;

/** The SKU's movements, oldest first. */
export async function movements(pool: pg.Pool, sku: string): Promise<MovementRecord[]> {
  const r = await pool.query<MovementRecord>('SELECT kind, quantity, on_hand_delta, reserved_delta, order_id, line_id, reason, actor_kind, actor_id FROM stock_movements WHERE sku = $1 ORDER BY id', [sku]);
  return r.rows;
}

/** The movements of an order, as `kind quantity` strings, oldest first. */
export async function orderMovements(pool: pg.Pool, orderId: string): Promise<string[]> {
  const r = await pool.query<{ kind: string; quantity: number; sku: string }>('SELECT kind, quantity, sku FROM stock_movements WHERE order_id = $1 ORDER BY id', [orderId]);
  return r.rows.map((m) => `${m.kind} ${m.quantity}`);
}

export interface HistoryRecord {
  readonly type: string;
  readonly track: string | null;
  readonly from_state: string | null;
  readonly to_state: string | null;
  readonly actor_kind: string;
  readonly data: Record<string, unknown>;
}

export async function history(pool: pg.Pool, orderId: string): Promise<HistoryRecord[]> {
  const r = await pool.query<HistoryRecord>('SELECT type, track, from_state, to_state, actor_kind, data FROM order_history WHERE order_id = $1 ORDER BY id', [orderId]);
  return r.rows;
}

export async function outbox(pool: pg.Pool, orderId: string): Promise<{ type: string; payload: Record<string, unknown> }[]> {
  const r = await pool.query<{ type: string; payload: Record<string, unknown> }>('SELECT type, payload FROM outbox WHERE order_id = $1 ORDER BY id', [orderId]);
  return r.rows;
}

/**
 * Every order's history and outbox hold one row per event, the same events in the same order;
 * the outbox names them as consumers see them (payment.changed to settled: payment.settled).
 */
export async function expectRecordsConsistent(pool: pg.Pool, orderId: string): Promise<void> {
  const h = await history(pool, orderId);
  const o = await outbox(pool, orderId);
  expect(o.map((x) => x.type)).toEqual(h.map((x) => publicType({ type: x.type, data: x.data } as OrderEvent)));
}

/** The timers table is an index of the orders' own timer lists: the two hold the same rows. */
export async function expectTimersIndexed(pool: pg.Pool): Promise<void> {
  const table = await pool.query<{ k: string }>(`SELECT order_id || ' ' || name || ' ' || to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS k FROM timers ORDER BY 1`);
  const lists = await pool.query<{ k: string }>(
    `SELECT o.id || ' ' || (t->>'name') || ' ' || to_char((t->>'dueAt')::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS k
     FROM orders o, jsonb_array_elements(o.body->'timers') t ORDER BY 1`,
  );
  expect(table.rows.map((r) => r.k)).toEqual(lists.rows.map((r) => r.k));
}

/** Starts `n` async jobs at once and waits for them all. */
export const all = <T>(n: number, job: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => job(i)));
