/** CORS for the allowed origins only; rate limits per key and address with a 429 problem and Retry-After. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrdo, type Ordo } from '../../src/engine/ordo.js';
import { buildServer } from '../../src/http/server.js';
import { freshDatabase } from '../support/database.js';

let ordo: Ordo;
let app: Awaited<ReturnType<typeof buildServer>>;
let token: string;
beforeAll(async () => {
  ordo = await createOrdo({ databaseUrl: await freshDatabase(), migrate: false, corsOrigins: ['https://shop.example'], rateLimitPerMinute: 5 });
  app = await buildServer(ordo);
  const shop = await ordo.apiKeys.create({ role: 'storefront', name: 'shop' });
  const principal = (await ordo.apiKeys.authenticate(shop.key))!;
  const issued = await ordo.apiKeys.issueCustomerToken(principal, 'cus-browser');
  if (issued.ok) token = issued.value.key;
});
afterAll(async () => {
  await app.close();
  await ordo.close();
});

describe('CORS', () => {
  it('answers an allowed origin\'s preflight, and not another origin', async () => {
    const ok = await app.inject({ method: 'OPTIONS', url: '/v1/orders', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });
    expect(ok.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(String(ok.headers['access-control-allow-headers'])).toContain('authorization');
    const other = await app.inject({ method: 'GET', url: '/v1/orders', headers: { origin: 'https://evil.example', authorization: 'Bearer cors-check' }, remoteAddress: '10.0.0.2' });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('rate limits', () => {
  it('answers 429 rate_limited with Retry-After once a key passes its limit', async () => {
    const get = () => app.inject({ method: 'GET', url: '/v1/orders', headers: { authorization: `Bearer ${token}` }, remoteAddress: '10.0.0.1' });
    for (let i = 0; i < 5; i++) expect((await get()).statusCode).toBe(200);
    const limited = await get();
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.json().code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('counts per client address too, whatever key is sent', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/orders', headers: { authorization: 'Bearer ordo_ct_unknown' }, remoteAddress: '10.0.0.9' });
    expect(res.statusCode).toBe(401);
    for (let i = 0; i < 5; i++) await app.inject({ method: 'GET', url: '/v1/orders', headers: { authorization: `Bearer x${i}` }, remoteAddress: '10.0.0.7' });
    const limited = await app.inject({ method: 'GET', url: '/v1/orders', headers: { authorization: 'Bearer fresh' }, remoteAddress: '10.0.0.7' });
    expect(limited.statusCode).toBe(429);
  });
});
