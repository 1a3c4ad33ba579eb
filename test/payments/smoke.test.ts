import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../../src/engine/clock.js';
import { createOrdo, type Ordo } from '../../src/engine/ordo.js';
import { buildServer } from '../../src/http/server.js';
import { freshDatabase } from '../support/database.js';
import type { FastifyInstance } from 'fastify';

let ordo: Ordo;
let app: FastifyInstance;
const SECRET = 'whsec_' + Buffer.from('test-secret-of-the-simulated-gateway').toString('base64');
beforeAll(async () => {
  ordo = await createOrdo({ databaseUrl: await freshDatabase(), migrate: false, clock: new ManualClock(), gatewaySecrets: { simulated: SECRET } });
  app = await buildServer(ordo);
  await ordo.apiKeys.ensure('k', { role: 'admin', name: 'a' });
});
afterAll(async () => { await app.close(); await ordo.close(); });

const call = async (method: 'GET' | 'POST', url: string, body?: unknown) => {
  const res = await app.inject({ method, url, headers: { authorization: 'Bearer k', ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { payload: JSON.stringify(body) } : {}) });
  return { status: res.statusCode, body: res.json() };
};
const order = { currency: 'EUR', lines: [{ sku: 'X', quantity: 2, unitPrice: 1000 }], shipping: { amount: 500 } };

it('card settles at once; refund partial then full', async () => {
  const o = await call('POST', '/v1/orders', { ...order, payment: { method: 'card' } });
  expect(o.status).toBe(201);
  expect(o.body.status.payment).toBe('paid');
  expect(o.body.totals).toMatchObject({ total: 2500, paid: 2500, balance: 0 });
  const r1 = await call('POST', `/v1/orders/${o.body.id}/refunds`, { lines: [{ lineId: o.body.lines[0].id, quantity: 1 }], reason: 'broken' });
  expect(r1.status).toBe(201);
  expect(r1.body.status.payment).toBe('partially_refunded');
  expect(r1.body.totals).toMatchObject({ refunded: 1000, balance: 1000 });
  const tooMuch = await call('POST', `/v1/orders/${o.body.id}/refunds`, { amount: 1501, reason: 'x' });
  expect(tooMuch.status).toBe(422);
  expect(tooMuch.body.code).toBe('refund_exceeds_captured');
  const r2 = await call('POST', `/v1/orders/${o.body.id}/refunds`, { amount: 1500, reason: 'rest' });
  expect(r2.body.status.payment).toBe('refunded');
});

it('pending card waits for a signed callback; a repeat is applied once, a late decline ignored', async () => {
  const o = await call('POST', '/v1/orders', { ...order, payment: { method: 'card', simulate: 'pending' } });
  expect(o.body.status.payment).toBe('unpaid');
  const paymentId = o.body.payments[0].id;
  const wh = new Webhook(SECRET);
  const send = async (id: string, body: unknown) => {
    const payload = JSON.stringify(body);
    const ts = new Date();
    const res = await app.inject({ method: 'POST', url: '/v1/gateways/simulated/events', headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(ts.getTime() / 1000)), 'webhook-signature': wh.sign(id, ts, payload) }, payload });
    return { status: res.statusCode, body: res.json() };
  };
  expect(await send('evt_1', { type: 'payment.settled', paymentId })).toEqual({ status: 200, body: { status: 'applied' } });
  expect(await send('evt_1', { type: 'payment.settled', paymentId })).toEqual({ status: 200, body: { status: 'duplicate' } });
  expect(await send('evt_2', { type: 'payment.declined', paymentId })).toEqual({ status: 200, body: { status: 'ignored' } });
  const after = await call('GET', `/v1/orders/${o.body.id}`);
  expect(after.body.status.payment).toBe('paid');
  const bad = await app.inject({ method: 'POST', url: '/v1/gateways/simulated/events', headers: { 'content-type': 'application/json', 'webhook-id': 'x', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' }, payload: '{}' });
  expect(bad.statusCode).toBe(401);
});

it('authorize then partial capture; void refused after capture', async () => {
  const o = await call('POST', '/v1/orders', { ...order, payment: { method: 'card', capture: false } });
  expect(o.body.status.payment).toBe('authorized');
  const pid = o.body.payments[0].id;
  const over = await call('POST', `/v1/payments/${pid}/capture`, { amount: 2501 });
  expect(over.body.code).toBe('capture_exceeds_authorized');
  const cap = await call('POST', `/v1/payments/${pid}/capture`, {});
  expect(cap.body.status.payment).toBe('paid');
  expect((await call('POST', `/v1/payments/${pid}/void`)).body.code).toBe('payment_not_voidable');
});

it('invoice settled by an admin; deposit', async () => {
  const o = await call('POST', '/v1/orders', { ...order, payment: { method: 'invoice' } });
  expect(o.body.payments[0].state).toBe('pending');
  const s = await call('POST', `/v1/payments/${o.body.payments[0].id}/settle`, {});
  expect(s.body.status.payment).toBe('paid');
  const big = await call('POST', '/v1/orders', { currency: 'EUR', lines: [{ sku: 'Y', quantity: 1, unitPrice: 20000 }] });
  const dep = await call('POST', `/v1/orders/${big.body.id}/payments`, { method: 'card', deposit: true });
  expect(dep.status).toBe(201);
  expect(dep.body.status.payment).toBe('partially_paid');
  expect(dep.body.totals).toMatchObject({ paid: 5000, balance: 15000 });
  expect(dep.body.timers.map((t: { name: string }) => t.name)).toContain('deposit-deadline');
});
