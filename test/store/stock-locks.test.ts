/** Locking SKUs' levels for a command: the plain form (one statement) and the Citus form (one per SKU, in SKU order). */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, inTransaction, type Db } from '../../src/store/database.js';
import { CITUS, PLAIN } from '../../src/store/dialect.js';
import { lockLevels } from '../../src/store/inventory.js';
import { freshDatabase } from '../support/database.js';

let pool: pg.Pool;
beforeAll(async () => {
  pool = createPool(await freshDatabase(), 4);
  await pool.query(`INSERT INTO inventory (sku, on_hand, reserved, backorders, updated_at) VALUES ('A', 5, 1, false, now()), ('B', 0, 2, true, now()), ('C', 9, 0, false, now())`);
});
afterAll(() => pool.end());

/** The queries a client is sent, with their values. */
function recording(tx: Db, sent: { text: string; values: unknown[] }[]): Db {
  return {
    query: (q: { text: string; values: unknown[] }) => {
      sent.push({ text: q.text, values: q.values });
      return tx.query(q);
    },
  } as unknown as Db;
}

describe.each([PLAIN, CITUS])('$name form', (dialect) => {
  it('reads the levels of the tracked SKUs among those asked, each once', async () => {
    const levels = await inTransaction(pool, (tx) => lockLevels(tx, dialect, ['C', 'A', 'untracked', 'A']));
    expect([...levels.keys()].sort()).toEqual(['A', 'C']);
    expect(levels.get('A')).toEqual({ sku: 'A', onHand: 5, reserved: 1, backorders: false });
    expect(levels.get('C')).toEqual({ sku: 'C', onHand: 9, reserved: 0, backorders: false });
  });

  it('holds the rows until the transaction ends', async () => {
    const other = await pool.connect();
    try {
      await inTransaction(pool, async (tx) => {
        await lockLevels(tx, dialect, ['B', 'A']);
        for (const sku of ['A', 'B']) {
          await expect(other.query('SELECT 1 FROM inventory WHERE sku = $1 FOR UPDATE NOWAIT', [sku])).rejects.toMatchObject({ code: '55P03' });
        }
        expect((await other.query(`SELECT 1 FROM inventory WHERE sku = 'C' FOR UPDATE NOWAIT`)).rowCount).toBe(1);
      });
      expect((await other.query(`SELECT 1 FROM inventory WHERE sku = 'A' FOR UPDATE NOWAIT`)).rowCount).toBe(1);
    } finally {
      other.release();
    }
  });
});

it('the Citus form locks each SKU by equality, in SKU order, so that every statement stays on one shard', async () => {
  const sent: { text: string; values: unknown[] }[] = [];
  await inTransaction(pool, (tx) => lockLevels(recording(tx, sent), CITUS, ['C', 'A', 'B', 'A']));
  expect(sent.map((q) => q.values)).toEqual([['A'], ['B'], ['C']]);
  for (const q of sent) expect(q.text).toMatch(/WHERE sku = \$1 FOR UPDATE$/);
});

it('the plain form locks them all in one statement', async () => {
  const sent: { text: string; values: unknown[] }[] = [];
  await inTransaction(pool, (tx) => lockLevels(recording(tx, sent), PLAIN, ['C', 'A', 'B']));
  expect(sent).toHaveLength(1);
  expect(sent[0]!.text).toMatch(/sku = ANY\(\$1\) ORDER BY sku FOR UPDATE/);
});
