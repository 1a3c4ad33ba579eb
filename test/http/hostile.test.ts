/**
 * Issue 11, hostile input: each gets a 4xx problem+json with a stable code, changes nothing,
 * and never a 5xx. Some of it only exists on the wire (Node's HTTP parser), so those cases
 * speak raw HTTP over a socket.
 */
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody, type Reply, type TestApp } from '../support/app.js';
import { expectProblem, rowCounts } from './helpers.js';
import { callback, signedHeaders, snapshot, expectUnchanged, startPaymentsApp } from '../payments/helpers.js';
import { MAX_DEPTH, nestingOf } from '../../src/http/body-parser.js';
import { hasUnstorableText } from '../../src/http/text.js';
import { answerClientError } from '../../src/http/transport-errors.js';
import type { Socket } from 'node:net';

let t: TestApp;
let port: number;
beforeAll(async () => {
  t = await startPaymentsApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as AddressInfo).port;
});
afterAll(() => t.close());

/** Sends these bytes as one request on a fresh connection; the raw answer, split up. */
function raw(request: string | Buffer): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
    socket.end(request);
  });
}

const asReply = (r: { status: number; headers: Record<string, string>; body: string }): Reply => ({ status: r.status, headers: r.headers, body: JSON.parse(r.body), text: r.body });

const nested = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

/** Posts an order whose metadata holds this raw JSON, and checks nothing was written. */
async function refusedOrder(body: string | Buffer, status: number, code: string, key?: string) {
  const before = await rowCounts(t);
  const res = await t.app.inject({ method: 'POST', url: '/v1/orders', payload: body, headers: { authorization: `Bearer ${key ?? t.adminKey}`, 'content-type': 'application/json' } });
  const reply: Reply = { status: res.statusCode, headers: res.headers, body: JSON.parse(res.body), text: res.body };
  expectProblem(reply, status, code);
  expect(await rowCounts(t)).toEqual(before);
  return reply;
}

describe('deep nesting', () => {
  it('counts nesting on the text, not inside strings', () => {
    expect(nestingOf('{"a":[1,{"b":"[[[{{{"}]}')).toBe(3);
    expect(nestingOf('"\\"[[["')).toBe(0);
  });

  it('2,700 levels in the metadata: 400, from any key, nothing written', async () => {
    const body = JSON.stringify(orderBody()).replace(/}$/, `,"metadata":{"deep":${nested(2700)}}}`);
    const res = await refusedOrder(body, 400, 'invalid_request');
    expect(res.body.detail).toContain(String(MAX_DEPTH));
    await refusedOrder(body, 400, 'invalid_request', await t.storefrontKey('deep-nester'));
  });

  it('a million levels of arrays: 400, not a crash', async () => {
    await refusedOrder('['.repeat(500_000) + ']'.repeat(500_000), 400, 'invalid_request');
  });

  it('the text check walks without recursion', () => {
    let deep: unknown = 'A\u0000B';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(hasUnstorableText(deep)).toBe(true);
  });

  it('nesting within the limit is still taken', async () => {
    const body = JSON.stringify(orderBody()).replace(/}$/, `,"metadata":{"deep":${nested(MAX_DEPTH - 3)}}}`);
    const res = await t.app.inject({ method: 'POST', url: '/v1/orders', payload: body, headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' } });
    expect(res.statusCode, res.body).toBe(201);
  });
});

describe('invalid UTF-8', () => {
  const withBadByte = (json: string) => {
    const [a, b] = json.split('TSHIRT') as [string, string];
    return Buffer.concat([Buffer.from(a + 'TSH'), Buffer.from([0xc3, 0x28]), Buffer.from('IRT' + b)]);
  };

  it('in an order body: 400, not stored as U+FFFD', async () => {
    const res = await refusedOrder(withBadByte(JSON.stringify(orderBody())), 400, 'invalid_request');
    expect(res.body.detail).toMatch(/UTF-8/);
  });

  it('in a gateway callback: 400', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/gateways/simulated/events', payload: Buffer.from([0x7b, 0xff, 0x7d]), headers: { 'content-type': 'application/json', ...signedHeaders('evt_bad_utf8', '{}') } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('signed gateway callbacks that are not understood: 400, nothing recorded', () => {
  const pendingCard = async () => {
    const r = await t.call('POST', '/v1/orders', orderBody({ lines: [{ sku: 'HOSTILE-CB', quantity: 1, unitPrice: 1000 }], payment: { method: 'card', simulate: 'pending' } }));
    expect(r.status, r.text).toBe(201);
    return { id: r.body.id as string, paymentId: r.body.payments[0].id as string };
  };
  const signed = (payload: string, id: string) => t.call('POST', '/v1/gateways/simulated/events', payload, { key: null, headers: signedHeaders(id, payload) });

  it.each([
    ['a null body', 'null'],
    ['an array body', '[]'],
    ['a non-UUID paymentId', JSON.stringify({ type: 'payment.settled', paymentId: 'not-a-uuid' })],
    ['a NUL byte in paymentId', JSON.stringify({ type: 'payment.settled', paymentId: '00000000-0000-4000-8000-\u0000000000000' })],
    ['a NUL byte in the reference', JSON.stringify({ type: 'payment.settled', paymentId: '00000000-0000-4000-8000-000000000000', reference: 'a\u0000b' })],
    ['a non-UUID refundId', JSON.stringify({ type: 'refund.settled', paymentId: '00000000-0000-4000-8000-000000000000', refundId: 'r1' })],
  ])('%s', async (_name, payload) => {
    const order = await pendingCard();
    const before = await snapshot(t, order.id);
    const id = `evt_hostile_${Math.random().toString(36).slice(2)}`;
    const res = await signed(payload.replace('00000000-0000-4000-8000-000000000000', order.paymentId), id);
    expect(res.status, res.text).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(['invalid_callback', 'invalid_request']).toContain(res.body.code);
    await expectUnchanged(t, order.id, before);
  });

  it('an over-long webhook-id: 400', async () => {
    const order = await pendingCard();
    const res = await callback(t, { type: 'payment.settled', paymentId: order.paymentId }, { id: `evt_${'x'.repeat(3000)}` });
    expectProblem(res, 400, 'invalid_callback');
  });

  it('a good callback still applies', async () => {
    const order = await pendingCard();
    expect((await callback(t, { type: 'payment.settled', paymentId: order.paymentId })).body).toEqual({ status: 'applied' });
  });
});

describe('over-long paths and headers', () => {
  it('a path parameter over 100 characters: 414 problem+json', async () => {
    const res = await t.call('GET', `/v1/orders/${'a'.repeat(101)}`);
    expectProblem(res, 414, 'uri_too_long');
  });

  it('a malformed percent-encoding in the path: 400 problem+json', async () => {
    expectProblem(await t.call('GET', '/v1/orders/%E0%A4%A'), 400, 'invalid_request');
  });

  it('a query string of 100k characters: 431 problem+json, on the wire', async () => {
    const res = await raw(`GET /v1/orders?q=${'x'.repeat(100_000)} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${t.adminKey}\r\n\r\n`);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expectProblem(asReply(res), 431, 'headers_too_large');
  });

  it('a request that is not HTTP: 400 problem+json, on the wire', async () => {
    const res = await raw('NONSENSE / HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expectProblem(asReply(res), 400, 'invalid_request');
  });
});

describe('a wrong method', () => {
  it('answers 405 with Allow, on a path that exists', async () => {
    const res = await t.call('DELETE', '/v1/orders');
    expectProblem(res, 405, 'method_not_allowed');
    expect(res.headers.allow).toBe('GET, HEAD, POST');
    const one = await t.call('PUT', '/v1/orders/0190d5a8-0000-7000-8000-000000000000');
    expectProblem(one, 405, 'method_not_allowed');
    expect(one.headers.allow).toBe('GET, HEAD');
  });

  it('answers 405 whatever the body, without a key', async () => {
    const res = await t.call('PATCH', '/v1/inventory/SKU-1', '{not json', { key: null });
    expectProblem(res, 405, 'method_not_allowed');
    expect(res.headers.allow).toBe('GET, HEAD, PUT');
  });

  it('still answers 404 for a path no method has', async () => {
    expectProblem(await t.call('DELETE', '/v1/nothing-here'), 404, 'not_found');
  });
});

describe('client errors on a socket', () => {
  const fakeSocket = (underWay: boolean) => {
    const written: string[] = [];
    const socket = { destroyed: false, writable: true, write: (s: string) => written.push(s), destroy: () => undefined, ...(underWay ? { _httpMessage: { headersSent: true } } : {}) };
    return { socket: socket as unknown as Socket, written };
  };

  it('a request that arrives too slowly: 408 problem+json', () => {
    const { socket, written } = fakeSocket(false);
    answerClientError(Object.assign(new Error('timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }), socket);
    expect(written[0]).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\nContent-Type: application\/problem\+json/);
    expect(written[0]).toContain('"code":"request_timeout"');
  });

  it('nothing is written after a response already under way', () => {
    const { socket, written } = fakeSocket(true);
    answerClientError(Object.assign(new Error('parse'), { code: 'HPE_INVALID_METHOD' }), socket);
    expect(written).toEqual([]);
  });
});
