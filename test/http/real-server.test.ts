/** The API over a real TCP socket: a listening server and fetch, not Fastify's inject. */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody, startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address() as AddressInfo;
  base = `http://127.0.0.1:${address.port}`;
});
afterAll(() => t.close());

describe('over a real socket', () => {
  it('creates an order and reads it back with fetch', async () => {
    const auth = { authorization: `Bearer ${t.adminKey}` };
    const created = await fetch(`${base}/v1/orders`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(orderBody({ customer: { email: 'socket@example.com' } })),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    const order = (await created.json()) as { id: string; status: Record<string, string>; customer: { email: string } };
    expect(order.status.order).toBe('placed');
    expect(order.customer.email).toBe('socket@example.com');

    const read = await fetch(`${base}/v1/orders/${order.id}`, { headers: auth });
    expect(read.status).toBe(200);
    expect(read.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await read.json()).toEqual(order);
  });

  it('answers 401 problem+json with a challenge when no key is sent', async () => {
    const res = await fetch(`${base}/v1/orders`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(((await res.json()) as { code: string }).code).toBe('unauthorized');
  });

  it('refuses a body over 1 MiB on the wire with 413', async () => {
    const res = await fetch(`${base}/v1/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(orderBody({ metadata: { blob: 'x'.repeat(2 * 1024 * 1024) } })),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { code: string }).code).toBe('payload_too_large');
  });
});
