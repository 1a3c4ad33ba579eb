/**
 * The migrations on a database of their own: from nothing, over data an older Ordo left (before
 * the Citus-ready keys of 009, before the search text's own table of 017, before the SKUs' rows
 * of 019), down again (017, 019), and with a migration numbered earlier arriving later.
 */
import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS_DIR } from '../../src/store/migrate.js';
import { emptyDatabase } from '../support/database.js';

const KEYS = '1700000000009_citus_ready_keys';
const SEARCH = '1700000000017_order_search';
const SKUS = '1700000000019_order_skus';
/** The newest migration in the tree. */
const latest = async () => (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort().at(-1)!.replace(/\.sql$/, '');
const open: pg.Client[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.end()));
});

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  open.push(client);
  return client;
}

/** Each table's primary key, as its column list. */
async function primaryKeys(db: pg.Client): Promise<Record<string, string>> {
  const res = await db.query<{ table: string; def: string }>(
    `SELECT conrelid::regclass::text AS table, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE contype = 'p' AND connamespace = 'public'::regnamespace`,
  );
  return Object.fromEntries(res.rows.map((r) => [r.table, r.def]));
}

async function foreignKeys(db: pg.Client): Promise<string[]> {
  const res = await db.query<{ fk: string }>(
    `SELECT conrelid::regclass::text || ' -> ' || confrelid::regclass::text AS fk FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace ORDER BY 1`,
  );
  return res.rows.map((r) => r.fk);
}

async function indexNames(db: pg.Client): Promise<string[]> {
  return (await db.query<{ name: string }>(`SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`)).rows.map((r) => r.name);
}

/** The schema migration 009 leaves, whatever the database held before. */
async function expectCitusReadyKeys(db: pg.Client) {
  const keys = await primaryKeys(db);
  expect(keys).toMatchObject({
    order_history: 'PRIMARY KEY (order_id, id)',
    outbox: 'PRIMARY KEY (order_id, id)',
    stock_movements: 'PRIMARY KEY (sku, id)',
    gateway_events: 'PRIMARY KEY (order_id, gateway, event_id)',
    payments: 'PRIMARY KEY (id)',
    order_refs: 'PRIMARY KEY (id)',
    orders: 'PRIMARY KEY (id)',
    inventory: 'PRIMARY KEY (sku)',
  });
  // Lookups by their own id point nowhere; nothing ties the order side to the SKU side.
  const fks = await foreignKeys(db);
  for (const gone of ['payments -> orders', 'order_refs -> orders', 'stock_movements -> orders']) expect(fks).not.toContain(gone);
  expect(fks).toEqual(expect.arrayContaining(['order_history -> orders', 'timers -> orders', 'stock_movements -> inventory']));
  const outboxOrder = await db.query<{ is_nullable: string }>(`SELECT is_nullable FROM information_schema.columns WHERE table_name = 'outbox' AND column_name = 'order_id'`);
  expect(outboxOrder.rows[0]!.is_nullable).toBe('NO');
  const unique = await db.query(`SELECT 1 FROM pg_constraint WHERE conrelid = 'orders'::regclass AND contype = 'u'`);
  expect(unique.rowCount).toBe(0);
  const codeDefault = await db.query<{ d: string | null }>(`SELECT column_default AS d FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'code'`);
  expect(codeDefault.rows[0]!.d).toBeNull();
  const indexes = await indexNames(db);
  expect(indexes).toContain('orders_code_idx');
  // The back office's search finds a payment by its gateway reference (018).
  expect(indexes).toContain('payments_reference_idx');
  // The stream reads events by their place (012), which replaced the index by id.
  expect(indexes).toContain('outbox_position_idx');
  expect(indexes).toContain('outbox_order_sequence_idx');
  // Served by the new keys.
  expect(indexes).not.toContain('order_history_order_idx');
  expect(indexes).not.toContain('stock_movements_sku_idx');
}

describe('migrations', () => {
  it('on a fresh database, apply in order and end with the Citus-ready keys', async () => {
    const url = await emptyDatabase();
    const applied = await migrate(url);
    expect(applied).toContain(KEYS);
    expect(applied.at(-1)).toBe(await latest());
    expect(applied).toEqual([...applied].sort());
    expect(await migrate(url)).toEqual([]);
    await expectCitusReadyKeys(await connect(url));
  });

  it('over the data of an Ordo before 009: the keys change and every row stays', async () => {
    const url = await emptyDatabase();
    const older = await migrate(url, { count: 7 });
    expect(older.at(-1)).toBe('1700000000007_numbering_and_notices');
    const db = await connect(url);
    const order = '0190a1a0-0000-7000-8000-000000000001';
    const at = new Date('2025-06-01T10:00:00Z');
    await db.query(
      `INSERT INTO orders (id, workflow, workflow_version, status, status_tags, currency, search, body, version, created_at, updated_at)
       VALUES ($1, 'standard', 1, '{"order":"placed"}', '{placed,order:placed}', 'EUR', 'ada', '{}', 1, $2, $2)`,
      [order, at],
    );
    await db.query(`INSERT INTO order_history (id, order_id, type, actor_kind, at) VALUES ('0190a1a0-0000-7000-8000-000000000002', $1, 'order.created', 'admin', $2)`, [order, at]);
    await db.query(`INSERT INTO outbox (id, order_id, type, payload, created_at) VALUES ('0190a1a0-0000-7000-8000-000000000003', $1, 'order.created', '{"n":1}', $2)`, [order, at]);
    await db.query(`INSERT INTO inventory (sku, on_hand, reserved, updated_at) VALUES ('MUG', 5, 1, $1)`, [at]);
    await db.query(
      `INSERT INTO stock_movements (id, sku, kind, quantity, on_hand_delta, reserved_delta, order_id, actor_kind, at)
       VALUES ('0190a1a0-0000-7000-8000-000000000004', 'MUG', 'adjust', 5, 5, 0, NULL, 'admin', $1),
              ('0190a1a0-0000-7000-8000-000000000005', 'MUG', 'reserve', 1, 0, 1, $2, 'admin', $1)`,
      [at, order],
    );
    await db.query(`INSERT INTO timers (order_id, name, due_at) VALUES ($1, 'payment-deadline', $2)`, [order, at]);
    await db.query(`INSERT INTO payments (id, order_id, method, gateway, state) VALUES ('0190a1a0-0000-7000-8000-000000000006', $1, 'card', 'simulated', 'settled')`, [order]);
    await db.query(`INSERT INTO gateway_events (gateway, event_id, order_id, received_at) VALUES ('simulated', 'evt_1', $1, $2)`, [order, at]);
    await db.query(`INSERT INTO order_refs (id, order_id, kind) VALUES ('0190a1a0-0000-7000-8000-000000000007', $1, 'fulfillment')`, [order]);
    const before = await db.query<{ code: number }>('SELECT code::int AS code FROM orders');

    const applied = await migrate(url);
    expect(applied).toContain(KEYS);
    await expectCitusReadyKeys(db);
    const counts = await db.query<Record<string, number>>(
      `SELECT (SELECT count(*)::int FROM orders) AS orders, (SELECT count(*)::int FROM order_history) AS history, (SELECT count(*)::int FROM outbox) AS outbox,
              (SELECT count(*)::int FROM stock_movements) AS movements, (SELECT count(*)::int FROM timers) AS timers, (SELECT count(*)::int FROM payments) AS payments,
              (SELECT count(*)::int FROM gateway_events) AS events, (SELECT count(*)::int FROM order_refs) AS refs`,
    );
    expect(counts.rows[0]).toEqual({ orders: 1, history: 1, outbox: 1, movements: 2, timers: 1, payments: 1, events: 1, refs: 1 });
    expect((await db.query('SELECT code::int AS code FROM orders')).rows).toEqual(before.rows);
    // The event stream (012): the old event is the order's first, has its place, and the order counts it.
    expect((await db.query('SELECT sequence::int, position::int, order_code::int AS code FROM outbox')).rows).toEqual([{ sequence: 1, position: 1, code: 1001 }]);
    expect((await db.query('SELECT events::int FROM orders')).rows).toEqual([{ events: 1 }]);
    expect((await db.query('SELECT top::int FROM event_places')).rows).toEqual([{ top: 1 }]);
    // The search text left the order row (017).
    expect((await db.query('SELECT order_id, search FROM order_search')).rows).toEqual([{ order_id: order, search: 'ada' }]);
    expect(before.rows[0]!.code).toBe(1001);
    // The sequence goes on where it was.
    expect((await db.query<{ code: number }>("SELECT nextval('order_code_seq')::int AS code")).rows[0]!.code).toBe(1002);
    const ledger = await db.query<{ on_hand: number; reserved: number }>(`SELECT sum(on_hand_delta)::int AS on_hand, sum(reserved_delta)::int AS reserved FROM stock_movements WHERE sku = 'MUG'`);
    expect(ledger.rows[0]).toEqual({ on_hand: 5, reserved: 1 });
  });

  it('017 moves the search text out of the order row with its trigram index, and down again puts it back', async () => {
    const names = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort().map((f) => f.replace(/\.sql$/, ''));
    const url = await emptyDatabase();
    await migrate(url, { count: names.indexOf(SEARCH) });
    const db = await connect(url);
    const insert = (id: string, search: string, customer: object) => db.query(
      `INSERT INTO orders (id, workflow, workflow_version, status, status_tags, currency, search, body, version, created_at, updated_at)
       VALUES ($1, 'standard', 1, '{"order":"placed"}', '{placed,order:placed}', 'EUR', $2, $3, 1, now(), now())`,
      [id, search, { customer }]);
    const ada = '0190a1a0-0000-7000-8000-000000000011';
    const grace = '0190a1a0-0000-7000-8000-000000000012';
    await insert(ada, 'ada@example.com ada lovelace', { email: 'ada@example.com', name: 'Ada Lovelace' });
    await insert(grace, 'grace@example.com grace hopper cus_g', { email: 'Grace@Example.com', name: 'Grace Hopper', id: 'cus_G' });
    const column = async () => (await db.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'search'`)).rowCount;

    expect(await migrate(url)).toContain(SEARCH);
    expect(await column()).toBe(0);
    expect((await db.query('SELECT order_id, search FROM order_search ORDER BY order_id')).rows).toEqual([
      { order_id: ada, search: 'ada@example.com ada lovelace' },
      { order_id: grace, search: 'grace@example.com grace hopper cus_g' },
    ]);
    expect(await indexNames(db)).toEqual(expect.arrayContaining(['order_search_pkey', 'order_search_trgm_idx']));
    expect(await indexNames(db)).not.toContain('orders_search_trgm_idx');

    // Down (with whatever came after it): the text back in the row, also for an order that lost its search row.
    await db.query('DELETE FROM order_search WHERE order_id = $1', [grace]);
    await runner({ databaseUrl: url, dir: MIGRATIONS_DIR, direction: 'down', count: names.length - names.indexOf(SEARCH), migrationsTable: 'ordo_migrations', checkOrder: false, log: () => {} });
    expect((await db.query('SELECT id, search FROM orders ORDER BY id')).rows).toEqual([
      { id: ada, search: 'ada@example.com ada lovelace' },
      { id: grace, search: 'grace@example.com grace hopper cus_g' },
    ]);
    expect(await indexNames(db)).toContain('orders_search_trgm_idx');
    expect((await db.query(`SELECT to_regclass('order_search') AS t`)).rows).toEqual([{ t: null }]);
    expect(await migrate(url)).toContain(SEARCH);
    expect(await column()).toBe(0);
  });

  it('019 gives every order a row per SKU its lines hold, and down again takes them away', async () => {
    const names = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort().map((f) => f.replace(/\.sql$/, ''));
    const url = await emptyDatabase();
    await migrate(url, { count: names.indexOf(SKUS) });
    const db = await connect(url);
    const insert = (id: string, body: object) => db.query(
      `INSERT INTO orders (id, workflow, workflow_version, status, status_tags, currency, body, version, created_at, updated_at)
       VALUES ($1, 'standard', 1, '{"order":"placed"}', '{placed,order:placed}', 'EUR', $2, 1, now(), now())`, [id, body]);
    const ada = '0190a1a0-0000-7000-8000-000000000021';
    const grace = '0190a1a0-0000-7000-8000-000000000022';
    await insert(ada, { customer: { email: 'ada@example.com' }, lines: [{ sku: 'MUG' }, { sku: 'Tee-M' }, { sku: 'MUG' }] });
    await insert(grace, { customer: { email: 'grace@example.com' }, lines: [{ sku: 'MUG' }] });
    await insert('0190a1a0-0000-7000-8000-000000000023', { customer: { email: 'cart@example.com' }, lines: [] });

    expect(await migrate(url)).toContain(SKUS);
    expect((await db.query('SELECT sku, order_id FROM order_skus ORDER BY sku, order_id')).rows).toEqual([
      { sku: 'MUG', order_id: ada }, { sku: 'MUG', order_id: grace }, { sku: 'Tee-M', order_id: ada },
    ]);
    expect(await primaryKeys(db)).toMatchObject({ order_skus: 'PRIMARY KEY (sku, order_id)' });

    await runner({ databaseUrl: url, dir: MIGRATIONS_DIR, direction: 'down', count: names.length - names.indexOf(SKUS), migrationsTable: 'ordo_migrations', checkOrder: false, log: () => {} });
    expect((await db.query(`SELECT to_regclass('order_skus') AS t`)).rows).toEqual([{ t: null }]);
    expect(await migrate(url)).toContain(SKUS);
  });

  it('a database that has 009 still takes a migration numbered 008 that arrives later', async () => {
    // As a branch merged after this one would deliver it: the real 008 if the tree has one.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ordo-migrations-'));
    try {
      // The tree as it stood when 009 was the newest: later migrations are not part of this story.
      const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql') && f <= `${KEYS}.sql`);
      const late = files.find((f) => f.startsWith('1700000000008_'));
      for (const f of files) if (f !== late) await copyFile(path.join(MIGRATIONS_DIR, f), path.join(dir, f));
      const url = await emptyDatabase();
      expect((await migrate(url, { dir })).at(-1)).toBe(KEYS);
      if (late) await copyFile(path.join(MIGRATIONS_DIR, late), path.join(dir, late));
      else await writeFile(path.join(dir, '1700000000008_late_arrival.sql'), '-- Up Migration\nCREATE TABLE late_arrival (id integer PRIMARY KEY);\n\n-- Down Migration\nDROP TABLE late_arrival;\n');
      const name = (late ?? '1700000000008_late_arrival.sql').replace(/\.sql$/, '');
      expect(await migrate(url, { dir })).toEqual([name]);
      const db = await connect(url);
      const recorded = await db.query<{ name: string }>('SELECT name FROM ordo_migrations ORDER BY run_on, id');
      expect(recorded.rows.map((r) => r.name).slice(-2)).toEqual([KEYS, name]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
