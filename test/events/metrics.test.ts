/** GET /metrics: Prometheus text for admin keys or the metrics token, with what operators watch. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { registerMetrics } from '../../src/http/metrics.js';
import { handingOn, orderBody, startTestApp, type TestApp } from '../support/app.js';
import { expectProblem } from '../http/helpers.js';

let t: TestApp;
beforeAll(async () => {
  // A subscription to a closed port on this machine: its deliveries wait, counted per subscription.
  process.env.ORDO_ALLOW_PRIVATE_WEBHOOKS = '1';
  // Messages are handed on, as with SMTP: they wait to be sent until the notifier's loop claims them.
  t = await startTestApp({ notifier: handingOn });
  delete process.env.ORDO_ALLOW_PRIVATE_WEBHOOKS;
});
afterAll(async () => {
  await t.close();
});

const scrape = async () => {
  const res = await t.call('GET', '/metrics');
  expect(res.status, res.text).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain/);
  return res.text;
};

/** The value of one series, e.g. value(text, 'ordo_commands_total', { type: 'transition', result: 'ok' }). */
function value(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const m = line.match(/^([a-z_]+)(?:\{(.*)\})? (\S+)$/);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return 0;
}

describe('GET /metrics', () => {
  it('counts commands by type and result, refusals by their code', async () => {
    const before = await scrape();
    const o = (await t.call('POST', '/v1/orders', orderBody())).body;
    await t.call('POST', `/v1/orders/${o.id}/transitions`, { to: 'cancelled' });
    await t.call('POST', `/v1/orders/${o.id}/transitions`, { to: 'shipped' });
    const after = await scrape();
    const delta = (labels: Record<string, string>) => value(after, 'ordo_commands_total', labels) - value(before, 'ordo_commands_total', labels);
    expect(delta({ type: 'create', result: 'ok' })).toBe(1);
    expect(delta({ type: 'transition', result: 'ok' })).toBe(1);
    const refusals = after.split('\n').filter((l) => l.startsWith('ordo_commands_total{') && l.includes('type="transition"') && !l.includes('result="ok"'));
    expect(refusals.length).toBeGreaterThan(0);
  });

  it('times HTTP requests by route pattern, never by raw URL', async () => {
    const o = (await t.call('POST', '/v1/orders', orderBody())).body;
    await t.call('GET', `/v1/orders/${o.id}`);
    const text = await scrape();
    expect(value(text, 'ordo_http_request_duration_seconds_count', { method: 'GET', route: '/v1/orders/:id', status: '2xx' })).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(o.id);
  });

  it('shows the outbox lag until the relay places the events, and timers due', async () => {
    await t.ordo.relay.place();
    expect(value(await scrape(), 'ordo_outbox_lag_seconds')).toBe(0);
    await t.call('POST', '/v1/orders', orderBody({ payment: { method: 'payment_link' } }));
    t.clock.advance(42);
    // The scrape itself does not place: the lag is the age of the oldest waiting event.
    expect(value(await scrape(), 'ordo_outbox_lag_seconds')).toBe(42);
    await t.ordo.relay.place();
    expect(value(await scrape(), 'ordo_outbox_lag_seconds')).toBe(0);
    const due = (await t.ordo.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM timers WHERE due_at <= $1', [t.clock.now()])).rows[0]!.n;
    expect(value(await scrape(), 'ordo_timers_due')).toBe(due);
    t.clock.advance(30 * 86_400);
    const nowDue = (await t.ordo.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM timers WHERE due_at <= $1', [t.clock.now()])).rows[0]!.n;
    expect(nowDue).toBeGreaterThan(due);
    const text = await scrape();
    expect(value(text, 'ordo_timers_due')).toBe(nowDue);
    expect(value(text, 'ordo_timers_overdue')).toBe(nowDue);
  });

  it('shows webhook deliveries per subscription and messages waiting', async () => {
    const hook = await t.call('POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/closed', events: ['order.created'] });
    expect(hook.status, hook.text).toBe(201);
    await t.call('POST', '/v1/orders', orderBody());
    await t.ordo.relay.place();
    const text = await scrape();
    expect(value(text, 'ordo_webhook_deliveries_pending', { subscription: hook.body.id })).toBe(1);
    expect(value(text, 'ordo_webhook_deliveries_failed', { subscription: hook.body.id })).toBe(0);
    expect(value(text, 'ordo_notifications_pending')).toBeGreaterThanOrEqual(1);
    await t.ordo.notifications.work();
    expect(value(await scrape(), 'ordo_notifications_pending')).toBe(0);
  });

  it('shows the database pool', async () => {
    const text = await scrape();
    expect(value(text, 'ordo_db_pool_connections')).toBeGreaterThan(0);
    expect(text).toContain('ordo_db_pool_waiting');
    expect(text).toContain('ordo_gateway_call_duration_seconds');
  });

  it('refuses other keys and no key; takes the metrics token when one is set', async () => {
    expectProblem(await t.call('GET', '/metrics', undefined, { key: null }), 401, 'unauthorized');
    expectProblem(await t.call('GET', '/metrics', undefined, { key: 'nonsense' }), 401, 'unauthorized');
    expectProblem(await t.call('GET', '/metrics', undefined, { key: await t.storefrontKey('metrics-shop') }), 403, 'forbidden');
    // The route reads ORDO_METRICS_TOKEN when the server is built; here the token is given directly.
    const withToken = Fastify();
    registerMetrics(withToken, t.ordo, 'scrape-secret-123');
    try {
      const ok = await withToken.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer scrape-secret-123' } });
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('ordo_commands_total');
      const wrong = await withToken.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer scrape-secret-124' } });
      expect(wrong.statusCode).toBe(401);
    } finally {
      await withToken.close();
    }
  });
});
