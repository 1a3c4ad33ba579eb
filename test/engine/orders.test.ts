/** The engine in-process: createOrdo, typed results, rejections returned (never thrown) with stable codes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import { REJECTION_CODES, type Rejection, type Result } from '../../src/domain/result.js';
import { ManualClock } from '../../src/engine/clock.js';
import type { CreateOrderInput } from '../../src/engine/order-service.js';
import type { OrderView } from '../../src/engine/order-view.js';
import { createOrdo, type Ordo } from '../../src/engine/ordo.js';
import { freshDatabase } from '../support/database.js';

const START = new Date('2026-02-01T10:00:00.000Z');
const admin: Actor = { kind: 'admin', id: 'admin-1' };
const system: Actor = { kind: 'system', id: 'ordo' };
const customer = (customerId: string): Actor => ({ kind: 'customer', id: `shop-${customerId}`, customerId });

let ordo: Ordo;
let clock: ManualClock;
beforeAll(async () => {
  clock = new ManualClock(START);
  ordo = await createOrdo({ databaseUrl: await freshDatabase(), migrate: false, clock });
});
afterAll(() => ordo.close());

const input = (over: Partial<CreateOrderInput> = {}): CreateOrderInput => ({
  currency: 'EUR',
  customer: { email: 'lin@example.com', name: 'Lin' },
  lines: [{ sku: 'MUG', quantity: 3, unitPrice: 1250 }],
  ...over,
});

/** Unwraps an accepted result, failing the test with the rejection otherwise. */
function ok<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected acceptance, got ${result.code}: ${result.message}`);
  return result.value;
}

/** The result is a rejection with this code, one of the stable ones. */
function rejected<T>(result: Result<T>, code: Rejection['code']): Rejection {
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error('accepted');
  expect(result.code).toBe(code);
  expect(REJECTION_CODES).toContain(result.code);
  expect(result.message.length).toBeGreaterThan(0);
  return result;
}

const historyCount = async (id: string) => (await ordo.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM order_history WHERE order_id = $1', [id])).rows[0]!.n;
const outboxCount = async (id: string) => (await ordo.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE order_id = $1', [id])).rows[0]!.n;
const totalOrders = async () => (await ordo.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM orders')).rows[0]!.n;

async function createPlaced(over: Partial<CreateOrderInput> = {}, actor: Actor = admin): Promise<OrderView> {
  return ok(await ordo.orders.create(input(over), actor));
}

describe('createOrdo', () => {
  it('connects to the given database and answers ping', async () => {
    expect(await ordo.ping()).toBe(true);
    expect(ordo.embedded).toBe(false);
    expect(ordo.clock.now().toISOString()).toBe(START.toISOString());
  });

  it('knows the standard workflow and draws it', async () => {
    expect((await ordo.workflows.list()).map((w) => w.name)).toContain('standard');
    expect((await ordo.workflows.get('standard'))?.tracks.map((tr) => tr.id)).toEqual(['order', 'payment', 'fulfillment']);
    expect(await ordo.workflows.get('nope')).toBeUndefined();
    expect(await ordo.workflows.mermaid('standard')).toMatch(/^stateDiagram-v2\n/);
    expect(await ordo.workflows.mermaid('nope')).toBeUndefined();
  });
});

describe('ordo.orders.create', () => {
  it('returns the placed order as a typed view, with totals in minor units and times from the clock', async () => {
    const order = await createPlaced({ shipping: { amount: 500 } });
    expect(order).toMatchObject({
      workflow: 'standard',
      workflowVersion: 1,
      version: 1,
      status: { order: 'placed', payment: 'unpaid', fulfillment: 'unfulfilled' },
      currency: 'EUR',
      customer: { email: 'lin@example.com', name: 'Lin' },
      totals: { subtotal: 3750, shipping: 500, surcharges: 0, total: 4250, paid: 0, refunded: 0, net: 0, refundsPending: 0, balance: 4250, overpaid: 0 },
      createdAt: START.toISOString(),
      placedAt: START.toISOString(),
    });
    expect(order.code).toMatch(/^#\d+$/);
    expect(order.lines).toHaveLength(1);
    expect(order.lines[0]).toMatchObject({ id: expect.any(String), sku: 'MUG', quantity: 3, unitPrice: 1250, total: 3750 });
    expect(order.next.order).toEqual(['in_review', 'cancelled']);
    expect(order.next.payment).toContain('paid');
    // Only what would be accepted: shipped sends what is left; partially shipped would name no units.
    expect(order.next.fulfillment).toEqual(['shipped']);
    expect(await historyCount(order.id)).toBe(2);
    expect(await outboxCount(order.id)).toBe(2);
  });

  it('keeps a draft as a draft, and an order without lines too', async () => {
    expect((await createPlaced({ draft: true })).status.order).toBe('draft');
    const empty = await createPlaced({ lines: [] });
    expect(empty.status.order).toBe('draft');
    expect(empty.placedAt).toBeNull();
  });

  it('makes a customer the owner of the orders it creates', async () => {
    const order = await createPlaced({ customer: { id: 'someone-else', email: 'c@example.com' } }, customer('cust-engine'));
    expect(order.customer).toEqual({ id: 'cust-engine', email: 'c@example.com' });
  });

  it('returns rejections for bad input instead of throwing, and writes nothing', async () => {
    const before = await totalOrders();
    const cases: Array<[Partial<CreateOrderInput>, Rejection['code']]> = [
      [{ workflow: 'no-such-flow' }, 'unknown_workflow'],
      [{ currency: 'XXY' }, 'unknown_currency'],
      [{ currency: 'eur' }, 'unknown_currency'],
      [{ lines: [{ sku: 'A', quantity: 0, unitPrice: 1 }] }, 'validation_failed'],
      [{ lines: [{ sku: 'A', quantity: -2, unitPrice: 1 }] }, 'validation_failed'],
      [{ lines: [{ sku: 'A', quantity: 1.5, unitPrice: 1 }] }, 'validation_failed'],
      [{ lines: [{ sku: 'A', quantity: '2' as unknown as number, unitPrice: 1 }] }, 'validation_failed'],
      [{ lines: [{ sku: 'A', quantity: 1, unitPrice: -1 }] }, 'validation_failed'],
      [{ lines: [{ sku: 'A', quantity: 1, unitPrice: 0.5 }] }, 'validation_failed'],
      [{ shipping: { amount: -1 } }, 'validation_failed'],
      [{ lines: [{ sku: 'A', quantity: 2, unitPrice: Number.MAX_SAFE_INTEGER }] }, 'amount_out_of_range'],
    ];
    for (const [over, code] of cases) {
      const result = await ordo.orders.create(input(over), admin);
      rejected(result, code);
    }
    expect(await totalOrders()).toBe(before);
  });
});

describe('ordo.orders.get and history', () => {
  it('reads an order back as it was created', async () => {
    const order = await createPlaced();
    expect(ok(await ordo.orders.get(order.id, admin))).toEqual(order);
  });

  it('rejects an unknown or malformed id with order_not_found', async () => {
    rejected(await ordo.orders.get('01890000-0000-7000-8000-000000000000', admin), 'order_not_found');
    rejected(await ordo.orders.get('not-an-id', admin), 'order_not_found');
    rejected(await ordo.orders.history('not-an-id', admin), 'order_not_found');
  });

  it("hides another customer's order from a customer", async () => {
    const order = await createPlaced({}, customer('cust-own'));
    expect(ok(await ordo.orders.get(order.id, customer('cust-own'))).id).toBe(order.id);
    rejected(await ordo.orders.get(order.id, customer('cust-other')), 'order_not_found');
    rejected(await ordo.orders.history(order.id, customer('cust-other')), 'order_not_found');
    rejected(await ordo.orders.execute(order.id, { type: 'transition', to: 'cancelled' }, customer('cust-other')), 'order_not_found');
  });

  it('a customer actor without a customerId sees no order but its own', async () => {
    const anonymous = await createPlaced({ customer: { email: 'anon@example.com' } });
    rejected(await ordo.orders.get(anonymous.id, { kind: 'customer', id: 'shop-without-customer' }), 'order_not_found');
  });

  it('returns the history oldest first, with actor and reason', async () => {
    const order = await createPlaced();
    clock.advance(120);
    ok(await ordo.orders.execute(order.id, { type: 'transition', to: 'cancelled', reason: 'duplicate order' }, admin));
    const history = ok(await ordo.orders.history(order.id, admin));
    expect(history.map(({ type, track, from, to, actor, reason, cause }) => ({ type, track, from, to, actor, reason, cause }))).toEqual([
      { type: 'order.created', track: null, from: null, to: null, actor: { kind: 'admin', id: 'admin-1' }, reason: null, cause: null },
      { type: 'order.status_changed', track: 'order', from: 'draft', to: 'placed', actor: { kind: 'admin', id: 'admin-1' }, reason: null, cause: 'order.created' },
      { type: 'order.status_changed', track: 'order', from: 'placed', to: 'cancelled', actor: { kind: 'admin', id: 'admin-1' }, reason: 'duplicate order', cause: null },
    ]);
    expect(history.at(-1)!.at).toBe(clock.now().toISOString());
  });
});

describe('ordo.orders.execute', () => {
  it('applies a transition: version + 1, new status, updatedAt from the clock', async () => {
    const order = await createPlaced();
    clock.advance(60);
    const moved = ok(await ordo.orders.execute(order.id, { type: 'transition', track: 'fulfillment', to: 'shipped' }, admin));
    expect(moved).toMatchObject({ id: order.id, version: 2, status: { order: 'placed', payment: 'unpaid', fulfillment: 'shipped' }, updatedAt: clock.now().toISOString(), createdAt: order.createdAt });
    expect(ok(await ordo.orders.get(order.id, admin))).toEqual(moved);
    // Created, placed, the parcel that makes "shipped" true (created, shipped), shipped.
    expect(await historyCount(order.id)).toBe(5);
    expect(await outboxCount(order.id)).toBe(5);
  });

  it('honours the expected version', async () => {
    const order = await createPlaced();
    const stale = rejected(await ordo.orders.execute(order.id, { type: 'transition', to: 'cancelled' }, admin, { expectedVersion: 7 }), 'version_mismatch');
    expect(stale.details).toEqual({ currentVersion: 1, expectedVersion: 7 });
    expect(ok(await ordo.orders.execute(order.id, { type: 'transition', to: 'cancelled' }, admin, { expectedVersion: 1 })).version).toBe(2);
  });

  it('returns each kind of refusal with its stable code and changes nothing', async () => {
    const order = await createPlaced();
    const attempts: Array<[Parameters<Ordo['orders']['execute']>[1], Actor, Rejection['code']]> = [
      [{ type: 'transition', to: 'draft' }, admin, 'transition_not_allowed'],
      [{ type: 'transition', track: 'payment', to: 'paid' }, customer('cust-x'), 'order_not_found'],
      [{ type: 'transition', to: 'completed' }, admin, 'guard_failed'],
      [{ type: 'transition', to: 'teleported' }, admin, 'unknown_status'],
      [{ type: 'transition', track: 'order', to: 'paid' }, admin, 'unknown_status'],
      [{ type: 'transition', track: 'warehouse', to: 'shipped' }, admin, 'unknown_track'],
    ];
    for (const [command, actor, code] of attempts) rejected(await ordo.orders.execute(order.id, command, actor), code);
    const notAllowed = rejected(await ordo.orders.execute(order.id, { type: 'transition', to: 'draft' }, admin), 'transition_not_allowed');
    expect(notAllowed.details).toMatchObject({ track: 'order', from: 'placed', to: 'draft', allowed: ['in_review', 'cancelled'] });
    const after = ok(await ordo.orders.get(order.id, admin));
    expect(after.version).toBe(1);
    expect(after.status).toEqual(order.status);
    expect(await historyCount(order.id)).toBe(2);
  });

  it('refuses a status change this actor may not take: transition_forbidden_for_actor', async () => {
    const order = await createPlaced({}, customer('cust-pay'));
    const refused = rejected(await ordo.orders.execute(order.id, { type: 'transition', track: 'payment', to: 'paid' }, customer('cust-pay')), 'transition_forbidden_for_actor');
    expect(refused.details).toMatchObject({ track: 'payment', from: 'unpaid', to: 'paid', allowed: [] });
    expect(ok(await ordo.orders.get(order.id, admin)).version).toBe(1);
    // A gateway may, though.
    expect(ok(await ordo.orders.execute(order.id, { type: 'transition', track: 'payment', to: 'paid' }, { kind: 'gateway', id: 'test-gateway' })).status.payment).toBe('paid');
  });

  it('asks which track when a status exists on several', async (ctx) => {
    const wf = (await ordo.workflows.list()).find((w) => {
      const ids = w.tracks.flatMap((tr) => tr.states.map((s) => s.id));
      return new Set(ids).size < ids.length;
    });
    if (!wf) return ctx.skip();
    const counts = new Map<string, number>();
    for (const id of wf.tracks.flatMap((tr) => tr.states.map((s) => s.id))) counts.set(id, (counts.get(id) ?? 0) + 1);
    const shared = [...counts].find(([, n]) => n > 1)![0];
    const order = ok(await ordo.orders.create(input({ workflow: wf.name }), admin));
    const refused = rejected(await ordo.orders.execute(order.id, { type: 'transition', to: shared }, admin), 'track_required');
    expect((refused.details?.tracks as string[]).length).toBeGreaterThan(1);
  });

  it('decides again after losing a race: concurrent changes on different tracks all apply', async () => {
    const order = await createPlaced();
    // Changes that do not depend on each other (shipping would on the order not being cancelled).
    const results = await Promise.all([
      ordo.orders.execute(order.id, { type: 'transition', track: 'payment', to: 'paid' }, system),
      ordo.orders.execute(order.id, { type: 'transition', track: 'fulfillment', to: 'shipped' }, system),
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    const after = ok(await ordo.orders.get(order.id, admin));
    expect(after.version).toBe(3);
    expect(after.status).toEqual({ order: 'placed', payment: 'paid', fulfillment: 'shipped' });
    // Created, placed, paid, and shipped with the parcel that makes it true (created, shipped).
    expect(await historyCount(order.id)).toBe(6);
    expect(await outboxCount(order.id)).toBe(6);
  });

  it('never applies the same change twice when it races itself', async () => {
    const order = await createPlaced();
    const results = await Promise.all(Array.from({ length: 6 }, () => ordo.orders.execute(order.id, { type: 'transition', to: 'cancelled' }, admin)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((x) => !x.ok)) rejected(r, 'transition_not_allowed');
    expect(ok(await ordo.orders.get(order.id, admin)).version).toBe(2);
    expect(await historyCount(order.id)).toBe(3);
  });

  it('with the same expected version, only one of many concurrent commands applies', async () => {
    const order = await createPlaced();
    const results = await Promise.all(Array.from({ length: 8 }, () => ordo.orders.execute(order.id, { type: 'transition', to: 'cancelled' }, admin, { expectedVersion: 1 })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((x) => !x.ok)) rejected(r, 'version_mismatch');
    expect(await historyCount(order.id)).toBe(3);
  });
});

describe('ordo.orders.list', () => {
  it('filters and pages newest first', async () => {
    const email = `list-${Date.now()}@example.com`;
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await createPlaced({ customer: { email } })).id);
    ok(await ordo.orders.execute(made[0]!, { type: 'transition', to: 'cancelled' }, admin));
    const first = await ordo.orders.list({ q: email, limit: 2 }, admin);
    expect(first.items.map((o) => o.id)).toEqual([made[4], made[3]]);
    expect(first.nextCursor).toBe(made[3]);
    const rest = await ordo.orders.list({ q: email, limit: 10, cursor: first.nextCursor! }, admin);
    expect(rest.items.map((o) => o.id)).toEqual([made[2], made[1], made[0]]);
    expect(rest.nextCursor).toBeNull();
    expect((await ordo.orders.list({ q: email, status: 'order:cancelled' }, admin)).items.map((o) => o.id)).toEqual([made[0]]);
    expect((await ordo.orders.list({ q: email, workflow: 'standard', status: 'placed' }, admin)).items).toHaveLength(4);
  });

  it("shows a customer only its own orders", async () => {
    const mine = await createPlaced({}, customer('cust-list-own'));
    await createPlaced({}, customer('cust-list-other'));
    await createPlaced();
    const page = await ordo.orders.list({ limit: 100 }, customer('cust-list-own'));
    expect(page.items.map((o) => o.id)).toEqual([mine.id]);
  });

  it('keeps the limit within 1 to 100', async () => {
    for (let i = 0; i < 3; i++) await createPlaced();
    expect((await ordo.orders.list({ limit: 0 }, admin)).items).toHaveLength(1);
    expect((await ordo.orders.list({ limit: 1000 }, admin)).items.length).toBeLessThanOrEqual(100);
  });
});

describe('ordo.apiKeys', () => {
  it('makes keys that authenticate as their role, and refuses others', async () => {
    const shop = await ordo.apiKeys.create({ role: 'storefront', name: 'engine shop', customerId: 'cust-k' });
    expect(await ordo.apiKeys.authenticate(shop.key)).toEqual({ keyId: shop.id, role: 'storefront', actor: { kind: 'customer', id: `key:${shop.id}`, customerId: 'cust-k', via: 'storefront' } });
    const boss = await ordo.apiKeys.create({ role: 'admin', name: 'engine admin' });
    expect(await ordo.apiKeys.authenticate(boss.key)).toEqual({ keyId: boss.id, role: 'admin', actor: { kind: 'admin', id: `key:${boss.id}` } });
    expect(await ordo.apiKeys.authenticate(`${boss.key}x`)).toBeUndefined();
    expect(await ordo.apiKeys.authenticate('')).toBeUndefined();
  });

  it('registers an operator-chosen key once, however often it is ensured', async () => {
    await ordo.apiKeys.ensure('operator-key-123', { role: 'admin', name: 'operator' });
    await ordo.apiKeys.ensure('operator-key-123', { role: 'admin', name: 'operator' });
    const rows = await ordo.pool.query(`SELECT * FROM api_keys WHERE name = 'operator'`);
    expect(rows.rowCount).toBe(1);
    expect(JSON.stringify(rows.rows)).not.toContain('operator-key-123');
    expect((await ordo.apiKeys.authenticate('operator-key-123'))?.actor.kind).toBe('admin');
  });
});
