/**
 * A save writes an order's refs (which order a parcel or a return belongs to) only when it made
 * a new parcel or return: a parcel's status change leaves its ref as it is, rather than writing
 * it again to have it ignored as already there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { queriesOf } from '../support/statements.js';
import { admin, input, ok, uniqueSku } from '../stock/helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** The refs the order's save statements were given to write, while `work` runs ([] for a save told to write none). */
async function refsWritten(work: () => Promise<unknown>): Promise<unknown[]> {
  const saves = (await queriesOf(work)).filter((q) => q.name?.startsWith('ordo_update_order'));
  // ordo_update_order's $17 is the refs, $18 whether to write them.
  return saves.map((q) => (q.values![17] ? JSON.parse(q.values![16] as string) : []));
}

describe("an order's refs", () => {
  it('are written by the save that makes a parcel, and not by one that moves it', async () => {
    const order = ok(await t.ordo.orders.create(input([{ sku: uniqueSku('REFS'), quantity: 1 }]), admin));
    let parcel = '';
    expect(await refsWritten(async () => {
      parcel = ok(await t.ordo.fulfillments.create(order.id, { lines: [{ lineId: order.lines[0]!.id, quantity: 1 }], carrier: 'DHL' }, admin)).fulfillments[0]!.id;
    })).toEqual([[{ id: parcel, kind: 'fulfillment' }]]);
    expect(await refsWritten(async () => ok(await t.ordo.fulfillments.transition(parcel, 'shipped', admin)))).toEqual([[]]);
    // The ref is there all the same: another process finds the parcel's order by it.
    const { rows } = await t.ordo.pool.query('SELECT order_id FROM order_refs WHERE id = $1', [parcel]);
    expect(rows).toEqual([{ order_id: order.id }]);
  });
});
