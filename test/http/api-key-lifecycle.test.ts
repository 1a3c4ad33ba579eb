/** Keys are listed without secrets, revoked at once in every process, noted when used, and never logged. */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrdo } from '../../src/engine/ordo.js';
import { buildServer } from '../../src/http/server.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { statementsOf } from '../support/statements.js';
import { expectProblem } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const make = async () => (await t.call('POST', '/v1/api-keys', { role: 'storefront', name: 'lifecycle shop' })).body;

describe('GET /v1/api-keys', () => {
  it('lists keys with role, customer, prefix and times, never a secret or hash', async () => {
    const made = await make();
    const res = await t.call('GET', '/v1/api-keys');
    const listed = res.body.items.find((k: { id: string }) => k.id === made.id);
    expect(listed).toMatchObject({ role: 'storefront', name: 'lifecycle shop', customerId: null, prefix: made.prefix, lastUsedAt: null });
    expect(res.text).not.toContain(made.key);
    const hashes = (await t.ordo.pool.query<{ key_hash: string }>('SELECT key_hash FROM api_keys')).rows;
    for (const h of hashes) expect(res.text).not.toContain(h.key_hash);
  });

  it('notes the last use, at most once a minute', async () => {
    const made = await make();
    const lastUsed = async () => (await t.call('GET', '/v1/api-keys')).body.items.find((k: { id: string }) => k.id === made.id).lastUsedAt;
    await t.call('GET', '/v1/orders', undefined, { key: made.key });
    const first = await lastUsed();
    expect(first).toBe(t.clock.now().toISOString());
    t.clock.advance(30);
    await t.call('GET', '/v1/orders', undefined, { key: made.key });
    expect(await lastUsed()).toBe(first);
    t.clock.advance(31);
    await t.call('GET', '/v1/orders', undefined, { key: made.key });
    expect(await lastUsed()).toBe(t.clock.now().toISOString());
  });
});

describe('DELETE /v1/api-keys/{id}', () => {
  it('revokes a key at once, in another process on the same database too', async () => {
    const made = await make();
    const other = await createOrdo({ databaseUrl: t.ordo.databaseUrl, migrate: false });
    const otherApp = await buildServer(other);
    const use = () => otherApp.inject({ method: 'GET', url: '/v1/orders', headers: { authorization: `Bearer ${made.key}` } });
    try {
      expect((await use()).statusCode).toBe(200);
      expect((await t.call('DELETE', `/v1/api-keys/${made.id}`)).status).toBe(200);
      expect((await use()).statusCode).toBe(401);
      expectProblem(await t.call('GET', '/v1/orders', undefined, { key: made.key }), 401, 'unauthorized');
      expectProblem(await t.call('DELETE', `/v1/api-keys/${made.id}`), 404, 'api_key_not_found');
    } finally {
      await otherApp.close();
      await other.close();
    }
  });
});

describe('logging', () => {
  it('writes no secret to the log at info level', async () => {
    let log = '';
    const stream = new Writable({ write: (chunk, _enc, done) => ((log += String(chunk)), done()) });
    const app = await buildServer(t.ordo, { logger: { level: 'info', stream } as never });
    try {
      const made = await make();
      await app.inject({ method: 'GET', url: '/v1/orders', headers: { authorization: `Bearer ${made.key}` } });
      await app.inject({ method: 'POST', url: '/v1/customer-tokens', headers: { authorization: `Bearer ${made.key}`, 'content-type': 'application/json' }, payload: '{"customerId":"cus-log"}' });
      expect(log).toContain('request completed');
      expect(log).not.toContain(made.key);
      expect(log.toLowerCase()).not.toContain('authorization');
    } finally {
      await app.close();
    }
  });
});

describe('checking a key', () => {
  it('answers the checks of one key asked together with one read', async () => {
    const made = await make();
    const other = await make();
    const sent = await statementsOf(async () => {
      const checked = await Promise.all([...Array.from({ length: 8 }, () => t.ordo.apiKeys.authenticate(made.key)), t.ordo.apiKeys.authenticate(other.key)]);
      expect(checked.map((p) => p?.keyId)).toEqual([...Array.from({ length: 8 }, () => made.id), other.id]);
    });
    // One read per key: before, one per check.
    expect(sent.filter((q) => q === 'ordo_use_api_key')).toHaveLength(2);
  });

  it('refuses a check asked after the revocation, even while others of the key are being read', async () => {
    const made = await make();
    const before = t.ordo.apiKeys.authenticate(made.key);
    expect((await t.call('DELETE', `/v1/api-keys/${made.id}`)).status).toBe(200);
    const after = t.ordo.apiKeys.authenticate(made.key);
    await before;
    expect(await after).toBeUndefined();
    expect(await t.ordo.apiKeys.authenticate('ordo_sk_not_a_key')).toBeUndefined();
  });
});
