/**
 * Shared by the preset scenario suites (issue 6): one real Ordo per suite (HTTP on a fresh
 * database, the simulated gateway with a callback secret, the test clock), and small calls
 * that fail loudly with the server's answer when it is not the one a scenario expects.
 */
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Reply, TestApp } from '../support/app.js';
import { uniqueEmail } from '../http/helpers.js';
import { Touched } from '../fulfillment/support.js';
export { movementsOf } from '../fulfillment/support.js';
import { callback, getOrder, historyOf, startPaymentsApp, stocked, type Json } from '../payments/helpers.js';

export type { Json };
export { advance, callback, DAY, fromNow, getOrder, historyOf, HOUR, steps, types } from '../payments/helpers.js';
export { uniqueEmail };

export const MINUTE = 60;

export interface PresetSuite {
  /** The app; valid from beforeAll on. */
  readonly t: () => TestApp;
  /** Orders a test touched; each is held to the stock and money invariants after the test. */
  readonly touched: Touched;
}

/** One app per suite; after every test, every order the test registered is checked against the invariants. */
export function presetSuite(options: Parameters<typeof startPaymentsApp>[0] = {}): PresetSuite {
  let app: TestApp | undefined;
  const touched = new Touched();
  beforeAll(async () => {
    app = await startPaymentsApp(options);
  });
  afterEach(async () => {
    if (app) await touched.check(app);
  });
  afterAll(async () => {
    await app?.close();
  });
  return { t: () => app!, touched };
}

type Key = { readonly key?: string };
const withKey = (opts: Key) => (opts.key === undefined ? {} : { key: opts.key });

/** A request that must answer `status`; the answer's body otherwise shows in the failure. */
export async function expectStatus(reply: Promise<Reply> | Reply, status: number, code?: string): Promise<Reply> {
  const r = await reply;
  expect(r.status, r.text).toBe(status);
  if (code !== undefined) expect(r.body?.code, r.text).toBe(code);
  return r;
}

/** A SKU no other test uses, with this much on hand. */
export const sku = (t: TestApp, label: string, onHand = 10) => stocked(t, label, onHand);

/** A SKU that may be sold below zero (X-Cart's New/Backorder needs one). */
export async function backorderableSku(t: TestApp, label: string, onHand: number): Promise<string> {
  const s = await stocked(t, label, onHand);
  await expectStatus(t.call('PUT', `/v1/inventory/${encodeURIComponent(s)}`, { onHand, backorders: true }), 200);
  return s;
}

/** On hand, held and available, as GET /v1/inventory answers. */
export async function level(t: TestApp, s: string): Promise<{ onHand: number; reserved: number; available: number }> {
  const r = await expectStatus(t.call('GET', `/v1/inventory/${encodeURIComponent(s)}`), 200);
  return { onHand: r.body.onHand, reserved: r.body.reserved, available: r.body.available };
}

export interface OrderInput {
  readonly lines: readonly { readonly sku: string; readonly quantity: number; readonly unitPrice: number; readonly name?: string }[];
  readonly shipping?: number | Record<string, unknown>;
  readonly payment?: Record<string, unknown>;
  readonly customer?: Record<string, unknown> | null;
  readonly draft?: boolean;
  readonly metadata?: Record<string, unknown>;
}

/** POST /v1/orders in `workflow`; must be created (201). */
export async function createOrder(t: TestApp, workflow: string, input: OrderInput, opts: Key = {}): Promise<Json> {
  const body = {
    workflow,
    currency: 'EUR',
    ...(input.customer === null ? {} : { customer: input.customer ?? { email: uniqueEmail(workflow), name: 'Test Buyer' } }),
    lines: input.lines,
    ...(input.shipping === undefined ? {} : { shipping: typeof input.shipping === 'number' ? { amount: input.shipping } : input.shipping }),
    ...(input.payment ? { payment: input.payment } : {}),
    ...(input.draft !== undefined ? { draft: input.draft } : {}),
    ...(input.metadata ? { metadata: input.metadata } : {}),
  };
  return (await expectStatus(t.call('POST', '/v1/orders', body, withKey(opts)), 201)).body;
}

/** A status change by the caller; must be accepted. */
export async function move(t: TestApp, id: string, to: string, opts: Key & { readonly track?: string; readonly reason?: string } = {}): Promise<Json> {
  const body = { to, ...(opts.track ? { track: opts.track } : {}), ...(opts.reason ? { reason: opts.reason } : {}) };
  return (await expectStatus(t.call('POST', `/v1/orders/${id}/transitions`, body, withKey(opts)), 200)).body;
}

/** A status change the caller must be refused, with this HTTP status and code; the order must not change. */
export async function refusedMove(t: TestApp, id: string, to: string, status: number, code: string, opts: Key & { readonly track?: string } = {}): Promise<Json> {
  const before = await getOrder(t, id);
  const r = await expectStatus(t.call('POST', `/v1/orders/${id}/transitions`, { to, ...(opts.track ? { track: opts.track } : {}) }, withKey(opts)), status, code);
  const after = await getOrder(t, id);
  expect(after.version).toBe(before.version);
  expect(after.status).toEqual(before.status);
  return r.body;
}

/** POST /v1/orders/{id}/payments; must be accepted (201). */
export async function pay(t: TestApp, id: string, payment: Record<string, unknown>, opts: Key = {}): Promise<Json> {
  return (await expectStatus(t.call('POST', `/v1/orders/${id}/payments`, payment, withKey(opts)), 201)).body;
}

/** POST /v1/orders/{id}/refunds as the admin; must be accepted (201). */
export async function refund(t: TestApp, id: string, body: Record<string, unknown>): Promise<Json> {
  return (await expectStatus(t.call('POST', `/v1/orders/${id}/refunds`, { reason: 'scenario', ...body }), 201)).body;
}

/** POST /v1/payments/{id}/{action} as the admin (capture, void, settle, resolve); must be accepted. */
export async function paymentAction(t: TestApp, paymentId: string, action: 'capture' | 'void' | 'settle' | 'resolve', body: Record<string, unknown> = {}): Promise<Json> {
  return (await expectStatus(t.call('POST', `/v1/payments/${paymentId}/${action}`, body), 200)).body;
}

/** A signed gateway callback about a payment; must be applied. */
export async function gatewaySays(t: TestApp, type: string, paymentId: string, extra: Record<string, unknown> = {}): Promise<void> {
  const r = await callback(t, { type, paymentId, ...extra });
  expect(r.status, r.text).toBe(200);
  expect(r.body, r.text).toEqual({ status: 'applied' });
}

/** POST /v1/orders/{id}/cancellations as the admin; must be accepted. */
export async function cancel(t: TestApp, id: string, body: Record<string, unknown>): Promise<Json> {
  return (await expectStatus(t.call('POST', `/v1/orders/${id}/cancellations`, { reason: 'scenario', ...body }), 200)).body;
}

/** POST /v1/orders/{id}/modifications as the admin; must be accepted. */
export async function modify(t: TestApp, id: string, body: Record<string, unknown>): Promise<Json> {
  return (await expectStatus(t.call('POST', `/v1/orders/${id}/modifications`, body), 200)).body;
}

/** POST /v1/orders/{id}/basket; must be accepted. */
export async function changeBasket(t: TestApp, id: string, body: Record<string, unknown>, opts: Key = {}): Promise<Json> {
  return (await expectStatus(t.call('POST', `/v1/orders/${id}/basket`, body, withKey(opts)), 200)).body;
}

/** A new parcel of these lines (admin); returns the order and the parcel's id. */
export async function parcel(t: TestApp, id: string, lines: readonly { lineId: string; quantity: number }[]): Promise<{ order: Json; parcelId: string }> {
  const r = await expectStatus(t.call('POST', `/v1/orders/${id}/fulfillments`, { lines, carrier: 'DHL', trackingNumber: `T-${id.slice(-6)}` }), 201);
  return { order: r.body, parcelId: r.body.fulfillments.at(-1).id };
}

/** Moves a parcel (admin); must be accepted. */
export async function moveParcel(t: TestApp, parcelId: string, to: string): Promise<Json> {
  return (await expectStatus(t.call('POST', `/v1/fulfillments/${parcelId}/transitions`, { to }), 200)).body;
}

/** Status changes as `from->to` on one track (or `track:from->to` on all), oldest first, from the order's history. */
export async function statusTrail(t: TestApp, id: string, track?: string): Promise<string[]> {
  const h = await historyOf(t, id);
  return h
    .filter((e: Json) => e.type === 'order.status_changed' && (track === undefined || e.track === track))
    .map((e: Json) => (track === undefined ? `${e.track}:${e.from}->${e.to}` : `${e.from}->${e.to}`));
}

/** The order's latest status change on a track, as history shows it. */
export async function lastChange(t: TestApp, id: string, track?: string): Promise<Json> {
  const h = await historyOf(t, id);
  return h.filter((e: Json) => e.type === 'order.status_changed' && (track === undefined || e.track === track)).at(-1);
}

/** The outbox rows of an order, as `type` strings, oldest first (what webhooks will announce). */
export async function outboxTypes(t: TestApp, id: string): Promise<string[]> {
  const r = await t.ordo.pool.query<{ type: string }>('SELECT type FROM outbox WHERE order_id = $1 ORDER BY id', [id]);
  return r.rows.map((x) => x.type);
}

/**
 * Runs `work` with the workflow's settings changed for this deployment (PATCH /v1/workflows/{name}/settings),
 * then puts the defaults back, so that the suite's other tests see the workflow as shipped.
 */
export async function withSettings<T>(t: TestApp, workflow: string, settings: Readonly<Record<string, unknown>>, work: () => Promise<T>): Promise<T> {
  const changed = (await expectStatus(t.call('PATCH', `/v1/workflows/${workflow}/settings`, settings), 200)).body;
  expect(changed.settings).toMatchObject(settings);
  try {
    return await work();
  } finally {
    await expectStatus(t.call('PATCH', `/v1/workflows/${workflow}/settings`, Object.fromEntries(Object.keys(settings).map((k) => [k, null]))), 200);
  }
}
