/** Idempotency-Key on writes: the same request again gets the first answer and applies once. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdempotencyService } from '../../src/engine/idempotency-service.js';
import { orderBody, startTestApp, type TestApp } from '../support/app.js';
import { expectProblem, historyRows, ordersOfEmail, rowCounts, uniqueEmail } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const withKey = (key: string, extra: { key?: string | null } = {}) => ({ ...extra, headers: { 'idempotency-key': key } });

describe('POST /v1/orders with Idempotency-Key', () => {
  it('answers the same request twice with the same status and body, marks the replay, and creates one order', async () => {
    const key = randomUUID();
    const email = uniqueEmail('idem');
    const body = orderBody({ customer: { email } });
    const first = await t.call('POST', '/v1/orders', body, withKey(key));
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    t.clock.advance(5);
    const second = await t.call('POST', '/v1/orders', body, withKey(key));
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.headers['content-type']).toMatch(/^application\/json/);
    expect(second.body).toEqual(first.body);
    expect(second.text).toBe(first.text);
    expect(await ordersOfEmail(t, email)).toBe(1);
  });

  it('replays the ETag of the first answer too', async () => {
    const key = randomUUID();
    const body = orderBody({ customer: { email: uniqueEmail('etag') } });
    const first = await t.call('POST', '/v1/orders', body, withKey(key));
    const second = await t.call('POST', '/v1/orders', body, withKey(key));
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.headers.etag).toBe(first.headers.etag);
  });

  it('refuses the same key with another body: 422 idempotency_key_reused, nothing written', async () => {
    const key = randomUUID();
    const email = uniqueEmail('reuse');
    expect((await t.call('POST', '/v1/orders', orderBody({ customer: { email } }), withKey(key))).status).toBe(201);
    const before = await rowCounts(t);
    const res = await t.call('POST', '/v1/orders', orderBody({ customer: { email }, lines: [{ sku: 'MUG', quantity: 1, unitPrice: 900 }] }), withKey(key));
    expectProblem(res, 422, 'idempotency_key_reused');
    expect(res.headers['idempotent-replayed']).toBeUndefined();
    expect(await rowCounts(t)).toEqual(before);
    expect(await ordersOfEmail(t, email)).toBe(1);
  });

  it('refuses the same key on another route', async () => {
    const key = randomUUID();
    const created = await t.call('POST', '/v1/orders', orderBody(), withKey(key));
    const res = await t.call('POST', `/v1/orders/${created.body.id}/transitions`, { to: 'cancelled' }, withKey(key));
    expectProblem(res, 422, 'idempotency_key_reused');
    expect((await t.call('GET', `/v1/orders/${created.body.id}`)).body.version).toBe(1);
  });

  it('keeps keys of different API keys apart', async () => {
    const key = randomUUID();
    const email = uniqueEmail('apart');
    const body = orderBody({ customer: { email } });
    const shop = await t.storefrontKey('cust-apart');
    const byAdmin = await t.call('POST', '/v1/orders', body, withKey(key));
    const byShop = await t.call('POST', '/v1/orders', body, withKey(key, { key: shop }));
    expect(byAdmin.status).toBe(201);
    expect(byShop.status).toBe(201);
    expect(byShop.headers['idempotent-replayed']).toBeUndefined();
    expect(byShop.body.id).not.toBe(byAdmin.body.id);
    expect(byShop.body.customer.id).toBe('cust-apart');
    expect(await ordersOfEmail(t, email)).toBe(2);
    // And each still replays its own answer.
    const again = await t.call('POST', '/v1/orders', body, withKey(key, { key: shop }));
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(byShop.body.id);
  });

  it('does not burn the key on a request that failed validation (400)', async () => {
    const key = randomUUID();
    const email = uniqueEmail('retry');
    const bad = await t.call('POST', '/v1/orders', orderBody({ customer: { email }, lines: [{ sku: 'A', quantity: '2', unitPrice: 100 }] }), withKey(key));
    expectProblem(bad, 400, 'invalid_request');
    const good = await t.call('POST', '/v1/orders', orderBody({ customer: { email } }), withKey(key));
    expect(good.status).toBe(201);
    expect(good.headers['idempotent-replayed']).toBeUndefined();
    expect(await ordersOfEmail(t, email)).toBe(1);
    const replay = await t.call('POST', '/v1/orders', orderBody({ customer: { email } }), withKey(key));
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(good.body.id);
  });

  it('applies once when the same request races itself', async () => {
    const key = randomUUID();
    const email = uniqueEmail('race');
    const body = orderBody({ customer: { email } });
    const results = await Promise.all(Array.from({ length: 6 }, () => t.call('POST', '/v1/orders', body, withKey(key))));
    expect(await ordersOfEmail(t, email)).toBe(1);
    const created = results.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(created.filter((r) => r.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    for (const r of results.filter((x) => x.status !== 201)) {
      expectProblem(r, 409, 'idempotency_key_in_progress');
      expect(r.headers['retry-after']).toBe('1');
    }
  });

  it('refuses an Idempotency-Key longer than 255 characters', async () => {
    const before = await rowCounts(t);
    expectProblem(await t.call('POST', '/v1/orders', orderBody(), withKey('k'.repeat(256))), 400, 'invalid_request');
    expect(await rowCounts(t)).toEqual(before);
  });
});

describe('POST /v1/orders/{id}/transitions with Idempotency-Key', () => {
  it('applies a retried status change once and answers the retry with the first answer', async () => {
    const created = await t.call('POST', '/v1/orders', orderBody());
    const id: string = created.body.id;
    const key = randomUUID();
    const first = await t.call('POST', `/v1/orders/${id}/transitions`, { to: 'cancelled', reason: 'dup test' }, withKey(key));
    expect(first.status).toBe(200);
    const second = await t.call('POST', `/v1/orders/${id}/transitions`, { to: 'cancelled', reason: 'dup test' }, withKey(key));
    expect(second.status).toBe(200);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toEqual(first.body);
    expect((await t.call('GET', `/v1/orders/${id}`)).body.version).toBe(2);
    expect((await historyRows(t, id)).filter((r) => r.to_state === 'cancelled')).toHaveLength(1);
  });

  it('replays a refusal as it was, without deciding again', async () => {
    const created = await t.call('POST', '/v1/orders', orderBody());
    const id: string = created.body.id;
    const key = randomUUID();
    const first = await t.call('POST', `/v1/orders/${id}/transitions`, { track: 'payment', to: 'refunded' }, withKey(key));
    expectProblem(first, 409, 'transition_not_allowed');
    const second = await t.call('POST', `/v1/orders/${id}/transitions`, { track: 'payment', to: 'refunded' }, withKey(key));
    expect(second.status).toBe(409);
    expect(second.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toEqual(first.body);
  });
});

describe('a request that died after claiming its key', () => {
  it('answers 409 while the claim is fresh, and lets the key be used once the claim is abandoned', async () => {
    const key = randomUUID();
    const principal = (await t.ordo.pool.query<{ id: string }>(`SELECT id FROM api_keys WHERE name = 'test admin'`)).rows[0]!.id;
    const body = orderBody({ customer: { email: uniqueEmail('abandoned') } });
    // As if a process claimed the key for this very request, then stopped before answering.
    const fingerprint = IdempotencyService.fingerprint('POST', '/v1/orders', body);
    await t.ordo.pool.query(`INSERT INTO idempotency_keys (principal, key, request_hash, state, created_at) VALUES ($1, $2, $3, 'running', $4)`, [principal, key, fingerprint, t.clock.now()]);
    const fresh = await t.call('POST', '/v1/orders', body, withKey(key));
    expectProblem(fresh, 409, 'idempotency_key_in_progress');
    t.clock.advance(301);
    const retried = await t.call('POST', '/v1/orders', body, withKey(key));
    expect(retried.status).toBe(201);
    const replayed = await t.call('POST', '/v1/orders', body, withKey(key));
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body.id).toBe(retried.body.id);
  });
});
