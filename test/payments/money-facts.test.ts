/** Money the gateway moved is always recorded, even when the status change it calls for needs stock that is gone. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { orderBody, startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

it('a charge that succeeds after the stock ran out is recorded, and the shortfall reported to the merchant', async () => {
  await t.call('PUT', '/v1/inventory/FACT-A', { onHand: 1 });
  const o = (await t.call('POST', '/v1/orders', orderBody({ lines: [{ sku: 'FACT-A', quantity: 1, unitPrice: 1000 }], shipping: { amount: 0 }, payment: { method: 'card', simulate: 'decline' } }))).body;
  // The decline let the unit go; someone else takes it.
  expect(o.status.payment).toBe('failed');
  await t.call('PUT', '/v1/inventory/FACT-A', { onHand: 0, reason: 'sold in the shop' });
  const paid = await t.call('POST', `/v1/orders/${o.id}/payments`, { method: 'card' });
  expect(paid.status, paid.text).toBe(201);
  // The money is on the order; the status stays until the merchant restocks or refunds.
  expect(paid.body.totals).toMatchObject({ total: 1000, paid: 1000, balance: 0 });
  expect(paid.body.payments[1]).toMatchObject({ state: 'settled', captured: 1000, pendingOperation: null });
  expect(paid.body.status.payment).toBe('failed');
  const history = (await t.call('GET', `/v1/orders/${o.id}/history`)).body.items;
  expect(history.find((h: { type: string }) => h.type === 'stock.short').data).toMatchObject({ shortages: [{ sku: 'FACT-A', requested: 1, available: 0 }] });
  expect((await t.ordo.stock.check()).mismatches).toEqual([]);
  // Nothing is left for recovery to retry.
  expect(await t.ordo.payments.recover(0)).toBe(0);
});
