/**
 * The API the admin screens added (issue 13): the order search with every filter, stuck orders,
 * the list of tracked SKUs, the demo button, and /admin when no build is there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody, startTestApp, type TestApp } from '../support/app.js';
import { expectProblem, uniqueEmail } from './helpers.js';
import { parseStatusFilter } from '../../src/http/routes/order-search.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const create = async (over: Record<string, unknown>) => {
  const res = await t.call('POST', '/v1/orders', orderBody(over));
  expect(res.status, res.text).toBe(201);
  return res.body;
};

describe('GET /v1/orders/search', () => {
  it('reads a status filter as alternatives of tags that must all hold', () => {
    expect(parseStatusFilter('payment:paid fulfillment:unfulfilled,payment:P')).toEqual([['payment:paid', 'fulfillment:unfulfilled'], ['payment:P']]);
    expect(parseStatusFilter(' , placed ')).toEqual([['placed']]);
  });

  it('combines the statuses of several tracks, and any of several such sets', async () => {
    const email = uniqueEmail('combo');
    const paid = await create({ customer: { email }, payment: { method: 'card' } });
    const unpaid = await create({ customer: { email } });
    const both = await t.call('GET', `/v1/orders/search?q=${email}&status=${encodeURIComponent('payment:paid fulfillment:unfulfilled')}`);
    expect(both.status, both.text).toBe(200);
    expect(both.body.items.map((o: { id: string }) => o.id)).toEqual([paid.id]);
    const either = await t.call('GET', `/v1/orders/search?q=${email}&status=${encodeURIComponent('payment:paid,payment:unpaid')}`);
    expect(either.body.items.map((o: { id: string }) => o.id)).toEqual([unpaid.id, paid.id]);
  });

  it('finds an order by SKU and by its payment reference, and pages with a cursor', async () => {
    const sku = `SKU-${Date.now()}`;
    const a = await create({ lines: [{ sku, quantity: 1, unitPrice: 500 }], payment: { method: 'card' } });
    const b = await create({ lines: [{ sku, quantity: 2, unitPrice: 500 }] });
    const bySku = await t.call('GET', `/v1/orders/search?q=${sku.toLowerCase()}&limit=1`);
    expect(bySku.body.items.map((o: { id: string }) => o.id)).toEqual([b.id]);
    const next = await t.call('GET', `/v1/orders/search?q=${sku}&limit=1&cursor=${bySku.body.nextCursor}`);
    expect(next.body.items.map((o: { id: string }) => o.id)).toEqual([a.id]);
    const reference = a.payments[0].reference as string;
    expect(reference).toBeTruthy();
    const byRef = await t.call('GET', `/v1/orders/search?q=${encodeURIComponent(reference)}`);
    expect(byRef.body.items.map((o: { id: string }) => o.id)).toEqual([a.id]);
  });

  it('filters by creation date and by overdue timers', async () => {
    const email = uniqueEmail('dated');
    const order = await create({ customer: { email } });
    const created = Date.parse(order.createdAt);
    const inRange = await t.call('GET', `/v1/orders/search?q=${email}&createdFrom=${new Date(created - 1000).toISOString()}&createdTo=${new Date(created + 1000).toISOString()}`);
    expect(inRange.body.items).toHaveLength(1);
    const after = await t.call('GET', `/v1/orders/search?q=${email}&createdFrom=${new Date(created + 1000).toISOString()}`);
    expect(after.body.items).toHaveLength(0);
    const overdue = await t.call('GET', `/v1/orders/search?q=${email}&overdue=true`);
    expect(overdue.body.items).toHaveLength(0);
  });

  it('finds orders with an open return', async () => {
    const email = uniqueEmail('returning');
    const order = await create({ customer: { email }, payment: { method: 'card' } });
    const lineId = order.lines[0].id as string;
    const shipped = await t.call('POST', `/v1/orders/${order.id}/fulfillments`, { lines: [{ lineId, quantity: 2 }] });
    await t.call('POST', `/v1/fulfillments/${shipped.body.fulfillments[0].id}/transitions`, { to: 'shipped' });
    expect((await t.call('GET', `/v1/orders/search?q=${email}&returns=any`)).body.items).toHaveLength(0);
    const asked = await t.call('POST', `/v1/orders/${order.id}/returns`, { lines: [{ lineId, quantity: 1 }], reason: 'too small' });
    expect(asked.status, asked.text).toBe(201);
    expect((await t.call('GET', `/v1/orders/search?q=${email}&returns=open`)).body.items).toHaveLength(1);
    await t.call('POST', `/v1/returns/${asked.body.returns[0].id}/transitions`, { to: 'rejected' });
    expect((await t.call('GET', `/v1/orders/search?q=${email}&returns=open`)).body.items).toHaveLength(0);
    expect((await t.call('GET', `/v1/orders/search?q=${email}&returns=any`)).body.items).toHaveLength(1);
  });

  it('is for admin keys, and refuses what it cannot read', async () => {
    expectProblem(await t.call('GET', '/v1/orders/search', undefined, { key: await t.storefrontKey('c-1') }), 403, 'forbidden');
    expectProblem(await t.call('GET', '/v1/orders/search?createdFrom=yesterday'), 400, 'invalid_request');
    expectProblem(await t.call('GET', '/v1/orders/search?limit=0'), 400, 'invalid_request');
  });
});

describe('GET /v1/workflows/{name}/stuck', () => {
  it('counts and lists orders in a temporary status too long, oldest first', async () => {
    const first = await create({});
    const second = await create({});
    const now = await t.call('GET', '/v1/workflows/standard/stuck?olderThan=3600&limit=100');
    expect(now.status, now.text).toBe(200);
    expect(now.body.items.map((o: { id: string }) => o.id)).not.toContain(first.id);
    t.clock.advance(7200);
    const later = await t.call('GET', '/v1/workflows/standard/stuck?olderThan=3600&limit=100');
    const ids = later.body.items.map((o: { id: string }) => o.id);
    expect(ids.indexOf(first.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
    expect(later.body.total).toBeGreaterThanOrEqual(2);
    const status = first.status.order as string;
    expect(later.body.byStatus).toContainEqual({ track: 'order', status, count: expect.any(Number) });
    // Only temporary statuses are marked: unfulfilled is where an order may rest.
    expect(later.body.byStatus.map((b: { status: string }) => b.status)).not.toContain('unfulfilled');
    expect(later.body.now).toBe(t.clock.now().toISOString());
  });

  it('answers 404 for an unknown workflow', async () => {
    expectProblem(await t.call('GET', '/v1/workflows/nope/stuck'), 404, 'unknown_workflow');
  });
});

describe('GET /v1/inventory', () => {
  it('lists tracked SKUs with their levels, by SKU, in pages', async () => {
    await t.call('PUT', '/v1/inventory/LIST-A', { onHand: 5 });
    await t.call('PUT', '/v1/inventory/LIST-B', { onHand: 7, backorders: true });
    const page = await t.call('GET', '/v1/inventory?q=list-&limit=1');
    expect(page.status, page.text).toBe(200);
    expect(page.body.items).toEqual([{ sku: 'LIST-A', onHand: 5, reserved: 0, available: 5, backorders: false }]);
    const next = await t.call('GET', `/v1/inventory?q=list-&cursor=${page.body.nextCursor}`);
    expect(next.body).toEqual({ items: [{ sku: 'LIST-B', onHand: 7, reserved: 0, available: 7, backorders: true }], nextCursor: null });
  });
});

describe('POST /v1/demo', () => {
  it('refuses a store that has orders', async () => {
    expectProblem(await t.call('POST', '/v1/demo', {}), 409, 'store_not_empty');
  });
});

describe('/admin without a build', () => {
  it('says how to build it, and the API is unaffected', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/admin/orders/123', headers: { accept: 'text/html' } });
    // A build may exist in a developer's tree: then the page is the app's index.
    expect([200, 404]).toContain(res.statusCode);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const doc = (await t.call('GET', '/openapi.json', undefined, { key: null })).body;
    expect(Object.keys(doc.paths).some((p: string) => p.startsWith('/admin'))).toBe(false);
  });
});
