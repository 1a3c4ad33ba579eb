/** Shared by the payment suites: an app whose simulated gateway has a callback secret, signed callbacks, stock, and "nothing changed" checks. */
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { expect } from 'vitest';
import { startTestApp, type Reply, type TestApp, type TestAppOptions } from '../support/app.js';
import { uniqueSku } from '../stock/helpers.js';

export const SECRET = 'whsec_' + Buffer.from('payment-suites-secret-of-the-simulated-gateway').toString('base64');

/** A test app whose simulated gateway checks callbacks against SECRET. */
export const startPaymentsApp = (options: Omit<TestAppOptions, 'gatewaySecrets'> = {}) => startTestApp({ ...options, gatewaySecrets: { simulated: SECRET } });

export interface CallbackOptions {
  readonly id?: string;
  readonly gateway?: string;
  /** When the callback says it was sent; default now (real time: the signature check reads the real clock). */
  readonly timestamp?: Date;
  readonly secret?: string;
  /** Replaces the signed headers (to send broken or missing ones). */
  readonly headers?: Record<string, string>;
}

export function signedHeaders(id: string, payload: string, timestamp = new Date(), secret = SECRET): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, timestamp, payload),
  };
}

/** POSTs a gateway callback signed the Standard Webhooks way, without an API key (the route is public). */
export function callback(t: TestApp, body: Record<string, unknown>, opts: CallbackOptions = {}): Promise<Reply> {
  const payload = JSON.stringify(body);
  const id = opts.id ?? `evt_${randomUUID()}`;
  const headers = opts.headers ?? signedHeaders(id, payload, opts.timestamp, opts.secret);
  return t.call('POST', `/v1/gateways/${opts.gateway ?? 'simulated'}/events`, payload, { key: null, headers });
}

/** A tracked SKU with this much on hand, set over HTTP. */
export async function stocked(t: TestApp, label: string, onHand: number): Promise<string> {
  const sku = uniqueSku(label);
  const r = await t.call('PUT', `/v1/inventory/${encodeURIComponent(sku)}`, { onHand });
  expect(r.status, r.text).toBe(200);
  return sku;
}

export async function inventory(t: TestApp, sku: string): Promise<{ onHand: number; reserved: number; available: number }> {
  const r = await t.call('GET', `/v1/inventory/${encodeURIComponent(sku)}`);
  expect(r.status, r.text).toBe(200);
  const { onHand, reserved, available } = r.body;
  return { onHand, reserved, available };
}

/** Every SKU's levels equal the sums of its movements. */
export async function expectLedgerConsistent(t: TestApp): Promise<void> {
  const check = await t.ordo.stock.check();
  expect(check.mismatches).toEqual([]);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- order bodies are checked field by field
export type Json = any;

export async function getOrder(t: TestApp, id: string): Promise<Json> {
  const r = await t.call('GET', `/v1/orders/${id}`);
  expect(r.status, r.text).toBe(200);
  return r.body;
}

export async function historyOf(t: TestApp, id: string): Promise<Json[]> {
  const r = await t.call('GET', `/v1/orders/${id}/history`);
  expect(r.status, r.text).toBe(200);
  return r.body.items;
}

export const types = (items: readonly { type: string }[]) => items.map((i) => i.type);

/** Status changes as `track:from->to`, oldest first. */
export const steps = (items: readonly Json[]) =>
  items.filter((i) => i.type === 'order.status_changed').map((i) => `${i.track}:${i.from}->${i.to}`);

export interface Snapshot {
  readonly order: Json;
  readonly history: number;
  readonly outbox: number;
  readonly movements: number;
  readonly gatewayEvents: number;
}

/** What a refused request must leave as it was. */
export async function snapshot(t: TestApp, id: string): Promise<Snapshot> {
  const counts = await t.ordo.pool.query<{ history: number; outbox: number; movements: number; events: number }>(
    `SELECT (SELECT count(*)::int FROM order_history WHERE order_id = $1) AS history,
            (SELECT count(*)::int FROM outbox WHERE order_id = $1) AS outbox,
            (SELECT count(*)::int FROM stock_movements WHERE order_id = $1) AS movements,
            (SELECT count(*)::int FROM gateway_events WHERE order_id = $1) AS events`,
    [id],
  );
  const c = counts.rows[0]!;
  return { order: await getOrder(t, id), history: c.history, outbox: c.outbox, movements: c.movements, gatewayEvents: c.events };
}

/** The order is as it was: same version, status, money and payments; no new history, outbox, stock or gateway-event rows. */
export async function expectUnchanged(t: TestApp, id: string, before: Snapshot): Promise<void> {
  const after = await snapshot(t, id);
  expect(after.order.version).toBe(before.order.version);
  expect(after.order.status).toEqual(before.order.status);
  expect(after.order.totals).toEqual(before.order.totals);
  expect(after.order.payments).toEqual(before.order.payments);
  expect(after.order.refunds).toEqual(before.order.refunds);
  expect(after.order.timers).toEqual(before.order.timers);
  expect({ history: after.history, outbox: after.outbox, movements: after.movements, gatewayEvents: after.gatewayEvents }).toEqual({
    history: before.history, outbox: before.outbox, movements: before.movements, gatewayEvents: before.gatewayEvents,
  });
}

/** Moves the test clock and fires whatever became due. */
export async function advance(t: TestApp, seconds: number) {
  t.clock.advance(seconds);
  return t.ordo.sweeper.sweep();
}

/** An ISO time this many seconds from the test clock's now. */
export const fromNow = (t: TestApp, seconds: number) => new Date(t.clock.now().getTime() + seconds * 1000).toISOString();

export const HOUR = 3600;
export const DAY = 86_400;
