/**
 * The merchant's changes to a shipped workflow over HTTP: PATCH settings, PUT and DELETE
 * statuses. Bad requests get a problem and change nothing; a change reaches every Ordo
 * process sharing the database from its next command: commands read the changes with their
 * order, and a new order, decided on the workflow as its process last read it, is written only
 * if that is still the stored revision (else decided again on a fresh read).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrdo, type Ordo } from '../../src/engine/ordo.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectProblem } from './helpers.js';
import { statementsOf } from '../support/statements.js';

let t: TestApp;
let shop: string;
beforeAll(async () => {
  t = await startTestApp();
  shop = await t.storefrontKey('wf-changes');
});
afterAll(() => t.close());

const revision = async (name: string) => (await t.call('GET', `/v1/workflows/${name}`)).body.revision as number;

describe('PATCH /v1/workflows/{name}/settings', () => {
  it('answers the workflow as it now runs, one revision on', async () => {
    const before = await revision('standard');
    const res = await t.call('PATCH', '/v1/workflows/standard/settings', { paymentTimeout: '48h', depositPercent: 30 });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ name: 'standard', revision: before + 1, settings: { paymentTimeout: '48h', depositPercent: 30, basketTimeout: '10m' } });
    expect(res.body.settingNotes.paymentTimeout).toMatch(/cancelled/);
    const back = await t.call('PATCH', '/v1/workflows/standard/settings', { paymentTimeout: null, depositPercent: null });
    expect(back.body).toMatchObject({ revision: before + 2, settings: { paymentTimeout: '72h', depositPercent: 25 } });
  });

  it.each([
    ['an unknown setting', { shippingZone: 'EU' }, 422, 'unknown_setting'],
    ['a value of the wrong kind', { paymentTimeout: 72 }, 422, 'invalid_setting'],
    ['a duration that is not one', { paymentTimeout: '3 days' }, 422, 'invalid_setting'],
    ['a duration no due time can follow', { paymentTimeout: '999999999d' }, 422, 'invalid_setting'],
    ['a name every object has', { constructor: '1d' }, 422, 'unknown_setting'],
    ['no setting at all', {}, 400, 'invalid_request'],
    ['a nested value', { paymentTimeout: { hours: 72 } }, 400, 'invalid_request'],
  ])('refuses %s and changes nothing', async (_what, body, status, code) => {
    const before = (await t.call('GET', '/v1/workflows/standard')).body;
    expectProblem(await t.call('PATCH', '/v1/workflows/standard/settings', body), status, code);
    expect((await t.call('GET', '/v1/workflows/standard')).body).toEqual(before);
  });

  it('is for admins only, and for workflows that exist', async () => {
    expectProblem(await t.call('PATCH', '/v1/workflows/standard/settings', { paymentTimeout: '1h' }, { key: shop }), 403, 'forbidden');
    expectProblem(await t.call('PATCH', '/v1/workflows/standard/settings', { paymentTimeout: '1h' }, { key: null }), 401, 'unauthorized');
    expectProblem(await t.call('PATCH', '/v1/workflows/nope/settings', { paymentTimeout: '1h' }), 404, 'unknown_workflow');
  });
});

describe('PUT and DELETE /v1/workflows/{name}/statuses/{track}/{status}', () => {
  it('renames a status of any workflow; statuses of its own only where the workflow has them', async () => {
    const renamed = await t.call('PUT', '/v1/workflows/vendure/statuses/order/PaymentSettled', { label: 'Paid' });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body.tracks[0].states.find((s: { id: string }) => s.id === 'PaymentSettled').label).toBe('Paid');
    expect(renamed.body.customStatuses).toBe(false);
    expectProblem(await t.call('PUT', '/v1/workflows/vendure/statuses/order/OnHold', { label: 'On hold' }), 422, 'custom_statuses_not_allowed');
    expectProblem(await t.call('PUT', '/v1/workflows/vendure/statuses/cart/Created', { label: 'New' }), 422, 'unknown_track');
    expectProblem(await t.call('PUT', '/v1/workflows/vendure/statuses/order/Created', { label: '' }), 400, 'invalid_request');
    expectProblem(await t.call('PUT', '/v1/workflows/vendure/statuses/order/Created', { label: 'New', colour: 'red' }), 400, 'invalid_request');
    expectProblem(await t.call('DELETE', '/v1/workflows/vendure/statuses/order/Created'), 409, 'system_status');
    expectProblem(await t.call('DELETE', '/v1/workflows/xcart/statuses/payment/NOPE'), 404, 'status_not_found');
    expectProblem(await t.call('DELETE', '/v1/workflows/xcart/statuses/shipping/NOPE'), 404, 'status_not_found');
    expectProblem(await t.call('PUT', '/v1/workflows/xcart/statuses/payment/W', { label: 'Wire' }, { key: shop }), 403, 'forbidden');
    await t.call('PUT', '/v1/workflows/vendure/statuses/order/PaymentSettled', { label: 'PaymentSettled' });
  });

  it('shows the new names in the Mermaid diagram', async () => {
    await t.call('PUT', '/v1/workflows/xcart/statuses/fulfilment/HOLD', { label: 'On hold' });
    const res = await t.call('GET', '/v1/workflows/xcart?format=mermaid');
    expect(res.text).toContain('On hold');
    expect((await t.call('DELETE', '/v1/workflows/xcart/statuses/fulfilment/HOLD')).status).toBe(200);
  });
});

describe('a change reaches every process', () => {
  let other: Ordo;
  beforeAll(async () => {
    other = await createOrdo({ databaseUrl: t.ordo.databaseUrl, migrate: false, clock: t.ordo.clock });
  });
  afterAll(() => other.close());

  it('another Ordo on the same database uses the new setting and name from its next command', async () => {
    const admin = { kind: 'admin', id: 'other' } as const;
    const order = await other.orders.create({ workflow: 'nutickets', currency: 'EUR', customer: { email: 'a@example.com' }, lines: [{ sku: 'TKT', quantity: 1, unitPrice: 100 }] }, admin);
    expect(order.ok && order.value.statusLabels).toEqual({ order: 'Active' });
    await t.call('PATCH', '/v1/workflows/nutickets/settings', { basketTimeout: '45m' });
    await t.call('PUT', '/v1/workflows/nutickets/statuses/order/active', { label: 'In basket' });
    try {
      const now = other.clock.now().getTime();
      const next = await other.orders.create({ workflow: 'nutickets', currency: 'EUR', customer: { email: 'b@example.com' }, lines: [{ sku: 'TKT', quantity: 1, unitPrice: 100 }] }, admin);
      expect(next.ok && next.value.timers[0]?.dueAt).toBe(new Date(now + 45 * 60_000).toISOString());
      const seen = order.ok ? await other.orders.get(order.value.id, admin) : undefined;
      expect(seen?.ok && seen.value.statusLabels).toEqual({ order: 'In basket' });
    } finally {
      await t.call('PATCH', '/v1/workflows/nutickets/settings', { basketTimeout: null });
      await t.call('PUT', '/v1/workflows/nutickets/statuses/order/active', { label: 'Active' });
    }
  });
});

describe('a new order and the workflow it is decided on', () => {
  const admin = { kind: 'admin', id: 'reads' } as const;
  const reads = (sent: readonly string[]) => sent.filter((q) => q.startsWith('SELECT workflow,')).length;
  const create = () => t.ordo.orders.create({ workflow: 'nutickets', currency: 'EUR', customer: { email: 'r@example.com' }, lines: [{ sku: 'TKT', quantity: 1, unitPrice: 100 }] }, admin);

  it('reads the workflow\'s changes once per change, not once per order', async () => {
    await create();
    expect(reads(await statementsOf(create))).toBe(0);
    await t.call('PATCH', '/v1/workflows/nutickets/settings', { basketTimeout: '50m' });
    try {
      const now = t.clock.now().getTime();
      let made: Awaited<ReturnType<typeof create>> | undefined;
      // This process made the change, so it knows it; another one finds out from the save (the test above).
      expect(reads(await statementsOf(async () => { made = await create(); }))).toBe(0);
      expect(made?.ok && made.value.timers[0]?.dueAt).toBe(new Date(now + 50 * 60_000).toISOString());
      expect(reads(await statementsOf(create))).toBe(0);
    } finally {
      await t.call('PATCH', '/v1/workflows/nutickets/settings', { basketTimeout: null });
    }
  });
});

describe('removing a status of the merchant\'s own while an order is being moved into it', () => {
  it('the move waits for the removal and is then refused: no order is left in a status its workflow no longer has', async () => {
    const admin = { kind: 'admin', id: 'race' } as const;
    expect((await t.call('PUT', '/v1/workflows/xcart/statuses/fulfilment/QC', { label: 'Quality check' })).status).toBe(200);
    const created = await t.ordo.orders.create({ workflow: 'xcart', currency: 'EUR', customer: { email: 'race@example.com' }, lines: [{ sku: 'RACE', quantity: 1, unitPrice: 100 }] }, admin);
    if (!created.ok) throw new Error(created.message);
    // A removal in progress: it holds the workflow's row, as removeStatus does before it counts the orders in the status.
    const removal = await t.ordo.pool.connect();
    try {
      await removal.query('BEGIN');
      await removal.query("SELECT 1 FROM workflow_customizations WHERE workflow = 'xcart' FOR UPDATE");
      const moving = t.ordo.orders.execute(created.value.id, { type: 'transition', track: 'fulfilment', to: 'QC' }, admin);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await removal.query("UPDATE workflow_customizations SET revision = revision + 1, statuses = '[]' WHERE workflow = 'xcart'");
      await removal.query('COMMIT');
      expect(await moving).toMatchObject({ ok: false, code: 'unknown_status' });
    } finally {
      removal.release();
    }
    const after = await t.ordo.orders.get(created.value.id, admin);
    expect(after.ok && after.value.status).toEqual({ payment: 'Q', fulfilment: 'N' });
  });
});
