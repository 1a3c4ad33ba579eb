/**
 * A key this process read lately is not read again before an order command on a route whose
 * write checks it (key-check.ts): the write's own statement requires the key live, and whatever
 * else the request answers goes out only once the key is read. Revocations here come from
 * outside this process (an UPDATE, as another process's DELETE /v1/api-keys/{id} would), so
 * this process has no way to know of them but the database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody, startTestApp, type TestApp } from '../support/app.js';
import { statementsOf } from '../support/statements.js';
import { expectProblem } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const newAdminKey = async () => (await t.ordo.apiKeys.create({ role: 'admin', name: 'known key' }));
const revokeElsewhere = (id: string) => t.ordo.pool.query('UPDATE api_keys SET revoked_at = $2 WHERE id = $1', [id, t.clock.now()]);
const move = (fulfillmentId: string, to: string, key: string, headers: Record<string, string> = {}) =>
  t.call('POST', `/v1/fulfillments/${fulfillmentId}/transitions`, { to }, { key, headers });

/** A paid order with one pending parcel of one of its two units, made with `key` (so this process has just read it). */
async function parcel(key: string, sku: string) {
  await t.call('PUT', `/v1/inventory/${sku}`, { onHand: 10 });
  const order = (await t.call('POST', '/v1/orders', orderBody({ lines: [{ sku, quantity: 2, unitPrice: 1000 }], payment: { method: 'card' } }), { key })).body;
  const shipped = await t.call('POST', `/v1/orders/${order.id}/fulfillments`, { lines: [{ lineId: order.lines[0].id, quantity: 1 }] }, { key });
  expect(shipped.status, shipped.text).toBe(201);
  return { order: shipped.body, fulfillmentId: shipped.body.fulfillments[0].id as string };
}

/** What a refused request must leave as it was: the order's version and history, the parcels, the stock. */
async function footprint(orderId: string, sku: string) {
  const res = await t.ordo.pool.query<{ version: number; history: number; parcels: number; on_hand: number; reserved: number }>(
    `SELECT o.version, (SELECT count(*)::int FROM order_history h WHERE h.order_id = o.id) AS history,
            jsonb_array_length(o.body -> 'fulfillments') AS parcels, i.on_hand, i.reserved
       FROM orders o, inventory i WHERE o.id = $1 AND i.sku = $2`, [orderId, sku]);
  return res.rows[0]!;
}

const expectUnauthorized = (res: Awaited<ReturnType<TestApp['call']>>) => {
  expectProblem(res, 401, 'unauthorized');
  expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
};

describe('a key this process read lately', () => {
  it('is checked by the status change\'s own statement: no read of the key before it', async () => {
    const { key } = await newAdminKey();
    const { fulfillmentId } = await parcel(key, 'KCW-ONE');
    let answer: Awaited<ReturnType<TestApp['call']>> | undefined;
    const sent = await statementsOf(async () => {
      answer = await move(fulfillmentId, 'shipped', key);
    });
    expect(answer!.status, answer!.text).toBe(200);
    expect(answer!.body.fulfillments[0].state).toBe('shipped');
    expect(sent).not.toContain('ordo_use_api_key');
    expect(sent.filter((q) => q === 'ordo_update_order')).toHaveLength(1);
  });

  it('revoked meanwhile: the status change is refused with 401 and writes nothing', async () => {
    const made = await newAdminKey();
    const { order, fulfillmentId } = await parcel(made.key, 'KCW-REVOKED');
    const before = await footprint(order.id, 'KCW-REVOKED');
    await revokeElsewhere(made.id);
    expectUnauthorized(await move(fulfillmentId, 'shipped', made.key));
    expect(await footprint(order.id, 'KCW-REVOKED')).toEqual(before);
    // The order is as it was, and the process goes on answering live keys about it.
    const moved = await move(fulfillmentId, 'shipped', t.adminKey);
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.version).toBe(order.version + 1);
  });

  it('revoked meanwhile: a parcel that would move stock moves none', async () => {
    const made = await newAdminKey();
    const { order } = await parcel(made.key, 'KCW-STOCK');
    const before = await footprint(order.id, 'KCW-STOCK');
    await revokeElsewhere(made.id);
    const res = await t.call('POST', `/v1/orders/${order.id}/fulfillments`, { lines: [{ lineId: order.lines[0].id, quantity: 1 }] }, { key: made.key });
    expectUnauthorized(res);
    expect(await footprint(order.id, 'KCW-STOCK')).toEqual(before);
  });

  it('revoked meanwhile: a refusal or a missing order is answered 401, telling nothing about the order', async () => {
    const made = await newAdminKey();
    const { order, fulfillmentId } = await parcel(made.key, 'KCW-TELLS');
    await revokeElsewhere(made.id);
    const asks = [
      (key: string) => t.call('POST', `/v1/orders/${order.id}/transitions`, { to: 'no_such_status', track: 'order' }, { key }),
      (key: string) => move('00000000-0000-7000-8000-000000000000', 'shipped', key),
      (key: string) => t.call('POST', '/v1/orders/00000000-0000-7000-8000-000000000000/timers/payment/extend', undefined, { key }),
      (key: string) => move(fulfillmentId, 'shipped', key, { 'if-match': '999' }),
    ];
    for (const ask of asks) {
      // To a live key, each is a refusal or a 404 of its own.
      const live = await ask(t.adminKey);
      expect([404, 409, 412, 422], live.text).toContain(live.status);
      expectUnauthorized(await ask(made.key));
    }
  });

  it('expired meanwhile (as of the change): refused by the write', async () => {
    const made = await newAdminKey();
    const { order, fulfillmentId } = await parcel(made.key, 'KCW-EXPIRED');
    const before = await footprint(order.id, 'KCW-EXPIRED');
    await t.ordo.pool.query('UPDATE api_keys SET expires_at = $2 WHERE id = $1', [made.id, new Date(t.clock.now().getTime() - 1000)]);
    expectUnauthorized(await move(fulfillmentId, 'shipped', made.key));
    expect(await footprint(order.id, 'KCW-EXPIRED')).toEqual(before);
  });

  it('is checked by a checkout\'s insert: no read of the key, and no gateway call for a revoked one', async () => {
    const made = await newAdminKey();
    await parcel(made.key, 'KCW-CHECKOUT');
    const checkout = () => t.call('POST', '/v1/orders', orderBody({ lines: [{ sku: 'KCW-CHECKOUT', quantity: 1, unitPrice: 1000 }], payment: { method: 'card' } }), { key: made.key });
    let answer: Awaited<ReturnType<TestApp['call']>> | undefined;
    const sent = await statementsOf(async () => {
      answer = await checkout();
    });
    expect(answer!.status, answer!.text).toBe(201);
    expect(answer!.body.status.payment).toBe('paid');
    expect(sent, sent.join('\n')).not.toContain('ordo_use_api_key');
    const counts = async () => (await t.ordo.pool.query<{ orders: number; operations: number; on_hand: number; reserved: number }>(
      `SELECT (SELECT count(*)::int FROM orders) AS orders, (SELECT count(*)::int FROM simulated_gateway_operations) AS operations, on_hand, reserved
         FROM inventory WHERE sku = 'KCW-CHECKOUT'`)).rows[0]!;
    const before = await counts();
    await revokeElsewhere(made.id);
    expectUnauthorized(await checkout());
    expect(await counts()).toEqual(before);
  });

  it('revoked meanwhile: a checkout refused for want of stock is answered 401', async () => {
    const made = await newAdminKey();
    await parcel(made.key, 'KCW-SOLD-OUT');
    const buy = (key: string) => t.call('POST', '/v1/orders', orderBody({ lines: [{ sku: 'KCW-SOLD-OUT', quantity: 50, unitPrice: 1000 }] }), { key });
    expectProblem(await buy(t.adminKey), 409, 'insufficient_stock');
    await revokeElsewhere(made.id);
    expectUnauthorized(await buy(made.key));
  });

  it('leaves a card lifecycle (checkout, parcel, shipped, delivered) six round trips, none of them the key', async () => {
    const { key } = await newAdminKey();
    await parcel(key, 'KCW-LIFECYCLE');
    const sent = await statementsOf(async () => {
      const order = (await t.call('POST', '/v1/orders', orderBody({ lines: [{ sku: 'KCW-LIFECYCLE', quantity: 1, unitPrice: 1000 }], payment: { method: 'card' } }), { key })).body;
      const made = await t.call('POST', `/v1/orders/${order.id}/fulfillments`, { lines: [{ lineId: order.lines[0].id, quantity: 1 }] }, { key });
      expect((await move(made.body.fulfillments[0].id, 'shipped', key)).status).toBe(200);
      expect((await move(made.body.fulfillments[0].id, 'delivered', key)).body.status.order).toBe('completed');
    });
    // The insert with its stock, the simulated gateway's record and the write of its answer; one write for each of the three others.
    const own = sent.filter((q) => !q.startsWith('SELECT pg_notify'));
    expect(own, own.join('\n')).toHaveLength(6);
    expect(own).not.toContain('ordo_use_api_key');
  });

  it('is read again once a minute has passed since it was read', async () => {
    const { key } = await newAdminKey();
    const { fulfillmentId } = await parcel(key, 'KCW-MINUTE');
    t.clock.advance(61);
    const sent = await statementsOf(() => move(fulfillmentId, 'shipped', key));
    expect(sent).toContain('ordo_use_api_key');
  });

  it('is read first when the request has an Idempotency-Key (its claim is written before the command)', async () => {
    const made = await newAdminKey();
    const { order, fulfillmentId } = await parcel(made.key, 'KCW-IDEMPOTENT');
    const sent = await statementsOf(() => move(fulfillmentId, 'shipped', made.key, { 'idempotency-key': 'kcw-1' }));
    expect(sent).toContain('ordo_use_api_key');
    await revokeElsewhere(made.id);
    expectUnauthorized(await move(fulfillmentId, 'delivered', made.key, { 'idempotency-key': 'kcw-2' }));
    const claims = await t.ordo.pool.query('SELECT 1 FROM idempotency_keys WHERE key = $1', ['kcw-2']);
    expect(claims.rowCount).toBe(0);
    expect((await footprint(order.id, 'KCW-IDEMPOTENT')).version).toBe(order.version + 1);
  });

  it('is read as before on routes whose write does not check it', async () => {
    const { key } = await newAdminKey();
    await parcel(key, 'KCW-OTHER');
    const sent = await statementsOf(() => t.call('GET', '/v1/orders?limit=1', undefined, { key }));
    expect(sent).toContain('ordo_use_api_key');
  });
});

describe('a command that takes the order\'s lock (no optimistic attempt)', () => {
  let locked: TestApp;
  beforeAll(async () => {
    locked = await startTestApp({ optimisticAttempts: 0 });
  });
  afterAll(() => locked.close());

  it('reads a known key before its transaction, and writes nothing for a revoked one', async () => {
    const made = await locked.ordo.apiKeys.create({ role: 'admin', name: 'known key' });
    await locked.call('PUT', '/v1/inventory/KCW-LOCKED', { onHand: 10 });
    const order = (await locked.call('POST', '/v1/orders', orderBody({ lines: [{ sku: 'KCW-LOCKED', quantity: 1, unitPrice: 1000 }], payment: { method: 'card' } }), { key: made.key })).body;
    const ship = () => locked.call('POST', `/v1/orders/${order.id}/fulfillments`, { lines: [{ lineId: order.lines[0].id, quantity: 1 }] }, { key: made.key, headers: { 'if-match': String(order.version) } });
    await locked.ordo.pool.query('UPDATE api_keys SET revoked_at = $2 WHERE id = $1', [made.id, locked.clock.now()]);
    const sent = await statementsOf(async () => expectUnauthorized(await ship()));
    expect(sent).toContain('ordo_use_api_key');
    expect(sent).not.toContain('BEGIN');
    const stored = await locked.ordo.pool.query<{ version: number }>('SELECT version FROM orders WHERE id = $1', [order.id]);
    expect(stored.rows[0]!.version).toBe(order.version);
  });
});
