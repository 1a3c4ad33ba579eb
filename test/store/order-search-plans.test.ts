/**
 * The admin's search (searchOrders) finds a page per alternative of `q` (text, code, id, payment
 * reference, SKU) and merges them: an order matching several is listed once, the merged page runs
 * newest first across them, and a cursor pages on through all of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import type { Order } from '../../src/domain/order.js';
import { ManualClock } from '../../src/engine/clock.js';
import { createOrdo, type Ordo } from '../../src/engine/ordo.js';
import { searchOrders, type OrderSearch } from '../../src/store/order-queries.js';
import { findOrder, updateOrder } from '../../src/store/orders.js';
import { freshDatabase } from '../support/database.js';

const ADMIN: Actor = { kind: 'admin', id: 'search-plans-test' };
const NOW = new Date('2026-03-02T09:00:00Z');
let ordo: Ordo;
beforeAll(async () => {
  ordo = await createOrdo({ databaseUrl: await freshDatabase(), migrate: false, clock: new ManualClock(NOW) });
});
afterAll(() => ordo.close());

/** A new order (ids grow with creation: each is newer than the ones made before it). */
async function create(email: string, sku: string, opts: { paid?: boolean; customerId?: string } = {}): Promise<Order> {
  const created = await ordo.payments.createOrder({
    currency: 'EUR', customer: { email, ...(opts.customerId ? { id: opts.customerId } : {}) },
    lines: [{ sku, quantity: 1, unitPrice: 900 }], ...(opts.paid ? { payment: { method: 'card' } } : {}),
  }, ADMIN);
  if (!created.ok) throw new Error(`${created.code}: ${created.message}`);
  return (await findOrder(ordo.pool, created.value.id))!;
}

/** Saves a change to an order made here, as the store's own save does. */
async function change(order: Order, changed: Partial<Order>, search: boolean): Promise<void> {
  const current = (await findOrder(ordo.pool, order.id))!;
  const saved = await updateOrder(ordo.pool, { ...current, ...changed, version: current.version + 1 }, current.version, [], [], { timers: false, payments: false, refs: false, search });
  expect(saved).toBeDefined();
}

const ids = async (f: OrderSearch) => (await searchOrders(ordo.pool, f)).map((o) => o.id);

/** Every page of `limit`, each asked with the previous page's last id, as the route's cursor does. */
async function pages(f: Omit<OrderSearch, 'limit' | 'after'>, limit: number): Promise<string[][]> {
  const all: string[][] = [];
  let after: string | undefined;
  for (;;) {
    const page = await ids({ ...f, limit, ...(after ? { after } : {}) });
    if (page.length === 0) return all;
    all.push(page);
    after = page.at(-1);
    if (all.length > 20) throw new Error('the cursor does not move on');
  }
}

const chunks = <T>(xs: readonly T[], n: number) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

describe('the admin search, its alternatives merged', () => {
  it('lists an order matching the text and a SKU once, newest first across both, and pages on at any size', async () => {
    // Oldest first: text only, text and SKU, SKU only, SKU only, text only, text and SKU.
    const t1 = await create('first.mergetoken@example.com', 'OTHER');
    const ts2 = await create('second.mergetoken@example.com', 'MERGETOKEN');
    const s3 = await create('third@example.com', 'MERGETOKEN');
    const s4 = await create('fourth@example.com', 'MERGETOKEN');
    const t5 = await create('fifth.mergetoken@example.com', 'OTHER');
    const ts6 = await create('sixth.mergetoken@example.com', 'MERGETOKEN');
    const newestFirst = [ts6, t5, s4, s3, ts2, t1].map((o) => o.id);
    // As typed (the text lowercased, the SKU in capitals) and in capitals.
    expect(await ids({ q: 'mergetoken', limit: 20 })).toEqual(newestFirst);
    expect(await ids({ q: ' MergeToken ', limit: 20 })).toEqual(newestFirst);
    for (const limit of [1, 2, 3, 4, 5, 6]) {
      expect(await pages({ q: 'mergetoken' }, limit), `pages of ${limit}`).toEqual(chunks(newestFirst, limit));
    }
  });

  it('takes the SKU orders between the newest and the last of the text page, not only those above its newest', async () => {
    // Oldest first: text, text, SKU, SKU, text. The text's page of 2 is the last and the first;
    // the SKU orders newer than the first (the page's last) belong on the merged page.
    const t1 = await create('one.bandtoken@example.com', 'OTHER');
    const t2 = await create('two.bandtoken@example.com', 'OTHER');
    const s1 = await create('three@example.com', 'BANDTOKEN');
    const s2 = await create('four@example.com', 'BANDTOKEN');
    const t3 = await create('five.bandtoken@example.com', 'OTHER');
    const newestFirst = [t3, s2, s1, t2, t1].map((o) => o.id);
    expect(await ids({ q: 'bandtoken', limit: 2 })).toEqual(newestFirst.slice(0, 2));
    expect(await ids({ q: 'bandtoken', limit: 3 })).toEqual(newestFirst.slice(0, 3));
    expect(await pages({ q: 'bandtoken' }, 2)).toEqual(chunks(newestFirst, 2));
    // Without a full page of the text's, the SKU's orders below it are found too.
    expect(await ids({ q: 'bandtoken', limit: 20 })).toEqual(newestFirst);
  });

  it('counts an order found by its code and its text once, and finds an older one by the same text as its SKU', async () => {
    // The older order will have the newer one's code as its SKU; the newer one matches by its code and by its text.
    const older = await create('older@example.com', 'PLACEHOLDER');
    const both = await create('newer@example.com', 'OTHER');
    const code = String(both.code);
    expect(both.code).not.toBeNull();
    await change(both, { customer: { email: `newer.${code}@example.com` } }, true);
    await change(older, { lines: older.lines.map((l) => ({ ...l, sku: code })) }, true);
    // The others found one order (twice): short of a page of 2, so the SKU's order comes below it.
    expect(await ids({ q: code, limit: 2 })).toEqual([both.id, older.id]);
    expect(await ids({ q: `#${code}`, limit: 2 })).toEqual([both.id]);
    expect(await pages({ q: code }, 1)).toEqual([[both.id], [older.id]]);
  });

  it('merges the payment reference with the text and the SKU, each order once, with every other filter on each page', async () => {
    const paid = await create('reference.payer@example.com', 'OTHER', { paid: true });
    const reference = paid.payments[0]?.reference;
    expect(reference).toBeTruthy();
    // The payer's text names the reference too; a newer order's customer id is it; a newest one has it as a SKU.
    await change(paid, { customer: { ...paid.customer, id: reference! } }, true);
    const byText = await create('reference.customer@example.com', 'OTHER', { customerId: reference! });
    const bySku = await create('reference.sku@example.com', reference!);
    expect(await ids({ q: reference!, limit: 20 })).toEqual([bySku.id, byText.id, paid.id]);
    expect(await pages({ q: reference! }, 1)).toEqual([[bySku.id], [byText.id], [paid.id]]);
    expect(paid.status.payment).toBe('paid');
    expect(await ids({ q: reference!, statuses: [['payment:paid']], limit: 20 })).toEqual([paid.id]);
    expect(await ids({ q: reference!, statuses: [['payment:unpaid']], limit: 20 })).toEqual([bySku.id, byText.id]);
    expect(await ids({ q: reference!, workflow: 'xcart', limit: 20 })).toEqual([]);
    expect(await ids({ q: reference!, createdFrom: new Date(NOW.getTime() + 1000), limit: 20 })).toEqual([]);
    expect(await ids({ q: reference!, createdFrom: NOW, limit: 20 })).toEqual([bySku.id, byText.id, paid.id]);
  });

  it('finds an order by its id, and by the text and the SKU around it', async () => {
    const target = await create('plain.idtarget@example.com', 'OTHER');
    const bySku = await create('other@example.com', target.id);
    expect(await ids({ q: target.id, limit: 20 })).toEqual([bySku.id, target.id]);
    // In capitals it is still the id, but no longer the SKU as typed.
    expect(await ids({ q: target.id.toUpperCase(), limit: 20 })).toEqual([target.id]);
    expect(await pages({ q: target.id }, 1)).toEqual([[bySku.id], [target.id]]);
  });
});
