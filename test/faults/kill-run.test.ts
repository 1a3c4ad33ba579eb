/**
 * Issue 10, the kill run: 8 clients send a mix of commands over HTTP while the Ordo server is
 * SIGKILLed at random moments (at least 10 times) and started again on the same PostgreSQL.
 * Clients retry network failures with the same Idempotency-Key and body. Afterwards the
 * database itself is held to the invariants: every 2xx is in it, nothing is half applied,
 * stock and money add up, nothing is charged twice.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answeredFrom, checkInvariants, REFUND_ON_CANCEL_REASON, type Answered } from './support/invariants.js';
import { is2xx, OrdoClient, sendCallback, signCallback, type Json, type Outcome } from './support/client.js';
import { ordoProcess, sleep, type OrdoProcess } from './support/server.js';

const CLIENTS = 8;
const KILLS = 12;
/** Each client's own bounds, whatever the killer does. */
const MAX_COMMANDS_PER_CLIENT = 400;
const CLIENT_DEADLINE_MS = 180_000;
/** Recovery of gateway calls a crash left unanswered starts 30 s after they were recorded. */
const RECOVERY_WAIT_MS = 75_000;

const PLENTY = ['FAULT-A', 'FAULT-B', 'FAULT-C'];
/** Runs out during the run: some orders are refused for stock, some payments land on short stock. */
const SCARCE = 'FAULT-SCARCE';

let ordo: OrdoProcess;
beforeAll(async () => {
  ordo = await ordoProcess();
  await ordo.start();
  const client = new OrdoClient(ordo.base);
  for (const [sku, onHand] of [...PLENTY.map((s) => [s, 1_000_000] as const), [SCARCE, 40] as const]) {
    const r = await client.send('PUT', `/v1/inventory/${sku}`, { onHand, reason: 'fault run' });
    if (!is2xx(r)) throw new Error(`could not stock ${sku}: ${JSON.stringify(r)}`);
  }
});
afterAll(async () => {
  await ordo?.close();
});

interface Tally {
  sent: number;
  ok2xx: number;
  c4xx: number;
  c5xx: number;
  lost: number;
  replayed: number;
  /** 409 idempotency_key_in_progress the client stopped waiting on. */
  stuckKeys: number;
  codes: Map<string, number>;
  errors5xx: string[];
}

/** What a client knows of an order, from the last order view it was answered with. */
interface Known {
  id: string;
  view: Json;
}

class LoadClient {
  readonly known = new Map<string, Known>();
  private n = 0;

  constructor(
    private readonly no: number,
    private readonly http: OrdoClient,
    private readonly tally: Tally,
    private readonly answered: Answered[],
  ) {}

  /** Runs commands until told to stop, or its own bounds are reached. */
  async run(stop: () => boolean): Promise<void> {
    const deadline = Date.now() + CLIENT_DEADLINE_MS;
    for (let i = 0; i < MAX_COMMANDS_PER_CLIENT && !stop() && Date.now() < deadline; i++) await this.step();
  }

  private key(): string | undefined {
    // Most writes carry a key; some do not, and are then never retried.
    return Math.random() < 0.75 ? `fk-${this.no}-${++this.n}-${randomUUID().slice(0, 8)}` : undefined;
  }

  private pick(filter: (v: Json) => boolean): Known | undefined {
    const xs = [...this.known.values()].filter((k) => filter(k.view));
    return xs.length ? xs[Math.floor(Math.random() * xs.length)] : undefined;
  }

  private async step(): Promise<void> {
    const r = Math.random();
    const placed = (v: Json) => v.status?.order === 'placed';
    if (r < 0.16) return this.create({ method: 'card' }, 'create paid');
    if (r < 0.22) return this.create({ method: 'card', capture: false }, 'create authorized');
    if (r < 0.28) return this.create({ method: 'card', simulate: 'pending' }, 'create pending');
    if (r < 0.32) return this.create(undefined, 'create unpaid');
    if (r < 0.38) {
      const o = this.pick((v) => placed(v) && v.totals?.balance > 0 && !v.payments.some((p: Json) => p.pendingOperation));
      if (o) return this.write('add payment', 'POST', `/v1/orders/${o.id}/payments`, { method: 'card' });
    } else if (r < 0.45) {
      const o = this.pick((v) => v.payments?.some((p: Json) => p.state === 'authorized'));
      const p = o?.view.payments.find((x: Json) => x.state === 'authorized');
      if (o && p) return this.write('capture', 'POST', `/v1/payments/${p.id}/capture`, Math.random() < 0.5 ? {} : { amount: Math.max(1, Math.floor(p.authorized / 2)) }, o.id);
    } else if (r < 0.52) {
      const o = this.pick((v) => v.totals?.paid - v.totals?.refunded > 300);
      if (o) return this.write('refund', 'POST', `/v1/orders/${o.id}/refunds`, { amount: 100 + Math.floor(Math.random() * 200), reason: 'fault run refund' });
    } else if (r < 0.57) {
      const o = this.pick((v) => placed(v));
      if (o) return this.write('cancel with refund', 'POST', `/v1/orders/${o.id}/cancellations`, { reason: REFUND_ON_CANCEL_REASON, refund: true });
    } else if (r < 0.64) {
      const o = this.pick((v) => placed(v) && v.lines?.some((l: Json) => l.quantity - l.fulfilled > 0));
      const line = o?.view.lines.find((l: Json) => l.quantity - l.fulfilled > 0);
      if (o && line) return this.write('fulfill', 'POST', `/v1/orders/${o.id}/fulfillments`, { lines: [{ lineId: line.id, quantity: 1 }], carrier: 'DHL' });
    } else if (r < 0.7) {
      const o = this.pick((v) => v.fulfillments?.some((f: Json) => f.state === 'pending' || f.state === 'shipped'));
      const f = o?.view.fulfillments.find((x: Json) => x.state === 'pending' || x.state === 'shipped');
      if (o && f) return this.write('move parcel', 'POST', `/v1/fulfillments/${f.id}/transitions`, { to: f.state === 'pending' ? 'shipped' : 'delivered' }, o.id);
    } else if (r < 0.77) {
      const o = this.pick((v) => v.status?.order === 'placed' || v.status?.order === 'in_review');
      if (o) {
        const to = o.view.status.order === 'in_review' ? 'placed' : Math.random() < 0.6 ? 'in_review' : 'completed';
        return this.write('transition', 'POST', `/v1/orders/${o.id}/transitions`, { track: 'order', to, reason: 'fault run' });
      }
    } else if (r < 0.84) {
      const o = this.pick((v) => placed(v));
      if (o) {
        const line = o.view.lines[0];
        const change = Math.random() < 0.5 || !line
          ? { surcharges: [{ description: 'fault run', amount: -(50 + Math.floor(Math.random() * 100)) }] }
          : { changeLines: [{ lineId: line.id, quantity: line.quantity + 1 }] };
        return this.write('modify', 'POST', `/v1/orders/${o.id}/modifications`, change);
      }
    } else if (r < 0.94) {
      const o = this.pick((v) => v.payments?.some((p: Json) => p.state === 'pending' && p.method === 'card'));
      const p = o?.view.payments.find((x: Json) => x.state === 'pending' && x.method === 'card');
      if (o && p) return this.callback(o.id, p.id);
    } else {
      const o = this.pick(() => true);
      if (o) return this.read(o.id);
    }
    return this.create({ method: 'card' }, 'create paid');
  }

  private async create(payment: Json, what: string): Promise<void> {
    const key = this.key();
    const sku = Math.random() < 0.2 ? SCARCE : PLENTY[Math.floor(Math.random() * PLENTY.length)]!;
    const body = {
      currency: 'EUR',
      customer: { email: `client${this.no}@faults.example`, name: `Client ${this.no}` },
      lines: [{ sku, quantity: 1 + Math.floor(Math.random() * 3), unitPrice: 1000 + Math.floor(Math.random() * 5000) }, { sku: PLENTY[0]!, quantity: 1, unitPrice: 700 }],
      shipping: { amount: 495 },
      ...(payment ? { payment } : {}),
      // One key, at most one order: the checks count orders per key from here.
      metadata: key ? { faultKey: key } : { faultRef: randomUUID() },
    };
    await this.write(what, 'POST', '/v1/orders', body, undefined, key);
  }

  private async write(what: string, method: string, url: string, body: unknown, orderId?: string, key = this.key()): Promise<void> {
    const out = await this.http.send(method, url, body, key ? { key } : {});
    this.count(what, out);
    if (is2xx(out)) this.learn(what, out.body, orderId);
    else if (out.kind === 'answer' && out.status === 404 && orderId) this.known.delete(orderId);
  }

  private async callback(orderId: string, paymentId: string): Promise<void> {
    const cb = signCallback({ type: 'payment.settled', paymentId });
    const out = await sendCallback(this.http, cb);
    this.count('callback', out);
    // A gateway delivers at least once: sometimes the same event again.
    if (is2xx(out) && Math.random() < 0.3) this.count('callback again', await sendCallback(this.http, cb));
    await this.read(orderId);
  }

  private async read(orderId: string): Promise<void> {
    const out = await this.http.send('GET', `/v1/orders/${orderId}`);
    if (is2xx(out)) this.learn('read', out.body);
  }

  private learn(what: string, view: Json, orderId?: string): void {
    const a = answeredFrom(what, view);
    if (!a) return;
    this.answered.push(a);
    this.known.set(a.orderId, { id: a.orderId, view });
    if (orderId && orderId !== a.orderId) this.known.delete(orderId);
  }

  private count(what: string, out: Outcome): void {
    const t = this.tally;
    t.sent++;
    if (out.kind === 'lost') {
      t.lost++;
      return;
    }
    if (out.replayed) t.replayed++;
    if (out.status >= 200 && out.status < 300) t.ok2xx++;
    else if (out.status >= 500) {
      t.c5xx++;
      if (t.errors5xx.length < 10) t.errors5xx.push(`${what}: ${out.status} ${JSON.stringify(out.body).slice(0, 300)}`);
    } else {
      t.c4xx++;
      const code = `${out.status} ${out.body?.code ?? '?'}`;
      if (code === '409 idempotency_key_in_progress') t.stuckKeys++;
      t.codes.set(code, (t.codes.get(code) ?? 0) + 1);
    }
  }
}

describe('SIGKILL under a mixed load', () => {
  it('keeps every invariant through at least 10 kills', async () => {
    const tally: Tally = { sent: 0, ok2xx: 0, c4xx: 0, c5xx: 0, lost: 0, replayed: 0, stuckKeys: 0, codes: new Map(), errors5xx: [] };
    const answered: Answered[] = [];
    const http = new OrdoClient(ordo.base);
    let stopping = false;
    const clients = Array.from({ length: CLIENTS }, (_, i) => new LoadClient(i + 1, http, tally, answered));
    const running = clients.map((c) => c.run(() => stopping));

    // The killer: a random moment of up time, SIGKILL, a short random outage, start again.
    for (let k = 0; k < KILLS; k++) {
      await sleep(1000 + Math.random() * 3500);
      await ordo.kill();
      await sleep(Math.random() * 300);
      await ordo.start();
    }
    await sleep(2000);
    stopping = true;
    await Promise.all(running);

    // Gateway calls a kill left unanswered are finished by the server's recovery (30 s on): let it run.
    const until = Date.now() + RECOVERY_WAIT_MS;
    while (Date.now() < until) {
      const open = await ordo.db.query<{ n: number }>('SELECT count(*)::int AS n FROM payments WHERE intent_at IS NOT NULL');
      if (open.rows[0]!.n === 0) break;
      await sleep(1000);
    }
    await ordo.stop();

    const violations = await checkInvariants(ordo.db, { answered, createKeys: true });
    const orders = (await ordo.db.query<{ n: number }>('SELECT count(*)::int AS n FROM orders')).rows[0]!.n;
    const codes = [...tally.codes.entries()].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} x${n}`).join(', ');
    console.log(`faults summary: commands sent ${tally.sent}, 2xx ${tally.ok2xx}, kills ${ordo.kills}, violations ${violations.length}`);
    console.log(`  details: 4xx ${tally.c4xx} (${codes}), 5xx ${tally.c5xx}, no answer ${tally.lost}, replayed ${tally.replayed}, keys left in progress ${tally.stuckKeys}, orders ${orders}`);
    if (tally.errors5xx.length) console.log(`  5xx answers: ${tally.errors5xx.join('\n    ')}`);
    if (violations.length) console.log(`  violations (first 40):\n    ${violations.slice(0, 40).join('\n    ')}`);

    expect(ordo.kills).toBeGreaterThanOrEqual(10);
    expect(tally.ok2xx).toBeGreaterThan(0);
    expect(violations.slice(0, 40), `${violations.length} violation(s)`).toEqual([]);
    // A server on a live database has no reason to fail a request of its own accord.
    expect(tally.errors5xx).toEqual([]);
  });
});
