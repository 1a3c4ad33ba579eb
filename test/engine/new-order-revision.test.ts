/**
 * A new order is decided on its workflow as this process last read it; its save checks that
 * the workflow's stored changes are still at that revision. A change made elsewhere (here: by
 * SQL, as another process's commit) makes the save write nothing, and the order is decided
 * again on the changes as they now are: never saved on settings that were no longer stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveCustomization } from '../../src/store/workflow-customizations.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { statementsOf } from '../support/statements.js';
import { admin, expectLevels, history, input, ok, uniqueSku } from '../stock/helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const HOUR = 3_600_000;
const writes = (sent: readonly string[]) => sent.filter((q) => q.startsWith('ordo_insert_order'));

/** Another process's change: the standard workflow's payment deadline becomes `hours`, one revision on. */
async function changedElsewhere(hours: number): Promise<void> {
  const stored = await t.ordo.pool.query<{ revision: number }>(`SELECT revision FROM workflow_customizations WHERE workflow = 'standard'`);
  const revision = (stored.rows[0]?.revision ?? 0) + 1;
  await saveCustomization(t.ordo.pool, 'standard', { revision, settings: { paymentTimeout: `${hours}h` }, labels: {}, statuses: [] }, t.clock.now());
}

describe('a new order saved on a workflow changed by another process', () => {
  it('moving stock: the stale save writes nothing, and the order is decided again on the new deadline', async () => {
    const sku = uniqueSku('REV');
    ok(await t.ordo.stock.set(sku, { onHand: 5 }, admin));
    ok(await t.ordo.orders.create(input([{ sku, quantity: 1 }]), admin)); // this process has read the workflow now
    await changedElsewhere(5);
    let id = '';
    const sent = await statementsOf(async () => { id = ok(await t.ordo.orders.create(input([{ sku, quantity: 2 }]), admin)).id; });
    expect(writes(sent)).toEqual(['ordo_insert_order_moving_stock', 'ordo_insert_order_moving_stock']);
    const order = ok(await t.ordo.orders.get(id, admin));
    expect(order.timers.find((x) => x.name === 'payment-deadline')?.dueAt).toBe(new Date(t.clock.now().getTime() + 5 * HOUR).toISOString());
    await expectLevels(t.ordo.pool, sku, { onHand: 5, reserved: 3 });
    expect((await history(t.ordo.pool, id)).filter((h) => h.type === 'order.created')).toHaveLength(1);
  });

  it('moving no stock (a draft): the same', async () => {
    ok(await t.ordo.orders.create(input([{ sku: 'ANY', quantity: 1 }], { draft: true }), admin));
    await changedElsewhere(7);
    const before = (await t.ordo.pool.query('SELECT count(*)::int AS n FROM orders')).rows[0].n as number;
    const sent = await statementsOf(async () => { ok(await t.ordo.orders.create(input([{ sku: 'ANY', quantity: 1 }], { draft: true }), admin)); });
    expect(writes(sent)).toEqual(['ordo_insert_order', 'ordo_insert_order']);
    expect((await t.ordo.pool.query('SELECT count(*)::int AS n FROM orders')).rows[0].n).toBe(before + 1);
  });
});
