/** Small helpers shared by the HTTP suites: problem checks, row counts, unique customers. */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { Reply, TestApp } from '../support/app.js';

/** A customer email no other test uses; letters only, so a `q=` search for a number never hits it. */
export function uniqueEmail(prefix = 'buyer'): string {
  const letters = [...randomBytes(12)].map((b) => String.fromCharCode(97 + (b % 26))).join('');
  return `${prefix}-${letters}@example.com`;
}

/** The reply is an RFC 9457 problem with this status and stable code. */
export function expectProblem(res: Reply, status: number, code: string): void {
  expect(res.status, res.text).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
  expect(res.body.type.length).toBeGreaterThan(0);
  expect(res.body.title.length).toBeGreaterThan(0);
  expect(res.body.detail.length).toBeGreaterThan(0);
}

/** Rows in the tables a write touches. */
export async function rowCounts(t: TestApp): Promise<{ orders: number; history: number; outbox: number }> {
  const res = await t.ordo.pool.query<{ orders: number; history: number; outbox: number }>(
    `SELECT (SELECT count(*)::int FROM orders) AS orders, (SELECT count(*)::int FROM order_history) AS history, (SELECT count(*)::int FROM outbox) AS outbox`,
  );
  return res.rows[0]!;
}

export interface StoredHistoryRow {
  id: string;
  type: string;
  track: string | null;
  from_state: string | null;
  to_state: string | null;
  actor_kind: string;
  actor_id: string | null;
  reason: string | null;
  cause: string | null;
}

export async function historyRows(t: TestApp, orderId: string): Promise<StoredHistoryRow[]> {
  const res = await t.ordo.pool.query<StoredHistoryRow>(
    'SELECT id, type, track, from_state, to_state, actor_kind, actor_id, reason, cause FROM order_history WHERE order_id = $1 ORDER BY id',
    [orderId],
  );
  return res.rows;
}

export interface StoredOutboxRow {
  id: string;
  type: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- payloads are checked field by field
  payload: any;
}

export async function outboxRows(t: TestApp, orderId: string): Promise<StoredOutboxRow[]> {
  const res = await t.ordo.pool.query<StoredOutboxRow>('SELECT id, type, payload FROM outbox WHERE order_id = $1 ORDER BY id', [orderId]);
  return res.rows;
}

/** The id of the key the test app calls with by default. */
export async function adminKeyId(t: TestApp): Promise<string> {
  const res = await t.ordo.pool.query<{ id: string }>(`SELECT id FROM api_keys WHERE name = 'test admin'`);
  return res.rows[0]!.id;
}

export async function ordersOfEmail(t: TestApp, email: string): Promise<number> {
  const res = await t.ordo.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE body->'customer'->>'email' = $1`, [email]);
  return res.rows[0]!.n;
}
