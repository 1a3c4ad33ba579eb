/**
 * Property: random sequences of orders, counts, cancellations, payments, payment failures
 * and payment deadlines on a few SKUs (some allowing backorders, one not tracked at all)
 * keep, after every step:
 *   - every SKU's on_hand and reserved equal the sums of its movements;
 *   - reserved equals what the orders' lines hold, and on_hand moves only by counts and sales;
 *   - available >= 0 unless the SKU allows backorders;
 *   - each order's lines hold and have taken what its statuses imply;
 *   - a command is refused for stock exactly when the stock is not there.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import type { Result } from '../../src/domain/result.js';
import type { OrderView } from '../../src/engine/order-view.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { admin, expectTimersIndexed, gateway, input, ledger, levels, ok } from './helpers.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(() => t.close());

const SKUS = 4; // the last one has no inventory record
const UNTRACKED = SKUS - 1;

type Op =
  | { k: 'create'; lines: { sku: number; qty: number }[] }
  | { k: 'set'; sku: number; onHand: number }
  | { k: 'cancel' | 'adminPay' | 'gatewayPay' | 'fail'; order: number }
  | { k: 'deadline' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.uniqueArray(fc.record({ sku: fc.nat(SKUS - 1), qty: fc.integer({ min: 1, max: 4 }) }), { minLength: 1, maxLength: 3, selector: (l) => l.sku }).map((lines): Op => ({ k: 'create', lines })) },
  { weight: 2, arbitrary: fc.record({ sku: fc.nat(UNTRACKED - 1), onHand: fc.nat(10) }).map((r): Op => ({ k: 'set', ...r })) },
  { weight: 5, arbitrary: fc.record({ k: fc.constantFrom('cancel' as const, 'adminPay' as const, 'gatewayPay' as const, 'fail' as const), order: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.constant<Op>({ k: 'deadline' }) },
);

const setupArb = fc.record({ onHand: fc.array(fc.nat(6), { minLength: UNTRACKED, maxLength: UNTRACKED }), backorders: fc.array(fc.boolean(), { minLength: UNTRACKED, maxLength: UNTRACKED }) });

interface ModelLine { readonly sku: string; readonly qty: number; reserved: number; committed: number }
interface ModelOrder { readonly id: string; lines: ModelLine[]; order: string; payment: string; deadlinePending: boolean }
type Effect = 'reserve' | 'commit' | 'release';

/** The stock effects of the standard workflow's states, as the spec states them. */
const EFFECT: Record<string, Effect | undefined> = { 'order.placed': 'reserve', 'order.cancelled': 'release', 'payment.paid': 'commit', 'payment.failed': 'release' };

/** What an effect asks of a line: hold every unit not yet taken / take every unit / give everything back. */
function target(l: ModelLine, effect: Effect): { reserved: number; committed: number } {
  switch (effect) {
    case 'reserve': return { reserved: l.qty - l.committed, committed: l.committed };
    case 'commit': return { reserved: 0, committed: l.qty };
    case 'release': return { reserved: 0, committed: 0 };
  }
}

let run = 0;

it('random interleavings keep the ledger equal to the levels, available >= 0 without backorders, and lines matching statuses', async () => {
  await fc.assert(
    fc.asyncProperty(setupArb, fc.array(opArb, { minLength: 1, maxLength: 12 }), async (setup, ops) => {
      run++;
      const skus = Array.from({ length: SKUS }, (_, i) => `PROP-${process.pid}-${run}-${i}`);
      const onHand = new Map<string, number>();
      const backorders = new Map<string, boolean>();
      for (let i = 0; i < UNTRACKED; i++) {
        ok(await t.ordo.stock.set(skus[i]!, { onHand: setup.onHand[i]!, backorders: setup.backorders[i]! }, admin));
        onHand.set(skus[i]!, setup.onHand[i]!);
        backorders.set(skus[i]!, setup.backorders[i]!);
      }
      const orders: ModelOrder[] = [];
      const tracked = (sku: string) => onHand.has(sku);
      const reservedOf = (sku: string) => orders.flatMap((o) => o.lines).filter((l) => l.sku === sku).reduce((n, l) => n + l.reserved, 0);
      const availableOf = (sku: string) => onHand.get(sku)! - reservedOf(sku);

      /** Whether moving these lines to these targets fits the stock (what the engine must check). */
      const fits = (changes: { line: ModelLine; next: { reserved: number; committed: number } }[]) => {
        const take = new Map<string, number>();
        for (const { line, next } of changes) {
          const held = next.reserved + next.committed - line.reserved - line.committed;
          take.set(line.sku, (take.get(line.sku) ?? 0) + held);
        }
        return [...take].every(([sku, n]) => n <= 0 || !tracked(sku) || backorders.get(sku) || availableOf(sku) >= n);
      };
      const applyTo = (o: ModelOrder, effect: Effect) => {
        for (const l of o.lines) {
          const next = target(l, effect);
          if (tracked(l.sku)) onHand.set(l.sku, onHand.get(l.sku)! - (next.committed - l.committed));
          l.reserved = next.reserved;
          l.committed = next.committed;
        }
      };

      /** Runs a transition the model predicts is allowed or not, and checks the engine agrees. */
      const transition = async (o: ModelOrder, track: 'order' | 'payment', to: string, actor: Actor, allowed: boolean) => {
        const effect = EFFECT[`${track}.${to}`]!;
        const changes = o.lines.map((line) => ({ line, next: target(line, effect) }));
        const enough = fits(changes);
        const result: Result<OrderView> = await t.ordo.orders.execute(o.id, { type: 'transition', track, to }, actor);
        expect(result.ok, `${track} -> ${to} from ${o.order}/${o.payment}`).toBe(allowed && enough);
        if (!result.ok) {
          if (allowed) expect(result.code).toBe('insufficient_stock');
          return;
        }
        applyTo(o, effect);
        o[track] = to;
        if (track === 'order') o.deadlinePending = false;
      };

      const checkAll = async () => {
        for (const sku of skus) {
          const level = await levels(t.ordo.pool, sku);
          const sums = await ledger(t.ordo.pool, sku);
          if (!tracked(sku)) {
            expect(level).toBeUndefined();
            expect(sums.count).toBe(0);
            continue;
          }
          expect(level).toBeDefined();
          expect({ onHand: level!.onHand, reserved: level!.reserved }).toEqual({ onHand: sums.onHand, reserved: sums.reserved });
          expect({ onHand: level!.onHand, reserved: level!.reserved }).toEqual({ onHand: onHand.get(sku), reserved: reservedOf(sku) });
          if (!level!.backorders) expect(level!.available).toBeGreaterThanOrEqual(0);
        }
        for (const o of orders) {
          const view = ok(await t.ordo.orders.get(o.id, admin));
          expect({ order: view.status.order, payment: view.status.payment }).toEqual({ order: o.order, payment: o.payment });
          expect(view.lines.map((l) => ({ sku: l.sku, reserved: l.reserved, committed: l.committed }))).toEqual(o.lines.map((l) => ({ sku: l.sku, reserved: l.reserved, committed: l.committed })));
        }
      };

      for (const op of ops) {
        switch (op.k) {
          case 'create': {
            const lines = op.lines.map((l) => ({ sku: skus[l.sku]!, qty: l.qty, reserved: 0, committed: 0 }));
            const enough = fits(lines.map((line) => ({ line, next: target(line, 'reserve') })));
            const result = await t.ordo.orders.create(input(lines.map((l) => ({ sku: l.sku, quantity: l.qty }))), admin);
            expect(result.ok).toBe(enough);
            if (!result.ok) {
              expect(result.code).toBe('insufficient_stock');
              break;
            }
            const o: ModelOrder = { id: result.value.id, lines, order: 'placed', payment: 'unpaid', deadlinePending: true };
            applyTo(o, 'reserve');
            orders.push(o);
            break;
          }
          case 'set': {
            const sku = skus[op.sku]!;
            const allowed = backorders.get(sku) || op.onHand >= reservedOf(sku);
            const result = await t.ordo.stock.set(sku, { onHand: op.onHand, reason: 'property' }, admin);
            expect(result.ok).toBe(allowed);
            if (result.ok) onHand.set(sku, op.onHand);
            else expect(result.code).toBe('stock_below_reserved');
            break;
          }
          case 'deadline': {
            t.clock.advance(72 * 3600 + 1);
            await t.ordo.sweeper.sweep();
            for (const o of orders) {
              if (!o.deadlinePending) continue;
              o.deadlinePending = false;
              if (o.order === 'placed' && (o.payment === 'unpaid' || o.payment === 'failed')) {
                applyTo(o, 'release');
                o.order = 'cancelled';
              }
            }
            break;
          }
          default: {
            const o = orders[op.order % Math.max(orders.length, 1)];
            if (!o) break;
            if (op.k === 'cancel') await transition(o, 'order', 'cancelled', admin, o.order === 'placed');
            if (op.k === 'adminPay') await transition(o, 'payment', 'paid', admin, o.payment === 'unpaid');
            if (op.k === 'gatewayPay') await transition(o, 'payment', 'paid', gateway, o.payment === 'unpaid' || o.payment === 'failed');
            if (op.k === 'fail') await transition(o, 'payment', 'failed', gateway, o.payment === 'unpaid');
          }
        }
        await checkAll();
      }
      expect((await t.ordo.stock.check()).mismatches).toEqual([]);
    }),
    { numRuns: Number(process.env.PROP_RUNS ?? 15) },
  );
  await expectTimersIndexed(t.ordo.pool);
}, 60_000);
