/** Prices on file: who sets them, and which lines take them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrdo, type Ordo } from '../../src/engine/ordo.js';
import { buildServer } from '../../src/http/server.js';
import { orderBody, startTestApp, type TestApp } from '../support/app.js';
import { freshDatabase } from '../support/database.js';
import { expectProblem, rowCounts } from './helpers.js';

let t: TestApp;
let shop: string;
beforeAll(async () => {
  t = await startTestApp();
  shop = (await t.call('POST', '/v1/api-keys', { role: 'storefront', name: 'web shop' })).body.key;
});
afterAll(() => t.close());

const line = (sku: string, unitPrice?: number) => ({ sku, quantity: 2, ...(unitPrice !== undefined ? { unitPrice } : {}) });

describe('PUT and GET /v1/prices/{sku}', () => {
  it('sets a price per currency (admin and storefront keys) and reads them back', async () => {
    expect((await t.call('PUT', '/v1/prices/P-CUP', { currency: 'EUR', unitPrice: 900 })).status).toBe(200);
    expect((await t.call('PUT', '/v1/prices/P-CUP', { currency: 'USD', unitPrice: 1000 }, { key: shop })).status).toBe(200);
    const got = await t.call('GET', '/v1/prices/P-CUP', undefined, { key: shop });
    expect(got.body.prices.map((p: { currency: string; unitPrice: number }) => [p.currency, p.unitPrice])).toEqual([['EUR', 900], ['USD', 1000]]);
    expectProblem(await t.call('GET', '/v1/prices/P-NONE'), 404, 'price_not_found');
    expectProblem(await t.call('PUT', '/v1/prices/P-CUP', { currency: 'XXQ', unitPrice: 1 }), 422, 'unknown_currency');
  });
});

describe('the price of a line', () => {
  it('is the storefront\'s own when it sends one, else the price on file', async () => {
    await t.call('PUT', '/v1/prices/P-PLATE', { currency: 'EUR', unitPrice: 700 });
    const res = await t.call('POST', '/v1/orders', orderBody({ lines: [line('P-PLATE', 650), line('P-PLATE')] }), { key: shop });
    expect(res.status, res.text).toBe(201);
    expect(res.body.lines.map((l: { unitPrice: number }) => l.unitPrice)).toEqual([650, 700]);
  });

  it('is refused with 422 price_required when none is on file in that currency, and nothing is written', async () => {
    await t.call('PUT', '/v1/prices/P-BOWL', { currency: 'USD', unitPrice: 500 });
    const before = await rowCounts(t);
    expectProblem(await t.call('POST', '/v1/orders', orderBody({ lines: [line('P-BOWL')] }), { key: shop }), 422, 'price_required');
    expect(await rowCounts(t)).toEqual(before);
  });
});

describe('with enforcePrices', () => {
  let ordo: Ordo;
  let app: Awaited<ReturnType<typeof buildServer>>;
  let key: string;
  const call = (method: 'GET' | 'PUT' | 'POST', url: string, body: unknown, k: string) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${k}`, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
  beforeAll(async () => {
    ordo = await createOrdo({ databaseUrl: await freshDatabase(), migrate: false, enforcePrices: true });
    app = await buildServer(ordo);
    key = (await ordo.apiKeys.create({ role: 'storefront', name: 'shop' })).key;
    await ordo.apiKeys.ensure('enforce-admin', { role: 'admin', name: 'admin' });
  });
  afterAll(async () => {
    await app.close();
    await ordo.close();
  });

  it('storefront lines take the price on file, and only admins set prices', async () => {
    expect((await call('PUT', '/v1/prices/E-MUG', { currency: 'EUR', unitPrice: 1500 }, 'enforce-admin')).statusCode).toBe(200);
    const refused = await call('PUT', '/v1/prices/E-MUG', { currency: 'EUR', unitPrice: 1 }, key);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('forbidden_for_caller');
    const res = await call('POST', '/v1/orders', orderBody({ lines: [line('E-MUG', 1)] }), key);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().lines[0].unitPrice).toBe(1500);
  });

  it('lines a storefront adds to a basket take the price on file too, whatever price it sends', async () => {
    expect((await call('PUT', '/v1/prices/E-PEN', { currency: 'EUR', unitPrice: 300 }, 'enforce-admin')).statusCode).toBe(200);
    const cart = await call('POST', '/v1/orders', orderBody({ workflow: 'nutickets', customer: { id: 'c-basket' }, lines: [line('E-MUG', 1)] }), key);
    expect(cart.statusCode, cart.body).toBe(201);
    const added = await call('POST', `/v1/orders/${cart.json().id}/basket`, { addLines: [{ sku: 'E-PEN', quantity: 2, unitPrice: 1 }] }, key);
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json().lines.find((l: { sku: string }) => l.sku === 'E-PEN').unitPrice).toBe(300);
  });
});
