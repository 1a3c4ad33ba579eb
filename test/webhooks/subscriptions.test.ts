/**
 * The subscription API: a secret shown once, listed and changed without it, rotated; bad input
 * (an unknown pattern, a malformed or non-http URL, one over 2,048 characters, a private target)
 * is refused with 422 problem+json and writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { startWebhookApp, type WebhookApp } from './support/ordo.js';

let t: WebhookApp;
/** The same database, as a deployment that keeps the default: private targets refused. */
let strict: WebhookApp;

beforeAll(async () => {
  t = await startWebhookApp();
  strict = await startWebhookApp({ databaseUrl: t.databaseUrl, webhooks: { allowPrivateTargets: false } });
});
afterAll(async () => {
  await strict?.close();
  await t?.close();
});

const count = async () => Number((await t.ordo.pool.query('SELECT count(*) FROM webhook_subscriptions')).rows[0].count);

const expectProblem = (res: { status: number; body: { code: string; status: number; detail: string }; headers: Record<string, unknown> }, status: number, code: string) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code });
  expect(res.body.detail.length).toBeGreaterThan(0);
};

describe('subscriptions', () => {
  it('answers the secret once, and never again', async () => {
    const made = await t.call('POST', '/v1/webhooks', { url: 'https://hooks.example.com/ordo', events: ['order.*', 'payment.settled'], description: 'warehouse' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ url: 'https://hooks.example.com/ordo', events: ['order.*', 'payment.settled'], description: 'warehouse', enabled: true, disabledReason: null });
    expect(made.body.secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    expect(() => new Webhook(made.body.secret)).not.toThrow();
    const one = await t.call('GET', `/v1/webhooks/${made.body.id}`);
    expect(one.status).toBe(200);
    expect(one.body.secret).toBeUndefined();
    const all = await t.call('GET', '/v1/webhooks');
    expect(all.body.items.map((w: { id: string }) => w.id)).toContain(made.body.id);
    expect(JSON.stringify(all.body)).not.toContain(made.body.secret);
  });

  it('changes url, events, description and enabled; deletes', async () => {
    const made = await t.call('POST', '/v1/webhooks', { url: 'https://hooks.example.com/a', events: ['*'] });
    const changed = await t.call('PATCH', `/v1/webhooks/${made.body.id}`, { url: 'https://hooks.example.com/b', events: ['refund.*'], description: 'refunds', enabled: false });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ url: 'https://hooks.example.com/b', events: ['refund.*'], description: 'refunds', enabled: false });
    expect((await t.call('PATCH', `/v1/webhooks/${made.body.id}`, { description: null })).body.description).toBeNull();
    const removed = await t.call('DELETE', `/v1/webhooks/${made.body.id}`);
    expect(removed.status).toBe(200);
    expect(removed.body.id).toBe(made.body.id);
    expectProblem(await t.call('GET', `/v1/webhooks/${made.body.id}`), 404, 'webhook_not_found');
    expectProblem(await t.call('DELETE', `/v1/webhooks/${made.body.id}`), 404, 'webhook_not_found');
  });

  it('rotates the secret: a new one, answered once, the old one kept signing for a day', async () => {
    const made = await t.call('POST', '/v1/webhooks', { url: 'https://hooks.example.com/r', events: ['*'] });
    const rotated = await t.call('POST', `/v1/webhooks/${made.body.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(made.body.secret);
    expect(new Date(rotated.body.previousSecretUntil).getTime() - t.clock.now().getTime()).toBe(24 * 3600_000);
    expect((await t.call('GET', `/v1/webhooks/${made.body.id}`)).body.secret).toBeUndefined();
  });
});

describe('bad input is refused with 422, and nothing is written', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['an unknown event type', { url: 'https://hooks.example.com/x', events: ['order.*', 'order.creatd'] }, 'unknown_event_type'],
    ['an unknown prefix', { url: 'https://hooks.example.com/x', events: ['parcel.*'] }, 'unknown_event_type'],
    ['a malformed URL', { url: 'not a url', events: ['*'] }, 'invalid_webhook_url'],
    ['a URL that is not http(s)', { url: 'ftp://hooks.example.com/x', events: ['*'] }, 'invalid_webhook_url'],
    ['a file URL', { url: 'file:///etc/passwd', events: ['*'] }, 'invalid_webhook_url'],
    ['a URL over 2,048 characters', { url: `https://hooks.example.com/${'a'.repeat(2030)}`, events: ['*'] }, 'invalid_webhook_url'],
  ];
  for (const [what, body, code] of cases) {
    it(`${what}: ${code}`, async () => {
      const before = await count();
      expectProblem(await t.call('POST', '/v1/webhooks', body), 422, code);
      expect(await count()).toBe(before);
    });
  }

  it('a change with bad input changes nothing', async () => {
    const made = await t.call('POST', '/v1/webhooks', { url: 'https://hooks.example.com/keep', events: ['order.*'] });
    expectProblem(await t.call('PATCH', `/v1/webhooks/${made.body.id}`, { events: ['nope.*'], url: 'https://hooks.example.com/other' }), 422, 'unknown_event_type');
    expectProblem(await t.call('PATCH', `/v1/webhooks/${made.body.id}`, { url: 'gopher://x', description: 'changed' }), 422, 'invalid_webhook_url');
    expect((await t.call('GET', `/v1/webhooks/${made.body.id}`)).body).toMatchObject({ url: 'https://hooks.example.com/keep', events: ['order.*'], description: null });
  });

  const inside = [
    'http://127.0.0.1:8080/hook', 'http://localhost/hook', 'http://[::1]/hook', 'http://10.1.2.3/hook', 'http://192.168.0.10/hook', 'http://172.16.5.5/hook',
    'http://169.254.169.254/latest/meta-data', 'http://100.64.0.1/hook', 'http://0.0.0.0/hook', 'http://[fd00::1]/hook', 'http://[fe80::1]/hook',
    'http://224.0.0.1/hook', 'http://[::ffff:127.0.0.1]/hook', 'http://2130706433/hook', 'http://0x7f.1/hook',
  ];
  for (const url of inside) {
    it(`a private target (${url}): webhook_target_refused, unless private targets are allowed`, async () => {
      const before = await count();
      expectProblem(await strict.call('POST', '/v1/webhooks', { url, events: ['*'] }), 422, 'webhook_target_refused');
      expect(await count()).toBe(before);
    });
  }

  it('a change to a private target is refused too', async () => {
    const made = await strict.call('POST', '/v1/webhooks', { url: 'https://93.184.215.14/hook', events: ['*'] });
    expect(made.status).toBe(201);
    expectProblem(await strict.call('PATCH', `/v1/webhooks/${made.body.id}`, { url: 'http://127.0.0.1/x' }), 422, 'webhook_target_refused');
  });
});
