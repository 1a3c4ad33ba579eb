/**
 * What entering a status does to stock, per workflow: a state's stock effect is a target
 * (hold / take / give back everything), applied exactly once however the order got there,
 * and every change is a movement in the ledger that the levels equal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import type { OrderCommand } from '../../src/domain/decide.js';
import type { OrderView } from '../../src/engine/order-view.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { admin, customer, expectLevels, gateway, input, movements, ok, orderMovements, rejected, system, uniqueSku } from './helpers.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(() => t.close());

async function stocked(label: string, onHand: number, backorders = false): Promise<string> {
  const sku = uniqueSku(label);
  ok(await t.ordo.stock.set(sku, { onHand, backorders }, admin));
  return sku;
}

const move = (id: string, track: string, to: string, actor: Actor = admin) => t.ordo.orders.execute(id, { type: 'transition', track, to } as OrderCommand, actor);
const moved = async (id: string, track: string, to: string, actor: Actor = admin): Promise<OrderView> => ok(await move(id, track, to, actor));
const line = (o: OrderView) => ({ reserved: o.lines[0]!.reserved, committed: o.lines[0]!.committed });
const check = async () => expect((await t.ordo.stock.check()).mismatches).toEqual([]);

describe('standard', () => {
  it('placing reserves each line, linked to the order and line', async () => {
    const sku = await stocked('STD-PLACE', 10);
    const o = ok(await t.ordo.orders.create(input([{ sku, quantity: 3 }]), admin));
    expect(o.status.order).toBe('placed');
    expect(line(o)).toEqual({ reserved: 3, committed: 0 });
    await expectLevels(t.ordo.pool, sku, { onHand: 10, reserved: 3 });
    const ms = await movements(t.ordo.pool, sku);
    expect(ms.map((m) => [m.kind, m.quantity, m.on_hand_delta, m.reserved_delta])).toEqual([['adjust', 10, 10, 0], ['reserve', 3, 0, 3]]);
    expect(ms[1]).toMatchObject({ order_id: o.id, line_id: o.lines[0]!.id, actor_kind: 'admin' });
    expect(ok(await t.ordo.stock.get(sku)).available).toBe(7);
  });

  it('a draft holds nothing; checking it out reserves', async () => {
    const sku = await stocked('STD-DRAFT', 4);
    const o = ok(await t.ordo.orders.create(input([{ sku, quantity: 2 }], { draft: true }), admin));
    expect(o.status.order).toBe('draft');
    expect(line(o)).toEqual({ reserved: 0, committed: 0 });
    await expectLevels(t.ordo.pool, sku, { onHand: 4, reserved: 0 });
    expect(line(await moved(o.id, 'order', 'placed'))).toEqual({ reserved: 2, committed: 0 });
    await expectLevels(t.ordo.pool, sku, { onHand: 4, reserved: 2 });
  });

  it('payment paid commits: on hand and reserved both go down', async () => {
    const sku = await stocked('STD-PAY', 10);
    const o = ok(await t.ordo.orders.create(input([{ sku, quantity: 3 }]), admin));
    const paid = await moved(o.id, 'payment', 'paid');
    expect(line(paid)).toEqual({ reserved: 0, committed: 3 });
    await expectLevels(t.ordo.pool, sku, { onHand: 7, reserved: 0 });
    expect(await orderMovements(t.ordo.pool, o.id)).toEqual(['reserve 3', 'commit 3']);
    await check();
  });

  it('cancelling a placed, unpaid order releases what it held', async () => {
    const sku = await stocked('STD-CANCEL', 5);
    const o = ok(await t.ordo.orders.create(input([{ sku, quantity: 5 }]), admin));
    await expectLevels(t.ordo.pool, sku, { onHand: 5, reserved: 5 });
    const c = await moved(o.id, 'order', 'cancelled');
    expect(line(c)).toEqual({ reserved: 0, committed: 0 });
    await expectLevels(t.ordo.pool, sku, { onHand: 5, reserved: 0 });
    expect(await orderMovements(t.ordo.pool, o.id)).toEqual(['reserve 5', 'release 5']);
    // The units are for sale again.
    ok(await t.ordo.orders.create(input([{ sku, quantity: 5 }]), admin));
  });

  it('a customer cancelling their own unpaid order releases too', async () => {
    const sku = await stocked('STD-CUST', 3);
    const me = customer('cancel-me');
    const o = ok(await t.ordo.orders.create(input([{ sku, quantity: 2 }]), me));
    await moved(o.id, 'order', 'cancelled', me);
    await expectLevels(t.ordo.pool, sku, { onHand: 3, reserved: 0 });
  });

  it('cancelling after payment restocks what was sold', async () => {
    const sku = await stocked('STD-RESTOCK', 10);
    const o = ok(await t.ordo.orders.create(input([{ sku, quantity: 4 }]), admin));
    await moved(o.id, 'payment', 'paid');
    await expectLevels(t.ordo.pool, sku, { onHand: 6, reserved: 0 });
    const c = await moved(o.id, 'order', 'cancelled');
    expect(line(c)).toEqual({ reserved: 0, committed: 0 });
    await expectLevels(t.ordo.pool, sku, { onHand: 10, reserved: 0 });
    expect(await orderMovements(t.ordo.pool, o.id)).toEqual(['reserve 4', 'commit 4', 'restock 4']);
    await check();
  });

  it('a failed payment releases; paying after all sells from what is available', async () => {
    const sku = await stocked('STD-FAIL', 5);
    const o = ok(await t.ordo.orders.create(input([{ sku, quantity: 2 }]), admin));
    const failed = await moved(o.id, 'payment', 'failed', gateway);
    expect(failed.status.order).toBe('placed');
    expect(line(failed)).toEqual({ reserved: 0, committed: 0 });
    await expectLevels(t.ordo.pool, sku, { onHand: 5, reserved: 0 });
    const paid = await moved(o.id, 'payment', 'paid', gateway);
    expect(line(paid)).toEqual({ reserved: 0, committed: 2 });
    await expectLevels(t.ordo.pool, sku, { onHand: 3, reserved: 0 });
    expect(await orderMovements(t.ordo.pool, o.id)).toEqual(['reserve 2', 'release 2', 'sale 2']);
    await check();
  });

  it('paying after a failure is refused when the released units were sold meanwhile, and nothing changes', async () => {
    const sku = await stocked('STD-FAIL-GONE', 2);
    const o = ok(await t.ordo.orders.create(input([{ sku, quantity: 2 }]), admin));
    await moved(o.id, 'payment', 'failed', gateway);
    ok(await t.ordo.orders.create(input([{ sku, quantity: 2 }]), admin));
    const r = rejected(await move(o.id, 'payment', 'paid', gateway), 'insufficient_stock');
    expect(r.details).toEqual({ shortages: [{ sku, requested: 2, available: 0 }] });
    const after = ok(await t.ordo.orders.get(o.id, admin));
    expect(after.status.payment).toBe('failed');
    expect(after.version).toBe(o.version + 1);
    await expectLevels(t.ordo.pool, sku, { onHand: 2, reserved: 2 });
  });

  it('an SKU with no inventory record is never refused and writes no movement', async () => {
    const untracked = uniqueSku('STD-UNTRACKED');
    const tracked = await stocked('STD-TRACKED', 1);
    const big = ok(await t.ordo.orders.create(input([{ sku: untracked, quantity: 1_000_000 }]), admin));
    expect(big.status.order).toBe('placed');
    const mixed = ok(await t.ordo.orders.create(input([{ sku: untracked, quantity: 5 }, { sku: tracked, quantity: 1 }]), admin));
    await moved(mixed.id, 'payment', 'paid');
    await moved(big.id, 'order', 'cancelled');
    const rows = await t.ordo.pool.query('SELECT 1 FROM stock_movements WHERE sku = $1', [untracked]);
    expect(rows.rowCount).toBe(0);
    expect((await t.ordo.pool.query('SELECT 1 FROM inventory WHERE sku = $1', [untracked])).rowCount).toBe(0);
    rejected(await t.ordo.stock.get(untracked), 'sku_not_tracked');
    expect(await orderMovements(t.ordo.pool, mixed.id)).toEqual(['reserve 1', 'commit 1']);
    await expectLevels(t.ordo.pool, tracked, { onHand: 0, reserved: 0 });
  });

  it('a command that is refused for another reason moves no stock', async () => {
    const sku = await stocked('STD-REFUSED', 5);
    const o = ok(await t.ordo.orders.create(input([{ sku, quantity: 1 }]), admin));
    rejected(await move(o.id, 'payment', 'failed', admin), 'transition_forbidden_for_actor');
    rejected(await move(o.id, 'order', 'completed', admin), 'guard_failed');
    await expectLevels(t.ordo.pool, sku, { onHand: 5, reserved: 1 });
    expect(await orderMovements(t.ordo.pool, o.id)).toEqual(['reserve 1']);
  });
});

describe('xcart', () => {
  const xc = (sku: string, quantity: number) => t.ordo.orders.create(input([{ sku, quantity }], { workflow: 'xcart' }), admin);

  it('Q reserves, P commits, R restocks', async () => {
    const sku = await stocked('XC-QPR', 10);
    const o = ok(await xc(sku, 3));
    expect(o.status).toEqual({ payment: 'Q', fulfilment: 'N' });
    await expectLevels(t.ordo.pool, sku, { onHand: 10, reserved: 3 });
    await moved(o.id, 'payment', 'P');
    await expectLevels(t.ordo.pool, sku, { onHand: 7, reserved: 0 });
    await moved(o.id, 'payment', 'R');
    await expectLevels(t.ordo.pool, sku, { onHand: 10, reserved: 0 });
    expect(await orderMovements(t.ordo.pool, o.id)).toEqual(['reserve 3', 'commit 3', 'restock 3']);
  });

  it('C after P restocks; C from Q releases', async () => {
    const sku = await stocked('XC-C', 10);
    const paid = ok(await xc(sku, 2));
    await moved(paid.id, 'payment', 'P');
    await moved(paid.id, 'payment', 'C');
    const waiting = ok(await xc(sku, 4));
    await moved(waiting.id, 'payment', 'C');
    await expectLevels(t.ordo.pool, sku, { onHand: 10, reserved: 0 });
    expect(await orderMovements(t.ordo.pool, paid.id)).toEqual(['reserve 2', 'commit 2', 'restock 2']);
    expect(await orderMovements(t.ordo.pool, waiting.id)).toEqual(['reserve 4', 'release 4']);
  });

  it('D (set by the gateway) gives back what Q or A held, and the order is not finished', async () => {
    const sku = await stocked('XC-D', 10);
    const o = ok(await xc(sku, 2));
    const auth = await moved(o.id, 'payment', 'A', gateway);
    expect(line(auth)).toEqual({ reserved: 2, committed: 0 });
    const declined = await moved(o.id, 'payment', 'D', gateway);
    expect(declined.status).toEqual({ payment: 'D', fulfilment: 'NF' });
    await expectLevels(t.ordo.pool, sku, { onHand: 10, reserved: 0 });
    // Entering A while Q already held the units holds nothing more.
    expect(await orderMovements(t.ordo.pool, o.id)).toEqual(['reserve 2', 'release 2']);
  });

  it('PP changes nothing, from Q or from P', async () => {
    const sku = await stocked('XC-PP', 10);
    const q = ok(await xc(sku, 2));
    expect(line(await moved(q.id, 'payment', 'PP'))).toEqual({ reserved: 2, committed: 0 });
    const p = ok(await xc(sku, 3));
    await moved(p.id, 'payment', 'P');
    expect(line(await moved(p.id, 'payment', 'PP'))).toEqual({ reserved: 0, committed: 3 });
    await expectLevels(t.ordo.pool, sku, { onHand: 7, reserved: 2 });
    expect(await orderMovements(t.ordo.pool, q.id)).toEqual(['reserve 2']);
    expect(await orderMovements(t.ordo.pool, p.id)).toEqual(['reserve 3', 'commit 3']);
  });

  it('entering Q twice (Q -> C -> Q, Q -> PP -> Q) holds exactly once', async () => {
    const sku = await stocked('XC-QQ', 10);
    const o = ok(await xc(sku, 3));
    await moved(o.id, 'payment', 'C');
    await expectLevels(t.ordo.pool, sku, { onHand: 10, reserved: 0 });
    expect(line(await moved(o.id, 'payment', 'Q'))).toEqual({ reserved: 3, committed: 0 });
    await expectLevels(t.ordo.pool, sku, { onHand: 10, reserved: 3 });
    await moved(o.id, 'payment', 'PP');
    expect(line(await moved(o.id, 'payment', 'Q'))).toEqual({ reserved: 3, committed: 0 });
    await expectLevels(t.ordo.pool, sku, { onHand: 10, reserved: 3 });
    expect(await orderMovements(t.ordo.pool, o.id)).toEqual(['reserve 3', 'release 3', 'reserve 3']);
    // P -> Q: the units are already taken, so nothing is held on top.
    await moved(o.id, 'payment', 'P');
    expect(line(await moved(o.id, 'payment', 'Q'))).toEqual({ reserved: 0, committed: 3 });
    await expectLevels(t.ordo.pool, sku, { onHand: 7, reserved: 0 });
    await check();
  });

  it('P straight from C sells from what is available, and is refused when it is not there', async () => {
    const sku = await stocked('XC-CP', 3);
    const o = ok(await xc(sku, 3));
    await moved(o.id, 'payment', 'C');
    ok(await xc(sku, 2));
    const r = rejected(await move(o.id, 'payment', 'P'), 'insufficient_stock');
    expect(r.details).toEqual({ shortages: [{ sku, requested: 3, available: 1 }] });
    await expectLevels(t.ordo.pool, sku, { onHand: 3, reserved: 2 });
  });
});

describe('nutickets', () => {
  const nt = (sku: string, quantity: number, payment?: { method: string }) =>
    t.ordo.orders.create(input([{ sku, quantity }], { workflow: 'nutickets', ...(payment ? { payment } : {}) }), admin);

  it('an active basket reserves and its expiry releases', async () => {
    const sku = await stocked('NT-ACTIVE', 8);
    const o = ok(await nt(sku, 3));
    expect(o.status.order).toBe('active');
    await expectLevels(t.ordo.pool, sku, { onHand: 8, reserved: 3 });
    t.clock.advance(10 * 60);
    await t.ordo.sweeper.sweep();
    const after = ok(await t.ordo.orders.get(o.id, admin));
    expect(after.status.order).toBe('expired');
    expect(line(after)).toEqual({ reserved: 0, committed: 0 });
    await expectLevels(t.ordo.pool, sku, { onHand: 8, reserved: 0 });
    expect(await orderMovements(t.ordo.pool, o.id)).toEqual(['reserve 3', 'release 3']);
  });

  it('active -> processing holds once; unknown keeps the hold; the admin expiring it releases', async () => {
    const sku = await stocked('NT-UNKNOWN', 8);
    const o = ok(await nt(sku, 2, { method: 'card' }));
    expect(o.status.order).toBe('processing');
    await moved(o.id, 'order', 'unknown', system);
    await expectLevels(t.ordo.pool, sku, { onHand: 8, reserved: 2 });
    await moved(o.id, 'order', 'expired');
    await expectLevels(t.ordo.pool, sku, { onHand: 8, reserved: 0 });
    expect(await orderMovements(t.ordo.pool, o.id)).toEqual(['reserve 2', 'release 2']);
  });

  it('complete commits, failed releases, refunded restocks', async () => {
    const sku = await stocked('NT-DONE', 10);
    const a = ok(await nt(sku, 2, { method: 'card' }));
    await moved(a.id, 'order', 'complete', gateway);
    await expectLevels(t.ordo.pool, sku, { onHand: 8, reserved: 0 });
    await moved(a.id, 'order', 'refunded');
    await expectLevels(t.ordo.pool, sku, { onHand: 10, reserved: 0 });
    const b = ok(await nt(sku, 4, { method: 'card' }));
    await moved(b.id, 'order', 'failed', gateway);
    await expectLevels(t.ordo.pool, sku, { onHand: 10, reserved: 0 });
    expect(await orderMovements(t.ordo.pool, a.id)).toEqual(['reserve 2', 'commit 2', 'restock 2']);
    expect(await orderMovements(t.ordo.pool, b.id)).toEqual(['reserve 4', 'release 4']);
    await check();
  });
});
