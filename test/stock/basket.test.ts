/** Changing the basket while the workflow allows it: stock follows at once, basket timers restart. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody, startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const level = async (sku: string) => (await t.call('GET', `/v1/inventory/${sku}`)).body;

describe('POST /v1/orders/{id}/basket', () => {
  it('re-counts, adds and removes lines of a nuTickets basket, holding and releasing stock to match', async () => {
    await t.call('PUT', '/v1/inventory/BASKET-A', { onHand: 10 });
    await t.call('PUT', '/v1/inventory/BASKET-B', { onHand: 10 });
    const created = await t.call('POST', '/v1/orders', orderBody({ workflow: 'nutickets', lines: [{ sku: 'BASKET-A', quantity: 2, unitPrice: 500 }] }));
    expect(created.body.status.order).toBe('active');
    expect((await level('BASKET-A')).reserved).toBe(2);
    const lineId = created.body.lines[0].id;

    const more = await t.call('POST', `/v1/orders/${created.body.id}/basket`, { changeLines: [{ lineId, quantity: 5 }], addLines: [{ sku: 'BASKET-B', quantity: 3, unitPrice: 700 }] });
    expect(more.status).toBe(200);
    expect(more.body.totals.subtotal).toBe(5 * 500 + 3 * 700);
    expect((await level('BASKET-A')).reserved).toBe(5);
    expect((await level('BASKET-B')).reserved).toBe(3);

    const less = await t.call('POST', `/v1/orders/${created.body.id}/basket`, { removeLines: [lineId] });
    expect(less.body.lines.map((l: { sku: string }) => l.sku)).toEqual(['BASKET-B']);
    expect((await level('BASKET-A')).reserved).toBe(0);
    expect((await t.ordo.stock.check()).mismatches).toEqual([]);
    const history = await t.call('GET', `/v1/orders/${created.body.id}/history`);
    expect(history.body.items.filter((h: { type: string }) => h.type === 'order.basket_changed')).toHaveLength(2);
  });

  it('refuses a change that needs more stock than there is, and changes nothing', async () => {
    await t.call('PUT', '/v1/inventory/BASKET-C', { onHand: 3 });
    const created = await t.call('POST', '/v1/orders', orderBody({ workflow: 'nutickets', lines: [{ sku: 'BASKET-C', quantity: 1, unitPrice: 500 }] }));
    const res = await t.call('POST', `/v1/orders/${created.body.id}/basket`, { changeLines: [{ lineId: created.body.lines[0].id, quantity: 4 }] });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('insufficient_stock');
    const read = await t.call('GET', `/v1/orders/${created.body.id}`);
    expect(read.body.version).toBe(created.body.version);
    expect(read.body.lines[0].quantity).toBe(1);
    expect((await level('BASKET-C')).reserved).toBe(1);
  });

  it('restarts the basket timer on every change (nuTickets: 10 minutes from the change)', async () => {
    const created = await t.call('POST', '/v1/orders', orderBody({ workflow: 'nutickets' }));
    const basketDue = () => created.body.timers.find((x: { name: string }) => x.name === 'basket').dueAt;
    expect(basketDue()).toBe(new Date(t.clock.now().getTime() + 600_000).toISOString());
    t.clock.advance(300);
    const changed = await t.call('POST', `/v1/orders/${created.body.id}/basket`, { addLines: [{ sku: 'UNTRACKED', quantity: 1, unitPrice: 100 }] });
    expect(changed.body.timers.find((x: { name: string }) => x.name === 'basket').dueAt).toBe(new Date(t.clock.now().getTime() + 600_000).toISOString());
  });

  it('lets an editable payment link be edited, restarting its expiry at the basket timeout; a plain link is not editable', async () => {
    const editable = await t.call('POST', '/v1/orders', orderBody({ workflow: 'nutickets', payment: { method: 'payment_link', editable: true } }));
    expect(editable.body.status.order).toBe('awaiting_payment_link');
    expect(editable.body.timers[0].dueAt).toBe(new Date(t.clock.now().getTime() + 72 * 3600_000).toISOString());
    const edited = await t.call('POST', `/v1/orders/${editable.body.id}/basket`, { addLines: [{ sku: 'UNTRACKED', quantity: 1, unitPrice: 100 }] });
    expect(edited.status).toBe(200);
    expect(edited.body.timers[0]).toMatchObject({ name: 'payment-link', dueAt: new Date(t.clock.now().getTime() + 600_000).toISOString() });

    const plain = await t.call('POST', '/v1/orders', orderBody({ workflow: 'nutickets', payment: { method: 'payment_link' } }));
    const refused = await t.call('POST', `/v1/orders/${plain.body.id}/basket`, { addLines: [{ sku: 'UNTRACKED', quantity: 1, unitPrice: 100 }] });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('basket_not_editable');
  });

  it('refuses to edit a placed standard order (that is a modification) and unknown lines', async () => {
    const placed = await t.call('POST', '/v1/orders', orderBody());
    expect((await t.call('POST', `/v1/orders/${placed.body.id}/basket`, { removeLines: [placed.body.lines[0].id] })).body.code).toBe('basket_not_editable');
    const draft = await t.call('POST', '/v1/orders', orderBody({ draft: true }));
    const unknown = await t.call('POST', `/v1/orders/${draft.body.id}/basket`, { removeLines: ['01890000-0000-7000-8000-000000000000'] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('line_not_found');
  });
});
