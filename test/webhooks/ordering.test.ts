/**
 * In order per order and subscription: an order's event n+1 is not sent before event n was
 * delivered or given up, across retries; and an order whose deliveries fail holds back only
 * its own events.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from './support/receiver.js';
import { eventsOf, orderWithEvents, startWebhookApp, type WebhookApp } from './support/ordo.js';
import { deliveries, subscribe } from './support/subscribe.js';

let t: WebhookApp;
let receiver: Receiver;

beforeAll(async () => {
  t = await startWebhookApp();
});
afterAll(() => t?.close());
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await t.ordo.pool.query('DELETE FROM webhook_subscriptions');
  await receiver.close();
});

const deliver = () => t.ordo.relay.drain();
const sequencesOf = (orderId: string) => receiver.received.filter((r) => r.event.orderId === orderId).map((r) => r.event.sequence as number);

describe('per order, in order', () => {
  it('event 2 is not sent while event 1 waits for its retry, and goes once it is delivered', async () => {
    const id = await subscribe(t, receiver);
    let failuresLeft = 2;
    receiver.answer = (r) => (r.event.sequence === 1 && failuresLeft-- > 0 ? { status: 500 } : { status: 200 });
    const orderId = await orderWithEvents(t.ordo, 3);
    const count = (await eventsOf(t.ordo, orderId)).length;
    await deliver();
    expect(sequencesOf(orderId), 'only event 1, which failed').toEqual([1]);
    // The later ones wait out of the relays' way: due no earlier than event 1's retry.
    const line = (await deliveries(t, id)).filter((d) => d.orderId === orderId).sort((a, b) => a.sequence - b.sequence);
    const retryAt = new Date(t.clock.now().getTime() + 5000).toISOString();
    expect(line.map((d) => [d.status, d.nextAttemptAt])).toEqual([['pending', retryAt], ...Array.from({ length: count - 1 }, () => ['pending', retryAt])]);
    t.clock.advance(5);
    await deliver();
    expect(sequencesOf(orderId)).toEqual([1, 1]);
    t.clock.advance(300);
    await deliver();
    expect(sequencesOf(orderId)).toEqual([1, 1, 1, ...Array.from({ length: count - 1 }, (_, i) => i + 2)]);
  });

  it('a given-up event lets the next one go', async () => {
    const id = await subscribe(t, receiver);
    receiver.answer = (r) => (r.event.sequence === 2 ? { status: 500 } : { status: 200 });
    const orderId = await orderWithEvents(t.ordo, 2);
    const count = (await eventsOf(t.ordo, orderId)).length;
    for (const wait of [0, 5, 300]) {
      t.clock.advance(wait);
      await deliver();
      expect(Math.max(...sequencesOf(orderId)), 'nothing past event 2 while it is retried').toBe(2);
    }
    t.clock.advance(1800);
    await deliver();
    expect(sequencesOf(orderId)).toEqual([1, 2, 2, 2, 2, ...Array.from({ length: count - 2 }, (_, i) => i + 3)]);
    const statuses = (await deliveries(t, id)).filter((d) => d.orderId === orderId).map((d) => [d.sequence, d.status]);
    expect(statuses.sort((a, b) => a[0] - b[0])).toEqual(Array.from({ length: count }, (_, i) => [i + 1, i === 1 ? 'failed' : 'delivered']));
  });

  it('one failing order does not hold up another', async () => {
    await subscribe(t, receiver);
    const failing = await orderWithEvents(t.ordo, 2);
    receiver.answer = (r) => (r.event.orderId === failing ? { status: 503 } : { status: 200 });
    const others = [await orderWithEvents(t.ordo, 3), await orderWithEvents(t.ordo, 1)];
    await deliver();
    expect(sequencesOf(failing)).toEqual([1]);
    for (const o of others) expect(sequencesOf(o)).toEqual((await eventsOf(t.ordo, o)).map((e) => e.sequence));
    // The failing order's later events keep waiting behind its first, and more orders still flow.
    await t.ordo.orders.execute(failing, { type: 'transition', track: 'order', to: 'cancelled', reason: 'gave up' }, { kind: 'admin', id: 'x' });
    const late = await orderWithEvents(t.ordo, 1);
    await deliver();
    expect(sequencesOf(failing)).toEqual([1]);
    expect(sequencesOf(late)).toEqual((await eventsOf(t.ordo, late)).map((e) => e.sequence));
    receiver.answer = () => ({ status: 200 });
    t.clock.advance(5);
    await deliver();
    expect(sequencesOf(failing)).toEqual([1, ...(await eventsOf(t.ordo, failing)).map((e) => e.sequence)]);
  });
});
