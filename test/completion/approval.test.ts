/** nuTickets' approval flow (seed 002): items that need approval are held while an admin decides, item by item. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody, startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const level = async (sku: string) => (await t.call('GET', `/v1/inventory/${sku}`)).body;
async function basket(lines: { sku: string; unitPrice: number; requiresApproval?: boolean }[]) {
  for (const l of lines) await t.call('PUT', `/v1/inventory/${l.sku}`, { onHand: 5 });
  const o = await t.call('POST', '/v1/orders', orderBody({ workflow: 'nutickets', lines: lines.map((l) => ({ ...l, quantity: 1 })) }));
  expect(o.status, o.text).toBe(201);
  return o.body;
}
const review = (id: string, decisions: { lineId: string; approved: boolean; reason: string }[]) => t.call('POST', `/v1/orders/${id}/approvals`, { decisions });

describe('002: approval', () => {
  it('a basket with an item that needs approval waits for it, its items held and no payment asked', async () => {
    const o = await basket([{ sku: 'APP-VIP', unitPrice: 5000, requiresApproval: true }]);
    expect(o.status).toEqual({ order: 'awaiting_approval' });
    expect(o.lines[0].approval).toEqual({ state: 'pending' });
    expect(o.payments).toEqual([]);
    expect(await level('APP-VIP')).toMatchObject({ reserved: 1 });
  });

  it('approved items get a payment link for what was approved; rejected ones are released, with the reason kept', async () => {
    const o = await basket([{ sku: 'APP-A', unitPrice: 5000, requiresApproval: true }, { sku: 'APP-B', unitPrice: 3000, requiresApproval: true }]);
    const res = await review(o.id, [
      { lineId: o.lines[0].id, approved: true, reason: 'member' },
      { lineId: o.lines[1].id, approved: false, reason: 'sold to members only' },
    ]);
    expect(res.status).toBe(200);
    expect(res.body.status).toEqual({ order: 'awaiting_payment_link' });
    expect(res.body.lines.map((l: { approval: unknown }) => l.approval)).toEqual([{ state: 'approved', reason: 'member' }, { state: 'rejected', reason: 'sold to members only' }]);
    expect(res.body.payments).toHaveLength(1);
    expect(res.body.payments[0]).toMatchObject({ method: 'payment_link', amount: 5000 + 495, state: 'pending' });
    expect(await level('APP-B')).toMatchObject({ reserved: 0 });
    expect(await level('APP-A')).toMatchObject({ reserved: 1 });
  });

  it('guest-list items need no payment: approved, the order completes', async () => {
    const free = await t.call('POST', '/v1/orders', orderBody({ workflow: 'nutickets', shipping: { amount: 0 }, lines: [{ sku: 'APP-GUEST', quantity: 1, unitPrice: 0, requiresApproval: true }] }));
    const res = await review(free.body.id, [{ lineId: free.body.lines[0].id, approved: true, reason: 'on the list' }]);
    expect(res.body.status).toEqual({ order: 'complete' });
    expect(res.body.payments).toEqual([]);
  });

  it('every item rejected: the order is rejected and its items released', async () => {
    const o = await basket([{ sku: 'APP-NO', unitPrice: 5000, requiresApproval: true }]);
    const res = await review(o.id, [{ lineId: o.lines[0].id, approved: false, reason: 'not eligible' }]);
    expect(res.body.status).toEqual({ order: 'rejected' });
    expect(await level('APP-NO')).toMatchObject({ reserved: 0 });
    expect((await t.ordo.stock.check()).mismatches).toEqual([]);
  });

  it('the order waits until every item is decided; deciding one twice is refused', async () => {
    const o = await basket([{ sku: 'APP-C', unitPrice: 100, requiresApproval: true }, { sku: 'APP-D', unitPrice: 100, requiresApproval: true }]);
    const half = await review(o.id, [{ lineId: o.lines[0].id, approved: true, reason: 'ok' }]);
    expect(half.body.status).toEqual({ order: 'awaiting_approval' });
    const again = await review(o.id, [{ lineId: o.lines[0].id, approved: false, reason: 'changed my mind' }]);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('line_not_awaiting_approval');
  });

  it('a storefront key may not review', async () => {
    const o = await basket([{ sku: 'APP-E', unitPrice: 100, requiresApproval: true }]);
    const key = await t.storefrontKey('cust-app');
    expect((await t.call('POST', `/v1/orders/${o.id}/approvals`, { decisions: [{ lineId: o.lines[0].id, approved: true, reason: 'x' }] }, { key })).status).toBe(403);
  });
});
