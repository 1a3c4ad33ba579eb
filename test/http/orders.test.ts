import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody, startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('POST /v1/orders', () => {
  it('creates a placed order in the standard workflow with totals in minor units', async () => {
    const res = await t.call('POST', '/v1/orders', orderBody());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      workflow: 'standard',
      version: 1,
      status: { order: 'placed', payment: 'unpaid', fulfillment: 'unfulfilled' },
      currency: 'EUR',
      totals: { subtotal: 3998, shipping: 495, surcharges: 0, total: 4493, paid: 0, refunded: 0, net: 0, refundsPending: 0, balance: 4493, overpaid: 0 },
    });
    expect(res.body.code).toMatch(/^#\d{4,}$/);
    expect(res.body.lines[0]).toMatchObject({ sku: 'TSHIRT-M', quantity: 2, unitPrice: 1999, total: 3998 });
    expect(res.body.placedAt).toBe('2026-01-05T09:00:00.000Z');
    expect(res.headers.etag).toBe('"1"');
  });

  it('keeps a cart being built as a draft', async () => {
    const res = await t.call('POST', '/v1/orders', orderBody({ draft: true }));
    expect(res.status).toBe(201);
    expect(res.body.status.order).toBe('draft');
    expect(res.body.placedAt).toBeNull();
  });

  it('gives each order the next human code', async () => {
    const a = await t.call('POST', '/v1/orders', orderBody());
    const b = await t.call('POST', '/v1/orders', orderBody());
    expect(Number(b.body.code.slice(1))).toBe(Number(a.body.code.slice(1)) + 1);
  });
});

describe('GET /v1/orders/{id}', () => {
  it('reads back what was created', async () => {
    const created = await t.call('POST', '/v1/orders', orderBody());
    const read = await t.call('GET', `/v1/orders/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
  });

  it('answers 404 problem+json for an unknown order', async () => {
    const res = await t.call('GET', '/v1/orders/01890000-0000-7000-8000-000000000000');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('order_not_found');
  });
});
