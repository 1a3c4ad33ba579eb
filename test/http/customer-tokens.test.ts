/** Customer tokens: issued by a storefront, short-lived, revocable, one customer's orders only, never a price. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody, startTestApp, type TestApp } from '../support/app.js';
import { expectProblem, rowCounts } from './helpers.js';

let t: TestApp;
let shop: string;
beforeAll(async () => {
  t = await startTestApp();
  shop = (await t.call('POST', '/v1/api-keys', { role: 'storefront', name: 'web shop' })).body.key;
  await t.call('PUT', '/v1/prices/TOKEN-MUG', { currency: 'EUR', unitPrice: 1200 });
});
afterAll(() => t.close());

const issue = (customerId: string, ttl?: number, key = shop) => t.call('POST', '/v1/customer-tokens', { customerId, ...(ttl ? { ttl } : {}) }, { key });
const mugOrder = (customerId?: string) => orderBody({ lines: [{ sku: 'TOKEN-MUG', quantity: 1 }], ...(customerId ? { customer: { id: customerId } } : {}) });

describe('POST /v1/customer-tokens', () => {
  it('issues a token that lives an hour by default', async () => {
    const res = await issue('cus-tok');
    expect(res.status, res.text).toBe(201);
    expect(res.body.token).toMatch(/^ordo_ct_/);
    expect(res.body.expiresAt).toBe(new Date(t.clock.now().getTime() + 3600_000).toISOString());
  });

  it('bounds the ttl, and refuses a token or a key bound to another customer as issuer', async () => {
    expectProblem(await issue('cus-tok', 10), 400, 'invalid_request');
    expectProblem(await issue('cus-tok', 999_999), 400, 'invalid_request');
    const token = (await issue('cus-tok')).body.token;
    expectProblem(await issue('cus-tok', undefined, token), 403, 'forbidden');
    expectProblem(await issue('cus-other', undefined, await t.storefrontKey('cus-bound-issuer')), 403, 'forbidden_for_caller');
  });
});

describe('a customer token', () => {
  it('creates orders for its customer at the price on file, and sees only that customer\'s orders', async () => {
    const token = (await issue('cus-tok-a')).body.token;
    const mine = await t.call('POST', '/v1/orders', mugOrder('cus-someone-else'), { key: token });
    expect(mine.status, mine.text).toBe(201);
    expect(mine.body.customer.id).toBe('cus-tok-a');
    expect(mine.body.lines[0].unitPrice).toBe(1200);
    const theirs = (await t.call('POST', '/v1/orders', mugOrder('cus-tok-b'), { key: shop })).body;
    expectProblem(await t.call('GET', `/v1/orders/${theirs.id}`, undefined, { key: token }), 404, 'order_not_found');
    const listed = await t.call('GET', '/v1/orders?limit=100', undefined, { key: token });
    expect(listed.body.items.map((o: { id: string }) => o.id)).toEqual([mine.body.id]);
  });

  it('is refused a price of its own (422 price_not_allowed), on create and in a basket, and nothing is written', async () => {
    const token = (await issue('cus-tok-price')).body.token;
    const before = await rowCounts(t);
    expectProblem(await t.call('POST', '/v1/orders', orderBody({ lines: [{ sku: 'TOKEN-MUG', quantity: 1, unitPrice: 1 }] }), { key: token }), 422, 'price_not_allowed');
    expect(await rowCounts(t)).toEqual(before);
    const cart = (await t.call('POST', '/v1/orders', { ...mugOrder(), draft: true }, { key: token })).body;
    expectProblem(await t.call('POST', `/v1/orders/${cart.id}/basket`, { addLines: [{ sku: 'TOKEN-MUG', quantity: 1, unitPrice: 0 }] }, { key: token }), 422, 'price_not_allowed');
  });

  it('may not take staff actions or manage keys and prices (403)', async () => {
    const token = (await issue('cus-tok-staff')).body.token;
    expectProblem(await t.call('PUT', '/v1/prices/TOKEN-MUG', { currency: 'EUR', unitPrice: 1 }, { key: token }), 403, 'forbidden');
    expectProblem(await t.call('GET', '/v1/api-keys', undefined, { key: token }), 403, 'forbidden');
  });

  it('stops working when it expires', async () => {
    const token = (await issue('cus-tok-exp', 60)).body.token;
    expect((await t.call('GET', '/v1/orders', undefined, { key: token })).status).toBe(200);
    t.clock.advance(61);
    expectProblem(await t.call('GET', '/v1/orders', undefined, { key: token }), 401, 'unauthorized');
  });

  it('is revoked at once by the storefront that issued it, not by another one', async () => {
    const issued = (await issue('cus-tok-rev')).body;
    const otherShop = (await t.call('POST', '/v1/api-keys', { role: 'storefront', name: 'other shop' })).body.key;
    expectProblem(await t.call('DELETE', `/v1/customer-tokens/${issued.id}`, undefined, { key: otherShop }), 404, 'api_key_not_found');
    expect((await t.call('GET', '/v1/orders', undefined, { key: issued.token })).status).toBe(200);
    expect((await t.call('DELETE', `/v1/customer-tokens/${issued.id}`, undefined, { key: shop })).status).toBe(200);
    expectProblem(await t.call('GET', '/v1/orders', undefined, { key: issued.token }), 401, 'unauthorized');
  });
});
