/** Bad input of any shape gets a 4xx problem+json and writes nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody, startTestApp, type TestApp } from '../support/app.js';
import { expectProblem, rowCounts } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const line = (over: Record<string, unknown> = {}) => ({ sku: 'TSHIRT-M', quantity: 1, unitPrice: 1999, ...over });

/** Sends a create request, checks the problem it gets, and that no row was written anywhere. */
async function refused(body: unknown, status: number, code: string, headers?: Record<string, string>) {
  const before = await rowCounts(t);
  const res = await t.call('POST', '/v1/orders', body, headers ? { headers } : {});
  expectProblem(res, status, code);
  expect(await rowCounts(t)).toEqual(before);
  return res;
}

describe('POST /v1/orders refuses bad input and writes nothing', () => {
  it('a quantity sent as a string ("2") is a wrong type, not a number to guess at (400)', async () => {
    const res = await refused(orderBody({ lines: [line({ quantity: '2' })] }), 400, 'invalid_request');
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'body', path: '/lines/0/quantity' })]));
  });

  it('a negative quantity (400)', async () => {
    await refused(orderBody({ lines: [line({ quantity: -1 })] }), 400, 'invalid_request');
  });

  it('a zero quantity (400)', async () => {
    await refused(orderBody({ lines: [line({ quantity: 0 })] }), 400, 'invalid_request');
  });

  it('a fractional quantity or a quantity beyond the maximum (400)', async () => {
    await refused(orderBody({ lines: [line({ quantity: 1.5 })] }), 400, 'invalid_request');
    await refused(orderBody({ lines: [line({ quantity: 1_000_001 })] }), 400, 'invalid_request');
  });

  it('prices that are not whole minor units >= 0 (400)', async () => {
    await refused(orderBody({ lines: [line({ unitPrice: 19.99 })] }), 400, 'invalid_request');
    await refused(orderBody({ lines: [line({ unitPrice: -1 })] }), 400, 'invalid_request');
    await refused(orderBody({ lines: [line({ unitPrice: '1999' })] }), 400, 'invalid_request');
    await refused(orderBody({ shipping: { amount: -495 } }), 400, 'invalid_request');
    await refused(orderBody({ shipping: { amount: 4.95 } }), 400, 'invalid_request');
  });

  it('a total larger than can be held exactly (422 amount_out_of_range)', async () => {
    await refused(orderBody({ lines: [line({ quantity: 2, unitPrice: Number.MAX_SAFE_INTEGER })] }), 422, 'amount_out_of_range');
  });

  it('an unknown currency (422 unknown_currency)', async () => {
    const res = await refused(orderBody({ currency: 'XXY' }), 422, 'unknown_currency');
    expect(res.body.detail).toContain('XXY');
  });

  it('a lowercase or malformed currency code (400)', async () => {
    await refused(orderBody({ currency: 'eur' }), 400, 'invalid_request');
    await refused(orderBody({ currency: 'EURO' }), 400, 'invalid_request');
    await refused(orderBody({ currency: 978 }), 400, 'invalid_request');
  });

  it('an unknown workflow (422 unknown_workflow)', async () => {
    const res = await refused(orderBody({ workflow: 'no-such-flow' }), 422, 'unknown_workflow');
    expect(res.body.detail).toContain('no-such-flow');
  });

  it('an unknown field, at the top or inside a line or the customer (400)', async () => {
    const top = await refused(orderBody({ discount: 100 }), 400, 'invalid_request');
    expect(JSON.stringify(top.body.errors)).toContain('discount');
    await refused(orderBody({ lines: [line({ colour: 'red' })] }), 400, 'invalid_request');
    await refused(orderBody({ customer: { email: 'a@example.com', isAdmin: true } }), 400, 'invalid_request');
  });

  it('missing required fields and wrong shapes (400)', async () => {
    await refused({ currency: 'EUR' }, 400, 'invalid_request');
    await refused({ lines: [line()] }, 400, 'invalid_request');
    await refused(orderBody({ lines: line() }), 400, 'invalid_request');
    await refused(orderBody({ lines: [line({ sku: '' })] }), 400, 'invalid_request');
    await refused(orderBody({ lines: [{ quantity: 1, unitPrice: 1 }] }), 400, 'invalid_request');
    await refused(orderBody({ customer: { email: 'not-an-email' } }), 400, 'invalid_request');
    await refused(orderBody({ lines: Array.from({ length: 501 }, (_, i) => line({ sku: `SKU-${i}` })) }), 400, 'invalid_request');
    await refused('[]', 400, 'invalid_request');
    await refused('null', 400, 'invalid_request');
    await refused('"an order"', 400, 'invalid_request');
  });

  it('a body that is not JSON (400)', async () => {
    await refused('{"currency": "EUR", "lines": [', 400, 'invalid_request');
    await refused('currency=EUR', 400, 'invalid_request');
  });

  it('an empty body with a JSON content type (400)', async () => {
    await refused('', 400, 'invalid_request', { 'content-type': 'application/json' });
  });

  it('a __proto__ key (400): no prototype pollution through the body', async () => {
    await refused('{"__proto__": {"polluted": true}, "currency": "EUR", "lines": []}', 400, 'invalid_request');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a body over 1 MiB (413 payload_too_large)', async () => {
    await refused(orderBody({ metadata: { blob: 'x'.repeat(1024 * 1024 + 1) } }), 413, 'payload_too_large');
  });

  it('a content type other than JSON (415 unsupported_media_type)', async () => {
    await refused('<order currency="EUR"/>', 415, 'unsupported_media_type', { 'content-type': 'application/xml' });
    await refused('currency=EUR', 415, 'unsupported_media_type', { 'content-type': 'application/x-www-form-urlencoded' });
  });

  it('a text/plain body is an unsupported media type too (415)', async () => {
    await refused(JSON.stringify(orderBody()), 415, 'unsupported_media_type', { 'content-type': 'text/plain' });
  });

  it('a NUL character in a string is refused with 400, not a 500', async () => {
    await refused(orderBody({ lines: [line({ sku: 'A\u0000B' })] }), 400, 'invalid_request');
  });

  it('a lone surrogate in a string is refused with 400, not a 500', async () => {
    await refused('{"currency":"EUR","lines":[{"sku":"A\\ud800","quantity":1,"unitPrice":1}]}', 400, 'invalid_request');
  });

  it('the body is fine once the mistakes are fixed', async () => {
    const before = await rowCounts(t);
    const res = await t.call('POST', '/v1/orders', orderBody({ lines: [line({ quantity: 2 })] }));
    expect(res.status).toBe(201);
    expect((await rowCounts(t)).orders).toBe(before.orders + 1);
  });
});

describe('other routes refuse bad input too', () => {
  it('a transition reason with a NUL character does not change the order', async () => {
    const created = await t.call('POST', '/v1/orders', orderBody());
    const before = await rowCounts(t);
    const res = await t.call('POST', `/v1/orders/${created.body.id}/transitions`, { to: 'cancelled', reason: 'a\u0000b' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await rowCounts(t)).toEqual(before);
    expect((await t.call('GET', `/v1/orders/${created.body.id}`)).body.version).toBe(1);
  });

  it('a transition reason with a NUL character is refused with 400', async () => {
    const created = await t.call('POST', '/v1/orders', orderBody());
    expectProblem(await t.call('POST', `/v1/orders/${created.body.id}/transitions`, { to: 'cancelled', reason: 'a\u0000b' }), 400, 'invalid_request');
  });

  it('unknown routes answer 404 problem+json; a known path with a wrong method 405', async () => {
    expectProblem(await t.call('GET', '/v1/nothing-here'), 404, 'not_found');
    expectProblem(await t.call('DELETE', '/v1/orders'), 405, 'method_not_allowed');
  });
});
