/** Claiming due timers in the Citus form: read a batch of candidates, then claim each by its key. */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPool, type Db } from '../../src/store/database.js';
import { CITUS } from '../../src/store/dialect.js';
import { claimDueTimers } from '../../src/store/timers.js';
import { freshDatabase } from '../support/database.js';

let pool: pg.Pool;
beforeAll(async () => {
  pool = createPool(await freshDatabase(), 4);
});
afterAll(() => pool.end());

const now = new Date('2026-03-01T12:00:00Z');

/** Orders that each wait on one timer, due a second apart before `now`; their ids, oldest due first. */
async function dueTimers(n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, () => randomUUID());
  for (const [i, id] of ids.entries()) {
    await pool.query(
      `INSERT INTO orders (id, workflow, workflow_version, status, status_tags, currency, body, version, created_at, updated_at)
       VALUES ($1, 'standard', 1, '{"order":"draft"}', '{draft}', 'EUR', '{}', 1, $2, $2)`,
      [id, now],
    );
    await pool.query(`INSERT INTO timers (order_id, name, due_at) VALUES ($1, 'basket', $2)`, [id, new Date(now.getTime() - (n - i) * 1000)]);
  }
  return ids;
}

it('a sweeper whose candidates were all claimed by another reads again and claims the next ones', async () => {
  const ids = await dueTimers(10);
  let stolen: string[] = [];
  // Another sweeper claims this one's first candidates between its read and its claims.
  const raced = {
    query: async (q: { name?: string }) => {
      const res = await pool.query(q as pg.QueryConfig);
      if (q.name === 'ordo_due_timers' && stolen.length === 0) stolen = (await claimDueTimers(pool, CITUS, now, 5)).map((t) => t.orderId);
      return res;
    },
  } as unknown as Db;
  const mine = (await claimDueTimers(raced, CITUS, now, 5)).map((t) => t.orderId);
  expect(stolen).toEqual(ids.slice(0, 5));
  expect(mine).toEqual(ids.slice(5));
  expect(await claimDueTimers(pool, CITUS, now, 5)).toEqual([]);
});

it('claims keep the lease: a claimed timer is claimed again only once its lease has lapsed', async () => {
  const [id] = await dueTimers(1);
  expect((await claimDueTimers(pool, CITUS, now, 5, 30)).map((t) => t.orderId)).toEqual([id]);
  expect(await claimDueTimers(pool, CITUS, new Date(now.getTime() + 29_000), 5)).toEqual([]);
  const again = await claimDueTimers(pool, CITUS, new Date(now.getTime() + 30_000), 5);
  expect(again).toEqual([{ orderId: id, name: 'basket', dueAt: new Date(now.getTime() - 1000) }]);
});

it('a due time with microseconds is claimed (the key goes back exactly as stored)', async () => {
  const [id] = await dueTimers(1);
  await pool.query(`UPDATE timers SET due_at = due_at - interval '123 microseconds' WHERE order_id = $1`, [id]);
  const claimed = await claimDueTimers(pool, CITUS, new Date(now.getTime() + 60_000), 100);
  expect(claimed.map((t) => t.orderId)).toContain(id);
});
