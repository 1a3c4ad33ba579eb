/**
 * Random sequences of payment operations and gateway callbacks on one order, through the
 * engine: after every step the order, as read back, keeps the money invariants (DESIGN.md 2
 * and 4), and a refused operation changes nothing.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import { CALLBACK_TYPES, type CallbackType } from '../../src/domain/payments/decide-payment.js';
import type { Result } from '../../src/domain/result.js';
import { ManualClock } from '../../src/engine/clock.js';
import type { OrderView } from '../../src/engine/order-view.js';
import { createOrdo, type Ordo } from '../../src/engine/ordo.js';
import { freshDatabase } from '../support/database.js';

const SECRET = 'whsec_' + Buffer.from('property-test-secret-of-the-simulated-gateway').toString('base64');
const hook = new Webhook(SECRET);
const forger = new Webhook('whsec_' + Buffer.from('not-the-secret').toString('base64'));
const admin: Actor = { kind: 'admin', id: 'admin-1' };

let ordo: Ordo;
let clock: ManualClock;
beforeAll(async () => {
  clock = new ManualClock(new Date('2026-03-01T09:00:00.000Z'));
  ordo = await createOrdo({ databaseUrl: await freshDatabase(), migrate: false, clock, gatewaySecrets: { simulated: SECRET } });
});
afterAll(() => ordo.close());

/** Modest by default; ORDO_PROPERTY_RUNS=500 for a longer hunt. */
const RUNS = Number(process.env.ORDO_PROPERTY_RUNS ?? 20);
const SIMULATE = ['settle', 'authorize', 'decline', 'pending', 'unknown', 'fail'] as const;

type Op =
  | { readonly kind: 'pay'; readonly simulate: (typeof SIMULATE)[number]; readonly capture: boolean; readonly amount?: number }
  | { readonly kind: 'capture'; readonly p: number; readonly amount?: number }
  | { readonly kind: 'void'; readonly p: number }
  | { readonly kind: 'settle'; readonly p: number; readonly amount?: number }
  | { readonly kind: 'resolve'; readonly p: number; readonly outcome: 'settled' | 'failed' }
  | { readonly kind: 'refund'; readonly p?: number; readonly amount?: number; readonly line?: { readonly l: number; readonly quantity: number }; readonly shipping?: boolean; readonly simulate?: 'pending' | 'fail' }
  | { readonly kind: 'callback'; readonly type: CallbackType; readonly p: number; readonly r?: number; readonly amount?: number }
  | { readonly kind: 'resend'; readonly i: number }
  | { readonly kind: 'forged'; readonly type: CallbackType; readonly p: number; readonly stale: boolean };

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
/**
 * Amounts are drawn as a share (percent) of what the operation could take at most (the balance
 * still owed, what is held, what can be given back), up to 130%: some fit, some are too large.
 */
const amount = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 100 }) }, { weight: 1, arbitrary: fc.integer({ min: 101, max: 130 }) });
const index = fc.nat({ max: 20 });
const simulate = fc.oneof({ weight: 4, arbitrary: fc.constant('settle' as const) }, { weight: 4, arbitrary: fc.constant('authorize' as const) }, { weight: 4, arbitrary: fc.constant('pending' as const) }, { weight: 3, arbitrary: fc.constantFrom(...SIMULATE) });

const payArb = fc.record({ kind: fc.constant('pay' as const), simulate, capture: fc.boolean(), amount: maybe(amount) }, { requiredKeys: ['kind', 'simulate', 'capture'] });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: payArb },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('capture' as const), p: index, amount: maybe(amount) }, { requiredKeys: ['kind', 'p'] }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('void' as const), p: index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('settle' as const), p: index, amount: maybe(amount) }, { requiredKeys: ['kind', 'p'] }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('resolve' as const), p: index, outcome: fc.constantFrom('settled' as const, 'failed' as const) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('refund' as const), p: maybe(index), amount: maybe(amount),
      line: maybe(fc.record({ l: index, quantity: fc.integer({ min: 1, max: 3 }) })), shipping: maybe(fc.boolean()), simulate: maybe(fc.constantFrom('pending' as const, 'fail' as const)),
    }, { requiredKeys: ['kind'] }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('callback' as const), type: fc.constantFrom(...CALLBACK_TYPES), p: index, r: maybe(index), amount: maybe(amount) }, { requiredKeys: ['kind', 'type', 'p'] }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('resend' as const), i: index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('forged' as const), type: fc.constantFrom(...CALLBACK_TYPES), p: index, stale: fc.boolean() }) },
);

const shapeArb = fc.record({
  prices: fc.array(fc.integer({ min: 50, max: 2000 }), { minLength: 1, maxLength: 3 }),
  quantity: fc.integer({ min: 1, max: 3 }),
  shipping: fc.integer({ min: 0, max: 600 }),
});

function ok<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected acceptance, got ${r.code}: ${r.message}`);
  return r.value;
}

const pick = <T>(items: readonly T[], i: number): T | undefined => (items.length === 0 ? undefined : items[i % items.length]);
const share = (percent: number | undefined, base: number) => (percent === undefined ? undefined : Math.max(1, Math.round((Math.max(base, 1) * percent) / 100)));
type PaymentView = OrderView['payments'][number];
/** What a payment can still give back: captured, less refunded and refunds on their way. */
const room = (v: OrderView, p: PaymentView) => p.captured - v.refunds.filter((r) => r.paymentId === p.id && r.state !== 'failed').reduce((n, r) => n + r.amount, 0);
/** What the order still owes that no payment is taking yet. */
const outstanding = (v: OrderView) =>
  v.totals.balance - v.payments.reduce((n, p) => n + (p.state === 'pending' || p.state === 'unknown' ? p.amount : p.state === 'authorized' ? p.authorized - p.captured : 0), 0);

function signedHeaders(id: string, payload: string, at: Date, by: Webhook = hook): Record<string, string> {
  return { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': by.sign(id, at, payload) };
}

/** The money invariants, from the order as read back. */
function checkMoney(view: OrderView, step: string): void {
  const settledRefunds = view.refunds.filter((r) => r.state === 'settled');
  for (const p of view.payments) {
    const where = `${step}: payment ${p.id} (${p.state})`;
    expect(p.captured, `${where}: captured <= authorized`).toBeLessThanOrEqual(p.authorized);
    expect(p.refunded, `${where}: refunded <= captured`).toBeLessThanOrEqual(p.captured);
    for (const n of [p.authorized, p.captured, p.refunded, p.amount]) expect(Number.isSafeInteger(n) && n >= 0, `${where}: whole minor units`).toBe(true);
    const mine = view.refunds.filter((r) => r.paymentId === p.id);
    expect(p.refunded, `${where}: refunded = its settled refunds`).toBe(mine.filter((r) => r.state === 'settled').reduce((n, r) => n + r.amount, 0));
    expect(mine.filter((r) => r.state !== 'failed').reduce((n, r) => n + r.amount, 0), `${where}: settled + pending refunds <= captured`).toBeLessThanOrEqual(p.captured);
    // Every call the engine made to the gateway was answered and recorded.
    expect(p.pendingOperation, `${where}: no gateway call left unanswered`).toBeNull();
    // The state says the same as the amounts.
    switch (p.state) {
      case 'pending': case 'unknown': case 'declined': case 'failed': case 'voided':
        expect(p.captured, `${where}: nothing captured`).toBe(0);
        break;
      case 'authorized':
        expect(p.captured, where).toBe(0);
        expect(p.authorized, where).toBeGreaterThan(0);
        break;
      case 'settled':
        expect(p.captured, where).toBeGreaterThan(0);
        expect(p.refunded, where).toBe(0);
        break;
      case 'partially_refunded':
        expect(p.refunded, where).toBeGreaterThan(0);
        expect(p.refunded, where).toBeLessThan(p.captured);
        break;
      case 'refunded':
        expect(p.refunded, where).toBe(p.captured);
        expect(p.captured, where).toBeGreaterThan(0);
        break;
      default:
        throw new Error(`${where}: unexpected state`);
    }
  }
  for (const r of view.refunds) expect(Number.isSafeInteger(r.amount) && r.amount > 0, `${step}: refund ${r.id} amount`).toBe(true);
  const t = view.totals;
  expect(t.paid, `${step}: paid = sum captured`).toBe(view.payments.reduce((n, p) => n + p.captured, 0));
  expect(t.refunded, `${step}: refunded = sum settled refunds`).toBe(settledRefunds.reduce((n, r) => n + r.amount, 0));
  expect(t.total, `${step}: total`).toBe(t.subtotal + t.shipping + t.surcharges);
  const back = (states: string[]) => view.refunds.filter((r) => states.includes(r.state)).reduce((n, r) => n + r.overpayment, 0);
  const pending = view.refunds.filter((r) => r.state === 'pending').reduce((n, r) => n + r.amount, 0);
  expect(t.net, `${step}: net = paid - refunded`).toBe(t.paid - t.refunded);
  expect(t.refundsPending, `${step}: refundsPending`).toBe(pending);
  expect(t.balance, `${step}: balance = max(0, total - paid + settled overpayment refunds)`).toBe(Math.max(0, t.total - t.paid + back(['settled'])));
  expect(t.overpaid, `${step}: overpaid`).toBe(Math.max(0, Math.min(t.paid - back(['settled', 'pending']), t.net - pending) - t.total));
  expect(t.balance > 0 && t.overpaid > 0, `${step}: never both owed and overpaid`).toBe(false);
}

/** What an ignored callback may change: the version, and nothing of the money or the statuses. */
const money = (v: OrderView) => ({ payments: v.payments, refunds: v.refunds, totals: v.totals, status: v.status });

it('random payment operations and callbacks keep captured <= authorized, refunded <= captured and the balance exact', async () => {
  let runs = 0;
  let steps = 0;
  const outcomes: Record<string, number> = {};
  const count = (k: string) => { outcomes[k] = (outcomes[k] ?? 0) + 1; };

  await fc.assert(
    fc.asyncProperty(shapeArb, payArb, fc.array(opArb, { minLength: 4, maxLength: 14 }), async (shape, first, rest) => {
      const ops: readonly Op[] = [first, ...rest];
      runs++;
      const created = ok(await ordo.orders.create({
        currency: 'EUR',
        lines: shape.prices.map((unitPrice, i) => ({ sku: `P-${i}`, quantity: shape.quantity, unitPrice })),
        ...(shape.shipping > 0 ? { shipping: { amount: shape.shipping } } : {}),
      }, admin));
      const orderId = created.id;
      const sent: { id: string; payload: string }[] = [];
      let view = created;
      checkMoney(view, 'created');

      for (const [n, op] of ops.entries()) {
        steps++;
        clock.advance(1);
        const step = `step ${n} ${JSON.stringify(op)}`;
        const before = view;
        // Two times in three the operation is aimed at a payment it can apply to, if there is one.
        const aimed = (i: number, fits: (p: PaymentView) => boolean) => {
          const fitting = before.payments.filter(fits);
          return pick(i % 3 !== 0 && fitting.length > 0 ? fitting : before.payments, i);
        };
        const FITS: Partial<Record<Op['kind'], (p: PaymentView) => boolean>> = {
          capture: (p) => p.state === 'authorized',
          void: (p) => p.state === 'authorized',
          settle: (p) => p.state === 'pending' || p.state === 'unknown',
          resolve: (p) => p.state === 'pending' || p.state === 'unknown',
          refund: (p) => room(before, p) > 0,
          callback: (p) => p.state === 'pending' || p.state === 'unknown' || p.state === 'authorized' || before.refunds.some((r) => r.paymentId === p.id && r.state === 'pending'),
        };
        const target = (i: number) => aimed(i, FITS[op.kind] ?? (() => true));
        const paymentId = (i: number) => target(i)?.id ?? randomUUID();
        let refused = false;
        let ignored = false;

        const settle = (r: Result<OrderView>) => {
          refused = !r.ok;
          count(`${op.kind}:${r.ok ? 'ok' : r.code}`);
        };
        const deliver = async (id: string, payload: string, headers: Record<string, string>) => {
          const res = await ordo.payments.callback('simulated', headers, payload);
          if ('unauthorized' in res) {
            refused = true;
            count(`${op.kind}:unauthorized`);
            return;
          }
          if (!res.ok) {
            refused = true;
            count(`${op.kind}:${res.code}`);
            return;
          }
          count(`${op.kind}:${res.value.status}`);
          if (res.value.status === 'duplicate') refused = true;
          if (res.value.status === 'ignored') ignored = true;
          if (op.kind === 'resend') expect(res.value.status, `${step}: a callback re-sent with the same webhook-id`).toBe('duplicate');
          if (!sent.some((s) => s.id === id)) sent.push({ id, payload });
        };

        switch (op.kind) {
          case 'pay':
            settle(await ordo.payments.add(orderId, { method: 'card', simulate: op.simulate, capture: op.capture, amount: share(op.amount, outstanding(before)) }, admin));
            break;
          case 'capture':
            settle(await ordo.payments.capture(paymentId(op.p), share(op.amount, (target(op.p)?.authorized ?? 0) - (target(op.p)?.captured ?? 0)), admin));
            break;
          case 'void':
            settle(await ordo.payments.void(paymentId(op.p), admin));
            break;
          case 'settle':
            settle(await ordo.payments.settle(paymentId(op.p), share(op.amount, target(op.p)?.amount ?? 0), admin));
            break;
          case 'resolve':
            settle(await ordo.payments.resolve(paymentId(op.p), op.outcome, admin));
            break;
          case 'refund': {
            const line = op.line && pick(before.lines, op.line.l);
            settle(await ordo.payments.refund(orderId, {
              reason: 'property',
              ...(op.p !== undefined ? { paymentId: paymentId(op.p) } : {}),
              ...(op.amount !== undefined ? { amount: share(op.amount, op.p !== undefined ? (((t) => (t ? room(before, t) : 0))(target(op.p))) : Math.max(0, ...before.payments.map((p) => room(before, p)))) } : {}),
              ...(line && op.line ? { lines: [{ lineId: line.id, quantity: op.line.quantity }] } : {}),
              ...(op.shipping !== undefined ? { shipping: op.shipping } : {}),
              ...(op.simulate ? { simulate: op.simulate } : {}),
            }, admin));
            break;
          }
          case 'callback': {
            const refund = op.r !== undefined ? pick(before.refunds, op.r) : undefined;
            const payload = JSON.stringify({ type: op.type, paymentId: paymentId(op.p), ...(refund ? { refundId: refund.id } : {}), ...(op.amount !== undefined ? { amount: share(op.amount, target(op.p)?.amount ?? 0) } : {}) });
            const id = `evt_${randomUUID()}`;
            await deliver(id, payload, signedHeaders(id, payload, new Date()));
            break;
          }
          case 'resend': {
            const earlier = pick(sent, op.i);
            if (!earlier) {
              refused = true;
              break;
            }
            await deliver(earlier.id, earlier.payload, signedHeaders(earlier.id, earlier.payload, new Date()));
            break;
          }
          case 'forged': {
            const payload = JSON.stringify({ type: op.type, paymentId: paymentId(op.p) });
            const id = `evt_${randomUUID()}`;
            const headers = op.stale ? signedHeaders(id, payload, new Date(Date.now() - 20 * 60_000)) : signedHeaders(id, payload, new Date(), forger);
            const res = await ordo.payments.callback('simulated', headers, payload);
            expect('unauthorized' in res, `${step}: a forged or stale callback is refused`).toBe(true);
            count('forged:unauthorized');
            refused = true;
            break;
          }
          default:
            throw new Error(`unknown op ${JSON.stringify(op satisfies never)}`);
        }

        view = ok(await ordo.orders.get(orderId, admin));
        if (refused) {
          // A refused operation (or a duplicate callback) changes nothing at all.
          expect(view.version, `${step}: version unchanged`).toBe(before.version);
          expect(view, `${step}: nothing changed`).toEqual(before);
        } else if (ignored) {
          // A late or out-of-order callback is recorded in history, and changes no money or status.
          expect(money(view), `${step}: an ignored callback changes nothing`).toEqual(money(before));
        } else {
          expect(view.version, `${step}: an accepted operation is a new version`).toBeGreaterThan(before.version);
        }
        checkMoney(view, step);
      }
    }),
    { numRuns: RUNS, endOnFailure: true },
  );
  expect(runs).toBeGreaterThanOrEqual(RUNS);
  expect(steps).toBeGreaterThan(runs);
  // The sequences reach the interesting places, not only refusals.
  const reached = (prefix: string) => Object.entries(outcomes).filter(([k]) => k.startsWith(prefix)).reduce((n, [, v]) => n + v, 0);
  expect(reached('pay:ok')).toBeGreaterThan(0);
  expect(reached('callback:applied') + reached('callback:ignored')).toBeGreaterThan(0);
}, Math.max(30_000, RUNS * 150));
