/**
 * What the engine keeps in memory instead of asking the database on every request: which order
 * a fulfillment or a payment belongs to, since that never changes. (API keys are not kept: a
 * revocation must hold at once in every process.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrdo } from '../../src/engine/ordo.js';
import { orderBody, startTestApp, type TestApp } from '../support/app.js';
import { statementsOf } from '../support/statements.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(() => t.close());

describe('which order a fulfillment belongs to', () => {
  it('is read once, then known (a parcel another process made)', async () => {
    const order = (await t.call('POST', '/v1/orders', orderBody({ payment: { method: 'card' } }))).body;
    // Made by another process: one this process made or answered with is known from its answer (test/engine/kept-orders.test.ts).
    const other = await createOrdo({ databaseUrl: t.ordo.databaseUrl, migrate: false, clock: t.clock });
    let fid: string;
    try {
      const fulfilled = await other.fulfillments.create(order.id, { lines: [{ lineId: order.lines[0].id, quantity: 2 }] }, { kind: 'admin', id: 'test' });
      if (!fulfilled.ok) throw new Error(fulfilled.message);
      fid = fulfilled.value.fulfillments.at(-1)!.id;
    } finally {
      await other.close();
    }
    const sent = await statementsOf(async () => {
      expect((await t.call('POST', `/v1/fulfillments/${fid}/transitions`, { to: 'shipped' })).status).toBe(200);
      expect((await t.call('POST', `/v1/fulfillments/${fid}/transitions`, { to: 'delivered' })).status).toBe(200);
    });
    expect(sent.filter((q) => q === 'ordo_ref_order')).toHaveLength(1);
  });

  it('an id that names no fulfillment is still not found, each time', async () => {
    const missing = '01900000-0000-7000-8000-000000000000';
    for (let i = 0; i < 2; i++) expect((await t.call('POST', `/v1/fulfillments/${missing}/transitions`, { to: 'shipped' })).status).toBe(404);
  });
});
