/** GET /v1/workflows/{name}/counts: orders per status of each track, for an admin. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectProblem } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const order = (extra: object = {}) => ({ currency: 'EUR', lines: [{ sku: 'MUG', quantity: 1, unitPrice: 1200 }], ...extra });

describe('GET /v1/workflows/{name}/counts', () => {
  it('counts each order once per track, in the status it is in now', async () => {
    const before = (await t.call('GET', '/v1/workflows/standard/counts')).body;
    expect((await t.call('POST', '/v1/orders', order())).status).toBe(201);
    expect((await t.call('POST', '/v1/orders', order({ payment: { method: 'card' } }))).status).toBe(201);
    const cancelled = await t.call('POST', '/v1/orders', order());
    expect((await t.call('POST', `/v1/orders/${cancelled.body.id}/cancellations`, { reason: 'changed mind' })).status).toBe(200);
    expect((await t.call('POST', '/v1/orders', order({ workflow: 'xcart' }))).status).toBe(201);

    const res = await t.call('GET', '/v1/workflows/standard/counts');
    expect(res.status).toBe(200);
    const grew = (track: string, status: string) => (res.body.tracks[track]?.[status] ?? 0) - (before.tracks[track]?.[status] ?? 0);
    expect(res.body.workflow).toBe('standard');
    expect(res.body.total - before.total).toBe(3);
    expect(grew('order', 'placed')).toBe(2);
    expect(grew('order', 'cancelled')).toBe(1);
    expect(grew('payment', 'paid')).toBe(1);
    expect(grew('payment', 'unpaid')).toBe(2);
    // Every track adds up to the total: each order is in exactly one status of each.
    for (const counts of Object.values(res.body.tracks as Record<string, Record<string, number>>)) {
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(res.body.total);
    }
  });

  it('refuses an unknown workflow with 404', async () => {
    expectProblem(await t.call('GET', '/v1/workflows/nosuch/counts'), 404, 'unknown_workflow');
  });

  it('is for admin keys only', async () => {
    const res = await t.call('GET', '/v1/workflows/standard/counts', undefined, { key: await t.storefrontKey('cus_counts') });
    expect(res.status).toBe(403);
    expect((await t.call('GET', '/v1/workflows/standard/counts', undefined, { key: null })).status).toBe(401);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await t.call('GET', '/openapi.json')).body;
    const op = doc.paths['/v1/workflows/{name}/counts'].get;
    expect(op.summary).toEqual(expect.any(String));
    expect(op.responses['200']).toBeDefined();
  });
});
