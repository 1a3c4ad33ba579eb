/**
 * Per-status counts from the summary and its deltas (migration 016): always the numbers a grouped
 * count over the orders gives in the same snapshot, through creates, status changes, removals,
 * folds, concurrent changes and concurrent folds.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import { ManualClock } from '../../src/engine/clock.js';
import { createOrdo, type Ordo } from '../../src/engine/ordo.js';
import type { Db } from '../../src/store/database.js';
import { countOrdersByStatus, FOLD_AT, foldStatusCounts, recountStatusCounts, type StatusCounts } from '../../src/store/order-counts.js';
import { freshDatabase } from '../support/database.js';

const ADMIN: Actor = { kind: 'admin', id: 'counts-test' };
let ordo: Ordo;
beforeAll(async () => {
  ordo = await createOrdo({ databaseUrl: await freshDatabase(), migrate: false, clock: new ManualClock(new Date('2026-01-05T09:00:00Z')), poolSize: 20 });
});
afterAll(() => ordo.close());

/** What the counts must equal: the grouped count over the orders themselves. */
async function grouped(db: Db, workflow: string): Promise<{ total: number; tracks: StatusCounts }> {
  const res = await db.query<{ status: Record<string, string>; n: number }>(
    `SELECT status, count(*)::int AS n FROM orders WHERE workflow = $1 AND NOT (body ? 'removedAt') GROUP BY status`, [workflow]);
  const tracks: StatusCounts = {};
  let total = 0;
  for (const { status, n } of res.rows) {
    total += n;
    for (const [track, state] of Object.entries(status)) (tracks[track] ??= {})[state] = (tracks[track]?.[state] ?? 0) + n;
  }
  return { total, tracks };
}

/** The counts and the grouped count in one REPEATABLE READ snapshot: they must agree whatever runs meanwhile. */
async function snapshotPair(workflow: string) {
  const client = await ordo.pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    const counts = await countOrdersByStatus(client, workflow);
    const expected = await grouped(client, workflow);
    await client.query('COMMIT');
    return { counts, expected };
  } finally {
    client.release();
  }
}

async function expectExact(workflow = 'standard') {
  expect(await countOrdersByStatus(ordo.pool, workflow)).toEqual(await grouped(ordo.pool, workflow));
}

const deltaCount = async () => (await ordo.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM order_status_deltas')).rows[0]!.n;

async function create(workflow = 'standard', draft = false): Promise<string> {
  const created = await ordo.orders.create({
    workflow, currency: 'EUR', ...(draft ? { draft: true } : {}),
    customer: { email: 'counts@example.com', name: 'Counts' },
    lines: [{ sku: 'COUNT-MUG', name: 'Mug', quantity: 1, unitPrice: 900 }],
  }, ADMIN);
  if (!created.ok) throw new Error(`${created.code}: ${created.message}`);
  return created.value.id;
}

async function move(id: string, track: string, to: string): Promise<void> {
  const moved = await ordo.orders.execute(id, { type: 'transition', track, to }, ADMIN);
  if (!moved.ok) throw new Error(`${track} -> ${to}: ${moved.code}: ${moved.message}`);
}

/** What a save of a removed order does to its row (src/domain/removal.ts): the body gains removedAt. */
const remove = (id: string) => ordo.pool.query(`UPDATE orders SET body = body || jsonb_build_object('removedAt', now()::text), version = version + 1 WHERE id = $1`, [id]);

/** Runs `work` in a transaction of its own, left open until `commit` is called. */
async function uncommitted<T>(work: (c: pg.PoolClient) => Promise<T>): Promise<{ result: T; commit: () => Promise<void> }> {
  const client = await ordo.pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    return {
      result,
      commit: async () => {
        try {
          await client.query('COMMIT');
        } finally {
          client.release();
        }
      },
    };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    client.release();
    throw err;
  }
}

describe('per-status counts', () => {
  it('equal the grouped count after creates, status changes on both tracks, and removals', async () => {
    const ids = await Promise.all(Array.from({ length: 6 }, () => create()));
    const xcart = await create('xcart');
    await expectExact();
    await move(ids[0]!, 'order', 'in_review');
    await move(ids[1]!, 'order', 'cancelled');
    await move(ids[2]!, 'payment', 'paid');
    await move(ids[0]!, 'order', 'placed');
    await expectExact();
    const before = await countOrdersByStatus(ordo.pool, 'standard');
    await remove(ids[3]!);
    await remove(ids[3]!); // saved again while removed: counted nowhere still
    const after = await countOrdersByStatus(ordo.pool, 'standard');
    expect(after.total).toBe(before.total - 1);
    await expectExact();
    await expectExact('xcart');
    expect((await countOrdersByStatus(ordo.pool, 'xcart')).total).toBeGreaterThanOrEqual(1);
    await move(xcart, 'fulfilment', 'P');
    await expectExact('xcart');
  });

  it('count an order that moves to another workflow, or is deleted, where it is now', async () => {
    const id = await create();
    await ordo.pool.query(`UPDATE orders SET workflow = 'vendure' WHERE id = $1`, [id]);
    await expectExact('standard');
    await expectExact('vendure');
    await ordo.pool.query('DELETE FROM order_refs WHERE order_id = $1', [id]);
    await ordo.pool.query('DELETE FROM timers WHERE order_id = $1', [id]);
    await ordo.pool.query('DELETE FROM order_history WHERE order_id = $1', [id]);
    await ordo.pool.query('DELETE FROM orders WHERE id = $1', [id]);
    await expectExact('vendure');
  });

  it('write no delta when a save leaves the status, the workflow and the removal as they were', async () => {
    const id = await create();
    await foldStatusCounts(ordo.pool);
    await ordo.pool.query(`UPDATE orders SET body = jsonb_set(body, '{metadata}', '{"note":"x"}'), version = version + 1, updated_at = now() WHERE id = $1`, [id]);
    await ordo.pool.query('UPDATE orders SET events = events + 1 WHERE id = $1', [id]);
    expect(await deltaCount()).toBe(0);
    await move(id, 'order', 'in_review');
    expect(await deltaCount()).toBe(2);
  });

  it('are the same before and after a fold, and a fold leaves no delta behind', async () => {
    const id = await create();
    await move(id, 'order', 'in_review');
    expect(await deltaCount()).toBeGreaterThan(0);
    const before = await countOrdersByStatus(ordo.pool, 'standard');
    expect(await foldStatusCounts(ordo.pool)).toBeGreaterThan(0);
    expect(await deltaCount()).toBe(0);
    expect(await countOrdersByStatus(ordo.pool, 'standard')).toEqual(before);
    await expectExact();
  });

  it('are exact in every snapshot while 50 orders change status at once and folds run', async () => {
    const ids = await Promise.all(Array.from({ length: 50 }, () => create()));
    let running = true;
    const folding = (async () => {
      let folds = 0;
      while (running) folds += (await foldStatusCounts(ordo.pool)) > 0 ? 1 : 0;
      return folds;
    })();
    const checking = (async () => {
      const seen: Awaited<ReturnType<typeof snapshotPair>>[] = [];
      while (running) seen.push(await snapshotPair('standard'));
      return seen;
    })();
    await Promise.all(ids.map((id, i) => move(id, i % 2 ? 'order' : 'payment', i % 2 ? 'in_review' : 'paid')));
    await Promise.all(ids.filter((_, i) => i % 3 === 0).map((id) => move(id, 'order', 'cancelled')));
    running = false;
    const [folds, seen] = await Promise.all([folding, checking]);
    expect(folds).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThan(0);
    for (const s of seen) expect(s.counts).toEqual(s.expected);
    await expectExact();
    await foldStatusCounts(ordo.pool);
    await expectExact();
  });

  it('lose nothing and count nothing twice when two folds run at once', async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, () => create()));
    await Promise.all(ids.map((id) => move(id, 'order', 'in_review')));
    const deltas = await deltaCount();
    // The first fold has deleted and added, uncommitted, when the second starts; a reader meanwhile sees neither half.
    const first = await uncommitted((c) => foldStatusCounts(c));
    const second = uncommitted((c) => foldStatusCounts(c));
    const during = await snapshotPair('standard');
    await new Promise((r) => setTimeout(r, 100));
    await first.commit();
    const other = await second;
    await other.commit();
    expect(first.result + other.result).toBe(deltas);
    expect(during.counts).toEqual(during.expected);
    expect(await deltaCount()).toBe(0);
    await expectExact();
  });

  it('are exact when a fold commits while the read is under way', async () => {
    await Promise.all(Array.from({ length: 5 }, () => create()));
    const expected = await grouped(ordo.pool, 'standard');
    const fold = await uncommitted((c) => foldStatusCounts(c));
    expect(fold.result).toBeGreaterThan(0);
    // The fold commits as soon as the read's first statement is answered, before any other it may send.
    const reader = await ordo.pool.connect();
    let committed = false;
    const db = {
      query: async (...args: unknown[]) => {
        const res: unknown = await (reader.query as (...a: unknown[]) => Promise<unknown>)(...args);
        if (!committed) {
          committed = true;
          await fold.commit();
        }
        return res;
      },
    } as unknown as Db;
    try {
      expect(await countOrdersByStatus(db, 'standard')).toEqual(expected);
    } finally {
      reader.release();
    }
    expect(committed).toBe(true);
    await expectExact();
  });

  it(`fold every workflow's deltas when a read finds ${FOLD_AT} of them, and give the same numbers as before the fold`, async () => {
    await foldStatusCounts(ordo.pool);
    // Bulk rows with the trigger on: each insert appends its delta, all of a workflow nobody reads here.
    await ordo.pool.query(`INSERT INTO orders (id, workflow, workflow_version, status, status_tags, currency, body, version, created_at, updated_at)
      SELECT gen_random_uuid(), 'nexway', 1, '{"order":"PENDING"}', '{PENDING,order:PENDING}', 'EUR', '{}', 1, now(), now() FROM generate_series(1, $1::int - 1)`, [FOLD_AT]);
    const standard = await grouped(ordo.pool, 'standard');
    expect(await countOrdersByStatus(ordo.pool, 'standard')).toEqual(standard);
    expect(await deltaCount()).toBe(FOLD_AT - 1);
    const id = await create();
    expect(await deltaCount()).toBe(FOLD_AT);
    const read = await countOrdersByStatus(ordo.pool, 'standard');
    expect(await deltaCount()).toBe(0);
    expect(read).toEqual(await grouped(ordo.pool, 'standard'));
    expect(read.total).toBe(standard.total + 1);
    await expectExact('nexway');
    await move(id, 'order', 'in_review');
    await expectExact();
  });

  it('start over from the orders after a load with triggers off (a recount)', async () => {
    const client = await ordo.pool.connect();
    try {
      await client.query("SET session_replication_role = 'replica'");
      await client.query(`INSERT INTO orders (id, workflow, workflow_version, status, status_tags, currency, body, version, created_at, updated_at)
        SELECT gen_random_uuid(), 'nexway', 1, '{"order":"COMPLETED"}', '{COMPLETED,order:COMPLETED}', 'EUR', '{}', 1, now(), now() FROM generate_series(1, 7)`);
      await client.query('RESET session_replication_role');
    } finally {
      client.release();
    }
    expect((await countOrdersByStatus(ordo.pool, 'nexway')).tracks.order?.COMPLETED).toBeUndefined();
    await recountStatusCounts(ordo.pool);
    await expectExact('nexway');
    await expectExact('standard');
    expect((await countOrdersByStatus(ordo.pool, 'nexway')).tracks.order?.COMPLETED).toBe(7);
  });

  it('are folded by a running server\'s sweeper, with no reader asking', async () => {
    await move(await create(), 'order', 'cancelled');
    expect(await deltaCount()).toBeGreaterThan(0);
    const stop = ordo.sweeper.start(50);
    try {
      for (let i = 0; i < 40 && (await deltaCount()) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await stop();
    }
    expect(await deltaCount()).toBe(0);
    await expectExact();
  });

  it('are empty after the orders are truncated', async () => {
    // Last in the suite: it empties the suite's orders.
    await create();
    await ordo.pool.query('TRUNCATE orders, order_history, outbox, timers, order_refs, payments, order_search, order_skus, notifications, webhook_deliveries, gateway_events CASCADE');
    expect(await countOrdersByStatus(ordo.pool, 'standard')).toEqual({ total: 0, tracks: {} });
    await create();
    await expectExact();
  });
});
