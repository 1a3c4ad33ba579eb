/**
 * Real orders to clone: a few hundred made through Ordo's own HTTP API (in-process, injected)
 * on every workflow, left in the states shops see most: unpaid, paid, authorized, declined,
 * delivered, cancelled. Whatever a workflow refuses of these leaves the order where it was,
 * which is as realistic as any other state.
 */
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/http/server.js';
import type { Ordo } from '../../src/engine/ordo.js';

const WORKFLOWS = ['standard', 'xcart', 'nutickets', 'nexway', 'vendure'] as const;
const KEY = 'bench-scale-admin-key';
const SKUS = [['TEE-M', 1999], ['MUG', 1200], ['LAMP', 6000], ['POSTER', 900], ['SOCKS', 700]] as const;

type Variant = 'unpaid' | 'paid' | 'authorized' | 'declined' | 'delivered' | 'cancelled';
/** Weighted as shops see them: most orders end delivered or paid; few stay declined. */
const VARIANTS: readonly Variant[] = ['delivered', 'delivered', 'delivered', 'paid', 'paid', 'unpaid', 'authorized', 'cancelled', 'declined', 'delivered'];

interface Answer { id: string; lines: { id: string; quantity: number }[]; fulfillments: { id: string }[] }

async function call(app: FastifyInstance, method: 'POST', url: string, payload: unknown): Promise<Answer | undefined> {
  const res = await app.inject({ method, url, payload: payload as object, headers: { authorization: `Bearer ${KEY}` } });
  return res.statusCode < 300 ? (res.json() as Answer) : undefined;
}

async function make(app: FastifyInstance, workflow: string, n: number, variant: Variant): Promise<void> {
  const lines = Array.from({ length: 1 + (n % 3) }, (_, i) => {
    const [sku, unitPrice] = SKUS[(n + i) % SKUS.length]!;
    return { sku, name: sku, quantity: 1 + ((n + i) % 2), unitPrice };
  });
  const payment = variant === 'unpaid' || variant === 'cancelled' ? undefined
    : { method: 'card', ...(variant === 'authorized' ? { capture: false, simulate: 'authorize' } : variant === 'declined' ? { simulate: 'decline' } : {}) };
  const order = await call(app, 'POST', '/v1/orders', {
    workflow, currency: 'EUR', customer: { email: `template${n}@example.com`, name: `Template Buyer ${n}` }, lines,
    shipping: { amount: 495 }, ...(payment ? { payment } : {}),
  });
  if (!order) return;
  if (variant === 'cancelled') await call(app, 'POST', `/v1/orders/${order.id}/cancellations`, { reason: 'changed my mind' });
  if (variant === 'delivered') {
    const parcel = await call(app, 'POST', `/v1/orders/${order.id}/fulfillments`, { lines: order.lines.map((l) => ({ lineId: l.id, quantity: l.quantity })), carrier: 'DHL', trackingNumber: `T${n}` });
    const fid = parcel?.fulfillments.at(-1)?.id;
    if (fid && (await call(app, 'POST', `/v1/fulfillments/${fid}/transitions`, { to: 'shipped' }))) await call(app, 'POST', `/v1/fulfillments/${fid}/transitions`, { to: 'delivered' });
  }
}

/** Makes `perWorkflow` orders on each workflow; returns how many orders the database now has. */
export async function makeTemplates(ordo: Ordo, perWorkflow: number): Promise<number> {
  await ordo.apiKeys.ensure(KEY, { role: 'admin', name: 'bench' });
  const app = await buildServer(ordo, { logger: false });
  try {
    let n = 0;
    for (const workflow of WORKFLOWS) {
      for (let i = 0; i < perWorkflow; i++, n++) await make(app, workflow, n, VARIANTS[i % VARIANTS.length]!);
    }
  } finally {
    await app.close();
  }
  const res = await ordo.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM orders');
  return res.rows[0]!.n;
}
