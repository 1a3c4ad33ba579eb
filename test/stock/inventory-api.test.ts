/** GET|PUT /v1/inventory/{sku} and its ledger, over HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody, startTestApp, type TestApp } from '../support/app.js';
import { expectLevels, ledger, levels, movements, uniqueSku } from './helpers.js';

let t: TestApp;
let shopKey: string;
beforeAll(async () => {
  t = await startTestApp();
  shopKey = await t.storefrontKey('inv-shopper');
});
afterAll(() => t.close());

const put = (sku: string, body: unknown, key?: string) => t.call('PUT', `/v1/inventory/${encodeURIComponent(sku)}`, body, key === undefined ? {} : { key });
const get = (sku: string, key?: string) => t.call('GET', `/v1/inventory/${encodeURIComponent(sku)}`, undefined, key === undefined ? {} : { key });
const adminActorId = async () => {
  const r = await t.ordo.pool.query<{ id: string }>("SELECT id FROM api_keys WHERE name = 'test admin'");
  return `key:${r.rows[0]!.id}`;
};
const buy = (sku: string, quantity: number) => t.call('POST', '/v1/orders', orderBody({ lines: [{ sku, quantity, unitPrice: 100 }] }));

describe('PUT /v1/inventory/{sku}', () => {
  it('creates the SKU with an adjust movement carrying the reason and the actor', async () => {
    const sku = uniqueSku('INV-NEW');
    const r = await put(sku, { onHand: 12, reason: 'initial count' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ sku, onHand: 12, reserved: 0, available: 12, backorders: false });
    const ms = await movements(t.ordo.pool, sku);
    expect(ms).toEqual([{ kind: 'adjust', quantity: 12, on_hand_delta: 12, reserved_delta: 0, order_id: null, line_id: null, reason: 'initial count', actor_kind: 'admin', actor_id: await adminActorId() }]);
    expect((await get(sku)).body).toEqual({ sku, onHand: 12, reserved: 0, available: 12, backorders: false });
  });

  it('adjusts up and down by the difference; setting the same count again writes nothing', async () => {
    const sku = uniqueSku('INV-ADJ');
    await put(sku, { onHand: 10 });
    expect((await put(sku, { onHand: 4, reason: 'breakage' })).body).toMatchObject({ onHand: 4, available: 4 });
    expect((await put(sku, { onHand: 9, reason: 'delivery' })).body).toMatchObject({ onHand: 9, available: 9 });
    expect((await put(sku, { onHand: 9 })).status).toBe(200);
    const ms = await movements(t.ordo.pool, sku);
    expect(ms.map((m) => [m.kind, m.quantity, m.on_hand_delta, m.reason])).toEqual([['adjust', 10, 10, null], ['adjust', -6, -6, 'breakage'], ['adjust', 5, 5, 'delivery']]);
    await expectLevels(t.ordo.pool, sku, { onHand: 9, reserved: 0 });
  });

  it('keeps what orders hold: available is on hand less reserved', async () => {
    const sku = uniqueSku('INV-HELD');
    await put(sku, { onHand: 5 });
    expect((await buy(sku, 3)).status).toBe(201);
    expect((await put(sku, { onHand: 8 })).body).toEqual({ sku, onHand: 8, reserved: 3, available: 5, backorders: false });
    expect((await put(sku, { onHand: 3 })).body).toEqual({ sku, onHand: 3, reserved: 3, available: 0, backorders: false });
    await expectLevels(t.ordo.pool, sku, { onHand: 3, reserved: 3 });
  });

  it('sets and clears the backorders flag', async () => {
    const sku = uniqueSku('INV-BO');
    expect((await put(sku, { onHand: 1, backorders: true })).body.backorders).toBe(true);
    expect((await put(sku, { onHand: 2 })).body.backorders).toBe(true);
    expect((await put(sku, { onHand: 2, backorders: false })).body.backorders).toBe(false);
    expect((await levels(t.ordo.pool, sku))!.backorders).toBe(false);
  });

  it('below what is reserved: 409 stock_below_reserved, and nothing changes', async () => {
    const sku = uniqueSku('INV-BELOW');
    await put(sku, { onHand: 6 });
    expect((await buy(sku, 4)).status).toBe(201);
    const before = await ledger(t.ordo.pool, sku);
    const r = await put(sku, { onHand: 3, reason: 'miscount' });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'stock_below_reserved', sku, reserved: 4 });
    expect((await get(sku)).body).toEqual({ sku, onHand: 6, reserved: 4, available: 2, backorders: false });
    expect(await ledger(t.ordo.pool, sku)).toEqual(before);
  });

  /** An oversold SKU (backorders on, reserved above on hand) whose backorders are being switched off. */
  async function oversold(label: string) {
    const sku = uniqueSku(label);
    await put(sku, { onHand: 2, backorders: true });
    expect((await buy(sku, 5)).status).toBe(201);
    expect((await get(sku)).body).toEqual({ sku, onHand: 2, reserved: 5, available: -3, backorders: true });
    return sku;
  }

  it('switching backorders off below what is reserved: 409 stock_below_reserved', async () => {
    const sku = await oversold('INV-BELOW-BO');
    const r = await put(sku, { onHand: 4, backorders: false });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'stock_below_reserved', sku, reserved: 5 });
  });

  // ... and even a PUT whose new count covers the reservations is refused with 500 for the same reason.
  it('switching backorders off with a count that covers the reservations is accepted in one PUT', async () => {
    const sku = await oversold('INV-COVER-BO');
    const r = await put(sku, { onHand: 5, backorders: false });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ sku, onHand: 5, reserved: 5, available: 0, backorders: false });
  });

  it('switching backorders off below what is reserved is refused and leaves the flag and the ledger as they were', async () => {
    const sku = await oversold('INV-BELOW-BO2');
    const before = await ledger(t.ordo.pool, sku);
    const r = await put(sku, { onHand: 4, backorders: false });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect((await get(sku)).body).toEqual({ sku, onHand: 2, reserved: 5, available: -3, backorders: true });
    expect(await ledger(t.ordo.pool, sku)).toEqual(before);
    // Covering the reservations first, then switching backorders off: from then on the SKU refuses.
    expect((await put(sku, { onHand: 5 })).body).toEqual({ sku, onHand: 5, reserved: 5, available: 0, backorders: true });
    expect((await put(sku, { onHand: 5, backorders: false })).body).toEqual({ sku, onHand: 5, reserved: 5, available: 0, backorders: false });
    const more = await buy(sku, 1);
    expect(more.status).toBe(409);
    expect(more.body.code).toBe('insufficient_stock');
    await expectLevels(t.ordo.pool, sku, { onHand: 5, reserved: 5 });
  });

  it('a SKU that allows backorders may be counted below what is reserved', async () => {
    const sku = uniqueSku('INV-BO-BELOW');
    await put(sku, { onHand: 3, backorders: true });
    expect((await buy(sku, 3)).status).toBe(201);
    expect((await put(sku, { onHand: 1 })).body).toEqual({ sku, onHand: 1, reserved: 3, available: -2, backorders: true });
    await expectLevels(t.ordo.pool, sku, { onHand: 1, reserved: 3 });
  });

  it.each([
    ['a negative count', { onHand: -1 }],
    ['a string count', { onHand: '5' }],
    ['a fraction', { onHand: 1.5 }],
    ['no count', { backorders: true }],
    ['an unknown field', { onHand: 1, colour: 'red' }],
    ['a non-boolean flag', { onHand: 1, backorders: 'yes' }],
  ])('400 for %s, and nothing is written', async (_label, body) => {
    const sku = uniqueSku('INV-BAD');
    const r = await put(sku, body);
    expect(r.status).toBe(400);
    expect(r.body.code).toBeTypeOf('string');
    expect(await levels(t.ordo.pool, sku)).toBeUndefined();
    expect((await ledger(t.ordo.pool, sku)).count).toBe(0);
    expect((await get(sku)).status).toBe(404);
  });

  it('400 for a bad body on an existing SKU leaves it as it was', async () => {
    const sku = uniqueSku('INV-BAD-OLD');
    await put(sku, { onHand: 7 });
    expect((await put(sku, { onHand: -3 })).status).toBe(400);
    expect((await put(sku, 'not json')).status).toBe(400);
    await expectLevels(t.ordo.pool, sku, { onHand: 7, reserved: 0 });
    expect((await ledger(t.ordo.pool, sku)).count).toBe(1);
  });

  it('a storefront key may not PUT (403) and nothing is written', async () => {
    const sku = uniqueSku('INV-SHOP');
    const r = await put(sku, { onHand: 100 }, shopKey);
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('forbidden');
    expect(await levels(t.ordo.pool, sku)).toBeUndefined();
  });

  it('no key: 401', async () => {
    expect((await t.call('PUT', '/v1/inventory/ANY', { onHand: 1 }, { key: null })).status).toBe(401);
    expect((await t.call('GET', '/v1/inventory/ANY', undefined, { key: null })).status).toBe(401);
  });
});

describe('GET /v1/inventory/{sku}', () => {
  it('a storefront key may read the levels', async () => {
    const sku = uniqueSku('INV-READ');
    await put(sku, { onHand: 3 });
    const r = await get(sku, shopKey);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ sku, onHand: 3, reserved: 0, available: 3, backorders: false });
  });

  it('an untracked SKU: 404 sku_not_tracked', async () => {
    const sku = uniqueSku('INV-NONE');
    const r = await get(sku);
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ code: 'sku_not_tracked', sku });
    expect((await get(sku, shopKey)).body.code).toBe('sku_not_tracked');
  });
});

describe('GET /v1/inventory/{sku}/movements', () => {
  it('lists the ledger newest first, each movement with its order, line, reason and actor', async () => {
    const sku = uniqueSku('INV-LEDGER');
    await put(sku, { onHand: 10, reason: 'count' });
    const order = await buy(sku, 2);
    expect((await t.call('POST', `/v1/orders/${order.body.id}/transitions`, { track: 'payment', to: 'paid' })).status).toBe(200);
    await put(sku, { onHand: 9, reason: 'shrinkage' });
    const r = await t.call('GET', `/v1/inventory/${sku}/movements`);
    expect(r.status).toBe(200);
    const actorId = await adminActorId();
    expect(r.body.items.map((m: { kind: string; quantity: number; onHandDelta: number; reservedDelta: number }) => [m.kind, m.quantity, m.onHandDelta, m.reservedDelta])).toEqual([
      ['adjust', 1, 1, 0],
      ['commit', 2, -2, -2],
      ['reserve', 2, 0, 2],
      ['adjust', 10, 10, 0],
    ]);
    expect(r.body.items[0]).toMatchObject({ reason: 'shrinkage', orderId: null, lineId: null, actor: { kind: 'admin', id: actorId } });
    expect(r.body.items[2]).toMatchObject({ reason: null, orderId: order.body.id, lineId: order.body.lines[0].id, actor: { kind: 'admin', id: actorId } });
    for (const m of r.body.items) expect(Date.parse(m.at)).toBe(t.clock.now().getTime());
    const ids = r.body.items.map((m: { id: string }) => m.id);
    expect([...ids].sort().reverse()).toEqual(ids);
    expect((await t.call('GET', `/v1/inventory/${sku}`)).body).toMatchObject({ onHand: 9, reserved: 0 });
  });

  it('is for admins only; an untracked SKU has an empty ledger', async () => {
    expect((await t.call('GET', `/v1/inventory/INV-ANY/movements`, undefined, { key: shopKey })).status).toBe(403);
    const r = await t.call('GET', `/v1/inventory/${uniqueSku('INV-EMPTY')}/movements`);
    expect(r.status).toBe(200);
    expect(r.body.items).toEqual([]);
  });
});
