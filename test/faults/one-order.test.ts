/**
 * Issue 10, 50 clients on one order: payments, refunds, fulfillments, parcel moves and status
 * changes sent at once, without If-Match. Nobody pinned a version, so nobody may be told
 * 409 concurrent_update: each command is decided again until it applies or is refused for a
 * reason of the order's own. Every 2xx must be in the order, and nothing else.
 */
import { describe, expect, it } from 'vitest';
import { answeredFrom, checkInvariants, type Answered } from './support/invariants.js';
import type { OrdoClient} from './support/client.js';
import { is2xx, type Json, type Outcome } from './support/client.js';
import { useOrdoProcess, sleep, type OrdoProcess } from './support/server.js';

const CLIENTS = 50;
const COMMANDS_PER_CLIENT = 6;
const REASON = 'fault suite: fifty clients';

let ordo: OrdoProcess;
let http: OrdoClient;
useOrdoProcess((o, h) => {
  ordo = o;
  http = h;
});

type Kind = 'payment' | 'refund' | 'fulfillment' | 'parcel' | 'transition';

describe('50 clients on one order', () => {
  it('applies every command or refuses it for a reason of the order, never for the race', async () => {
    for (const sku of ['ONE-A', 'ONE-B']) expect(is2xx(await http.send('PUT', `/v1/inventory/${sku}`, { onHand: 10_000 }))).toBe(true);
    const created = await http.send('POST', '/v1/orders', {
      currency: 'EUR', customer: { email: 'fifty@faults.example' },
      lines: [{ sku: 'ONE-A', quantity: 200, unitPrice: 1000 }, { sku: 'ONE-B', quantity: 200, unitPrice: 500 }],
      shipping: { amount: 495 },
    });
    if (!is2xx(created)) throw new Error(`could not create the order: ${JSON.stringify(created)}`);
    const order: Json = created.body;
    const lineIds: string[] = order.lines.map((l: Json) => l.id);

    const answers: { kind: Kind; out: Outcome }[] = [];
    const answered: Answered[] = [];
    let slowest = 0;
    const client = async (no: number) => {
      const parcels: string[] = [];
      for (let i = 0; i < COMMANDS_PER_CLIENT; i++) {
        const kind: Kind = (['payment', 'refund', 'fulfillment', 'transition', parcels.length ? 'parcel' : 'payment', 'refund'] as const)[(no + i) % 6]!;
        // Half the clients send keys. A slow answer is waited for: this test is about what is answered, not how fast.
        const key = { ...(no % 2 === 0 ? { key: `fifty-${no}-${i}` } : {}), timeoutMs: 120_000 };
        let out: Outcome;
        const t0 = Date.now();
        switch (kind) {
          case 'payment':
            out = await http.send('POST', `/v1/orders/${order.id}/payments`, { method: 'card', amount: 1000 + no }, key);
            break;
          case 'refund':
            out = await http.send('POST', `/v1/orders/${order.id}/refunds`, { amount: 50, reason: REASON }, key);
            break;
          case 'fulfillment':
            out = await http.send('POST', `/v1/orders/${order.id}/fulfillments`, { lines: [{ lineId: lineIds[no % 2]!, quantity: 1 }], carrier: 'DHL' }, key);
            if (is2xx(out)) {
              // Its own parcel cannot be told from one made at the same moment by another client: the newest
              // listed will do, and two clients moving one parcel is a race the engine must answer too.
              const mine = out.body.fulfillments.at(-1);
              if (mine) parcels.push(mine.id);
            }
            break;
          case 'parcel':
            out = await http.send('POST', `/v1/fulfillments/${parcels.shift()}/transitions`, { to: 'shipped' }, key);
            break;
          case 'transition': {
            const to = no % 4 === 1 ? 'in_review' : 'placed';
            out = await http.send('POST', `/v1/orders/${order.id}/transitions`, { track: 'order', to, reason: REASON }, key);
            break;
          }
          default:
            throw new Error(kind satisfies never);
        }
        slowest = Math.max(slowest, Date.now() - t0);
        answers.push({ kind, out });
        const a = is2xx(out) ? answeredFrom(kind, out.body) : undefined;
        if (a) answered.push(a);
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));

    // Let automatic follow-ups (a capture when a review is lifted) settle, then stop writing.
    for (let i = 0; i < 40; i++) {
      const open = await ordo.db.query<{ n: number }>('SELECT count(*)::int AS n FROM payments WHERE intent_at IS NOT NULL');
      if (open.rows[0]!.n === 0) break;
      await sleep(500);
    }
    await ordo.stop();

    const tally = new Map<string, number>();
    for (const { kind, out } of answers) {
      const label = out.kind === 'lost' ? `${kind} no answer` : `${kind} ${out.status}${is2xx(out) ? '' : ` ${out.body?.code ?? ''}`}`;
      tally.set(label, (tally.get(label) ?? 0) + 1);
    }
    console.log(`fifty clients: ${[...tally.entries()].sort().map(([k, n]) => `${k} x${n}`).join(', ')}; slowest answer ${slowest} ms`);

    const raced = answers.filter(({ out }) => out.kind === 'answer' && out.body?.code === 'concurrent_update');
    const failed = answers.filter(({ out }) => out.kind === 'lost' || out.status >= 500);
    const db = ordo.db;
    const stored = (await db.query<{ body: Json; version: number }>('SELECT body, version FROM orders WHERE id = $1', [order.id])).rows[0]!;
    const ok = (k: Kind) => answers.filter((a) => a.kind === k && is2xx(a.out)).length;
    const transitions = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM order_history WHERE order_id = $1 AND type = 'order.status_changed' AND reason = $2`, [order.id, REASON])).rows[0]!.n;
    const violations = await checkInvariants(db, { answered });

    expect.soft(raced.map((a) => `${a.kind}: ${JSON.stringify(a.out.kind === 'answer' ? a.out.body : a.out).slice(0, 200)}`), '409 concurrent_update answers').toEqual([]);
    expect.soft(failed.map((a) => `${a.kind}: ${JSON.stringify(a.out).slice(0, 300)}`), 'lost or 5xx answers').toEqual([]);
    // Each 2xx made exactly one of these; a refused command made none (no half-applied command left a row behind).
    expect.soft(stored.body.payments.length, 'payments on the order vs 2xx payment answers').toBe(ok('payment'));
    expect.soft(stored.body.refunds.length, 'refunds on the order vs 2xx refund answers').toBe(ok('refund'));
    expect.soft(stored.body.fulfillments.length, 'parcels on the order vs 2xx fulfillment answers').toBe(ok('fulfillment'));
    expect.soft(stored.body.fulfillments.filter((f: Json) => f.state === 'shipped').length, 'shipped parcels vs 2xx parcel moves').toBe(ok('parcel'));
    expect.soft(transitions, 'status changes by the clients vs 2xx transitions').toBe(ok('transition'));
    expect(violations.slice(0, 40), `${violations.length} invariant violation(s)`).toEqual([]);
  });
});
