/**
 * Demo data: realistic orders in every workflow and in the statuses a merchant meets, made
 * through the same engine calls an HTTP client makes (create, pay, capture, ship, refund…). A
 * step the engine refuses ends that order's story where it stands and is counted, never thrown:
 * the demo shows what the engine does, it does not force it.
 */
import type { Actor } from '../domain/actor.js';
import type { Result } from '../domain/result.js';
import type { Ordo } from '../engine/ordo.js';
import type { OrderView } from '../engine/order-view.js';
import type { CreateOrderInput } from '../engine/order-service.js';

const admin: Actor = { kind: 'admin', id: 'demo' };

const PRODUCTS = [
  { sku: 'TSHIRT-M', name: 'Organic T-shirt, M', unitPrice: 1999 },
  { sku: 'TSHIRT-L', name: 'Organic T-shirt, L', unitPrice: 1999 },
  { sku: 'HOODIE-M', name: 'Heavy hoodie, M', unitPrice: 5900 },
  { sku: 'MUG', name: 'Stoneware mug', unitPrice: 1200 },
  { sku: 'LAMP', name: 'Brass desk lamp', unitPrice: 6000 },
  { sku: 'POSTER-A2', name: 'Screen print, A2', unitPrice: 3500 },
  { sku: 'NOTEBOOK', name: 'Dot-grid notebook', unitPrice: 1450 },
  { sku: 'CANDLE', name: 'Beeswax candle', unitPrice: 1800 },
] as const;
/** Sold before it is in stock: orders of it wait on a backorder. */
const BACKORDERED = { sku: 'VINYL-PREORDER', name: 'Vinyl LP (pre-order)', unitPrice: 2999 } as const;
const TICKETS = [
  { sku: 'TICKET-GA', name: 'Festival pass, general admission', unitPrice: 8900 },
  { sku: 'TICKET-VIP', name: 'Festival pass, VIP', unitPrice: 24900 },
  { sku: 'GUESTLIST', name: 'Guest list', unitPrice: 0 },
] as const;
const SOFTWARE = [
  { sku: 'APP-PRO-1Y', name: 'Pro licence, 1 year', unitPrice: 9900 },
  { sku: 'APP-TEAM-1Y', name: 'Team licence, 1 year', unitPrice: 29900 },
] as const;

const FIRST = ['Ada', 'Grace', 'Alan', 'Katherine', 'Linus', 'Margaret', 'Tim', 'Radia', 'Ken', 'Barbara', 'Edsger', 'Frances', 'Donald', 'Hedy', 'Dennis', 'Sophie'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Johnson', 'Torvalds', 'Hamilton', 'Berners-Lee', 'Perlman', 'Thompson', 'Liskov', 'Dijkstra', 'Allen', 'Knuth', 'Lamarr', 'Ritchie', 'Wilson'];

/** A seeded generator, so that the same demo makes the same store. */
function random(seed: number) {
  let s = seed >>> 0;
  const next = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!, int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)) };
}
type Random = ReturnType<typeof random>;

/** One order's story, step by step: each step takes the order as it now is. */
type Step = (order: OrderView) => Promise<Result<OrderView>> | undefined;
interface Story {
  readonly name: string;
  readonly create: (r: Random, i: number) => CreateOrderInput;
  readonly steps?: readonly Step[];
}

const customer = (r: Random, i: number) => {
  const first = r.pick(FIRST);
  const last = r.pick(LAST);
  return { id: `cus_${1000 + (i % 400)}`, email: `${first}.${last}.${i}@example.com`.toLowerCase().replace(/[^a-z0-9.@-]/g, ''), name: `${first} ${last}` };
};
const basket = (r: Random, from: readonly { sku: string; name: string; unitPrice: number }[], most = 3) =>
  [...new Set(Array.from({ length: r.int(1, most) }, () => r.pick(from)))].map((p) => ({ ...p, quantity: r.int(1, 3) }));
const address = (r: Random) => ({ line1: `${r.int(1, 200)} ${r.pick(['Market Street', 'Rue de Rivoli', 'Hauptstraße', 'Via Roma'])}`, city: r.pick(['Lyon', 'Berlin', 'Milan', 'Leeds']), postalCode: String(r.int(10000, 99999)), country: r.pick(['FR', 'DE', 'IT', 'GB']) });
const shop = (r: Random, i: number, extra: Partial<CreateOrderInput> = {}): CreateOrderInput => ({
  currency: 'EUR', customer: customer(r, i), lines: basket(r, PRODUCTS), shipping: { amount: r.pick([0, 495, 695]), method: r.pick(['standard', 'express']), address: address(r) }, ...extra,
});

export interface DemoOptions {
  readonly orders: number;
  /** Moves the clock between orders, so the store has a history (the CLI's clock; never a server's). */
  readonly advance?: (seconds: number) => void;
  /** Seconds over which the orders are spread when `advance` is given. */
  readonly spread?: number;
  readonly onProgress?: (done: number) => void;
  readonly seed?: number;
  /** Orders made at once (a large store): default 1. */
  readonly concurrency?: number;
}

export interface DemoResult {
  readonly orders: number;
  readonly skus: string[];
  /** Steps the engine refused (the order stays where the refusal found it). */
  readonly refused?: number;
  /** Which stories were refused, and with what code. */
  readonly refusals?: string[];
}

export async function makeDemo(ordo: Ordo, opts: DemoOptions): Promise<DemoResult> {
  const r = random(opts.seed ?? 42);
  const skus = [...PRODUCTS, ...TICKETS, ...SOFTWARE].map((p) => p.sku);
  for (const sku of skus) await ordo.stock.set(sku, { onHand: Math.max(500, opts.orders * 3), reason: 'demo: opening stock' }, admin);
  await ordo.stock.set(BACKORDERED.sku, { onHand: 0, backorders: true, reason: 'demo: on pre-order' }, admin);

  const p = ordo.payments;
  const line = (o: OrderView, i = 0) => o.lines[i]!;
  const pay = (method: 'card' | 'invoice' | 'payment_link' | 'manual', extra: Record<string, unknown> = {}): Step => (o) => p.add(o.id, { method, ...extra }, admin);
  const last = <T>(items: readonly T[]) => items[items.length - 1];
  const fulfil = (all: boolean): Step => (o) => {
    const lines = (all ? o.lines : o.lines.slice(0, 1)).map((l) => ({ lineId: l.id, quantity: l.quantity - l.fulfilled - l.cancelled })).filter((l) => l.quantity > 0);
    return lines.length ? ordo.fulfillments.create(o.id, { lines, carrier: r.pick(['DHL', 'UPS', 'La Poste']), trackingNumber: `TRK${r.int(100000, 999999)}` }, admin) : undefined;
  };
  const parcel = (to: 'shipped' | 'delivered'): Step => (o) => {
    const f = o.fulfillments.find((x) => x.state === (to === 'shipped' ? 'pending' : 'shipped'));
    return f ? ordo.fulfillments.transition(f.id, to, admin) : undefined;
  };
  const to = (state: string, reason: string, track?: string): Step => (o) => ordo.orders.execute(o.id, { type: 'transition', to: state, reason, ...(track ? { track } : {}) }, admin);

  /** The shopper checks out (Vendure leaves that step to the customer). */
  const checkout: Step = (o) => ordo.orders.execute(o.id, { type: 'transition', to: 'ArrangingPayment', reason: 'checkout' }, { kind: 'customer', id: 'demo-storefront', ...(o.customer.id ? { customerId: o.customer.id } : {}) });
  const stories: Story[] = [
    { name: 'paid, to ship', create: (r, i) => shop(r, i, { payment: { method: 'card' } }) },
    { name: 'authorized, to capture', create: (r, i) => shop(r, i, { payment: { method: 'card', capture: false } }) },
    { name: 'awaiting payment', create: (r, i) => shop(r, i) },
    { name: 'deposit paid', create: (r, i) => shop(r, i, { lines: [{ ...PRODUCTS[4], quantity: 2 }] }), steps: [pay('card', { deposit: true })] },
    { name: 'shipped in parts', create: (r, i) => shop(r, i, { lines: basket(r, PRODUCTS.slice(0, 4), 4).concat([{ ...PRODUCTS[6], quantity: 1 }]), payment: { method: 'card' } }), steps: [fulfil(false), parcel('shipped')] },
    { name: 'delivered', create: (r, i) => shop(r, i, { payment: { method: 'card' } }), steps: [fulfil(true), parcel('shipped'), parcel('delivered')] },
    { name: 'refunded', create: (r, i) => shop(r, i, { payment: { method: 'card' } }), steps: [(o) => p.refund(o.id, { amount: o.totals.paid, reason: 'customer changed their mind' }, admin)] },
    { name: 'partly refunded', create: (r, i) => shop(r, i, { payment: { method: 'card' } }), steps: [(o) => p.refund(o.id, { lines: [{ lineId: line(o).id, quantity: 1 }], reason: 'arrived damaged', restock: false }, admin)] },
    {
      name: 'returned', create: (r, i) => shop(r, i, { payment: { method: 'card' } }),
      steps: [fulfil(true), parcel('shipped'), parcel('delivered'),
        (o) => ordo.returns.create(o.id, { lines: [{ lineId: line(o).id, quantity: 1 }], reason: 'too small' }, admin),
        (o) => { const ret = last(o.returns); return ret ? ordo.returns.transition(ret.id, 'received', { restock: true }, admin) : undefined; },
        (o) => { const ret = last(o.returns); return ret ? ordo.returns.transition(ret.id, 'refunded', {}, admin) : undefined; }],
    },
    { name: 'return requested', create: (r, i) => shop(r, i, { payment: { method: 'card' } }), steps: [fulfil(true), parcel('shipped'), (o) => ordo.returns.create(o.id, { lines: [{ lineId: line(o).id, quantity: 1 }], reason: 'wrong colour' }, admin)] },
    { name: 'modified', create: (r, i) => shop(r, i), steps: [(o) => ordo.modifications.apply(o.id, { addLines: [{ ...PRODUCTS[3], quantity: 1 }], surcharges: [{ description: 'loyalty discount', amount: -300 }], note: 'customer phoned to add a mug' }, admin)] },
    { name: 'in review', create: (r, i) => shop(r, i, { lines: [{ ...PRODUCTS[4], quantity: 3 }] }), steps: [to('in_review', 'billing and shipping countries differ', 'order')] },
    { name: 'cancelled', create: (r, i) => shop(r, i), steps: [to('cancelled', 'customer asked to cancel', 'order')] },
    { name: 'invoice due', create: (r, i) => shop(r, i, { customer: { ...customer(r, i), name: 'Acme GmbH (purchasing)' } }), steps: [pay('invoice')] },
    { name: 'cart', create: (r, i) => shop(r, i, { draft: true }) },
    { name: 'backordered (X-Cart)', create: (r, i) => shop(r, i, { workflow: 'xcart', lines: [{ ...BACKORDERED, quantity: r.int(1, 2) }] }) },
    { name: 'paid (X-Cart)', create: (r, i) => shop(r, i, { workflow: 'xcart', payment: { method: 'card' } }) },
    { name: 'awaiting payment (X-Cart)', create: (r, i) => shop(r, i, { workflow: 'xcart' }), steps: [pay('invoice')] },
    { name: 'shipped (X-Cart)', create: (r, i) => shop(r, i, { workflow: 'xcart', payment: { method: 'card' } }), steps: [fulfil(true), parcel('shipped')] },
    { name: 'awaiting link (nuTickets)', create: (r, i) => ({ workflow: 'nutickets', currency: 'EUR', customer: customer(r, i), lines: basket(r, TICKETS.slice(0, 2), 2), payment: { method: 'payment_link' } }) },
    { name: 'complete (nuTickets)', create: (r, i) => ({ workflow: 'nutickets', currency: 'EUR', customer: customer(r, i), lines: basket(r, TICKETS.slice(0, 2), 2), payment: { method: 'card' } }) },
    { name: 'partially paid (nuTickets)', create: (r, i) => ({ workflow: 'nutickets', currency: 'EUR', customer: customer(r, i), lines: [{ ...TICKETS[1], quantity: 2 }], payment: { method: 'card', deposit: true } }) },
    { name: 'awaiting approval (nuTickets)', create: (r, i) => ({ workflow: 'nutickets', currency: 'EUR', customer: customer(r, i), lines: [{ ...TICKETS[1], quantity: 2, requiresApproval: true }, { ...TICKETS[2], quantity: 1, requiresApproval: true }] }) },
    // A basket nobody pays: its timer expires it (at once in `ordo demo`, whose clock runs ahead; ten minutes later otherwise).
    { name: 'basket left (nuTickets)', create: (r, i) => ({ workflow: 'nutickets', currency: 'EUR', customer: customer(r, i), lines: basket(r, TICKETS.slice(0, 2), 2) }) },
    { name: 'completed (Nexway)', create: (r, i) => ({ workflow: 'nexway', currency: 'EUR', customer: customer(r, i), lines: basket(r, SOFTWARE, 1), payment: { method: 'card' } }) },
    { name: 'payment pending (Nexway)', create: (r, i) => ({ workflow: 'nexway', currency: 'EUR', customer: customer(r, i), lines: basket(r, SOFTWARE, 1), payment: { method: 'card', simulate: 'pending' } }) },
    { name: 'fraud review (Nexway)', create: (r, i) => ({ workflow: 'nexway', currency: 'EUR', customer: customer(r, i), lines: [{ ...SOFTWARE[1], quantity: 5 }] }), steps: [to('FRAUD_PENDING', 'five team licences from a new account')] },
    { name: 'settled (Vendure)', create: (r, i) => shop(r, i, { workflow: 'vendure' }), steps: [checkout, pay('card')] },
    { name: 'arranging payment (Vendure)', create: (r, i) => shop(r, i, { workflow: 'vendure' }), steps: [checkout] },
    { name: 'shipped (Vendure)', create: (r, i) => shop(r, i, { workflow: 'vendure' }), steps: [checkout, pay('card'), fulfil(true), parcel('shipped')] },
  ];

  let refused = 0;
  let done = 0;
  const refusals = new Set<string>();
  const gap = opts.advance && opts.orders > 1 ? Math.floor((opts.spread ?? 2 * 86_400) / opts.orders) : 0;
  const tell = async (i: number) => {
    const story = stories[i % stories.length]!;
    let result = await p.createOrder(story.create(r, i), admin);
    for (const step of story.steps ?? []) {
      if (!result.ok) break;
      const next = step(result.value);
      if (!next) break;
      result = await next;
    }
    if (!result.ok) {
      refused++;
      refusals.add(`${story.name}: ${result.code}`);
    }
    opts.onProgress?.(++done);
  };
  const width = Math.max(1, opts.concurrency ?? 1);
  for (let i = 0; i < opts.orders; i += width) {
    await Promise.all(Array.from({ length: Math.min(width, opts.orders - i) }, (_, k) => tell(i + k)));
    if (gap > 0) opts.advance!(gap * Math.min(width, opts.orders - i));
  }
  // The clock ran ahead of the orders: fire what came due meanwhile (baskets left unpaid expire).
  if (opts.advance) await ordo.sweeper.sweep();
  return { orders: opts.orders, skus: [...skus, BACKORDERED.sku], ...(refused ? { refused, refusals: [...refusals] } : {}) };
}
