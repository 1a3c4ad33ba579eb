/**
 * The search text in a table of its own (migration 017): written when an order is created and
 * when its customer changes, never by a save that leaves the customer as it was (a status change
 * wrote a trigram index entry every time while the text sat in the order row). The lines' SKUs,
 * which the admin's search finds whole, have rows of their own (order_skus, migration 019),
 * written likewise: with a new order and when the lines' SKUs change, never by a status change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import type { Order } from '../../src/domain/order.js';
import { ManualClock } from '../../src/engine/clock.js';
import { createOrdo, type Ordo } from '../../src/engine/ordo.js';
import { searchOrders, stuckOrders } from '../../src/store/order-queries.js';
import { foldStatusCounts } from '../../src/store/order-counts.js';
import { statusTags } from '../../src/store/order-rows.js';
import { findOrder, listOrders, updateOrder } from '../../src/store/orders.js';
import { textMatch } from '../../src/store/search-match.js';
import { freshDatabase } from '../support/database.js';

const ADMIN: Actor = { kind: 'admin', id: 'search-test' };
const DAY = 24 * 60 * 60;
const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));
let ordo: Ordo;
beforeAll(async () => {
  ordo = await createOrdo({ databaseUrl: await freshDatabase(), migrate: false, clock });
});
afterAll(() => ordo.close());

async function create(customer: { email: string; name?: string; id?: string }, workflow = 'standard', payment?: { method: string; options: Record<string, string> }): Promise<Order> {
  const created = await ordo.payments.createOrder({ workflow, currency: 'EUR', customer, lines: [{ sku: 'SEARCH-MUG', quantity: 1, unitPrice: 900 }], ...(payment ? { payment } : {}) }, ADMIN);
  if (!created.ok) throw new Error(`${created.code}: ${created.message}`);
  return (await findOrder(ordo.pool, created.value.id))!;
}

/** The order's search row and the transaction that last wrote it (xmin): a rewrite of the same text changes xmin. */
async function searchRow(orderId: string): Promise<{ search: string; xmin: string } | undefined> {
  const res = await ordo.pool.query<{ search: string; xmin: string }>('SELECT search, xmin::text FROM order_search WHERE order_id = $1', [orderId]);
  return res.rows[0];
}

/** The order's SKU rows, by SKU, each with the transaction that wrote it. */
async function skuRows(orderId: string): Promise<{ sku: string; xmin: string }[]> {
  const res = await ordo.pool.query<{ sku: string; xmin: string }>('SELECT sku, xmin::text FROM order_skus WHERE order_id = $1 ORDER BY sku COLLATE "C"', [orderId]);
  return res.rows;
}
const skusOf = async (orderId: string) => (await skuRows(orderId)).map((r) => r.sku);

const found = async (q: string) => (await listOrders(ordo.pool, { q, limit: 20 })).map((o) => o.id);

describe('the order search text', () => {
  it('is written with a new order: the customer\'s email, name and id, lowercased', async () => {
    const order = await create({ email: 'Ada.Search@Example.com', name: 'Ada Lovelace', id: 'cus_ADA' });
    expect((await searchRow(order.id))?.search).toBe('ada.search@example.com ada lovelace cus_ada');
    expect(await found('ada.search@')).toEqual([order.id]);
  });

  it('holds the lines\' SKUs, each once and as typed, and the admin search finds the order by any of them, whole', async () => {
    const created = await ordo.payments.createOrder({
      currency: 'EUR', customer: { email: 'sku.holder@example.com' },
      lines: [{ sku: 'Sku-Kept-A', quantity: 1, unitPrice: 100 }, { sku: 'SKU-KEPT-B', quantity: 1, unitPrice: 100 }, { sku: 'Sku-Kept-A', quantity: 2, unitPrice: 90 }],
    }, ADMIN);
    if (!created.ok) throw new Error(created.message);
    expect(await skusOf(created.value.id)).toEqual(['SKU-KEPT-B', 'Sku-Kept-A']);
    const admin = async (q: string) => (await searchOrders(ordo.pool, { q, limit: 20 })).map((o) => o.id);
    for (const q of ['Sku-Kept-A', 'SKU-KEPT-B', 'sku-kept-b']) expect(await admin(q), q).toEqual([created.value.id]);
    // Whole, as typed or in capitals: neither a part nor another case of a mixed-case SKU.
    expect(await admin('SKU-KEPT')).toEqual([]);
    expect(await admin('sku-kept-a')).toEqual([]);
  });

  it('takes the SKUs of a modification after checkout: the added one is found, the removed one no more', async () => {
    const order = await create({ email: 'sku.modified@example.com' });
    const line = order.lines[0]!.id;
    const modified = await ordo.modifications.apply(order.id, { addLines: [{ sku: 'SEARCH-ADDED', quantity: 1, unitPrice: 500 }], removeLines: [line] }, ADMIN);
    expect(modified.ok && modified.value.lines.map((l) => l.sku)).toEqual(['SEARCH-ADDED']);
    expect(await skusOf(order.id)).toEqual(['SEARCH-ADDED']);
    const admin = async (q: string) => (await searchOrders(ordo.pool, { q, limit: 100 })).map((o) => o.id);
    expect(await admin('SEARCH-ADDED')).toEqual([order.id]);
    expect(await admin('SEARCH-MUG')).not.toContain(order.id);
  });

  it('is not written by status changes, which leave the customer and the lines as they were', async () => {
    const order = await create({ email: 'status.only@example.com' });
    const before = (await searchRow(order.id))!;
    const skus = await skuRows(order.id);
    expect(skus.map((r) => r.sku)).toEqual(['SEARCH-MUG']);
    for (const to of ['in_review', 'placed', 'cancelled']) {
      const moved = await ordo.orders.execute(order.id, { type: 'transition', track: 'order', to }, ADMIN);
      expect(moved.ok, to).toBe(true);
    }
    expect((await findOrder(ordo.pool, order.id))!.version).toBe(order.version + 3);
    expect(await searchRow(order.id)).toEqual(before);
    expect(await skuRows(order.id)).toEqual(skus);
  });

  it('is rewritten when the customer changes: the new email is found, the old one no more', async () => {
    const order = await create({ email: 'old.address@example.com' });
    const before = (await searchRow(order.id))!;
    const moved = { ...order, customer: { email: `new.address.${order.code}@example.com` }, version: order.version + 1 };
    expect(await updateOrder(ordo.pool, moved, order.version, [], [], { timers: false, payments: false, refs: false, search: true })).toBeDefined();
    expect((await searchRow(order.id))!.xmin).not.toBe(before.xmin);
    expect(await found('new.address')).toEqual([order.id]);
    expect(await found('old.address')).toEqual([]);
    // Matched by its code and by its text at once: listed once.
    expect(await found(String(order.code))).toEqual([order.id]);
  });

  it('is left as stored by a save that says it did not change, and by a save that lost the race', async () => {
    const order = await create({ email: 'kept.text@example.com' });
    const before = (await searchRow(order.id))!;
    const renamed = { ...order, customer: { email: 'other.text@example.com' }, version: order.version + 1 };
    expect(await updateOrder(ordo.pool, renamed, order.version + 7, [], [], { timers: false, payments: false, refs: false, search: true })).toBeUndefined();
    expect(await searchRow(order.id)).toEqual(before);
    expect(await updateOrder(ordo.pool, renamed, order.version, [], [], { timers: false, payments: false, refs: false, search: false })).toBeDefined();
    expect(await searchRow(order.id)).toEqual(before);
  });

  it('is erased with the customer when an order is removed (X-Cart\'s expired Not finished orders)', async () => {
    const order = await create({ email: 'gone.customer@example.com', name: 'Gone' }, 'xcart', { method: 'card', options: { simulate: 'decline' } });
    expect((await findOrder(ordo.pool, order.id))!.status.fulfilment).toBe('NF');
    clock.advance(7 * DAY + 1);
    await ordo.sweeper.sweep();
    expect((await findOrder(ordo.pool, order.id))!.removedAt).toBeDefined();
    expect((await searchRow(order.id))?.search).toBe('');
    expect(await found('gone.customer')).toEqual([]);
  });

  it('merges the pages of a text and a code match, newest first, and pages on with the cursor', async () => {
    const byCode = await create({ email: 'by.code@example.com' });
    const byText = await create({ email: `text.${byCode.code}@example.com` });
    const q = String(byCode.code);
    expect(await found(q)).toEqual([byText.id, byCode.id]);
    expect((await listOrders(ordo.pool, { q, limit: 1 })).map((o) => o.id)).toEqual([byText.id]);
    expect((await listOrders(ordo.pool, { q, limit: 1, after: byText.id })).map((o) => o.id)).toEqual([byCode.id]);
    expect(await found(`#${q}`)).toEqual([byCode.id]);
  });
});

describe('a search for an email', () => {
  it('finds every order whose text holds all of it, whatever the case, in the list and the admin search alike', async () => {
    const alice = await create({ email: 'alice@mailhost.example' });
    const malice = await create({ email: 'malice@mailhost.example' });
    await create({ email: 'alice@mailhost.other' });
    await create({ email: 'alice@elsewhere.example' });
    const newestFirst = [malice.id, alice.id];
    for (const q of ['alice@mailhost.example', ' ALICE@MailHost.example ', 'lice@mailhost.ex', 'e@mailhost.example', '@mailhost.example']) {
      expect(await found(q), q).toEqual(newestFirst);
      expect((await searchOrders(ordo.pool, { q, limit: 20 })).map((o) => o.id), q).toEqual(newestFirst);
    }
    expect(await found('alice@mailhost.exampl_')).toEqual([]);
  });

  it('looks the local part and its @ up in the trigram index, not the domain most customers share', async () => {
    // Enough rows, and no sequential scan, for the plan to be the one a large table gets.
    await ordo.pool.query(`INSERT INTO order_search (order_id, search) SELECT gen_random_uuid(), 'buyer' || g || '@mailhost.example' FROM generate_series(1, 2000) g`);
    const plan = async (q: string) => {
      const values: unknown[] = [];
      const where = textMatch(q, (v) => `$${values.push(v)}`);
      const client = await ordo.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SET LOCAL enable_seqscan = off');
        await client.query('ANALYZE order_search');
        const res = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT order_id FROM order_search WHERE ${where}`, values);
        await client.query('ROLLBACK');
        return res.rows.map((r) => r['QUERY PLAN']).join('\n');
      } finally {
        client.release();
      }
    };
    const email = await plan('buyer17@mailhost.example');
    expect(email).toMatch(/Index Cond: \(search ~~ '%buyer17@%'::text\)/);
    expect(email).toMatch(/Filter: \(strpos\(search, 'buyer17@mailhost.example'::text\) > 0\)/);
    // Too short a local part to look up by its trigrams alone, and a bare domain: the whole text.
    expect(await plan('17@mailhost.example')).toMatch(/Index Cond: \(search ~~ '%17@mailhost.example%'::text\)/);
    expect(await plan('@mailhost.example')).toMatch(/Index Cond: \(search ~~ '%@mailhost.example%'::text\)/);
    expect(await found('buyer17@mailhost.example')).toEqual([]); // text rows of no order are never listed
  });
});

/**
 * The plans PostgreSQL makes of the statements `read` sends, as a large table gets them: the
 * named tables analyzed and no sequential scan.
 */
async function plansOf(read: (db: never) => Promise<unknown>, analyze: string): Promise<string[]> {
  const sent: { text: string; values: unknown[] }[] = [];
  // Each statement is run, for a read that sends its next statement after the answer to the last.
  const recording = {
    query: async (query: string | { text: string; values: unknown[] }, values: unknown[] = []) => {
      const statement = typeof query === 'string' ? { text: query, values } : query;
      sent.push(statement);
      return ordo.pool.query(statement.text, statement.values);
    },
  };
  await read(recording as never);
  const client = await ordo.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL enable_seqscan = off');
    await client.query(`ANALYZE ${analyze}`);
    const plans: string[] = [];
    for (const s of sent) plans.push((await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${s.text}`, s.values)).rows.map((r) => r['QUERY PLAN']).join('\n'));
    await client.query('ROLLBACK');
    return plans;
  } finally {
    client.release();
  }
}

describe('a search for a SKU', () => {
  it('reads the SKU\'s orders newest first off order_skus\'s key, never the lines of every order', async () => {
    // Enough orders holding other SKUs, and no sequential scan, for the plan to be the one a large table gets.
    await ordo.pool.query(`INSERT INTO order_skus (sku, order_id) SELECT 'FILLER-' || (g % 20), gen_random_uuid() FROM generate_series(1, 2000) g`);
    const [plan] = await plansOf((db) => searchOrders(db, { q: 'PLAN-SKU', limit: 20 }), 'order_skus');
    expect(plan).not.toContain("body -> 'lines'");
    expect(plan).toMatch(/Index Only Scan Backward using order_skus_pkey on order_skus[\s\S]*?Index Cond: \(sku = 'PLAN-SKU'::text\)/);
  });
});

describe('the orders with a return', () => {
  it('are read off order_refs\' returns, never every order\'s document', async () => {
    // Many orders, with parcels (refs of another kind), none with a return: the plan a large shop gets.
    await ordo.pool.query(`INSERT INTO order_refs (id, order_id, kind) SELECT gen_random_uuid(), gen_random_uuid(), 'fulfillment' FROM generate_series(1, 2000)`);
    for (const returns of ['any', 'open'] as const) {
      const [plan] = await plansOf((db) => searchOrders(db, { returns, limit: 20 }), 'order_refs');
      expect(plan, returns).toMatch(/order_refs_return_order_idx/);
    }
  });
});

/**
 * `count` copies of an order, the nth created n hours before it, in one statement: a table as
 * large shops have. As it is, or moved to another workflow or status, last changed at another
 * time, removed (then) if asked; the status triggers count them as any insert.
 */
async function copiesOf(order: Order, count: number, to: { workflow?: string; status?: Record<string, string>; updatedAt?: Date; removed?: boolean } = {}): Promise<string[]> {
  const res = await ordo.pool.query<{ id: string }>(`INSERT INTO orders (id, code, workflow, workflow_version, status, status_tags, currency, customer_id, body, version, created_at, updated_at, placed_at)
    SELECT gen_random_uuid(), NULL, coalesce($3, workflow), workflow_version, coalesce($4::jsonb, status), coalesce($5::text[], status_tags), currency, customer_id,
      CASE WHEN $7 THEN body || jsonb_build_object('removedAt', coalesce($6::timestamptz, updated_at)) ELSE body END, version,
      created_at - g * interval '1 hour', coalesce($6::timestamptz, updated_at), placed_at
    FROM orders, generate_series(1, $2::int) g WHERE id = $1 RETURNING id`,
  [order.id, count, to.workflow ?? null, to.status ? JSON.stringify(to.status) : null, to.status ? statusTags(to.status) : null, to.updatedAt ?? null, to.removed ?? false]);
  return res.rows.map((r) => r.id);
}

describe('a range of days', () => {
  it('pages by creation time, newest first, with or without a text', async () => {
    // The later-made order was created earlier (a clock moved back): its id is newer, its day older.
    const email = 'days@example.com';
    clock.advance(30 * DAY); // a day of their own: no other order of this file was created in the range
    const createdLater = await create({ email });
    clock.advance(-3600);
    const createdEarlier = await create({ email });
    clock.advance(3600);
    const range = { createdFrom: new Date(clock.now().getTime() - 7_200_000), createdTo: new Date(clock.now().getTime() + 1000) };
    for (const q of [undefined, email]) {
      const first = await searchOrders(ordo.pool, { ...range, ...(q ? { q } : {}), limit: 1 });
      expect(first.map((o) => o.id), `q=${q}`).toEqual([createdLater.id]);
      const next = await searchOrders(ordo.pool, { ...range, ...(q ? { q } : {}), after: createdLater.id, limit: 5 });
      expect(next.map((o) => o.id), `q=${q}`).toEqual([createdEarlier.id]);
    }
  });

  it('is read off orders_created_at_idx, not by walking back from the newest order (migration 021)', async () => {
    // 5,000 orders, one an hour back from the clock's day; the week asked for holds 168 of them.
    await copiesOf(await create({ email: 'range@example.com' }), 5000);
    const [plan] = await plansOf((db) => searchOrders(db, { createdFrom: new Date('2025-09-01T00:00:00Z'), createdTo: new Date('2025-09-08T00:00:00Z'), limit: 20 }), 'orders');
    expect(plan).toMatch(/Index Cond: \(\(created_at >= .*\) AND \(created_at < .*\)\)/);
    expect(plan).toMatch(/orders_created_at_idx/);
  });
});

describe('the stuck orders of a workflow', () => {
  it('are counted per status as one count of every stuck order would count them', async () => {
    const workflow = 'stuck-count';
    const now = new Date('2026-03-02T09:00:00Z');
    const old = new Date(now.getTime() - 3 * DAY * 1000);
    const recent = new Date(now.getTime() - 3600 * 1000);
    const temporary = ['order:placed', 'payment:authorized'];
    const pending = { order: 'placed', payment: 'pending' };
    const authorized = { order: 'placed', payment: 'authorized' };
    const resting = { order: 'completed', payment: 'paid' };
    const model = await create({ email: 'stuck.count@example.com' });
    const oldPending = await copiesOf(model, 30, { workflow, status: pending, updatedAt: old });
    await copiesOf(model, 20, { workflow, status: authorized, updatedAt: old });
    await foldStatusCounts(ordo.pool); // some counted in the summary, the rest as deltas
    const recentPending = await copiesOf(model, 10, { workflow, status: pending, updatedAt: recent });
    const restingOnes = await copiesOf(model, 5, { workflow, status: resting, updatedAt: old });
    await copiesOf(model, 3, { workflow, status: pending, updatedAt: old, removed: true });
    await copiesOf(model, 7, { workflow: 'stuck-count-other', status: pending, updatedAt: old });
    const due = new Date(now.getTime() - 60_000);
    const later = new Date(now.getTime() + 60_000);
    const earlier = new Date(now.getTime() - 3_600_000);
    await ordo.pool.query(`INSERT INTO timers (order_id, name, due_at) VALUES
      ($1, 'expire', $5), ($2, 'expire', $5), ($3, 'expire', $5), ($3, 'remind', $7), ($4, 'expire', $6)`,
    [recentPending[0], restingOnes[0], oldPending[0], recentPending[1], due, later, earlier]);

    const query = { workflow, temporary, now, unchangedSince: new Date(now.getTime() - DAY * 1000), limit: 100 };
    const stuck = await stuckOrders(ordo.pool, query);
    // By hand: the 30 + 20 old ones in a temporary status, one recent one and one resting one with
    // a due timer; not the recent ones, the removed ones, the other workflow's, nor a timer not due.
    const byStatus = (rows: { status: Record<string, string>; count: number }[]) =>
      Object.fromEntries(rows.map((r) => [`${r.status.order}/${r.status.payment}`, r.count]));
    expect(byStatus(stuck.byStatus)).toEqual({ 'placed/pending': 31, 'placed/authorized': 20, 'completed/paid': 1 });
    expect(stuck.total).toBe(52);
    expect(stuck.rows).toHaveLength(52);
    // Each listed once, with its earliest due timer where one is due.
    const listed = new Map(stuck.rows.map((r) => [r.id, r]));
    expect(listed.size).toBe(52);
    expect(listed.get(oldPending[0]!)?.overdueSince).toEqual(earlier);
    expect(listed.get(restingOnes[0]!)?.overdueSince).toEqual(due);
    expect(listed.get(oldPending[1]!)?.overdueSince).toBeNull();
    expect(listed.has(recentPending[1]!)).toBe(false);
    // And as a grouped count of the orders the list reads gives it.
    const oneByOne = await ordo.pool.query<{ status: Record<string, string>; count: number }>(`SELECT status, count(*)::int AS count FROM orders
      WHERE workflow = $1 AND NOT (body ? 'removedAt') AND ((status_tags && $2::text[] AND updated_at < $3) OR id IN (SELECT order_id FROM timers WHERE due_at < $4))
      GROUP BY status`, [workflow, temporary, query.unchangedSince, now]);
    expect(byStatus(stuck.byStatus)).toEqual(byStatus(oneByOne.rows));
  });

  it('are read a page per waiting status at most, never every order of the workflow, where few wait or many (migration 022)', async () => {
    // 5,000 orders at rest for months, 5 waiting in a temporary status; in another workflow, 5,000
    // waiting for months (a shop that never marks parcels delivered). No timer due.
    const now = new Date('2026-03-02T09:00:00Z');
    const months = new Date(now.getTime() - 90 * DAY * 1000);
    const model = await create({ email: 'stuck.plans@example.com' });
    await copiesOf(model, 5000, { workflow: 'stuck-few', status: { order: 'completed' }, updatedAt: months });
    await copiesOf(model, 5, { workflow: 'stuck-few', status: { order: 'placed' }, updatedAt: months });
    await copiesOf(model, 5000, { workflow: 'stuck-many', status: { order: 'placed' }, updatedAt: months });
    for (const workflow of ['stuck-few', 'stuck-many']) {
      const [count, list] = await plansOf((db) => stuckOrders(db, { workflow, temporary: ['order:placed'], now, unchangedSince: new Date(now.getTime() - DAY * 1000), limit: 20 }), 'orders, timers');
      // The count reads the per-status counts, and of the orders only those changed since the threshold.
      expect(count, workflow).toMatch(/order_status_counts/);
      expect(count, workflow).toMatch(/orders_waiting_idx[\s\S]*?Index Cond: \(\(workflow = '[\w-]+'::text\) AND \(status = ANY \(\(InitPlan \d+\)\.col1\)\) AND \(updated_at >= /);
      expect(count, workflow).not.toMatch(/Bitmap Index Scan on orders_status_tags_idx/);
      // The list walks the waiting status's oldest changes and stops at a page: no sort of every waiting order.
      expect(list, workflow).toMatch(/Index Scan using orders_waiting_idx[\s\S]*?Index Cond: \(\(workflow = '[\w-]+'::text\) AND \(status = '\{"order": "placed"\}'::jsonb\) AND \(updated_at < /);
      expect(list, workflow).toMatch(/Limit[\s\S]*Sort[\s\S]*Limit[\s\S]*Index Scan using orders_waiting_idx/);
      // Never every order of the workflow by its name alone.
      for (const plan of [count, list]) expect(plan, workflow).not.toMatch(/ on orders(?: \w+)? {2}\(.*\n.*Index Cond: \(workflow = '[\w-]+'::text\)$/m);
    }
  });
});
