/**
 * Two relays (two Ordo instances on one database) working one backlog while orders keep
 * changing: every event is delivered, no delivery is in flight twice at once (the receiver
 * notes any webhook-id that arrives while the same id is still being answered), and each
 * order's events arrive in order, retries included. With the plain statements (SKIP LOCKED)
 * and the Citus ones (claims by key).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from './support/receiver.js';
import { orderWithEvents, startWebhookApp, type WebhookApp } from './support/ordo.js';
import { subscribe } from './support/subscribe.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let apps: WebhookApp[] = [];
let receiver: Receiver | undefined;
afterEach(async () => {
  for (const a of apps.reverse()) await a.close();
  apps = [];
  await receiver?.close();
});

describe.each(['plain', 'citus'] as const)('two relays, %s statements', (statements) => {
  it('deliver everything once at a time, in order per order', async () => {
    // Immediate retries, so that failed first attempts are retried by whichever relay claims them.
    const webhooks = { retrySchedule: '0s,0s,0s,0s,0s', concurrency: 8 };
    const a = await startWebhookApp({ statements, webhooks });
    const b = await startWebhookApp({ statements, webhooks, databaseUrl: a.databaseUrl, clock: a.clock });
    apps.push(a, b);
    receiver = await startReceiver();
    const seen = new Set<string>();
    // Slow enough answers that both relays have sends in flight; each event's first attempt fails now and then.
    receiver.answer = (r) => {
      const first = !seen.has(r.id);
      seen.add(r.id);
      return first && r.event.sequence % 3 === 2 ? { status: 500, delayMs: 3 } : { status: 200, delayMs: 1 + (r.event.sequence % 4) };
    };
    await subscribe(a, receiver);
    const stops = [a.ordo.relay.start(), b.ordo.relay.start()];
    const orders = await Promise.all(Array.from({ length: 24 }, (_, i) => orderWithEvents(i % 2 ? a.ordo : b.ordo, 2 + (i % 3))));
    const expected = (await a.ordo.pool.query('SELECT id, order_id, sequence FROM outbox WHERE order_id = ANY($1) ORDER BY order_id, sequence', [orders])).rows;
    // Wait for the work to be done (bounded, not timed): every delivery delivered.
    for (let i = 0; i < 600; i++) {
      const open = (await a.ordo.pool.query("SELECT count(*)::int AS n FROM webhook_deliveries WHERE status <> 'delivered'")).rows[0].n;
      const placed = (await a.ordo.pool.query('SELECT count(*)::int AS n FROM webhook_deliveries')).rows[0].n;
      if (open === 0 && placed >= expected.length) break;
      await sleep(50);
    }
    await Promise.all(stops.map((stop) => stop()));
    expect(receiver.overlaps, 'no delivery in flight twice at once').toEqual([]);
    const received = new Set(receiver.received.map((r) => r.id));
    expect(expected.filter((e) => !received.has(e.id)), 'every event delivered').toEqual([]);
    for (const orderId of orders) {
      const sequences = receiver.received.filter((r) => r.event.orderId === orderId).map((r) => r.event.sequence as number);
      expect(sequences, `order ${orderId} in order`).toEqual([...sequences].sort((x, y) => x - y));
    }
    expect(receiver.received.every((r) => r.verifiedBy.length === 1)).toBe(true);
  }, 60_000);
});
