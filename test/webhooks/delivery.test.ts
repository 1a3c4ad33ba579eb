/**
 * Deliveries to a real receiver on loopback: every one verified with `standardwebhooks` as a
 * receiver would (with each secret during a rotation); the body is the event envelope; failures
 * are retried on the schedule (walked with the manual clock), Retry-After is honoured, 410 and
 * five days of failures switch the subscription off with a `webhook.disabled` event; every
 * attempt is logged; a delivery can be re-sent, and every failed one since a time.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { STORE_STREAM } from '../../src/store/events.js';
import { isPlacing, statementsOf } from '../support/statements.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { deliveryRows, eventsOf, orderWithEvents, startWebhookApp, type WebhookApp } from './support/ordo.js';
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
  await t.ordo.relay.drain();
  await t.ordo.pool.query('DELETE FROM webhook_subscriptions');
  await receiver.close();
});

const deliver = () => t.ordo.relay.drain();

describe('a delivery', () => {
  it('is the event envelope, signed the Standard Webhooks way, with the event id as webhook-id', async () => {
    await subscribe(t, receiver);
    const orderId = await orderWithEvents(t.ordo, 2);
    await deliver();
    const events = await eventsOf(t.ordo, orderId);
    const mine = receiver.received.filter((r) => r.event.orderId === orderId);
    expect(mine.map((r) => r.id)).toEqual(events.map((e) => e.id));
    for (const r of receiver.received) {
      expect(r.verifiedBy, `${r.id} verifies with the subscription's secret`).toEqual([0]);
      expect(r.event.id).toBe(r.id);
      expect(Object.keys(r.event).sort()).toEqual(['actor', 'data', 'id', 'occurredAt', 'orderCode', 'orderId', 'sequence', 'type']);
    }
    expect(mine.map((r) => r.event.sequence)).toEqual(events.map((e) => e.sequence));
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(mine[0]!.event).toMatchObject({ type: 'order.created', orderId, actor: { kind: 'admin' }, data: { order: { version: expect.any(Number) } } });
  });

  it('goes only to subscriptions whose patterns match', async () => {
    const other = await startReceiver();
    try {
      await subscribe(t, receiver, ['order.created']);
      await subscribe(t, other, ['order.status_changed', 'payment.*']);
      const orderId = await orderWithEvents(t.ordo, 1);
      await deliver();
      expect(receiver.received.map((r) => r.event.type)).toEqual(['order.created']);
      const wanted = (await eventsOf(t.ordo, orderId)).filter((e) => e.type === 'order.status_changed');
      expect(wanted.length).toBeGreaterThan(0);
      expect(other.received.map((r) => r.id)).toEqual(wanted.map((e) => e.id));
    } finally {
      await other.close();
    }
  });

  it('is queued by the statement that places its event: a placing sends no fan-out statement of its own', async () => {
    const id = await subscribe(t, receiver, ['order.created']);
    await orderWithEvents(t.ordo, 1);
    const webhookStatements = (sent: string[]) => sent.filter((q) => q.includes('webhook'));
    const sent = await statementsOf(() => t.ordo.relay.place());
    expect(sent.some(isPlacing)).toBe(true);
    // Before, a statement of its own matched the placed events to the subscriptions (ordo_webhook_fan_out).
    // What remains is holding the new delivery behind its line's retries.
    expect(webhookStatements(sent)).toEqual(['ordo_webhook_hold_behind']);
    expect((await deliveryRows(t.ordo, id)).map((d) => d.event_type)).toEqual(['order.created']);
    // With no subscription to match, no webhook statement at all.
    await t.ordo.pool.query('DELETE FROM webhook_subscriptions');
    await orderWithEvents(t.ordo, 1);
    const alone = await statementsOf(() => t.ordo.relay.place());
    expect(alone.some(isPlacing)).toBe(true);
    expect(webhookStatements(alone)).toEqual([]);
  });

  it('during a secret rotation carries both signatures, each verifying; after a day only the new one', async () => {
    const id = await subscribe(t, receiver, ['order.created']);
    const old = receiver.secrets[0]!;
    const rotated = await t.call('POST', `/v1/webhooks/${id}/rotate-secret`);
    receiver.secrets = [old, rotated.body.secret];
    await orderWithEvents(t.ordo);
    await deliver();
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.signature.split(' ')).toHaveLength(2);
    expect(receiver.received[0]!.verifiedBy).toEqual([0, 1]);
    t.clock.advance(24 * 3600 + 1);
    await orderWithEvents(t.ordo);
    await deliver();
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]!.signature.split(' ')).toHaveLength(1);
    expect(receiver.received[1]!.verifiedBy).toEqual([1]);
  });
});

describe('retries', () => {
  it('follow the schedule (0s, 5s, 5m, 30m here), then the delivery is failed; every attempt is logged', async () => {
    const id = await subscribe(t, receiver, ['order.created']);
    receiver.answer = () => ({ status: 500, body: 'x'.repeat(5000) });
    await orderWithEvents(t.ordo);
    const start = t.clock.now().getTime();
    await deliver();
    expect(receiver.received).toHaveLength(1);
    let [d] = await deliveries(t, id);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: new Date(start + 5000).toISOString() });
    await deliver();
    expect(receiver.received, 'nothing before its time').toHaveLength(1);
    for (const [wait, attempts] of [[5, 2], [300, 3]] as const) {
      t.clock.advance(wait - 1);
      await deliver();
      expect(receiver.received).toHaveLength(attempts - 1);
      t.clock.advance(1);
      await deliver();
      expect(receiver.received).toHaveLength(attempts);
    }
    [d] = await deliveries(t, id);
    expect(d).toMatchObject({ status: 'pending', attempts: 3, nextAttemptAt: new Date(t.clock.now().getTime() + 1800_000).toISOString() });
    t.clock.advance(1800);
    await deliver();
    [d] = await deliveries(t, id);
    expect(d).toMatchObject({ status: 'failed', attempts: 4, nextAttemptAt: null });
    expect(new Set(receiver.received.map((r) => r.id)).size, 'one event, one webhook-id on every attempt').toBe(1);
    expect(d.log).toHaveLength(4);
    for (const entry of d.log) {
      expect(entry).toMatchObject({ status: 500, error: null, durationMs: expect.any(Number) });
      expect(entry.response).toMatch(/^x+$/);
      expect(entry.response.length, 'only a bounded excerpt is kept').toBeLessThanOrEqual(1024);
    }
    expect(d.log.map((e: { at: string }) => e.at)).toEqual([0, 5, 305, 2105].map((s) => new Date(start + s * 1000).toISOString()));
    t.clock.advance(86_400);
    await deliver();
    expect(receiver.received, 'a failed delivery is not tried again by itself').toHaveLength(4);
  });

  it('honour Retry-After on 429 (seconds) and 503 (a date)', async () => {
    const id = await subscribe(t, receiver, ['order.created']);
    const answers = [
      { status: 429, headers: { 'retry-after': '120' } },
      { status: 503, headers: { 'retry-after': new Date(t.clock.now().getTime() + 120_000 + 3600_000).toUTCString() } },
    ];
    receiver.answer = () => answers.shift() ?? { status: 200 };
    await orderWithEvents(t.ordo);
    await deliver();
    let [d] = await deliveries(t, id);
    expect(d.nextAttemptAt).toBe(new Date(t.clock.now().getTime() + 120_000).toISOString());
    t.clock.advance(119);
    await deliver();
    expect(receiver.received).toHaveLength(1);
    t.clock.advance(1);
    await deliver();
    expect(receiver.received).toHaveLength(2);
    [d] = await deliveries(t, id);
    // The date was an hour past the second attempt: whole seconds, as HTTP dates are.
    expect(Math.round((new Date(d.nextAttemptAt).getTime() - t.clock.now().getTime()) / 1000)).toBe(3600);
    t.clock.advance(3600);
    await deliver();
    [d] = await deliveries(t, id);
    expect(d).toMatchObject({ status: 'delivered', attempts: 3 });
    expect(d.log.map((e: { status: number }) => e.status)).toEqual([429, 503, 200]);
  });

  it('log a timeout and a dropped connection as errors, and retry them', async () => {
    const id = await subscribe(t, receiver, ['order.created']);
    const answers: ('hang' | 'close')[] = ['hang', 'close'];
    receiver.answer = () => answers.shift() ?? { status: 204 };
    await orderWithEvents(t.ordo);
    await deliver();
    t.clock.advance(5);
    await deliver();
    t.clock.advance(300);
    await deliver();
    const [d] = await deliveries(t, id);
    expect(d.status).toBe('delivered');
    expect(d.log.map((e: { status: number | null }) => e.status)).toEqual([null, null, 204]);
    expect(d.log[0].error).toMatch(/timed out/);
    expect(d.log[1].error).toMatch(/socket hang up|ECONNRESET|closed/i);
    expect(d.log[2]).toMatchObject({ error: null, response: null });
  });
});

describe('switching off', () => {
  it('410 fails the delivery and switches the subscription off, with a store-wide webhook.disabled event', async () => {
    const watcher = await startReceiver();
    try {
      await subscribe(t, watcher, ['webhook.*']);
      const id = await subscribe(t, receiver, ['order.created']);
      receiver.answer = () => ({ status: 410 });
      await orderWithEvents(t.ordo);
      await deliver();
      const [d] = await deliveries(t, id);
      expect(d).toMatchObject({ status: 'failed', attempts: 1 });
      expect((await t.call('GET', `/v1/webhooks/${id}`)).body).toMatchObject({ enabled: false, disabledReason: 'gone' });
      const event = (await t.ordo.pool.query("SELECT payload FROM outbox WHERE order_id = $1 AND type = 'webhook.disabled' AND payload->'data'->>'webhookId' = $2", [STORE_STREAM, id])).rows;
      expect(event).toHaveLength(1);
      expect(watcher.received.map((r) => [r.event.type, r.event.orderId, r.event.data.webhookId, r.event.data.reason])).toEqual([['webhook.disabled', null, id, 'gone']]);
      expect(watcher.received[0]!.verifiedBy).toEqual([0]);
      // Switched off: new events are not queued for it.
      await orderWithEvents(t.ordo);
      await deliver();
      expect(receiver.received).toHaveLength(1);
      // Switched on again by a person: it forgets why, and receives again.
      receiver.answer = () => ({ status: 200 });
      expect((await t.call('PATCH', `/v1/webhooks/${id}`, { enabled: true })).body).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
      await orderWithEvents(t.ordo);
      await deliver();
      expect(receiver.received).toHaveLength(2);
    } finally {
      await watcher.close();
    }
  });

  it('after five days of nothing but failures, with a webhook.disabled event; a success in between starts the count again', async () => {
    const id = await subscribe(t, receiver, ['order.created']);
    receiver.answer = () => ({ status: 500 });
    await orderWithEvents(t.ordo);
    await deliver();
    const since = t.clock.now().toISOString();
    expect((await t.call('GET', `/v1/webhooks/${id}`)).body.failingSince).toBe(since);
    // A success clears it.
    receiver.answer = () => ({ status: 200 });
    t.clock.advance(5);
    await deliver();
    expect((await t.call('GET', `/v1/webhooks/${id}`)).body.failingSince).toBeNull();
    receiver.answer = () => ({ status: 500 });
    await orderWithEvents(t.ordo);
    await deliver();
    const failingSince = t.clock.now().getTime();
    t.clock.advance(4 * 86_400);
    await orderWithEvents(t.ordo);
    await deliver();
    expect((await t.call('GET', `/v1/webhooks/${id}`)).body).toMatchObject({ enabled: true, failingSince: new Date(failingSince).toISOString() });
    t.clock.advance(86_400);
    await orderWithEvents(t.ordo);
    await deliver();
    expect((await t.call('GET', `/v1/webhooks/${id}`)).body).toMatchObject({ enabled: false, disabledReason: 'failing' });
    const events = (await t.ordo.pool.query("SELECT payload FROM outbox WHERE type = 'webhook.disabled' AND payload->'data'->>'webhookId' = $1", [id])).rows;
    expect(events.map((e) => e.payload.data.reason)).toEqual(['failing']);
  });
});

describe('re-sending', () => {
  it('redeliver sends one delivery again, with its log kept', async () => {
    const id = await subscribe(t, receiver, ['order.created']);
    await orderWithEvents(t.ordo);
    await deliver();
    const [d] = await deliveries(t, id);
    expect(d.status).toBe('delivered');
    const again = await t.call('POST', `/v1/webhooks/${id}/deliveries/${d.id}/redeliver`);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ id: d.id, status: 'pending', attempts: 0 });
    await deliver();
    expect(receiver.received.map((r) => r.id)).toEqual([d.eventId, d.eventId]);
    expect(receiver.received.every((r) => r.verifiedBy.length === 1)).toBe(true);
    const [after] = await deliveries(t, id);
    expect(after).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(after.log).toHaveLength(2);
    const missing = await t.call('POST', `/v1/webhooks/${id}/deliveries/${crypto.randomUUID()}/redeliver`);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('delivery_not_found');
  });

  it('recover re-sends every failed delivery since a time, and only those', async () => {
    const id = await subscribe(t, receiver, ['order.created']);
    receiver.answer = () => ({ status: 500 });
    const early = await orderWithEvents(t.ordo);
    const since = t.clock.now();
    t.clock.advance(60);
    await orderWithEvents(t.ordo);
    await orderWithEvents(t.ordo);
    for (const wait of [0, 5, 300, 1800]) {
      t.clock.advance(wait);
      await deliver();
    }
    const failed = await deliveries(t, id, '?status=failed');
    expect(failed).toHaveLength(3);
    receiver.answer = () => ({ status: 200 });
    const recovered = await t.call('POST', `/v1/webhooks/${id}/recover`, { since: new Date(since.getTime() + 1000).toISOString() });
    expect(recovered.status).toBe(202);
    expect(recovered.body).toEqual({ requeued: 2 });
    await deliver();
    const [earlyEvent] = await eventsOf(t.ordo, early);
    expect((await deliveries(t, id, '?status=delivered')).map((d) => d.eventId).sort()).toEqual(failed.map((d) => d.eventId).filter((e) => e !== earlyEvent!.id).sort());
    expect((await deliveries(t, id, '?status=failed')).map((d) => d.eventId)).toEqual([earlyEvent!.id]);
    expect((await t.call('POST', `/v1/webhooks/${crypto.randomUUID()}/recover`, { since: since.toISOString() })).status).toBe(404);
  });

  it('the log pages, newest first', async () => {
    const id = await subscribe(t, receiver, ['order.created']);
    for (let i = 0; i < 5; i++) await orderWithEvents(t.ordo);
    await deliver();
    const first = await t.call('GET', `/v1/webhooks/${id}/deliveries?limit=2`);
    const second = await t.call('GET', `/v1/webhooks/${id}/deliveries?limit=2&after=${first.body.nextCursor}`);
    const third = await t.call('GET', `/v1/webhooks/${id}/deliveries?limit=2&after=${second.body.nextCursor}`);
    const all = (await deliveryRows(t.ordo, id)).map((r) => r.id).reverse();
    expect([...first.body.items, ...second.body.items, ...third.body.items].map((d) => d.id)).toEqual(all);
    expect(third.body.nextCursor).toBeNull();
  });
});

describe('housekeeping', () => {
  it('counts deliveries pending and failed per subscription (for /metrics), and prunes finished ones past the retention', async () => {
    const id = await subscribe(t, receiver, ['order.created']);
    receiver.answer = () => ({ status: 500 });
    await orderWithEvents(t.ordo);
    await deliver();
    await orderWithEvents(t.ordo);
    await t.ordo.relay.place();
    expect((await t.ordo.webhooks.counts()).find((c) => c.subscriptionId === id)).toEqual({ subscriptionId: id, pending: 2, failed: 0 });
    for (const wait of [5, 300, 1800, 1800]) {
      t.clock.advance(wait);
      await deliver();
    }
    expect((await t.ordo.webhooks.counts()).find((c) => c.subscriptionId === id)).toEqual({ subscriptionId: id, pending: 0, failed: 2 });
    t.clock.advance(t.ordo.relay.retentionDays * 86_400 + 1);
    await t.ordo.relay.prune();
    expect(await deliveryRows(t.ordo, id)).toEqual([]);
  });
});

describe('server-side request forgery', () => {
  for (const host of ['127.0.0.1', 'localhost']) {
    it(`a target that is private at delivery time (${host}) is not called, unless allowed`, async () => {
      // Subscribed where private targets are allowed; delivered by a deployment that refuses them.
      const strict = await startWebhookApp({ databaseUrl: t.databaseUrl, clock: t.clock, webhooks: { allowPrivateTargets: false } });
      try {
        const id = await subscribe(t, receiver, ['order.created'], receiver.url.replace('127.0.0.1', host));
        await orderWithEvents(t.ordo);
        await strict.ordo.relay.drain();
        expect(receiver.received).toHaveLength(0);
        const [d] = await deliveries(t, id);
        expect(d).toMatchObject({ status: 'pending', attempts: 1 });
        expect(d.log[0]).toMatchObject({ status: null, response: null });
        expect(d.log[0].error).toMatch(/refused: .*not a public address/);
      } finally {
        await strict.close();
      }
    });
  }
});
