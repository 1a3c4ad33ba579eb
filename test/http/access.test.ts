/** Who may do what: storefront keys for any customer, keys bound to one customer, staff-only actions. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody, startTestApp, type TestApp } from '../support/app.js';
import { expectProblem, rowCounts } from './helpers.js';

let t: TestApp;
let shop: string;
beforeAll(async () => {
  t = await startTestApp();
  shop = (await t.call('POST', '/v1/api-keys', { role: 'storefront', name: 'web shop' })).body.key;
});
afterAll(() => t.close());

const create = (key: string, customerId: string, over: Record<string, unknown> = {}) =>
  t.call('POST', '/v1/orders', orderBody({ customer: { id: customerId, email: 'c@example.com' }, ...over }), { key });

describe('a storefront key without a customer', () => {
  it('is made without customerId and creates orders for the customer it names', async () => {
    const res = await create(shop, 'cus-named');
    expect(res.status, res.text).toBe(201);
    expect(res.body.customer.id).toBe('cus-named');
  });

  it('reads and acts on any order, as that order\'s customer, and lists every order', async () => {
    const theirs = (await t.call('POST', '/v1/orders', orderBody({ customer: { id: 'cus-by-staff' } }))).body;
    expect((await t.call('GET', `/v1/orders/${theirs.id}`, undefined, { key: shop })).status).toBe(200);
    const paid = await t.call('POST', `/v1/orders/${theirs.id}/payments`, { method: 'card' }, { key: shop });
    expect(paid.status, paid.text).toBe(201);
    expect(paid.body.totals.balance).toBe(0);
    const history = (await t.ordo.pool.query<{ actor_kind: string }>("SELECT actor_kind FROM order_history WHERE order_id = $1 AND actor_id LIKE 'key:%' AND actor_kind = 'customer'", [theirs.id])).rows;
    expect(history.length).toBeGreaterThan(0);
    const listed = await t.call('GET', '/v1/orders?limit=100', undefined, { key: shop });
    expect(listed.body.items.map((o: { id: string }) => o.id)).toContain(theirs.id);
  });

  it('never takes a staff-only action (403), and the refusal changes nothing', async () => {
    const order = (await create(shop, 'cus-staff-only')).body;
    const before = await rowCounts(t);
    expectProblem(await t.call('POST', `/v1/orders/${order.id}/refunds`, { amount: 1, reason: 'x' }, { key: shop }), 403, 'forbidden');
    expectProblem(await t.call('GET', '/v1/api-keys', undefined, { key: shop }), 403, 'forbidden');
    expect(await rowCounts(t)).toEqual(before);
  });
});

describe('a storefront key bound to one customer (made before issue 11)', () => {
  it('still acts for that customer only, whatever customer the body names', async () => {
    const bound = await t.storefrontKey('cus-bound');
    const mine = await create(bound, 'cus-someone-else');
    expect(mine.status).toBe(201);
    expect(mine.body.customer.id).toBe('cus-bound');
    const other = (await create(shop, 'cus-not-bound')).body;
    expectProblem(await t.call('GET', `/v1/orders/${other.id}`, undefined, { key: bound }), 404, 'order_not_found');
    const listed = await t.call('GET', '/v1/orders?limit=100', undefined, { key: bound });
    expect(listed.body.items.every((o: { customer: { id: string } }) => o.customer.id === 'cus-bound')).toBe(true);
  });
});
