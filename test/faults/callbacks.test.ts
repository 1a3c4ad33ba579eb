/**
 * Issue 10, 500 gateway callbacks on one payment at once: 100 distinct events, each delivered
 * 5 times, shuffled. Each distinct event is applied once (answered applied or ignored, once);
 * every other delivery of it is answered duplicate; none is answered 409 or 5xx.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkInvariants } from './support/invariants.js';
import type { OrdoClient} from './support/client.js';
import { is2xx, sendCallback, signCallback, type Outcome, type SignedCallback } from './support/client.js';
import { useOrdoProcess, type OrdoProcess } from './support/server.js';

const DISTINCT = 100;
const DELIVERIES = 5;

let ordo: OrdoProcess;
let http: OrdoClient;
useOrdoProcess((o, h) => {
  ordo = o;
  http = h;
});

describe('500 concurrent callbacks on one payment', () => {
  it('applies each distinct event once and answers the rest as duplicates', async () => {
    expect(is2xx(await http.send('PUT', '/v1/inventory/CB-A', { onHand: 100 }))).toBe(true);
    const created = await http.send('POST', '/v1/orders', {
      currency: 'EUR', customer: { email: 'callbacks@faults.example' },
      lines: [{ sku: 'CB-A', quantity: 2, unitPrice: 1500 }], shipping: { amount: 500 },
      payment: { method: 'card', simulate: 'pending' },
    });
    if (!is2xx(created)) throw new Error(`could not create the order: ${JSON.stringify(created)}`);
    const orderId: string = created.body.id;
    const paymentId: string = created.body.payments[0].id;
    const amount: number = created.body.payments[0].amount;

    // A gateway that resends: settlements and authorizations under ids of their own, each delivered several times.
    const events: SignedCallback[] = Array.from({ length: DISTINCT }, (_, i) =>
      signCallback({ type: i % 4 === 3 ? 'payment.authorized' : 'payment.settled', paymentId }, `evt_${i}_${randomUUID()}`));
    const deliveries = events.flatMap((e) => Array.from({ length: DELIVERIES }, () => e));
    for (let i = deliveries.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
    }
    const answers: { id: string; out: Outcome }[] = await Promise.all(deliveries.map(async (cb) => ({ id: cb.id, out: await sendCallback(http, cb, { timeoutMs: 60_000 }) })));
    await ordo.stop();

    const statusOf = (out: Outcome) => (out.kind === 'lost' ? `no answer: ${out.why}` : is2xx(out) ? String(out.body?.status) : `${out.status} ${out.body?.code ?? ''}`);
    const tally = new Map<string, number>();
    for (const a of answers) tally.set(statusOf(a.out), (tally.get(statusOf(a.out)) ?? 0) + 1);
    console.log(`500 callbacks: ${[...tally.entries()].map(([k, n]) => `${k} x${n}`).join(', ')}`);

    const bad = answers.filter((a) => !is2xx(a.out)).map((a) => `${a.id}: ${statusOf(a.out)}`);
    const perEvent = new Map<string, string[]>();
    for (const a of answers) perEvent.set(a.id, [...(perEvent.get(a.id) ?? []), statusOf(a.out)]);
    const notOnce = [...perEvent.entries()]
      .filter(([, s]) => s.filter((x) => x === 'applied' || x === 'ignored').length !== 1 || s.filter((x) => x === 'duplicate').length !== DELIVERIES - 1)
      .map(([id, s]) => `${id}: ${s.join(', ')}`);
    const rows = (await ordo.db.query<{ n: number }>('SELECT count(*)::int AS n FROM gateway_events WHERE order_id = $1', [orderId])).rows[0]!.n;
    const order = (await ordo.db.query<{ payment: { state: string; captured: number } }>(`SELECT body->'payments'->0 AS payment FROM orders WHERE id = $1`, [orderId])).rows[0]!;
    const violations = await checkInvariants(ordo.db);

    expect.soft(bad.slice(0, 20), `${bad.length} deliveries not answered 2xx (409, 5xx or none)`).toEqual([]);
    expect.soft(notOnce.slice(0, 20), `${notOnce.length} events not applied exactly once with the rest duplicates`).toEqual([]);
    expect.soft(rows, 'gateway_events rows: one per distinct event').toBe(DISTINCT);
    // However they interleaved, the money was taken once: the payment settled for its amount.
    expect.soft({ state: order.payment.state, captured: order.payment.captured }).toEqual({ state: 'settled', captured: amount });
    expect(violations.slice(0, 40), `${violations.length} invariant violation(s)`).toEqual([]);
  });
});
