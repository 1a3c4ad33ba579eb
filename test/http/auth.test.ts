/** Bearer keys: who may call what, storefront keys scoped to their customer, keys stored hashed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody, startTestApp, type TestApp } from '../support/app.js';
import { adminKeyId, expectProblem, historyRows, uniqueEmail } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const apiKeyCount = async () => (await t.ordo.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM api_keys')).rows[0]!.n;

describe('authentication', () => {
  it('refuses a request without a key with 401 unauthorized and a WWW-Authenticate challenge', async () => {
    const res = await t.call('GET', '/v1/orders', undefined, { key: null });
    expectProblem(res, 401, 'unauthorized');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer\b/);
  });

  it('refuses a write without a key and writes nothing', async () => {
    const before = (await t.ordo.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM orders')).rows[0]!.n;
    const res = await t.call('POST', '/v1/orders', orderBody(), { key: null });
    expectProblem(res, 401, 'unauthorized');
    const after = (await t.ordo.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM orders')).rows[0]!.n;
    expect(after).toBe(before);
  });

  it('refuses a wrong key with 401 and an invalid_token challenge', async () => {
    const res = await t.call('GET', '/v1/orders', undefined, { key: 'ordo_sk_not-a-real-key' });
    expectProblem(res, 401, 'unauthorized');
    expect(res.headers['www-authenticate']).toContain('invalid_token');
  });

  it('refuses credentials that are not a Bearer key', async () => {
    const res = await t.call('GET', '/v1/orders', undefined, { key: null, headers: { authorization: `Basic ${Buffer.from(`x:${t.adminKey}`).toString('base64')}` } });
    expectProblem(res, 401, 'unauthorized');
  });

  it('accepts the admin key on a protected route', async () => {
    const res = await t.call('GET', '/v1/workflows');
    expect(res.status).toBe(200);
  });

  it('guards the workflow routes too', async () => {
    expectProblem(await t.call('GET', '/v1/workflows', undefined, { key: null }), 401, 'unauthorized');
    expectProblem(await t.call('GET', '/v1/workflows/standard', undefined, { key: null }), 401, 'unauthorized');
  });
});

describe('POST /v1/api-keys', () => {
  it('lets an admin make a storefront key: 201, the secret shown in this answer, and the key works', async () => {
    const res = await t.call('POST', '/v1/api-keys', { role: 'storefront', name: 'web shop', customerId: 'cust-made' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ role: 'storefront', name: 'web shop', customerId: 'cust-made', createdAt: '2026-01-05T09:00:00.000Z' });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.key).toMatch(/^ordo_sk_[A-Za-z0-9_-]{20,}$/);
    expect(res.body.prefix).toBe(res.body.key.slice(0, res.body.prefix.length));
    expect(res.body.prefix.length).toBeLessThan(res.body.key.length);
    const using = await t.call('GET', '/v1/orders', undefined, { key: res.body.key });
    expect(using.status).toBe(200);
  });

  it('lets an admin make another admin key, which can make keys itself', async () => {
    const res = await t.call('POST', '/v1/api-keys', { role: 'admin', name: 'ops' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ role: 'admin', customerId: null });
    expect(res.body.key).toMatch(/^ordo_ak_/);
    const made = await t.call('POST', '/v1/api-keys', { role: 'storefront', name: 'by ops', customerId: 'c-ops' }, { key: res.body.key });
    expect(made.status).toBe(201);
  });

  it('never shows the secret again: no GET answer contains it', async () => {
    const made = await t.call('POST', '/v1/api-keys', { role: 'storefront', name: 'secretive', customerId: 'cust-secret' });
    const key: string = made.body.key;
    const order = await t.call('POST', '/v1/orders', orderBody(), { key });
    expect(order.status).toBe(201);
    const gets = [
      '/v1/api-keys',
      `/v1/api-keys/${made.body.id}`,
      '/v1/orders',
      `/v1/orders/${order.body.id}`,
      `/v1/orders/${order.body.id}/history`,
      '/v1/workflows',
      '/openapi.json',
      '/healthz',
    ];
    for (const url of gets) {
      for (const caller of [t.adminKey, key]) {
        const res = await t.call('GET', url, undefined, { key: caller });
        expect(res.text, `GET ${url}`).not.toContain(key);
        expect(JSON.stringify(res.headers), `GET ${url}`).not.toContain(key);
      }
    }
  });

  it('makes a storefront key without customerId: it acts for any customer (issue 11)', async () => {
    const before = await apiKeyCount();
    const res = await t.call('POST', '/v1/api-keys', { role: 'storefront', name: 'any customer' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ role: 'storefront', customerId: null });
    expect(await apiKeyCount()).toBe(before + 1);
  });

  it('refuses an unknown role and unknown fields with 400', async () => {
    const before = await apiKeyCount();
    expectProblem(await t.call('POST', '/v1/api-keys', { role: 'root', name: 'x' }), 400, 'invalid_request');
    expectProblem(await t.call('POST', '/v1/api-keys', { role: 'admin', name: 'x', scopes: ['all'] }), 400, 'invalid_request');
    expectProblem(await t.call('POST', '/v1/api-keys', { role: 'admin' }), 400, 'invalid_request');
    expect(await apiKeyCount()).toBe(before);
  });

  it('forbids a storefront key to make keys: 403 forbidden, nothing made', async () => {
    const key = await t.storefrontKey('cust-no-admin');
    const before = await apiKeyCount();
    const res = await t.call('POST', '/v1/api-keys', { role: 'admin', name: 'escalate' }, { key });
    expectProblem(res, 403, 'forbidden');
    expect(res.body.key).toBeUndefined();
    expect(await apiKeyCount()).toBe(before);
  });

  it('refuses to make keys without a key (401)', async () => {
    expectProblem(await t.call('POST', '/v1/api-keys', { role: 'admin', name: 'anon' }, { key: null }), 401, 'unauthorized');
  });

  it('stores keys hashed: the secret appears in no column of its row', async () => {
    const made = await t.call('POST', '/v1/api-keys', { role: 'storefront', name: 'hashed', customerId: 'cust-hash' });
    const key: string = made.body.key;
    const row = (await t.ordo.pool.query('SELECT * FROM api_keys WHERE id = $1', [made.body.id])).rows[0] as Record<string, unknown>;
    expect(row).toBeDefined();
    for (const [column, value] of Object.entries(row)) expect(String(value), column).not.toContain(key);
    expect(JSON.stringify(row)).not.toContain(key);
    expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
    // The operator-chosen admin key of the test app is stored hashed as well.
    const all = (await t.ordo.pool.query('SELECT * FROM api_keys')).rows;
    expect(JSON.stringify(all)).not.toContain(t.adminKey);
  });

  it('does not store the secret in clear when the key is made with an Idempotency-Key', async () => {
    const made = await t.call('POST', '/v1/api-keys', { role: 'storefront', name: 'retry-safe', customerId: 'cust-idem' }, { headers: { 'idempotency-key': 'make-key-1' } });
    expect(made.status).toBe(201);
    const key: string = made.body.key;
    const tables = ['api_keys', 'idempotency_keys', 'orders', 'order_history', 'outbox'];
    for (const table of tables) {
      const rows = (await t.ordo.pool.query(`SELECT * FROM ${table}`)).rows;
      expect(JSON.stringify(rows), table).not.toContain(key);
    }
  });
});

describe('storefront keys act as their customer', () => {
  it('creates orders for its own customer, whatever customer id the body names', async () => {
    const key = await t.storefrontKey('cust-own');
    const email = uniqueEmail('own');
    const res = await t.call('POST', '/v1/orders', orderBody({ customer: { id: 'cust-someone-else', email, name: 'Own' } }), { key });
    expect(res.status).toBe(201);
    expect(res.body.customer).toEqual({ id: 'cust-own', email, name: 'Own' });
    const stored = await t.ordo.pool.query<{ customer_id: string }>('SELECT customer_id FROM orders WHERE id = $1', [res.body.id]);
    expect(stored.rows[0]!.customer_id).toBe('cust-own');
    const asAdmin = await t.call('GET', `/v1/orders/${res.body.id}`);
    expect(asAdmin.body.customer.id).toBe('cust-own');
  });

  it("lists only its customer's orders", async () => {
    const keyA = await t.storefrontKey('cust-list-a');
    const keyB = await t.storefrontKey('cust-list-b');
    const mine = await t.call('POST', '/v1/orders', orderBody(), { key: keyA });
    const theirs = await t.call('POST', '/v1/orders', orderBody(), { key: keyB });
    const byAdmin = await t.call('POST', '/v1/orders', orderBody({ customer: { id: 'cust-list-b' } }));
    const noCustomer = await t.call('POST', '/v1/orders', orderBody({ customer: { email: uniqueEmail() } }));
    const res = await t.call('GET', '/v1/orders?limit=100', undefined, { key: keyA });
    expect(res.status).toBe(200);
    const ids = res.body.items.map((o: { id: string }) => o.id);
    expect(ids).toEqual([mine.body.id]);
    expect(ids).not.toContain(theirs.body.id);
    expect(ids).not.toContain(byAdmin.body.id);
    expect(ids).not.toContain(noCustomer.body.id);
    // The admin sees all of them.
    const all = await t.call('GET', '/v1/orders?limit=100');
    expect(all.body.items.map((o: { id: string }) => o.id)).toEqual(expect.arrayContaining([mine.body.id, theirs.body.id, byAdmin.body.id, noCustomer.body.id]));
  });

  it("cannot find another customer's order even by searching for it", async () => {
    const keyA = await t.storefrontKey('cust-search-a');
    const email = uniqueEmail('other');
    const other = await t.call('POST', '/v1/orders', orderBody({ customer: { id: 'cust-search-b', email } }));
    for (const q of [email, other.body.code, other.body.id]) {
      const res = await t.call('GET', `/v1/orders?q=${encodeURIComponent(q)}`, undefined, { key: keyA });
      expect(res.status).toBe(200);
      expect(res.body.items, q).toEqual([]);
    }
  });

  it("gets 404 for another customer's order, its history, and its transitions, which change nothing", async () => {
    const keyA = await t.storefrontKey('cust-peek-a');
    const other = await t.call('POST', '/v1/orders', orderBody({ customer: { id: 'cust-peek-b' } }));
    const historyBefore = (await historyRows(t, other.body.id)).length;
    expectProblem(await t.call('GET', `/v1/orders/${other.body.id}`, undefined, { key: keyA }), 404, 'order_not_found');
    expectProblem(await t.call('GET', `/v1/orders/${other.body.id}/history`, undefined, { key: keyA }), 404, 'order_not_found');
    expectProblem(await t.call('POST', `/v1/orders/${other.body.id}/transitions`, { to: 'cancelled' }, { key: keyA }), 404, 'order_not_found');
    const after = await t.call('GET', `/v1/orders/${other.body.id}`);
    expect(after.body.version).toBe(1);
    expect(after.body.status.order).toBe('placed');
    expect(await historyRows(t, other.body.id)).toHaveLength(historyBefore);
  });

  it('reads its own order, with the statuses a customer may move it to', async () => {
    const key = await t.storefrontKey('cust-read');
    const created = await t.call('POST', '/v1/orders', orderBody(), { key });
    const res = await t.call('GET', `/v1/orders/${created.body.id}`, undefined, { key });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(created.body.id);
    expect(res.body.next).toEqual({ order: ['cancelled'], payment: [], fulfillment: [] });
  });

  it('cannot mark an order paid: 409 transition_forbidden_for_actor, nothing changed', async () => {
    const key = await t.storefrontKey('cust-pay');
    const created = await t.call('POST', '/v1/orders', orderBody(), { key });
    const historyBefore = (await historyRows(t, created.body.id)).length;
    const res = await t.call('POST', `/v1/orders/${created.body.id}/transitions`, { track: 'payment', to: 'paid' }, { key });
    expectProblem(res, 409, 'transition_forbidden_for_actor');
    expect(res.body).toMatchObject({ track: 'payment', from: 'unpaid', to: 'paid', allowed: [] });
    expect(res.body.actors).toContain('admin');
    expect(res.body.actors).not.toContain('customer');
    const after = await t.call('GET', `/v1/orders/${created.body.id}`);
    expect(after.body.version).toBe(1);
    expect(after.body.status.payment).toBe('unpaid');
    expect(await historyRows(t, created.body.id)).toHaveLength(historyBefore);
  });

  it('an admin can mark the same order paid, recorded as the admin', async () => {
    const key = await t.storefrontKey('cust-pay-admin');
    const created = await t.call('POST', '/v1/orders', orderBody(), { key });
    const res = await t.call('POST', `/v1/orders/${created.body.id}/transitions`, { track: 'payment', to: 'paid', reason: 'bank transfer received' });
    expect(res.status).toBe(200);
    expect(res.body.status).toEqual({ order: 'placed', payment: 'paid', fulfillment: 'unfulfilled' });
    expect(res.body.version).toBe(2);
    const rows = await historyRows(t, created.body.id);
    expect(rows.at(-1)).toMatchObject({ track: 'payment', from_state: 'unpaid', to_state: 'paid', actor_kind: 'admin', actor_id: `key:${await adminKeyId(t)}` });
  });

  it('may cancel its own unpaid order', async () => {
    const key = await t.storefrontKey('cust-cancel');
    const unpaid = await t.call('POST', '/v1/orders', orderBody(), { key });
    const cancelled = await t.call('POST', `/v1/orders/${unpaid.body.id}/transitions`, { to: 'cancelled', reason: 'changed my mind' }, { key });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status.order).toBe('cancelled');
    const rows = await historyRows(t, unpaid.body.id);
    expect(rows.at(-1)).toMatchObject({ actor_kind: 'customer', reason: 'changed my mind' });
    expect(rows.at(-1)!.actor_id).toMatch(/^key:/);
  });

  it('may not cancel its order once the payment track is paid', async () => {
    const key = await t.storefrontKey('cust-cancel-paid');
    const paid = await t.call('POST', '/v1/orders', orderBody(), { key });
    expect((await t.call('POST', `/v1/orders/${paid.body.id}/transitions`, { track: 'payment', to: 'paid' })).status).toBe(200);
    const refused = await t.call('POST', `/v1/orders/${paid.body.id}/transitions`, { to: 'cancelled' }, { key });
    expect(refused.status).toBe(409);
    expect((await t.call('GET', `/v1/orders/${paid.body.id}`)).body.status.order).toBe('placed');
  });
});
