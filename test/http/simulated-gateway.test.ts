/** The simulated gateway is a rehearsal: on by default, off once a real gateway is configured unless listed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrdo, type Ordo, type OrdoOptions } from '../../src/engine/ordo.js';
import type { PaymentGateway } from '../../src/gateways/port.js';
import { buildServer } from '../../src/http/server.js';
import { orderBody } from '../support/app.js';
import { freshDatabase } from '../support/database.js';

/** A stand-in for a real gateway: settles everything, ignores `simulate`. */
const acme = (): PaymentGateway => {
  const answer = async (c: { paymentId: string; amount: number }) => ({ outcome: 'settled' as const, reference: `acme_${c.paymentId}`, amount: c.amount });
  return { name: 'acme', charge: answer, authorize: answer, capture: answer, void: answer, refund: async () => ({ outcome: 'settled', reference: 'acme_r' }), parseCallback: () => { throw new Error('none'); } };
};

async function server(options: OrdoOptions) {
  const ordo: Ordo = await createOrdo({ databaseUrl: await freshDatabase(), migrate: false, ...options });
  const app = await buildServer(ordo);
  const key = (await ordo.apiKeys.create({ role: 'storefront', name: 'shop' })).key;
  const pay = (simulate: string) => app.inject({ method: 'POST', url: '/v1/orders', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, payload: JSON.stringify(orderBody({ payment: { method: 'card', simulate } })) });
  return { ordo, app, pay, close: async () => { await app.close(); await ordo.close(); } };
}

describe('by default', () => {
  let s: Awaited<ReturnType<typeof server>>;
  beforeAll(async () => { s = await server({}); });
  afterAll(() => s.close());

  it('runs the simulated gateway, and a storefront may simulate', async () => {
    expect(s.ordo.access.simulation).toBe(true);
    expect((await s.pay('decline')).statusCode).toBe(201);
  });
});

describe('with a real gateway configured', () => {
  let s: Awaited<ReturnType<typeof server>>;
  beforeAll(async () => { s = await server({ gateways: () => [acme()] }); });
  afterAll(() => s.close());

  it('turns the simulated gateway off and refuses simulate from a storefront with 422 simulation_disabled, writing nothing', async () => {
    expect(s.ordo.access.simulation).toBe(false);
    expect([...s.ordo.gateways.keys()]).toEqual(['acme']);
    const res = await s.pay('settle');
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('simulation_disabled');
    expect((await s.ordo.pool.query('SELECT 1 FROM orders')).rowCount).toBe(0);
  });

  it('sends card payments to that gateway: charged there, settled, its reference on the payment', async () => {
    const key = (await s.ordo.apiKeys.create({ role: 'admin', name: 'staff' })).key;
    const res = await s.app.inject({ method: 'POST', url: '/v1/orders', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, payload: JSON.stringify(orderBody({ payment: { method: 'card' } })) });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().payments[0]).toMatchObject({ gateway: 'acme', state: 'settled', pendingOperation: null });
    expect(res.json().payments[0].reference).toMatch(/^acme_/);
  });
});

describe('with a real gateway and simulated listed', () => {
  let s: Awaited<ReturnType<typeof server>>;
  beforeAll(async () => { s = await server({ gateways: () => [acme()], enabledGateways: ['acme', 'simulated'] }); });
  afterAll(() => s.close());

  it('keeps rehearsal on', async () => {
    expect(s.ordo.access.simulation).toBe(true);
    expect((await s.pay('settle')).statusCode).toBe(201);
  });

  it('refuses a gateway name it does not have', async () => {
    await expect(createOrdo({ databaseUrl: await freshDatabase(), migrate: false, enabledGateways: ['nope'] })).rejects.toThrow(/ORDO_GATEWAYS names nope/);
  });
});
